/* virt-resize: growing contents, the one job that needs the appliance.
 *
 * Runs after the target is complete, with only the target attached, so
 * its volume groups cannot clash with the source's (upstream relaunches
 * for the same reason; we launch once).
 */
#include <config.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appliance/drives.h"
#include "appliance/events.h"
#include "appliance/fs-features.h"
#include "appliance/handle.h"
#include "appliance/luks.h"
#include "options/options.h"
#include "utils/cleanups.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "resize.h"

static bool
available (const struct gk_features *f, enum method m)
{
  switch (m) {
  case METHOD_NTFSRESIZE: return f->ntfs;
  case METHOD_BTRFS: return f->btrfs;
  case METHOD_XFS_GROWFS: return f->xfs;
  case METHOD_RESIZE_F2FS: return f->f2fs;
  default: return true;
  }
}

/* Only known for sure now that the appliance runs: --unknown-filesystems
 * decides what a missing feature means, as it does at planning time.
 */
static bool
usable (const struct resize_options *o, const struct gk_features *f,
        enum method m, const struct gk_content *c, const char *name)
{
  if (available (f, m))
    return true;
  switch (o->unknown_fs) {
  case UNKNOWN_FS_ERROR:
    gk_error ("unknown/unavailable method for expanding the %s filesystem "
              "on %s: the appliance has no %s support (on Debian, install "
              "the libguestfs package for it, e.g. libguestfs-xfs).  The "
              "partition was copied but its filesystem was not expanded.",
              c->type, name, c->type);
  case UNKNOWN_FS_WARN:
    gk_warning ("unknown/unavailable method for expanding the %s filesystem "
                "on %s", c->type, name);
    break;
  case UNKNOWN_FS_IGNORE: break;
  }
  return false;
}

static void
with_mounted (guestfs_h *g, const char *dev, enum method m)
{
  gk_guestfs_check (g, guestfs_mount (g, dev, "/"), dev);
  if (m == METHOD_BTRFS)
    gk_guestfs_check (g, guestfs_btrfs_filesystem_resize (g, "/", -1),
                   dev);
  else
    gk_guestfs_check (g, guestfs_xfs_growfs (g, "/", -1), dev);
  gk_guestfs_check (g, guestfs_umount (g, "/"), dev);
}

static void
remake_swap (guestfs_h *g, const char *dev)
{
  CLEANUP_FREE char *uuid = guestfs_vfs_uuid (g, dev);
  CLEANUP_FREE char *label = guestfs_vfs_label (g, dev);
  CLEANUP_FREE char *new_uuid = NULL;
  struct guestfs_mkswap_opts_argv opts = { .bitmask = 0 };

  if (uuid && *uuid) {
    opts.bitmask |= GUESTFS_MKSWAP_OPTS_UUID_BITMASK;
    opts.uuid = uuid;
  }
  if (label && *label) {
    opts.bitmask |= GUESTFS_MKSWAP_OPTS_LABEL_BITMASK;
    opts.label = label;
  }
  gk_guestfs_check (g, guestfs_mkswap_opts_argv (g, dev, &opts), dev);
  new_uuid = guestfs_vfs_uuid (g, dev);
  if (uuid && new_uuid && !STREQ (uuid, new_uuid))
    gk_warning ("UUID in swap partition %s changed from ‘%s’ to ‘%s’",
                dev, uuid, new_uuid);
}

static void grow (guestfs_h *g, const struct resize_options *o,
                  const char *dev, enum method m);

/* A LUKS container needs no resizing of its own: opened after its
 * partition grew, the mapping spans the whole partition.  What it holds
 * is grown like a partition's content, then it is closed again.
 */
static void
grow_luks (guestfs_h *g, const struct resize_options *o, const char *dev)
{
  CLEANUP_FREE char *mapped = gk_luks_open (g, o->opts, dev);
  CLEANUP_FREE char *type = NULL;
  CLEANUP_FREE char *msg = NULL;
  struct gk_content inner = { .kind = GK_CONTENT_FS };
  struct gk_features f;
  enum method m;

  if (mapped == NULL) {
    inner.kind = GK_CONTENT_LUKS;
    m = METHOD_NONE;
  }
  else {
    type = guestfs_vfs_type (g, mapped);
    if (type == NULL)
      type = xstrdup ("unknown");
    snprintf (inner.type, sizeof inner.type, "%s", type);
    if (STREQ (type, "LVM2_member"))
      inner.kind = GK_CONTENT_PV;
    else if (STREQ (type, "swap"))
      inner.kind = GK_CONTENT_SWAP;
    else if (STREQ (type, "") || STREQ (type, "unknown"))
      inner.kind = GK_CONTENT_UNKNOWN;
    gk_features_get (g, &f);
    m = content_grow_method (&inner, o, &f);
  }
  if (m == METHOD_NONE || m == METHOD_LUKS) {
    msg = unknown_content_message (&inner, mapped ? mapped : dev,
                                   METHOD_NONE);
    if (msg && o->unknown_fs == UNKNOWN_FS_ERROR)
      gk_error ("%s.  The partition was copied but its content was not "
                "expanded.", msg);
    if (msg && o->unknown_fs == UNKNOWN_FS_WARN)
      gk_warning ("%s", msg);
  }
  else {
    gk_message ("Expanding %s inside %s using the ‘%s’ method",
                content_description (&inner), dev, method_name (m));
    grow (g, o, mapped, m);
  }
  if (mapped)
    gk_guestfs_check (g, guestfs_cryptsetup_close (g, mapped), mapped);
}

