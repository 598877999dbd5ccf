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

#endif /* GUESTKIT_APPLIANCE_FILESYSTEMS_H */
