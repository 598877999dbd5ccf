/* guestkit: LUKS keys (--key, --keys-from-stdin, --echo-keys).
 *
 * After launch, gk_decrypt_luks opens every LUKS device of the guest
 * with the keys the user gave (or asks for them), so the filesystems
 * inside become visible to the rest of the tool.
 */
#ifndef GUESTKIT_KEYS_H
#define GUESTKIT_KEYS_H

#include <guestfs.h>

#include "options.h"

/* Open all LUKS devices.  Returns the number opened, or -1 after an
 * error was reported.
 */
extern int gk_decrypt_luks (guestfs_h *g, const struct gk_options *opts);

/* The keys that apply to DEVICE with LUKS UUID (may be NULL), in the
 * order to try.  Reads from stdin or the tty when none was given.
 * Returns a NULL-terminated list the caller frees, or NULL on error.
 */
extern char **gk_keys_for_device (const struct gk_options *opts,
                                  const char *device, const char *uuid);

#endif /* GUESTKIT_KEYS_H */
