/* guestkit: the operating systems of a launched appliance, found fast
 * (see inspect.h for why).
 *
 * Each filesystem is mounted read-only at / in turn and classified as
 * libguestfs's daemon/inspect_fs.ml does, from a listing of its top
 * directory and of /etc and a few lstat calls: a Linux root (/etc a
 * directory, /bin a directory or a link to usr/bin, /etc/fstab or
 * /etc/hosts a file) has its release files and fstab read; a
 * filesystem that is plainly no root (no /etc, no Windows or DOS
 * directory) is left; anything else (BSD, Hurd, Windows, CoreOS, a
 * separate /usr, btrfs subvolumes) makes the whole answer "not sure".
 * The fstab entries are then resolved as libguestfs resolves them,
 * with the same daemon calls (findfs_uuid, findfs_label,
 * lvm_canonical_lv_name).
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "appliance/inspect.h"
#include "ondisk/fstab.h"
#include "ondisk/osinfo.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"

void
gk_os_list_free (gk_os_list *oses)
{
  for (size_t i = 0; i < oses->len; ++i) {
    struct gk_os *os = &oses->ptr[i];

    free (os->root);
    free (os->type);
    free (os->distro);
    free (os->package_format);
    free (os->package_management);
    gk_free_string_list (os->mountpoints);
    free (os->mountpoints_error);
  }
  gk_os_list_reset (oses);
}

/* A Linux root found by the walk, before its fstab is resolved. */
struct linux_root {
  char *root;
  struct gk_os_identity id;
  bool dnf;
  bool crypttab;                /* /etc/crypttab is there */
  gk_fstab fstab;
};
DEFINE_VECTOR_TYPE (linux_root_list, struct linux_root);

static void
linux_roots_free (linux_root_list *l)
{
  for (size_t i = 0; i < l->len; ++i) {
    free (l->ptr[i].root);
    gk_fstab_free (&l->ptr[i].fstab);
  }
  linux_root_list_reset (l);
}

struct walk {
  guestfs_h *g;
  const char *why;              /* not sure: the reason */
  linux_root_list roots;
};

static bool
unsure (struct walk *w, const char *why)
{
  if (w->why == NULL)
    w->why = why;
  return false;
}

static bool
has_name (char *const *names, const char *name, bool nocase)
{
  for (size_t i = 0; names[i]; ++i)
    if (nocase ? STRCASEEQ (names[i], name) : STREQ (names[i], name))
      return true;
  return false;
}

static bool
is_type (const struct guestfs_statns *st, mode_t type)
{
  return st->st_ino != -1 && ((mode_t) st->st_mode & S_IFMT) == type;
}

/* lstat of DIR/NAMES[i] for each name. */
static struct guestfs_statns_list *
lstat_names (struct walk *w, const char *dir, const char *const *names)
{
  struct guestfs_statns_list *l =
    guestfs_lstatnslist (w->g, dir, (char *const *) names);
  size_t n = 0;

  while (names[n])
    n++;
  if (l == NULL || l->len != n) {
    if (l)
      guestfs_free_statns_list (l);
    unsure (w, "lstat failed");
    return NULL;
  }
  return l;
}

/* A relative link target that stays inside the filesystem when
 * followed from a directory DEPTH levels below the top.
 */
static bool
stays_inside (const char *target, int depth)
{
  CLEANUP_FREE_STRING_LIST char **parts = NULL;

  if (target[0] == '/' || target[0] == '\0')
    return false;
  parts = gk_split_string ('/', target);
  for (size_t i = 0; parts[i]; ++i) {
    if (STREQ (parts[i], ".."))
      depth--;
    else if (STRNEQ (parts[i], ".") && STRNEQ (parts[i], ""))
      depth++;
    if (depth < 0)
      return false;
  }
  return true;
}

/* The text of PATH (ST its lstat, in a directory DEPTH below the top)
 * if it is a regular file once links are followed, as libguestfs's
 * is_file ~followsymlinks:true and read_small_file see it: *TEXT NULL
 * if it is not one.  Returns false when not sure.
 */
