/* guestkit: creating and launching libguestfs handles.
 *
 * Every tool creates its handles here, so -v/-x, progress events and the
 * broken-KVM fallback are the same everywhere.
 */
#ifndef GUESTKIT_APPLIANCE_HANDLE_H
#define GUESTKIT_APPLIANCE_HANDLE_H

#include <stdbool.h>
#include <guestfs.h>

/* A new handle: verbose/trace from -v/-x, and software emulation forced
 * when /dev/kvm exists but does not work (one warning per process).
 * Exits with an error if the handle cannot be created.
 */
extern guestfs_h *gk_handle_create (void);

/* Launch, turning the common failures (missing file, unknown format,
 * corrupt image) into one clear line.  Returns 0 or -1 (error already
 * printed).
 */
extern int gk_launch (guestfs_h *g);

/* For a libguestfs call whose failure ends the run: if R is -1, exit
 * with "PROG: error: WHAT: libguestfs's reason" (the handles' own error
 * printing is turned off by the tools that use this).
 */
extern void gk_guestfs_check (guestfs_h *g, int r, const char *what);

#endif /* GUESTKIT_APPLIANCE_HANDLE_H */
