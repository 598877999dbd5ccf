/* guestkit: appliance features, asked once and cached (see features.h). */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appliance/fs-features.h"
#include "utils/cleanups.h"
#include "appliance/handle.h"
#include "utils/alloc.h"
#include "utils/cache-file.h"
#include "utils/string-list.h"

static bool
available (guestfs_h *g, const char *group)
{
  const char *groups[] = { group, NULL };
  int r;

  guestfs_push_error_handler (g, NULL, NULL);
  r = guestfs_feature_available (g, (char **) groups);
  guestfs_pop_error_handler (g);
  return r > 0;
}

static char *
cache_path (void)
{
  const char *dir = getenv ("LIBGUESTFS_CACHEDIR");

  if (dir == NULL || *dir == '\0')
    dir = "/var/tmp";
  return xasprintf ("%s/guestkit-features.%ld", dir, (long) geteuid ());
}

/* What identifies the appliance: libguestfs' version and the newest
 * change to the directory it is built from.  Computed without
 * launching anything.
 */
static char *
appliance_key (void)
{
  /* Not from the environment: a bad LIBGUESTFS_BACKEND is for the
   * launch to report, not for this lookup.  Only the path is taken.
   */
  CLEANUP_GUESTFS_CLOSE guestfs_h *g =
    guestfs_create_flags (GUESTFS_CREATE_NO_ENVIRONMENT);
  CLEANUP_FREE char *supermin_d = NULL;
  const char *env_path = getenv ("LIBGUESTFS_PATH");
  struct guestfs_version *v;
  const char *path;
  struct stat a = { 0 }, b = { 0 };
  char *key;

  if (g == NULL)
    return NULL;
  if (env_path && *env_path)
    guestfs_set_path (g, env_path);
  v = guestfs_version (g);
  path = guestfs_get_path (g);
  if (v == NULL || path == NULL) {
    guestfs_free_version (v);
    return NULL;
  }
  supermin_d = xasprintf ("%s/supermin.d", path);
  stat (path, &a);
  stat (supermin_d, &b);
  key = xasprintf ("%" PRIi64 ".%" PRIi64 ".%" PRIi64 " %s %ld %ld",
                   v->major, v->minor, v->release, path,
                   (long) a.st_mtime, (long) b.st_mtime);
  guestfs_free_version (v);
  return key;
}

void
gk_features_probe (guestfs_h *g, struct gk_features *f)
{
  CLEANUP_FREE char *path = cache_path ();
  CLEANUP_FREE char *key = appliance_key ();
  CLEANUP_FREE char *contents = NULL;

  f->known = true;
  f->ntfs = available (g, "ntfs3g") || available (g, "ntfsprogs");
  f->btrfs = available (g, "btrfs");
  f->xfs = available (g, "xfs");
  f->f2fs = available (g, "f2fs");

  if (key == NULL)
    return;
  contents = xasprintf ("%s\n%d %d %d %d\n", key, f->ntfs, f->btrfs, f->xfs,
                        f->f2fs);
  gk_cache_file_write (path, contents);
}

void
gk_features_cached (struct gk_features *f)
{
  CLEANUP_FREE char *path = cache_path ();
  CLEANUP_FREE char *key = appliance_key ();
  CLEANUP_FREE char *contents = NULL;
  size_t keylen;
  int ntfs, btrfs, xfs, f2fs;

  *f = (struct gk_features) { false, true, true, true, true };
  if (key == NULL || (contents = gk_cache_file_read (path)) == NULL)
    return;
  keylen = strlen (key);
  if (STREQLEN (contents, key, keylen) && contents[keylen] == '\n' &&
      sscanf (contents + keylen + 1, "%d %d %d %d",
              &ntfs, &btrfs, &xfs, &f2fs) == 4)
    *f = (struct gk_features) { true, ntfs, btrfs, xfs, f2fs };
}

void
gk_features_get (guestfs_h *g, struct gk_features *f)
{
  gk_features_cached (f);
  if (!f->known)
    gk_features_probe (g, f);
}

void
gk_features_launch_probe (struct gk_features *f)
{
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = gk_handle_create ();

  /* libguestfs will not launch without a disk; /dev/null is the
   * smallest one there is.
   */
  if (guestfs_add_drive_opts (g, "/dev/null",
                              GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                              GUESTFS_ADD_DRIVE_OPTS_READONLY, 1, -1) == -1
      || gk_launch (g) == -1)
    exit (EXIT_FAILURE);
  gk_features_probe (g, f);
  guestfs_shutdown (g);
}