static bool
read_release (struct walk *w, const char *path,
              const struct guestfs_statns *st, int depth, char **text,
              size_t *len)
{
  *text = NULL;
  *len = 0;
  if (st->st_ino == -1)
    return true;
  if (is_type (st, S_IFLNK)) {
    CLEANUP_FREE char *target = guestfs_readlink (w->g, path);
    struct guestfs_statns *t;
    int is_file;

    if (target == NULL || !stays_inside (target, depth))
      return unsure (w, "a release file or fstab is a link that may "
                     "leave the filesystem");
    is_file = guestfs_is_file_opts (w->g, path,
                                    GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 1,
                                    -1);
    if (is_file == -1)
      return unsure (w, "is_file failed");
    if (is_file == 0)
      return true;
    t = guestfs_statns (w->g, path);
    if (t == NULL)
      return unsure (w, "stat failed");
    if (t->st_size < 0 || t->st_size > GK_RELEASE_FILE_MAX) {
      guestfs_free_statns (t);
      return unsure (w, "a release file or fstab is too large");
    }
    guestfs_free_statns (t);
  }
  else if (!is_type (st, S_IFREG))
    return true;
  else if (st->st_size < 0 || st->st_size > GK_RELEASE_FILE_MAX)
    return unsure (w, "a release file or fstab is too large");
  *text = guestfs_read_file (w->g, path, len);
  if (*text == NULL)
    return unsure (w, "read_file failed");
  return true;
}

/* Names in /etc that libguestfs's walk never reads, or that the
 * osinfo.h model covers.
 */
static bool
release_name_known (const char *name)
{
  static const char *const known[] = {
    "os-release", "redhat-release", "debian_version", "lsb-release",
    "oracle-release", "centos-release", "altlinux-release",
    "system-release", "system-release-cpe", "fedora-release", NULL
  };

  for (size_t i = 0; known[i]; ++i)
    if (STREQ (name, known[i]))
      return true;
  for (size_t i = 0; gk_later_release_files[i]; ++i)
    if (STREQ (name, gk_later_release_files[i]))
      return true;
  return false;
}

/* ROOT, mounted, is a Linux root: what libguestfs's check_linux_root
 * reads from it.  Returns false when not sure.
 */
static bool
read_linux_root (struct walk *w, const char *root,
                 const struct guestfs_statns_list *etc)
{
  CLEANUP_FREE_STRING_LIST char **names = guestfs_ls (w->g, "/etc");
  CLEANUP_FREE char *os_release = NULL, *redhat = NULL, *debian = NULL;
  CLEANUP_FREE char *fstab = NULL;
  size_t fstab_len;
  struct gk_release_files f = { 0 };
  struct linux_root r = { .fstab = empty_vector };
  const char *why = NULL;

  if (names == NULL)
    return unsure (w, "ls /etc failed");
  for (size_t i = 0; names[i]; ++i) {
    const char *n = names[i];

    if ((gk_str_has_suffix (n, "-release") ||
         gk_str_has_suffix (n, "_version") ||
         gk_str_has_suffix (n, "-version")) && !release_name_known (n))
      return unsure (w, "a release file not modelled");
    if (STREQ (n, "freebsd-update.conf"))
      return unsure (w, "a FreeBSD root");
  }
  f.lsb_release = has_name (names, "lsb-release", false);
  f.rh_derivative = has_name (names, "oracle-release", false) ||
    has_name (names, "centos-release", false) ||
    has_name (names, "altlinux-release", false);
  for (size_t i = 0; gk_later_release_files[i]; ++i)
    f.later |= has_name (names, gk_later_release_files[i], false);
  /* etc: fstab, hosts, os-release, redhat-release, debian_version */
  if (!read_release (w, "/etc/os-release", &etc->val[2], 1, &os_release,
                     &f.os_release_len) ||
      !read_release (w, "/etc/redhat-release", &etc->val[3], 1, &redhat,
                     &f.redhat_release_len) ||
      !read_release (w, "/etc/debian_version", &etc->val[4], 1, &debian,
                     &f.debian_version_len))
    return false;
  f.os_release = os_release;
  f.redhat_release = redhat;
  f.debian_version = debian;
  if (gk_identify_linux (&f, &r.id, &why) == -1)
    return unsure (w, why);
  if (gk_needs_dnf_probe (r.id.distro, r.id.major)) {
    int dnf = guestfs_is_file_opts (w->g, "/usr/bin/dnf",
                                    GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 1,
                                    -1);
    if (dnf == -1)
      return unsure (w, "is_file failed");
    r.dnf = dnf == 1;
  }
  /* Augeas follows a link to fstab inside the guest: not modelled. */
  if (etc->val[0].st_ino != -1 && !is_type (&etc->val[0], S_IFREG))
    return unsure (w, "/etc/fstab is not a regular file");
  if (etc->val[0].st_ino != -1) {
    if (!read_release (w, "/etc/fstab", &etc->val[0], 1, &fstab,
                       &fstab_len))
      return false;
    if (gk_fstab_parse (fstab, fstab_len, &r.fstab, &why) == -1)
      return unsure (w, why);
  }
  r.crypttab = has_name (names, "crypttab", false);
  r.root = xstrdup (root);
  linux_root_list_append (&w->roots, r);
  return true;
}

