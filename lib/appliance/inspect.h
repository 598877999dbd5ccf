/* guestkit: the operating systems of a launched appliance, found
 * fast.
 *
 * guestfs_inspect_os takes about 10 seconds under emulation for a
 * one-disk Debian guest: it asks parted about every partition, waits
 * for udev, mounts every filesystem and starts Augeas to read fstab.
 * gk_inspect mounts each candidate filesystem read-only, looks at a
 * handful of paths, reads the release files and fstab with read_file
 * and parses them on the host (ondisk/osinfo.h, ondisk/fstab.h), with
 * libguestfs 1.48's rules.  Where those rules are not all modelled
 * (btrfs, Windows, BSDs, lsb-release, a crypttab, an fstab line Augeas
 * might read differently...) it is not sure, and asks libguestfs
 * instead: the answer is libguestfs's either way.
 */
#ifndef GUESTKIT_APPLIANCE_INSPECT_H
#define GUESTKIT_APPLIANCE_INSPECT_H

#include <stdbool.h>

#include <guestfs.h>

#include "utils/vector.h"

/* One operating system, as the inspect_get_* calls describe it. */
struct gk_os {
  char *root;                   /* its root filesystem */
  char *type;                   /* "linux"...; "unknown" if not known */
  char *distro;
  char *package_format;
  char *package_management;
  int major_version;
  /* (mountpoint, device) pairs, NULL-terminated; NULL when libguestfs
   * could not say, with its error in MOUNTPOINTS_ERROR.
   */
  char **mountpoints;
  char *mountpoints_error;
};
DEFINE_VECTOR_TYPE (gk_os_list, struct gk_os);

extern void gk_os_list_free (gk_os_list *oses);

/* Every operating system of the launched handle G, whose filesystems
 * are FSES (gk_find_filesystems's (device, type) pairs, LUKS already
 * opened), in libguestfs's order, into *OSES.  The fast way when it is
 * sure, else guestfs_inspect_os; -v says which.  For the tests, with
 * GUESTKIT_INSPECT_LOG=FILE in the environment a fast answer is also
 * checked against libguestfs's (an error if they differ), and FILE
 * gets lines saying which way was taken and what it found.  Returns 0
 * (*OSES may be empty), or -1 after reporting.  Nothing is left
 * mounted.
 */
extern int gk_inspect (guestfs_h *g, char *const *fses, gk_os_list *oses);

/* The fast way alone: 1 and *OSES when sure, 0 when not (the reason
 * in *WHY, static), -1 after reporting.
 */
extern int gk_inspect_fast (guestfs_h *g, char *const *fses,
                            gk_os_list *oses, const char **why);

/* guestfs_inspect_os and the getters.  0, or -1 after reporting. */
extern int gk_inspect_libguestfs (guestfs_h *g, gk_os_list *oses);

/* Whether A and B say the same (roots in order, facts, mountpoints as
 * sets).  If not, *DIFF (caller frees) says where.
 */
extern bool gk_inspect_same (const gk_os_list *a, const gk_os_list *b,
                             char **diff);

#endif /* GUESTKIT_APPLIANCE_INSPECT_H */
