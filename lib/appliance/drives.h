/* guestkit: adding drives to a libguestfs handle.
 *
 * Local images are checked on the host first (exists, readable, not
 * empty, in the format given, not a damaged qcow2), so the user gets
 * one clear line instead of qemu's failure at launch.
 */
#ifndef GUESTKIT_APPLIANCE_DRIVES_H
#define GUESTKIT_APPLIANCE_DRIVES_H

#include <stdbool.h>
#include <guestfs.h>

#include "libvirt/domains.h"
#include "options/options.h"

/* The checks gk_add_drive makes before adding a local image: it exists,
 * is readable, not empty, in the format given, not a damaged qcow2; and
 * before adding a URI without a format: it can be reached (qemu-img
 * probes its format, as libguestfs would).
 * Returns 0, or -1 after reporting.  Use it to vet the disks of many
 * guests before any is added to a shared appliance.
 */
extern int gk_check_drive (guestfs_h *g, const struct gk_drive *drive);

/* A domain disk described as a drive (pointers borrowed from DISK). */
extern void gk_domain_disk_as_drive (const struct gk_domain_disk *disk,
                                     struct gk_drive *drive);

/* Add one command-line drive (not a domain).  Returns 0, or -1 after
 * reporting one line.
 */
extern int gk_add_drive (guestfs_h *g, const struct gk_drive *drive,
                         bool read_only);

/* Add every disk of a domain.  Refuses write access to a running
 * domain.  Returns the number of disks added, or -1.
 */
extern int gk_add_domain (guestfs_h *g, const struct gk_domain *dom,
                          bool read_only);

#endif /* GUESTKIT_APPLIANCE_DRIVES_H */