/* DEV, mounted at /: a Linux root (recorded), something else (left),
 * or not sure (false).
 */
static bool
classify (struct walk *w, const char *dev)
{
  static const char *const top_names[] = { "etc", "bin", NULL };
  static const char *const etc_names[] = {
    "fstab", "hosts", "os-release", "redhat-release", "debian_version", NULL
  };
  static const char *const not_sure[] = {
    "etc", "hurd", "netbsd", "bsd", "service", "windows", "winnt", "win32",
    "win", "reactos", "fdos", "dos", NULL
  };
  CLEANUP_FREE_STRING_LIST char **top = guestfs_ls (w->g, "/");
  struct guestfs_statns_list *st = NULL, *etc = NULL;
  bool linux_root = false, r;

  if (top == NULL)
    return unsure (w, "ls / failed");
  /* A grub /boot comes first in libguestfs's checks. */
  if (has_name (top, "grub", false) || has_name (top, "grub2", false)) {
    static const char *const grub[] = {
      "/grub/menu.lst", "/grub/grub.conf", "/grub2/grub.cfg", NULL
    };

    for (size_t i = 0; grub[i]; ++i) {
      int is = guestfs_is_file (w->g, grub[i]);

      if (is == -1)
        return unsure (w, "is_file failed");
      if (is == 1)
        return true;            /* a /boot, whatever else it holds */
    }
  }
  for (size_t i = 0; i < 4; ++i)       /* hurd, netbsd, bsd, service */
    if (has_name (top, not_sure[i + 1], false))
      return unsure (w, "a BSD, Hurd or Minix filesystem");
  if (has_name (top, "etc", false) && has_name (top, "bin", false)) {
    st = lstat_names (w, "/", (const char *const *) top_names);
    if (st == NULL)
      return false;
    if (is_type (&st->val[0], S_IFDIR)) {
      bool bin = is_type (&st->val[1], S_IFDIR);

      if (!bin && is_type (&st->val[1], S_IFLNK)) {
        CLEANUP_FREE char *target = guestfs_readlink (w->g, "/bin");

        bin = target && STREQ (target, "usr/bin");
      }
      if (bin) {
        etc = lstat_names (w, "/etc", (const char *const *) etc_names);
        if (etc == NULL) {
          guestfs_free_statns_list (st);
          return false;
        }
        linux_root = is_type (&etc->val[0], S_IFREG) ||
          is_type (&etc->val[1], S_IFREG);
      }
    }
    guestfs_free_statns_list (st);
  }
  if (linux_root) {
    r = read_linux_root (w, dev, etc);
    guestfs_free_statns_list (etc);
    return r;
  }
  if (etc)
    guestfs_free_statns_list (etc);
  /* Not a Linux root: CoreOS, a /usr, Windows and DOS would each be
   * something to libguestfs.
   */
  for (size_t i = 0; not_sure[i]; ++i)
    if (has_name (top, not_sure[i], true))
      return unsure (w, "a filesystem that may be another system's root "
                     "or a /usr");
  if (has_name (top, "bin", false) && has_name (top, "share", false))
    return unsure (w, "a filesystem that may be a /usr");
  return true;
}

/* Filesystem types that are never mounted (nothing to mount), and
 * those whose inspection is not modelled.
 */
static bool
skipped_type (const char *type)
{
  return STREQ (type, "swap") || STREQ (type, "unknown") ||
    STREQ (type, "LVM2_member") || STREQ (type, "crypto_LUKS") ||
    STREQ (type, "linux_raid_member") || STREQ (type, "");
}

/* libguestfs's order of filesystems: unpartitioned disks, partitions,
 * MD devices, LVs, each in the appliance's own order.
 */
struct order {
  char *const *devices;
  char *const *partitions;
};

static size_t
rank (const struct order *o, const char *dev, size_t *index)
{
  for (size_t i = 0; o->devices[i]; ++i)
    if (STREQ (o->devices[i], dev)) {
      *index = i;
      return 0;
    }
  for (size_t i = 0; o->partitions[i]; ++i)
    if (STREQ (o->partitions[i], dev)) {
      *index = i;
      return 1;
    }
  *index = 0;
  return STRPREFIX (dev, "/dev/md") ? 2 : 3;
}

