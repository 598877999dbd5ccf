/* guestkit: the devices of a launched appliance that may hold a
 * filesystem, found fast.
 *
 * guestfs_list_filesystems answers the same question slowly: it mounts
 * every btrfs to list its subvolumes and asks each partition for its
 * partition-table type, so under emulation it takes over 10 seconds
 * for a disk of a few filesystems (13.5 s for the test suite's
 * multi-filesystem image, against 2 s here).  Tools that mount a btrfs
 * at its top level, or only trim it, need no subvolume list.
 */
#ifndef GUESTKIT_APPLIANCE_FILESYSTEMS_H
#define GUESTKIT_APPLIANCE_FILESYSTEMS_H

#include <stdbool.h>

#include <guestfs.h>

#include "options/options.h"

/* Every device of the launched handle G that may hold a filesystem,
 * with its content type as guestfs_vfs_type names it ("ext4", "swap",
 * "LVM2_member", "crypto_LUKS"; "unknown" when it says nothing), as
 * pairs (device, type) in a NULL-terminated list sorted by device: the
 * shape of guestfs_list_filesystems, freed the same way.
 *
 * Looked at: whole disks without partitions, partitions, MD devices and
 * LVs (extended partitions show as "unknown").  A LUKS device is opened
 * with the keys of OPTS (appliance/luks.h, which warns when none
 * fits) and its volume is listed instead of it; LVM inside LUKS and
 * LUKS inside LVM are both found.  Returns NULL after reporting.
 */
extern char **gk_find_filesystems (guestfs_h *g,
                                   const struct gk_options *opts);

/* What a tool found on the host (lib/ondisk) about the disks of G
 * before the launch, so that the appliance need not be asked: each
 * question is a program run in the emulated appliance (blkid, lvm),
 * a few tenths of a second each.
 */
struct gk_known_devices {
  /* Pairs (device, type) as vfs_type would name them, NULL-terminated,
   * or NULL.  A device listed here is not asked about.
   */
  char *const *types;
  /* Every LV of the disks (/dev/VG/LV), NULL-terminated, or NULL (ask
   * LVM).  Used only if nothing turns up that the host could not see
   * into: no LUKS volume opened, no MD device, and no device the
   * appliance was asked about that is an LVM PV, MD member or LUKS.
   */
  char *const *lvs;
  bool lvs_used;                /* out: LVS was used */
};

/* gk_find_filesystems with what KNOWN says (may be NULL).  A wrong
 * type in KNOWN can only make a tool skip or try a device it should
 * not (mounting finds the real type), never damage one.
 */
extern char **gk_find_filesystems_known (guestfs_h *g,
                                         const struct gk_options *opts,
                                         struct gk_known_devices *known);

#endif /* GUESTKIT_APPLIANCE_FILESYSTEMS_H */
