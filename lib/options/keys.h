/* guestkit: LUKS keys (--key, --keys-from-stdin, --echo-keys): which
 * passphrases to try for a device (appliance/luks.h opens them).
 */
#ifndef GUESTKIT_OPTIONS_KEYS_H
#define GUESTKIT_OPTIONS_KEYS_H

#include "options/options.h"

/* The keys that apply to DEVICE with LUKS UUID (may be NULL), in the
 * order to try.  Reads from stdin or the tty when none was given, once
 * per UUID for the whole run (thread-safe).
 * Returns a NULL-terminated list the caller frees, or NULL on error.
 */
extern char **gk_keys_for_device (const struct gk_options *opts,
                                  const char *device, const char *uuid);

#endif /* GUESTKIT_OPTIONS_KEYS_H */
