/* guestmount-all: what is mounted inside the appliance before its tree
 * is served through FUSE.
 *
 * mount-local serves one tree, the appliance's /sysroot.  To show every
 * filesystem at once, each is mounted on a directory of that tree named
 * like its device (/dev/sda1, /dev/vg0/root), made with mkmountpoint;
 * btrfs volumes are mounted at their top level (subvolid=5), where
 * every subvolume is a directory of its own path (/dev/sda3/@home).
 *
 * Those directories live in the appliance's own root, which is thrown
 * away at exit: in --rw mode, anything written there would be lost
 * without a word.  So they are made immutable once the filesystems are
 * on them, and writing beside the filesystems fails (EPERM) instead.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appliance/filesystems.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/vector.h"
#include "mount-fs.h"

/* Types that hold no files to show. */
static const char *
skip_reason (const char *type)
{
  if (STREQ (type, "swap"))
    return "swap";
  if (STREQ (type, "unknown") || STREQ (type, ""))
    return "unknown content";
  if (STREQ (type, "crypto_LUKS"))
    return "encrypted, not opened (give --key)";
  return NULL;
}

/* A PV or an MD member: what it holds is shown as the volume. */
static bool
is_member (const char *type)
{
  return STREQ (type, "LVM2_member") || STREQ (type, "linux_raid_member");
}

/* mkdir -p in the appliance's tree; MADE remembers what exists. */
static int
make_mountpoint (guestfs_h *g, const char *path, string_vector *made)
{
  CLEANUP_FREE char *p = xstrdup (path);

  for (char *slash = p + 1; ; ++slash) {
    bool last;

    slash = strchr (slash, '/');
    last = slash == NULL;
    if (!last)
      *slash = '\0';
    if (!string_vector_contains (made, p)) {
      if (guestfs_mkmountpoint (g, p) == -1) {
        gk_error_noexit ("cannot make the directory %s in the appliance: %s",
                         p, guestfs_last_error (g));
        return -1;
      }
      string_vector_append (made, xstrdup (p));
    }
    if (last)
      return 0;
    *slash = '/';
  }
}

/* Writing to the directories the filesystems hang on would write to the
 * appliance's memory.  A probe allowed to fail: the appliance's root is
 * ext2 in every libguestfs we know, but an attribute it cannot take
 * only costs that protection.
 */
static void
freeze (guestfs_h *g, const char *path)
{
  int r;

  guestfs_push_error_handler (g, NULL, NULL);
  r = guestfs_set_e2attrs (g, path, "i", -1);
  guestfs_pop_error_handler (g);
  if (r == -1)
    gk_debug ("%s: cannot make it immutable: %s", path,
              guestfs_last_error (g));
}

static int
mount_one (guestfs_h *g, const char *device, const char *type,
           const char *mountpoint, bool read_only)
{
  /* A btrfs volume at its top level, wherever its default subvolume
   * is, so every subvolume shows at its own path.
   */
  const char *options =
    STREQ (type, "btrfs") ? (read_only ? "ro,subvolid=5" : "subvolid=5")
    : read_only ? "ro" : "";

  return guestfs_mount_options (g, options, device, mountpoint);
}

int
mount_every_filesystem (guestfs_h *g, const struct gk_options *opts,
                        bool read_only)
{
  CLEANUP_FREE_STRING_LIST char **fses = NULL;
  string_vector made = empty_vector, skipped = empty_vector;
  string_vector mounted = empty_vector;
  size_t n = 0;
  int ret = -1;

  /* Sorted by device: predictable messages, /dev made first.  Not
   * list_filesystems (slow, and subvolumes need no listing: a btrfs
   * volume is mounted at its top level).
   */
  fses = gk_find_filesystems (g, opts);
  if (fses == NULL)
    return -1;
  while (fses[n])
    n += 2;

  for (size_t i = 0; i < n; i += 2) {
    const char *dev = fses[i], *type = fses[i + 1], *why;

    if (is_member (type)) {
      gk_debug ("%s: %s, served as its volume", dev, type);
      continue;
    }
    if ((why = skip_reason (type)) != NULL) {
      string_vector_append (&skipped, gk_verbose
                            ? xasprintf ("%s (%s)", dev, why)
                            : xstrdup (dev));
      continue;
    }
    if (!STRPREFIX (dev, "/dev/")) {
      gk_warning ("%s: not a device name: skipped", dev);
      continue;
    }
    if (make_mountpoint (g, dev, &made) == -1)
      goto out;
  }
  if (skipped.len > 0 && !gk_quiet) {
    CLEANUP_FREE char *list = NULL;

    string_vector_append (&skipped, NULL);
    list = gk_join_strings (", ", skipped.ptr);
    skipped.len--;

    gk_info ("not mounted (no files to show): %s", list);
  }

  for (size_t i = 0; i < n; i += 2) {
    const char *dev = fses[i], *type = fses[i + 1];

    if (is_member (type) || skip_reason (type) || !STRPREFIX (dev, "/dev/"))
      continue;
    gk_debug ("mounting %s (%s)", dev, type);
    if (mount_one (g, dev, type, dev, read_only) == -1) {
      const char *err = guestfs_last_error (g);

      gk_warning ("%s (%s) could not be mounted, the others are served: "
                  "%.*s", dev, type, err ? (int) strcspn (err, "\n") : 7,
                  err ? err : "unknown");
      continue;
    }
    string_vector_append (&mounted, xstrdup (dev));
  }
  if (mounted.len == 0) {
    gk_error_noexit (skipped.len == 0 && made.len == 0
                     ? "no filesystems were found in the guest's disks"
                     : "none of the guest's filesystems could be mounted");
    goto out;
  }

  if (!read_only) {
    /* Deepest first does not matter: the attribute of a directory does
     * not stop changes to what is below it.
     */
    for (size_t i = 0; i < made.len; ++i)
      if (!string_vector_contains (&mounted, made.ptr[i]))
        freeze (g, made.ptr[i]);
    freeze (g, "/");
  }
  ret = (int) mounted.len;

 out:
  string_vector_free_all (&made);
  string_vector_free_all (&skipped);
  string_vector_free_all (&mounted);
  return ret;
}

