/* virt-sysprep --per-disk: each -a disk is a guest of its own, for
 * template pipelines that reset many images at once.
 *
 * One launch pays for all of them: every disk (or its --dry-run
 * overlay) is added to one appliance, the operating systems found
 * (appliance/inspect.h) are given to the disk holding their
 * filesystems, and each guest in turn is mounted, sysprepped,
 * unmounted, and its own devices get new UUIDs.
 * Clones of one template cannot share an appliance (the kernel and
 * LVM see one of two PVs, VGs or btrfs filesystems with one identity,
 * appliance/owners.h): those are left out of the shared run and each
 * gets a launch of its own afterwards, as virt-df does.  A disk that
 * fails (no operating system, an operation's error) does not stop the
 * others; the exit status says whether any failed.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "appliance/filesystems.h"
#include "appliance/handle.h"
#include "appliance/owners.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "sysprep.h"

static const char *
disk_name (const struct gk_drive *d)
{
  return d->arg ? d->arg : d->path;
}

/* Which guest OS belongs to: the one holding its root filesystem and
 * every filesystem it mounts, or -1.
 */
static ssize_t
root_owner (guestfs_h *g, const struct disk_owners *d, const struct gk_os *os)
{
  char *const *mps = os->mountpoints;
  ssize_t owner = disk_owner_of (g, d, os->root);

  if (owner < 0)
    return -1;
  for (size_t i = 0; mps && mps[i]; i += 2)
    if (disk_owner_of (g, d, mps[i + 1]) != owner)
      return -1;
  return owner;
}

/* Sysprep the disks DISKS[0..N-1] (indexes into the -a list) in one
 * appliance.  With more than one, those that must not share it are
 * marked in RERUN and left alone; every other one is done, and marked
 * in FAILED if it failed.
 */
static void
run_appliance (const struct sysprep_options *o, op_set ops,
               const size_t *disks, size_t n, bool *rerun, bool *failed)
{
  const gk_drive_list *drives = &o->opts->drives;
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = gk_handle_create ();
  CLEANUP_FREE struct gk_disk_span *spans = xcalloc (n, sizeof *spans);
  CLEANUP_FREE bool *conflict = xcalloc (n, sizeof *conflict);
  CLEANUP_FREE ssize_t *owner = NULL;
  CLEANUP_FREE_STRING_LIST char **fses = NULL;
  gk_os_list oses = empty_vector;
  struct disk_owners d = { .spans = spans, .n = n,
                           .pv_owners = empty_vector };
  size_t nr_roots;
  int pid = -1;

  guestfs_push_error_handler (g, NULL, NULL);
  guestfs_set_tmpdir (g, gk_tmpdir ());
  if (o->network)
    gk_guestfs_check (g, guestfs_set_network (g, 1), "set_network");
  gk_message ("Examining the guest ...");
  for (size_t k = 0; k < n; ++k) {
    sysprep_add_disk (g, &drives->ptr[disks[k]], o->dry_run);
    spans[k] = (struct gk_disk_span) { k, 1 };
  }
  if (gk_launch (g) == -1)
    goto fail_all;
  pid = guestfs_get_pid (g);
  if (pid > 0)
    gk_interrupt_add_child (pid, -1);
  /* The filesystem probe opens LUKS devices with the keys given. */
  fses = gk_find_filesystems (g, o->opts);
  if (fses == NULL)
    goto fail_all;
  d.fses = fses;
  if (n > 1)
    gk_find_conflicts (g, fses, spans, n, conflict, &d.pv_owners);
  if (gk_inspect (g, fses, &oses) == -1)
    goto fail_all;
  nr_roots = oses.len;
  owner = xcalloc (nr_roots + 1, sizeof *owner);
  for (size_t r = 0; r < nr_roots; ++r) {
    ssize_t home;

    owner[r] = n == 1 ? 0 : root_owner (g, &d, &oses.ptr[r]);
    if (owner[r] >= 0)
      continue;
    /* Mounting filesystems of another disk (a clone's fstab names a
     * label or UUID both disks have): alone, its disk shows what
     * really is its own.
     */
    gk_debug ("%s: an operating system on no single disk",
              oses.ptr[r].root);
    home = disk_owner_of (g, &d, oses.ptr[r].root);
    if (home >= 0)
      conflict[home] = true;
  }

  for (size_t k = 0; k < n; ++k) {
    const struct gk_drive *drive = &drives->ptr[disks[k]];
    bool found = false;

    if (conflict[k]) {
      gk_message ("%s cannot share the appliance (a clone's LVM, btrfs "
                  "or filesystem identities): it gets one of its own",
                  disk_name (drive));
      rerun[disks[k]] = true;
      continue;
    }
    gk_message ("[disk %zu/%zu] %s", disks[k] + 1, drives->len,
                disk_name (drive));
    for (size_t r = 0; r < nr_roots; ++r) {
      if (owner[r] != (ssize_t) k)
        continue;
      found = true;
      if (sysprep_root (g, &oses.ptr[r], o, ops, &d, k) == -1)
        failed[disks[k]] = true;
    }
    if (!found) {
      gk_error_noexit ("%s: no operating systems were found in the guest "
                       "image", disk_name (drive));
      failed[disks[k]] = true;
    }
  }
  gk_owned_ids_free (&d.pv_owners);
  gk_os_list_free (&oses);
  if (pid > 0)
    gk_interrupt_remove_child (pid);
  if (guestfs_shutdown (g) == -1) {
    gk_error_noexit ("shutdown: %s", guestfs_last_error (g));
    for (size_t k = 0; k < n; ++k)
      failed[disks[k]] = true;
  }
  return;

 fail_all:
  if (pid > 0)
    gk_interrupt_remove_child (pid);
  gk_owned_ids_free (&d.pv_owners);
  gk_os_list_free (&oses);
  for (size_t k = 0; k < n; ++k)
    failed[disks[k]] = true;
}

int
sysprep_per_disk (const struct sysprep_options *o, op_set ops)
{
  size_t n = o->opts->drives.len;
  CLEANUP_FREE size_t *all = xcalloc (n, sizeof *all);
  CLEANUP_FREE bool *rerun = xcalloc (n, sizeof *rerun);
  CLEANUP_FREE bool *failed = xcalloc (n, sizeof *failed);
  int status = EXIT_SUCCESS;

  for (size_t i = 0; i < n; ++i)
    all[i] = i;
  run_appliance (o, ops, all, n, rerun, failed);
  for (size_t i = 0; i < n; ++i) {
    if (rerun[i])
      run_appliance (o, ops, &i, 1, rerun, failed);
    if (failed[i])
      status = EXIT_FAILURE;
  }
  return status;
}
