/* guestkit: the progress bar.
 *
 * Shown only without -q, and only on a tty or in machine-readable mode.
 * On a tty it draws "/ 42% [#####-----] 00:13" on /dev/tty; in
 * machine-readable mode (or on a narrow/dumb terminal) it prints
 * "pos/total" lines on stdout instead.
 */
#ifndef GUESTKIT_PROGRESS_H
#define GUESTKIT_PROGRESS_H

#include <signal.h>
#include <stdint.h>
#include <stdbool.h>

/* Start a new bar (resets the time-left estimate). */
extern void gk_progress_reset (void);
/* Move the bar.  Cheap to call often: redraws are rate-limited. */
extern void gk_progress_update (uint64_t pos, uint64_t total);
/* Draw 100% and end the line. */
extern void gk_progress_finish (void);
/* End the line of a bar drawn on the terminal, if any, so that what is
 * printed next starts on a line of its own (messages.c calls it before
 * every message).  The bar goes on below if it is updated again.
 */
extern void gk_progress_end_line (void);
/* Set while a bar's line on the terminal is not ended (and standard
 * error is a terminal): the interruption handler (tmpfiles.c) starts
 * its message on a line of its own.
 */
extern volatile sig_atomic_t gk_progress_line_open;

/* Whether a bar or progress lines are shown at all (not -q; a tty or
 * machine-readable mode).
 */
extern bool gk_progress_enabled (void);

#endif /* GUESTKIT_PROGRESS_H */
