/* virt-sysprep: one guest's run in a launched appliance (every
 * operation, in order, around mounting it), and the disks added for
 * it: shared by the one-guest pipeline (main.c) and --per-disk's
 * (per-disk.c).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "appliance/drives.h"
#include "appliance/handle.h"
#include "diskio/format.h"
#include "diskio/overlay.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "sysprep.h"

/* One disk: itself, or with --dry-run a throwaway qcow2 overlay of it
 * that takes every write (a remote disk gets libguestfs's own).
 */
void
sysprep_add_disk (guestfs_h *g, const struct gk_drive *d, bool dry_run)
{
  struct gk_drive ov;
  CLEANUP_FREE char *format = NULL;
  CLEANUP_FREE char *path = NULL;

  if (!dry_run || d->type != GK_DRIVE_FILE) {
    if (gk_add_drive (g, d, dry_run) == -1)
      exit (EXIT_FAILURE);
    return;
  }
  if (gk_check_drive (g, d) == -1)
    exit (EXIT_FAILURE);
  format = d->format ? xstrdup (d->format) : gk_image_detect_format (d->path);
  if (format == NULL)
    exit (EXIT_FAILURE);
  path = gk_overlay_create (d->path, format, NULL);
  if (path == NULL)
    exit (EXIT_FAILURE);
  gk_drive_init (&ov, path, "qcow2", "-a");
  ov.arg = d->arg;
  ov.cachemode = "unsafe";
  if (gk_add_drive (g, &ov, false) == -1)
    exit (EXIT_FAILURE);
  ov.arg = NULL;
  gk_drive_free (&ov);
}

static int
compare_ops (const void *a, const void *b)
{
  const struct sysprep_op *x = *(const struct sysprep_op *const *) a;
  const struct sysprep_op *y = *(const struct sysprep_op *const *) b;

  if (x->order != y->order)
    return x->order - y->order;
  return strcmp (x->name, y->name);
}

/* The enabled operations of PHASE, in the order they run. */
static size_t
ops_in_order (op_set ops, enum op_phase phase,
              const struct sysprep_op **out)
{
  size_t n = 0;

  for (size_t i = 0; i < sysprep_nr_ops; ++i)
    if ((ops & ((op_set) 1 << i)) && sysprep_ops[i].phase == phase)
      out[n++] = &sysprep_ops[i];
  qsort (out, n, sizeof *out, compare_ops);
  return n;
}

static int
run_op (const struct sysprep_op *op, struct guest *gu)
{
  gk_message ("Performing \"%s\" ...", op->name);
  if (op->phase == PHASE_FILESYSTEMS && !guest_is (gu, op->guests))
    return 0;
  if (op->globs && remove_globs (gu->g, op->globs, op->remove) == -1)
    return -1;
  if (op->perform && op->perform (gu) == -1)
    return -1;
  return 0;
}

/* The system CA store after ca-certificates or ipa-client removed
 * certificates from it: rebuilt by the guest's own tool if it has one.
 */
static void
update_ca_trust (struct guest *gu)
{
  const char *cmd = NULL;

  if (guest_is_file (gu->g, "/usr/bin/update-ca-trust"))
    cmd = "/usr/bin/update-ca-trust extract";
  else if (guest_is_file (gu->g, "/usr/sbin/update-ca-certificates"))
    cmd = "/usr/sbin/update-ca-certificates";
  if (cmd) {
    CLEANUP_FREE char *out = guestfs_sh (gu->g, cmd);

    if (out == NULL)
      gk_warning ("%s: %s", cmd, guestfs_last_error (gu->g));
  }
}

int
sysprep_root (guestfs_h *g, const struct gk_os *os,
              const struct sysprep_options *o, op_set ops,
              const struct disk_owners *owners, size_t index)
{
  const struct sysprep_op *order[64];
  struct guest gu = {
    .g = g, .o = o, .owners = owners, .index = index,
  };
  size_t n;
  int r = 0;

  guest_facts (&gu, os);
  if (guest_mount (g, os, o->mount_options) == -1)
    r = -1;
  n = ops_in_order (ops, PHASE_FILESYSTEMS, order);
  for (size_t i = 0; r == 0 && i < n; ++i)
    if (run_op (order[i], &gu) == -1)
      r = -1;
  if (r == 0 && gu.update_ca_trust)
    update_ca_trust (&gu);
  if (guest_check (g, guestfs_umount_all (g), "umount_all") == -1)
    r = -1;
  n = ops_in_order (ops, PHASE_DEVICES, order);
  for (size_t i = 0; r == 0 && i < n; ++i)
    if (run_op (order[i], &gu) == -1)
      r = -1;
  guest_free (&gu);
  return r;
}