static void
grow (guestfs_h *g, const struct resize_options *o, const char *dev,
      enum method m)
{
  switch (m) {
  case METHOD_PVRESIZE:
    gk_guestfs_check (g, guestfs_pvresize (g, dev), dev);
    break;
  case METHOD_RESIZE2FS:
    /* resize2fs refuses a filesystem mounted since its last check. */
    gk_guestfs_check (g, guestfs_e2fsck (g, dev, GUESTFS_E2FSCK_CORRECT, 1,
                                     -1), dev);
    gk_guestfs_check (g, guestfs_resize2fs (g, dev), dev);
    break;
  case METHOD_NTFSRESIZE:
    gk_guestfs_check (g, guestfs_ntfsresize_opts
                   (g, dev, GUESTFS_NTFSRESIZE_OPTS_FORCE,
                    o->ntfsresize_force, -1), dev);
    break;
  case METHOD_BTRFS: case METHOD_XFS_GROWFS:
    with_mounted (g, dev, m);
    break;
  case METHOD_RESIZE_F2FS:
    gk_guestfs_check (g, guestfs_f2fs_expand (g, dev), dev);
    break;
  case METHOD_MKSWAP:
    remake_swap (g, dev);
    break;
  case METHOD_LUKS:
    grow_luks (g, o, dev);
    break;
  case METHOD_NONE:
    break;
  }
}

/* cache=unsafe leaves writes in the host's page cache; a guest started
 * right after with cache=none would not see them.
 */
static void
sync_local_file (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd >= 0) {
    if (fsync (fd) == -1)
      gk_error ("fsync: %s: %m", path);
    close (fd);
  }
}

void
expand_contents (struct source *src, const struct resize_options *o,
                 const struct plan *plan, const char *out_format)
{
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = gk_handle_create ();
  struct gk_drive drive;
  struct gk_features f;

  (void) plan;
  gk_drive_init (&drive, o->outfile, out_format, "");
  drive.cachemode = "unsafe";
  guestfs_push_error_handler (g, NULL, NULL);
  /* Machine-readable progress lines are the copy's bytes: what the
   * appliance does after it is not reported that way.
   */
  if (!gk_quiet && !gk_machine_readable)
    gk_progress_attach (g);
  if (gk_add_drive (g, &drive, false) == -1 || gk_launch (g) == -1)
    exit (EXIT_FAILURE);
  gk_features_get (g, &f);

  for (size_t i = 0; i < src->parts.len; ++i) {
    const struct partition *p = &src->parts.ptr[i];
    char dev[32];

    if (p->op != OP_RESIZE || p->grow == METHOD_NONE ||
        p->grow == METHOD_MKSWAP ||
        !usable (o, &f, p->grow, &p->content, p->name))
      continue;
    snprintf (dev, sizeof dev, "/dev/sda%d", p->target_num);
    gk_message ("Expanding %s%s%s%s using the ‘%s’ method", p->name,
                STREQ (dev, p->name) ? "" : " (now ",
                STREQ (dev, p->name) ? "" : dev,
                STREQ (dev, p->name) ? "" : ")", method_name (p->grow));
    grow (g, o, dev, p->grow);
  }

  for (size_t i = 0; i < src->lvs.len; ++i) {
    const struct logical_volume *lv = &src->lvs.ptr[i];
    bool content = lv->grow != METHOD_NONE &&
      usable (o, &f, lv->grow, &lv->content, lv->name);

    if (!lv->expand)
      continue;
    gk_message ("Expanding %s%s%s%s", lv->name,
                content ? " using the ‘" : "",
                content ? method_name (lv->grow) : "",
                content ? "’ method" : "");
    /* No free extents (e.g. the PV did not grow) is not a failure:
     * the LV already has its maximum size.
     */
    if (guestfs_lvresize_free (g, lv->name, 100) == -1) {
      if (strstr (guestfs_last_error (g), "matches existing size") == NULL)
        gk_error ("%s: %s", lv->name, guestfs_last_error (g));
      gk_warning ("%s: the volume group has no free space: this logical "
                  "volume keeps its size", lv->name);
    }
    if (content)
      grow (g, o, lv->name, lv->grow);
  }

  gk_guestfs_check (g, guestfs_shutdown (g), "shutdown");
  if (drive.type == GK_DRIVE_FILE)
    sync_local_file (o->outfile);
  gk_drive_free (&drive);
}
