/* guestkit: which Linux distribution a root filesystem holds, from
 * its release files, read on the host.
 *
 * libguestfs's inspection (daemon/inspect_fs_unix.ml, 1.48) walks a
 * list of release files in order, each parser filling what it finds
 * and saying whether the walk is over; the fast inspection of
 * appliance/inspect.h gives the same answer for the files and
 * distributions named here and says "not sure" for the rest, so that
 * its caller asks libguestfs instead.  Guest bytes are hostile: every
 * length is the caller's buffer length, nothing in the text is
 * trusted, and nothing is printed.
 */
#ifndef GUESTKIT_ONDISK_OSINFO_H
#define GUESTKIT_ONDISK_OSINFO_H

#include <stdbool.h>
#include <stddef.h>

/* The largest release file inspection reads (libguestfs's small file). */
#define GK_RELEASE_FILE_MAX 1000000

/* What the caller found in the root's /etc.  A file's text is NULL if
 * it is not a regular file (symlinks followed); the booleans say
 * whether a name is there at all.
 */
struct gk_release_files {
  const char *os_release;       /* /etc/os-release */
  size_t os_release_len;
  const char *redhat_release;   /* /etc/redhat-release */
  size_t redhat_release_len;
  const char *debian_version;   /* /etc/debian_version */
  size_t debian_version_len;
  bool lsb_release;             /* /etc/lsb-release */
  bool rh_derivative;           /* oracle-, centos-, altlinux-release */
  bool later;                   /* a release file libguestfs looks at
                                   after debian_version (see
                                   gk_later_release_files) */
};

/* The names in /etc that make LATER true, NULL-terminated. */
extern const char *const gk_later_release_files[];

struct gk_os_identity {
  char distro[24];              /* libguestfs's name, "" if none */
  bool has_version;
  int major, minor;
};

/* The distribution and version of a Linux root with release files F,
 * as libguestfs 1.48 finds them.  Returns 0, or -1 with *ERRMSG (a
 * static string) when the answer needs a file or a rule that is not
 * modelled here.
 */
extern int gk_identify_linux (const struct gk_release_files *f,
                              struct gk_os_identity *id,
                              const char **errmsg);

/* libguestfs's package format and management for DISTRO ("unknown"
 * when it has none).  DNF: /usr/bin/dnf is a file in the guest (only
 * looked at for Fedora 22 and later, see gk_needs_dnf_probe).
 */
extern const char *gk_package_format (const char *distro);
extern const char *gk_package_management (const char *distro, int major,
                                          bool dnf);
extern bool gk_needs_dnf_probe (const char *distro, int major);

/* libguestfs's shell_unquote of LEN bytes at S into OUT (at least LEN
 * + 1 bytes), NUL-terminated; returns OUT's length.
 */
extern size_t gk_shell_unquote (const char *s, size_t len, char *out);

#endif /* GUESTKIT_ONDISK_OSINFO_H */
