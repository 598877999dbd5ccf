/* guestkit: the progress bar.
 *
 * Shown only without -q, and only on a tty or in machine-readable mode.
 * On a tty it draws "/ 42% [#####-----] 00:13" on /dev/tty; in
 * machine-readable mode (or on a narrow/dumb terminal) it prints
 * "pos/total" lines on stdout instead.
 */
#ifndef GUESTKIT_PROGRESS_H
#define GUESTKIT_PROGRESS_H

#include <stdint.h>
#include <guestfs.h>

/* Start a new bar (resets the time-left estimate). */
extern void gk_progress_reset (void);
/* Move the bar.  Cheap to call often: redraws are rate-limited. */
extern void gk_progress_update (uint64_t pos, uint64_t total);
/* Draw 100% and end the line. */
extern void gk_progress_finish (void);
/* Feed the bar from libguestfs progress events of G. */
extern void gk_progress_attach (guestfs_h *g);

#endif /* GUESTKIT_PROGRESS_H */