static int
compare_roots (const struct order *o, const char *a, const char *b)
{
  size_t ia, ib, ra = rank (o, a, &ia), rb = rank (o, b, &ib);

  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (ia != ib)
    return ia < ib ? -1 : 1;
  return strcmp (a, b);
}

/* ENTRY's device as libguestfs resolves it into *DEV (caller frees;
 * NULL: the entry is dropped).  Returns false when not sure.
 */
static bool
resolve (struct walk *w, const struct linux_root *r,
         const struct gk_fstab_entry *e, const struct order *o, char **dev)
{
  struct gk_spec s;
  CLEANUP_FREE char *value = NULL;

  *dev = NULL;
  gk_fstab_spec (e, &s);
  value = s.value;
  switch (s.kind) {
  case GK_SPEC_IGNORE:
    return true;
  case GK_SPEC_UNSURE:
    return unsure (w, "an fstab device name not modelled");
  case GK_SPEC_PARTUUID: case GK_SPEC_PARTLABEL:
    return unsure (w, "an fstab PARTUUID or PARTLABEL");
  case GK_SPEC_UUID:
    *dev = guestfs_findfs_uuid (w->g, value);
    if (*dev == NULL)
      return true;              /* libguestfs drops it too */
    break;
  case GK_SPEC_LABEL:
    *dev = guestfs_findfs_label (w->g, value);
    if (*dev == NULL)
      return true;
    break;
  case GK_SPEC_ROOT:
    *dev = xstrdup (r->root);
    break;
  case GK_SPEC_MAPPER:
    if (r->crypttab)
      return unsure (w, "an fstab /dev/mapper name and a crypttab");
    *dev = guestfs_lvm_canonical_lv_name (w->g, e->spec);
    if (*dev == NULL)
      *dev = xstrdup (e->spec);
    break;
  case GK_SPEC_XDEV: {
    size_t n = gk_count_strings (o->devices);

    if (s.disk < n) {
      CLEANUP_FREE char *part = xasprintf ("%s%s", o->devices[s.disk],
                                           s.part);

      if (gk_string_list_contains (o->partitions, part)) {
        *dev = part;
        part = NULL;
        break;
      }
      if (s.part[0] != '\0')
        return unsure (w, "an fstab partition the appliance lacks");
    }
    *dev = xstrdup (e->spec);
    break;
  }
  case GK_SPEC_DEVICE:
    *dev = xstrdup (e->spec);
    break;
  }
  if (STREQ (e->vfstype, "btrfs") && e->subvol) {
    char *vol = xasprintf ("btrfsvol:%s/%s", *dev, e->subvol);

    free (*dev);
    *dev = vol;
  }
  return true;
}

/* R's mountpoints as inspect_get_mountpoints gives them. */
static bool
mountpoints (struct walk *w, const struct linux_root *r,
             const struct order *o, string_vector *mps)
{
  size_t entries = 0, roots = 0;

  for (size_t i = 0; i < r->fstab.len; ++i) {
    const struct gk_fstab_entry *e = &r->fstab.ptr[i];
    char *dev;

    if (!resolve (w, r, e, o, &dev))
      return false;
    if (dev == NULL)
      continue;
    entries++;
    if (e->file[0] != '/') {
      free (dev);
      continue;
    }
    if (STREQ (e->file, "/") && ++roots > 1) {
      free (dev);
      return unsure (w, "fstab mounts / twice");
    }
    string_vector_append (mps, xstrdup (e->file));
    string_vector_append (mps, dev);
  }
  /* No fstab entry at all: the root alone. */
  if (entries == 0) {
    string_vector_append (mps, xstrdup ("/"));
    string_vector_append (mps, xstrdup (r->root));
  }
  return true;
}

