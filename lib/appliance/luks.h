/* guestkit: opening the LUKS devices of a guest.
 *
 * After launch, gk_decrypt_luks opens every LUKS device of the guest
 * with the keys the user gave (or asks for them), so the filesystems
 * inside become visible to the rest of the tool.
 */
#ifndef GUESTKIT_APPLIANCE_LUKS_H
#define GUESTKIT_APPLIANCE_LUKS_H

#include <guestfs.h>

#include "options/options.h"

/* Open all LUKS devices.  Returns the number opened, or -1 after an
 * error was reported.
 */
extern int gk_decrypt_luks (guestfs_h *g, const struct gk_options *opts);

/* Open the LUKS device DEVICE with the keys that apply to it.  Returns
 * its /dev/mapper path (caller frees), or NULL after a warning (no key,
 * or none of the keys is right).
 */
extern char *gk_luks_open (guestfs_h *g, const struct gk_options *opts,
                           const char *device);

#endif /* GUESTKIT_APPLIANCE_LUKS_H */