static int
compare_length (const void *a, const void *b)
{
  const char *x = *(char *const *) a, *y = *(char *const *) b;
  size_t lx = strlen (x), ly = strlen (y);

  if (lx != ly)
    return lx < ly ? -1 : 1;
  return strcmp (x, y);
}

int
mount_guest_tree (guestfs_h *g, bool read_only)
{
  CLEANUP_FREE_STRING_LIST char **roots = NULL;
  CLEANUP_FREE_STRING_LIST char **mps = NULL;
  size_t n = 0;
  int mounted = 0;

  roots = guestfs_inspect_os (g);
  if (roots == NULL) {
    gk_error_noexit ("inspection failed: %s", guestfs_last_error (g));
    return -1;
  }
  if (roots[0] == NULL) {
    gk_error_noexit ("no operating system was found on the guest's disks "
                     "(without -i, every filesystem is mounted under "
                     "MOUNTPOINT/dev)");
    return -1;
  }
  if (roots[1] != NULL) {
    gk_error_noexit ("the disks hold more than one operating system: "
                     "-i cannot choose; use -m, or no -i to mount them "
                     "all");
    return -1;
  }
  mps = guestfs_inspect_get_mountpoints (g, roots[0]);
  if (mps == NULL) {
    gk_error_noexit ("inspection failed: %s", guestfs_last_error (g));
    return -1;
  }
  while (mps[n])
    n += 2;
  /* "/" before "/boot" before "/boot/efi". */
  qsort (mps, n / 2, 2 * sizeof (char *), compare_length);
  for (size_t i = 0; i < n; i += 2) {
    const char *mp = mps[i], *dev = mps[i + 1];

    gk_debug ("mounting %s on %s", dev, mp);
    if (guestfs_mount_options (g, read_only ? "ro" : "", dev, mp) == -1) {
      const char *err = guestfs_last_error (g);

      /* The root must be there; a missing /boot is not a reason to
       * show nothing.
       */
      if (STREQ (mp, "/")) {
        gk_error_noexit ("cannot mount the guest's root %s: %s", dev, err);
        return -1;
      }
      gk_warning ("%s (%s) could not be mounted: %.*s", mp, dev,
                  err ? (int) strcspn (err, "\n") : 7, err ? err : "unknown");
      continue;
    }
    mounted++;
  }
  return mounted;
}

void
check_mount_option (const char *arg)
{
  if (arg[0] == '\0' || arg[0] == ':')
    gk_error ("-m %s: give a device, as in -m /dev/sda1[:/mnt[:opts"
              "[:fstype]]]", arg);
}

int
mount_by_hand (guestfs_h *g, const string_vector *mps, bool read_only)
{
  for (size_t i = 0; i < mps->len; ++i) {
    CLEANUP_FREE char *copy = xstrdup (mps->ptr[i]);
    CLEANUP_FREE char *options = NULL;
    char *dev = copy, *mp = NULL, *opts = NULL, *fstype = NULL;
    int r;

    /* DEV[:MNT[:OPTS[:FSTYPE]]] */
    if ((mp = strchr (dev, ':')) != NULL) {
      *mp++ = '\0';
      if ((opts = strchr (mp, ':')) != NULL) {
        *opts++ = '\0';
        if ((fstype = strchr (opts, ':')) != NULL)
          *fstype++ = '\0';
      }
    }
    if (mp == NULL || *mp == '\0')
      mp = (char *) "/";
    if (opts && *opts)
      options = read_only ? xasprintf ("ro,%s", opts) : xstrdup (opts);
    else
      options = xstrdup (read_only ? "ro" : "");
    gk_debug ("mounting %s on %s (options \"%s\"%s%s)", dev, mp, options,
              fstype ? ", type " : "", fstype ? fstype : "");
    if (fstype && *fstype)
      r = guestfs_mount_vfs (g, options, fstype, dev, mp);
    else
      r = guestfs_mount_options (g, options, dev, mp);
    if (r == -1) {
      const char *err = guestfs_last_error (g);

      gk_error_noexit ("-m %s: %.*s", mps->ptr[i],
                       err ? (int) strcspn (err, "\n") : 7,
                       err ? err : "unknown");
      return -1;
    }
  }
  return (int) mps->len;
}