int
gk_inspect_fast (guestfs_h *g, char *const *fses, gk_os_list *oses,
                 const char **why)
{
  CLEANUP_FREE_STRING_LIST char **devices = NULL;
  CLEANUP_FREE_STRING_LIST char **partitions = NULL;
  struct walk w = { .g = g, .roots = empty_vector };
  struct order o;
  int r = 1;

  devices = guestfs_list_devices (g);
  partitions = guestfs_list_partitions (g);
  if (devices == NULL || partitions == NULL) {
    gk_error_noexit ("inspection: %s", guestfs_last_error (g));
    return -1;
  }
  o = (struct order) { devices, partitions };
  guestfs_push_error_handler (g, NULL, NULL);
  guestfs_umount_all (g);
  for (size_t i = 0; r == 1 && fses[i]; i += 2) {
    const char *dev = fses[i], *type = fses[i + 1];

    if (skipped_type (type))
      continue;
    if (STREQ (type, "btrfs") || STREQ (type, "ufs") ||
        STRPREFIX (type, "zfs")) {
      r = unsure (&w, "btrfs, UFS or ZFS");
      break;
    }
    /* LUKS volumes: whether libguestfs lists them depends on its
     * release.
     */
    if (STRPREFIX (dev, "/dev/mapper/")) {
      r = unsure (&w, "a filesystem in a LUKS volume");
      break;
    }
    if (guestfs_mount_ro (g, dev, "/") == -1)
      continue;                 /* libguestfs skips it too */
    if (!classify (&w, dev))
      r = 0;
    if (guestfs_umount_all (g) == -1)
      r = unsure (&w, "umount_all failed");
  }
  /* Roots in libguestfs's order, each with its mountpoints. */
  for (size_t i = 1; r == 1 && i < w.roots.len; ++i)
    for (size_t j = i; j > 0 &&
           compare_roots (&o, w.roots.ptr[j - 1].root,
                          w.roots.ptr[j].root) > 0; --j) {
      struct linux_root t = w.roots.ptr[j];

      w.roots.ptr[j] = w.roots.ptr[j - 1];
      w.roots.ptr[j - 1] = t;
    }
  for (size_t i = 0; r == 1 && i < w.roots.len; ++i) {
    const struct linux_root *lr = &w.roots.ptr[i];
    string_vector mps = empty_vector;
    struct gk_os os;

    if (!mountpoints (&w, lr, &o, &mps)) {
      string_vector_free_all (&mps);
      r = 0;
      break;
    }
    string_vector_append (&mps, NULL);
    os = (struct gk_os) {
      .root = xstrdup (lr->root),
      .type = xstrdup ("linux"),
      .distro = xstrdup (lr->id.distro[0] ? lr->id.distro : "unknown"),
      .package_format = xstrdup (lr->id.distro[0]
                                 ? gk_package_format (lr->id.distro)
                                 : "unknown"),
      .package_management = xstrdup (lr->id.distro[0]
                                     ? gk_package_management
                                         (lr->id.distro, lr->id.major,
                                          lr->dnf)
                                     : "unknown"),
      .major_version = lr->id.has_version ? lr->id.major : 0,
      .mountpoints = mps.ptr,
    };
    gk_os_list_append (oses, os);
  }
  guestfs_pop_error_handler (g);
  linux_roots_free (&w.roots);
  if (r != 1) {
    gk_os_list_free (oses);
    *why = w.why ? w.why : "unknown";
    return 0;
  }
  return 1;
}

static char *
quiet_string (guestfs_h *g, char *(*fn) (guestfs_h *, const char *),
              const char *root)
{
  char *s = fn (g, root);

  return s ? s : xstrdup ("unknown");
}

