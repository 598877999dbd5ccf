/* guestkit: creating and launching the libguestfs appliance.
 *
 * Every tool creates its handles here, so -v/-x, progress events and the
 * broken-KVM fallback are the same everywhere.
 */
#ifndef GUESTKIT_APPLIANCE_H
#define GUESTKIT_APPLIANCE_H

#include <stdbool.h>
#include <guestfs.h>

#include "libvirt-domains.h"
#include "options.h"

/* A new handle: verbose/trace from -v/-x, and software emulation forced
 * when /dev/kvm exists but does not work (one warning per process).
 * Exits with an error if the handle cannot be created.
 */
extern guestfs_h *gk_handle_create (void);

/* The checks gk_add_drive makes before adding a local image: it exists,
 * is readable, not empty, in the format given, not a damaged qcow2.
 * Returns 0, or -1 after reporting.  Use it to vet the disks of many
 * guests before any is added to a shared appliance.
 */
extern int gk_check_drive (guestfs_h *g, const struct gk_drive *drive);

/* A domain disk described as a drive (pointers borrowed from DISK). */
extern void gk_domain_disk_as_drive (const struct gk_domain_disk *disk,
                                     struct gk_drive *drive);

/* Add one command-line drive (not a domain).  Returns 0 or -1. */
extern int gk_add_drive (guestfs_h *g, const struct gk_drive *drive,
                         bool read_only);

/* Add every disk of a domain.  Refuses write access to a running
 * domain.  Returns the number of disks added, or -1.
 */
extern int gk_add_domain (guestfs_h *g, const struct gk_domain *dom,
                          bool read_only);

/* Add all drives of OPTS (files, URIs and -d domains). */
extern int gk_add_drives (guestfs_h *g, const struct gk_options *opts,
                          bool read_only);

/* Launch, turning the common failures (missing file, unknown format,
 * corrupt image) into one clear line.  Returns 0 or -1 (error already
 * printed).
 */
extern int gk_launch (guestfs_h *g);

/* Run `qemu-img check` on a local qcow2 image.  Returns 0 if it is
 * usable, or -1 after reporting that it is corrupt or truncated.
 */
extern int gk_check_qcow2 (const char *name, const char *path);

/* Whether KVM works on this host (cached per boot).  Exposed for the
 * test harness.
 */
extern bool gk_kvm_usable (void);

#endif /* GUESTKIT_APPLIANCE_H */
