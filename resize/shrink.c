/* virt-resize: shrinking filesystems before they are copied.
 *
 * Upstream makes users shrink the filesystem in the guest first.  We do
 * it on a qcow2 overlay of the source, in one appliance launch, and copy
 * from the overlay: the source itself is never written.
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appliance/events.h"
#include "appliance/fs-features.h"
#include "appliance/handle.h"
#include "diskio/image.h"
#include "diskio/overlay.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/sizes.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "resize.h"

static void
shrink_one (guestfs_h *g, const struct partition *p)
{
  const char *type = p->content.type;
  char dev[32];
  int64_t min;
  bool ntfs = STREQ (type, "ntfs"), btrfs = STREQ (type, "btrfs");

  snprintf (dev, sizeof dev, "/dev/sda%d", p->src.num);
  gk_message ("Shrinking %s using the ‘%s’ method", p->name,
              ntfs ? "ntfsresize" :
              btrfs ? "btrfs-filesystem-resize" : "resize2fs");

  if (!ntfs && !btrfs)
    /* resize2fs -P and resize2fs itself want a checked filesystem. */
    gk_guestfs_check (g, guestfs_e2fsck (g, dev, GUESTFS_E2FSCK_CORRECT, 1,
                                     -1), dev);
  if (btrfs)
    gk_guestfs_check (g, guestfs_mount (g, dev, "/"), dev);

  min = guestfs_vfs_minimum_size (g, btrfs ? "/" : dev);
  if (min == -1)
    gk_error ("%s: cannot find how small the %s filesystem can be: %s",
              p->name, type, guestfs_last_error (g));
  if ((uint64_t) min > p->shrink_to)
    resize_refuse_shrink (p, (uint64_t) min);

  if (ntfs)
    gk_guestfs_check (g, guestfs_ntfsresize_opts
                   (g, dev, GUESTFS_NTFSRESIZE_OPTS_SIZE,
                    (int64_t) p->shrink_to, -1), dev);
  else if (btrfs) {
    gk_guestfs_check (g, guestfs_btrfs_filesystem_resize
                   (g, "/", GUESTFS_BTRFS_FILESYSTEM_RESIZE_SIZE,
                    (int64_t) p->shrink_to, -1), dev);
    gk_guestfs_check (g, guestfs_umount (g, "/"), dev);
  }
  else
    gk_guestfs_check (g, guestfs_resize2fs_size (g, dev, p->shrink_to), dev);
}

struct gk_image *
shrink_contents (struct source *src, const struct resize_options *o)
{
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = gk_handle_create ();
  const char *format = gk_image_format (src->disk);
  CLEANUP_FREE char *overlay = gk_overlay_create (o->infile, format, NULL);
  struct gk_features f;
  struct gk_image *disk;

  if (overlay == NULL)
    exit (EXIT_FAILURE);
  guestfs_push_error_handler (g, NULL, NULL);
  if (!gk_quiet)
    gk_progress_attach (g);
  if (guestfs_add_drive_opts (g, overlay,
                              GUESTFS_ADD_DRIVE_OPTS_FORMAT, "qcow2",
                              GUESTFS_ADD_DRIVE_OPTS_CACHEMODE, "unsafe",
                              -1) == -1
      || gk_launch (g) == -1)
    exit (EXIT_FAILURE);
  gk_features_get (g, &f);

  for (size_t i = 0; i < src->parts.len; ++i)
    if (src->parts.ptr[i].shrink_to)
      shrink_one (g, &src->parts.ptr[i]);
  gk_guestfs_check (g, guestfs_shutdown (g), "shutdown");

  disk = gk_image_open (overlay, "qcow2", false);
  if (disk == NULL)
    exit (EXIT_FAILURE);
  return disk;
}
