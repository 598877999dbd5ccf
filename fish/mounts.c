/* guestfish: -i (inspect and mount the guest as it mounts itself) and
 * -m dev[:mnt[:opts[:fstype]]] (mount by hand), after the launch.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appliance/luks.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "fish.h"
#include "mounts.h"

int
fish_check_mount_option (const char *arg, char **errmsg)
{
  if (arg[0] == '\0' || arg[0] == ':') {
    *errmsg = xasprintf ("-m ‘%s’: the device is missing "
                         "(-m dev[:mnt[:opts[:fstype]]])", arg);
    return -1;
  }
  return 0;
}

static int
mount_one (const char *arg)
{
  CLEANUP_FREE char *copy = xstrdup (arg);
  char *dev = copy, *mp = "/", *opts = NULL, *fstype = NULL, *p;
  int r;

  /* dev[:mnt[:opts[:fstype]]] */
  if ((p = strchr (dev, ':'))) {
    *p++ = '\0';
    mp = p;
    if ((p = strchr (mp, ':'))) {
      *p++ = '\0';
      opts = p;
      if ((p = strchr (opts, ':'))) {
        *p++ = '\0';
        fstype = p;
      }
    }
  }
  if (*mp == '\0')
    mp = "/";
  if (fstype && *fstype)
    r = guestfs_mount_vfs (fish.g, opts ? opts : "", fstype, dev, mp);
  else if (opts && *opts)
    r = guestfs_mount_options (fish.g, opts, dev, mp);
  else if (fish.read_only)
    r = guestfs_mount_ro (fish.g, dev, mp);
  else
    r = guestfs_mount (fish.g, dev, mp);
  return r;
}

int
fish_mount_by_hand (char *const *mps)
{
  for (size_t i = 0; mps[i]; ++i)
    if (mount_one (mps[i]) == -1)
      return -1;
  return 0;
}

static int
compare_mountpoints (const void *x, const void *y)
{
  char *const *a = x, *const *b = y;
  size_t la = strlen (a[0]), lb = strlen (b[0]);

  /* Shorter first, so / comes before /boot. */
  return la < lb ? -1 : la > lb;
}

int
fish_inspect_and_mount (void)
{
  CLEANUP_FREE_STRING_LIST char **roots = NULL;
  CLEANUP_FREE_STRING_LIST char **mps = NULL;
  CLEANUP_FREE char *product = NULL;
  size_t n, failed = 0;

  if (gk_decrypt_luks (fish.g, &fish.opts) == -1)
    return -1;
  roots = guestfs_inspect_os (fish.g);
  if (roots == NULL)
    return -1;
  if (roots[0] == NULL) {
    fish_error ("-i: no operating system was found on this disk "
                "(use -m to mount filesystems by hand)");
    return -1;
  }
  if (roots[1] != NULL) {
    fish_error ("-i: multi-boot operating systems are not supported "
                "(use -m to mount filesystems by hand)");
    return -1;
  }
  mps = guestfs_inspect_get_mountpoints (fish.g, roots[0]);
  if (mps == NULL)
    return -1;
  n = gk_count_strings (mps) / 2;
  qsort (mps, n, 2 * sizeof (char *), compare_mountpoints);
  for (size_t i = 0; i < n; ++i) {
    const char *mp = mps[2 * i], *dev = mps[2 * i + 1];
    int r;

    guestfs_push_error_handler (fish.g, NULL, NULL);
    r = fish.read_only ? guestfs_mount_ro (fish.g, dev, mp)
      : guestfs_mount (fish.g, dev, mp);
    guestfs_pop_error_handler (fish.g);
    if (r == -1) {
      if (STREQ (mp, "/")) {
        fish_error ("-i: %s: the root filesystem could not be mounted: %s",
                    dev, guestfs_last_error (fish.g));
        return -1;
      }
      failed++;
    }
  }
  if (failed)
    fprintf (stderr, "%s: some filesystems could not be mounted "
             "(ignored)\n", gk_program_name);
  if (fish.interactive_startup) {
    guestfs_push_error_handler (fish.g, NULL, NULL);
    product = guestfs_inspect_get_product_name (fish.g, roots[0]);
    guestfs_pop_error_handler (fish.g);
    if (product && STRNEQ (product, "unknown"))
      printf ("Operating system: %s\n", product);
    for (size_t i = 0; i < n; ++i)
      printf ("%s mounted on %s\n", mps[2 * i + 1], mps[2 * i]);
    printf ("\n");
  }
  return 0;
}
