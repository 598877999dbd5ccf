/* guestkit: libguestfs events shown to the user. */
#ifndef GUESTKIT_APPLIANCE_EVENTS_H
#define GUESTKIT_APPLIANCE_EVENTS_H

#include <guestfs.h>

/* Feed the progress bar (utils/progress.h) from the progress events of
 * the long calls of G.
 */
extern void gk_progress_attach (guestfs_h *g);

#endif /* GUESTKIT_APPLIANCE_EVENTS_H */
