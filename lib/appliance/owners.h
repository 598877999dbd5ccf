/* guestkit: which guest owns a device of a shared appliance.
 *
 * Tools that look at several unrelated guests in one launch (virt-df,
 * virt-sysprep --per-disk) add each guest's disks in turn, so a guest
 * is a span of appliance disk indexes (/dev/sdc is index 2).  Devices
 * built on disks (partitions, LUKS mappings, MD arrays, LVs) are
 * traced back to one span.  Clones of one template must not share an
 * appliance: the kernel and LVM see one of two PVs or btrfs
 * filesystems with the same UUID, and one of two VGs of one name;
 * gk_find_conflicts finds them so they can be rerun alone.
 */
#ifndef GUESTKIT_APPLIANCE_OWNERS_H
#define GUESTKIT_APPLIANCE_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <guestfs.h>

#include "utils/vector.h"

/* A guest's disks: appliance indexes FIRST .. FIRST + N - 1. */
struct gk_disk_span {
  size_t first;
  size_t n;
};

/* An identity (PV UUID without dashes, ...) and the index of the span
 * of its device, or -1.
 */
struct gk_owned_id {
  char *id;
  ssize_t owner;
};
DEFINE_VECTOR_TYPE (gk_owned_id_list, struct gk_owned_id);

/* "/dev/sdc3" -> 2 (sdaa is 26), with *REST (if REST is not NULL) at
 * what follows the letters ("3"); -1 if DEV is not on a /dev/sdX disk.
 */
extern ssize_t gk_device_index (const char *dev, const char **rest);
/* 2 -> "/dev/sdc" (caller frees). */
extern char *gk_device_name (size_t index);

/* The span owning DEV (a disk, a partition, "btrfsvol:DEV/...", or a
 * LUKS mapping named after its device), or -1.
 */
extern ssize_t gk_owner_of_device (const char *dev,
                                   const struct gk_disk_span *spans,
                                   size_t n);
/* The span owning every member of the MD device MD, or -1. */
extern ssize_t gk_owner_of_md (guestfs_h *g, const char *md,
                               const struct gk_disk_span *spans, size_t n);
/* The span owning the LV "/dev/VG/LV" (by its VG's first PV, in
 * PV_OWNERS from gk_find_conflicts), or -1.
 */
extern ssize_t gk_owner_of_lv (guestfs_h *g, const char *lv,
                               const gk_owned_id_list *pv_owners);

/* The span owning the VG named VG (by its first PV), or -1. */
extern ssize_t gk_owner_of_vg (guestfs_h *g, const char *vg,
                               const gk_owned_id_list *pv_owners);

/* After launch, FSES being the (device, type) pairs of the filesystem
 * probe (appliance/filesystems.h): sets CONFLICT[i] for every span
 * that shares LVM or btrfs identities with another, and fills
 * PV_OWNERS (free it with gk_owned_ids_free).  Quiet: probes that fail
 * count as nothing found.
 */
extern void gk_find_conflicts (guestfs_h *g, char **fses,
                               const struct gk_disk_span *spans, size_t n,
                               bool *conflict, gk_owned_id_list *pv_owners);
extern void gk_owned_ids_free (gk_owned_id_list *ids);

#endif /* GUESTKIT_APPLIANCE_OWNERS_H */