int
gk_inspect_libguestfs (guestfs_h *g, gk_os_list *oses)
{
  CLEANUP_FREE_STRING_LIST char **roots = guestfs_inspect_os (g);

  if (roots == NULL) {
    gk_error_noexit ("inspection: %s", guestfs_last_error (g));
    return -1;
  }
  guestfs_push_error_handler (g, NULL, NULL);
  for (size_t i = 0; roots[i]; ++i) {
    struct gk_os os = { .root = xstrdup (roots[i]) };

    os.type = quiet_string (g, guestfs_inspect_get_type, roots[i]);
    os.distro = quiet_string (g, guestfs_inspect_get_distro, roots[i]);
    os.package_format =
      quiet_string (g, guestfs_inspect_get_package_format, roots[i]);
    os.package_management =
      quiet_string (g, guestfs_inspect_get_package_management, roots[i]);
    os.major_version = guestfs_inspect_get_major_version (g, roots[i]);
    os.mountpoints = guestfs_inspect_get_mountpoints (g, roots[i]);
    if (os.mountpoints == NULL) {
      const char *err = guestfs_last_error (g);

      os.mountpoints_error = xstrdup (err ? err : "unknown error");
    }
    gk_os_list_append (oses, os);
  }
  guestfs_pop_error_handler (g);
  return 0;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* "mp=dev" strings of a mountpoints list, sorted. */
static char **
pairs (char *const *mps)
{
  string_vector v = empty_vector;

  for (size_t i = 0; mps && mps[i] && mps[i + 1]; i += 2)
    string_vector_append (&v, xasprintf ("%s=%s", mps[i], mps[i + 1]));
  string_vector_append (&v, NULL);
  if (v.len > 1)
    qsort (v.ptr, v.len - 1, sizeof (char *), compare_strings);
  return v.ptr;
}

bool
gk_inspect_same (const gk_os_list *a, const gk_os_list *b, char **diff)
{
  *diff = NULL;
  if (a->len != b->len) {
    *diff = xasprintf ("%zu operating systems against %zu", a->len, b->len);
    return false;
  }
  for (size_t i = 0; i < a->len; ++i) {
    const struct gk_os *x = &a->ptr[i], *y = &b->ptr[i];
    CLEANUP_FREE_STRING_LIST char **px = NULL, **py = NULL;
    CLEANUP_FREE char *jx = NULL, *jy = NULL;

    if (STRNEQ (x->root, y->root) || STRNEQ (x->type, y->type) ||
        STRNEQ (x->distro, y->distro) ||
        STRNEQ (x->package_format, y->package_format) ||
        STRNEQ (x->package_management, y->package_management) ||
        x->major_version != y->major_version) {
      *diff = xasprintf ("%s %s %s %s %s %d against %s %s %s %s %s %d",
                         x->root, x->type, x->distro, x->package_format,
                         x->package_management, x->major_version,
                         y->root, y->type, y->distro, y->package_format,
                         y->package_management, y->major_version);
      return false;
    }
    if ((x->mountpoints == NULL) != (y->mountpoints == NULL)) {
      *diff = xasprintf ("%s: mountpoints known only to one", x->root);
      return false;
    }
    px = pairs (x->mountpoints);
    py = pairs (y->mountpoints);
    jx = gk_join_strings (" ", px);
    jy = gk_join_strings (" ", py);
    if (STRNEQ (jx, jy)) {
      *diff = xasprintf ("%s: mountpoints %s against %s", x->root, jx, jy);
      return false;
    }
  }
  return true;
}

/* GUESTKIT_INSPECT_LOG=FILE: a line for each inspection. */
static void __attribute__ ((format (printf, 1, 2)))
log_line (const char *fs, ...)
{
  const char *path = getenv ("GUESTKIT_INSPECT_LOG");
  va_list args;
  FILE *fp;

  if (path == NULL || *path == '\0' || (fp = fopen (path, "a")) == NULL)
    return;
  va_start (args, fs);
  vfprintf (fp, fs, args);
  va_end (args);
  fputc ('\n', fp);
  fclose (fp);
}

int
gk_inspect (guestfs_h *g, char *const *fses, gk_os_list *oses)
{
  const char *why = NULL;
  const char *log = getenv ("GUESTKIT_INSPECT_LOG");
  int r = gk_inspect_fast (g, fses, oses, &why);

  if (r == -1)
    return -1;
  if (r == 0) {
    gk_debug ("inspection: libguestfs's (the fast way is not sure: %s)",
              why);
    log_line ("libguestfs (%s)", why);
    return gk_inspect_libguestfs (g, oses);
  }
  gk_debug ("inspection: the fast way, %zu operating system%s", oses->len,
            oses->len == 1 ? "" : "s");
  if (log && *log) {
    gk_os_list theirs = empty_vector;
    CLEANUP_FREE char *diff = NULL;
    bool same;

    if (gk_inspect_libguestfs (g, &theirs) == -1)
      return -1;
    same = gk_inspect_same (oses, &theirs, &diff);
    gk_os_list_free (&theirs);
    if (!same) {
      gk_error_noexit ("inspection: the fast way and libguestfs's "
                       "differ: %s", diff);
      log_line ("differs: %s", diff);
      return -1;
    }
    for (size_t i = 0; i < oses->len; ++i) {
      const struct gk_os *os = &oses->ptr[i];
      CLEANUP_FREE char *mps = gk_join_strings (" ", os->mountpoints);
      CLEANUP_FREE char *line =
        xasprintf ("fast %s %s %s %s %s %d %s", os->root, os->type,
                   os->distro, os->package_format, os->package_management,
                   os->major_version, mps);

      log_line ("%s", line);
    }
    log_line ("fast: same as libguestfs's, %zu operating systems",
              oses->len);
  }
  return 0;
}
