/* guestkit: what a tool says to the user.
 *
 *   gk_message  "[   1.2] Doing X"        stdout, suppressed by -q
 *   gk_info     "prog: X"                 stdout
 *   gk_warning  "prog: warning: X"        stderr
 *   gk_error    "prog: error: X"          stderr, then exit 1
 *   gk_debug    "prog: debug: X"          stderr, only with -v
 *
 * In --machine-readable mode each message, info, warning and error is
 * also written as one JSON line to the machine-readable channel.
 */
#ifndef GUESTKIT_MESSAGES_H
#define GUESTKIT_MESSAGES_H

#include <stdbool.h>
#include <stdio.h>

extern const char *gk_program_name;
extern bool gk_quiet;            /* -q */
extern int gk_verbose;           /* -v, may be repeated */
extern bool gk_trace;            /* -x */
extern bool gk_colors;           /* --color, or stdout/stderr is a tty */
extern bool gk_wrap;             /* --wrap, or a tty */

/* Call first in main: sets the program name, the start time used by
 * gk_message's timestamps, the temporary file cleanup handlers and the
 * colour default.  PROGRAM_NAME is what messages are prefixed with.
 */
extern void gk_init_program (const char *program_name);

extern void gk_message (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));
extern void gk_info (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));
extern void gk_warning (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));
extern void gk_debug (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));
extern void gk_error (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2), noreturn));
/* Like gk_error but appends ": strerror(errno)". */
extern void gk_error_errno (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2), noreturn));

/* Print an error line (and its JSON copy) but carry on: for library
 * helpers that return -1 after reporting, and for one failed item of
 * many.  The caller decides the exit status.
 */
extern void gk_error_noexit (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));

/* The getopt failure path: "Try 'prog --help' ..." on stderr, exit 1. */
extern void gk_try_help (void) __attribute__ ((noreturn));

/* Seconds since gk_init_program. */
extern double gk_elapsed_seconds (void);

#endif /* GUESTKIT_MESSAGES_H */
