/* guestkit: which optional filesystems the appliance supports.
 *
 * Upstream tools ask a launched appliance.  Tools that plan before (or
 * without) launching read the answer a previous launch left in a small
 * cache; it is keyed on the appliance's files, so installing e.g.
 * libguestfs-xfs invalidates it.
 */

#ifndef GUESTKIT_APPLIANCE_FS_FEATURES_H
#define GUESTKIT_APPLIANCE_FS_FEATURES_H

#include <stdbool.h>
#include <guestfs.h>

struct gk_features {
  bool known;                   /* false: nothing cached, all assumed */
  bool ntfs, btrfs, xfs, f2fs;
};

/* Ask the launched handle G, and remember the answer for later runs. */
extern void gk_features_probe (guestfs_h *g, struct gk_features *f);

/* The remembered answer if there is one, else ask the launched handle
 * G.  Asking for btrfs loads its module in the appliance (about a
 * second under emulation), which a tool that only grows an ext4 need
 * not pay on every run.
 */
extern void gk_features_get (guestfs_h *g, struct gk_features *f);

/* The remembered answer, or all true with known = false. */
extern void gk_features_cached (struct gk_features *f);

/* Launch an appliance on /dev/null to ask (for --machine-readable fact
 * lists).  Exits on failure.
 */
extern void gk_features_launch_probe (struct gk_features *f);

#endif /* GUESTKIT_APPLIANCE_FS_FEATURES_H */
