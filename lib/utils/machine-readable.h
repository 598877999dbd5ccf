/* guestkit: --machine-readable[=stream:stdout|stream:stderr|fd:N|file:PATH].
 *
 * The option routes three things: the tool's fact list, a JSON copy of
 * every message, and progress as plain "pos/total" lines on stdout.
 */
#ifndef GUESTKIT_MACHINE_READABLE_H
#define GUESTKIT_MACHINE_READABLE_H

#include <stdbool.h>
#include <stdio.h>

extern bool gk_machine_readable;

enum gk_machine_readable_dest {
  GK_MR_STDOUT, GK_MR_STDERR, GK_MR_FD, GK_MR_FILE
};

struct gk_machine_readable_spec {
  enum gk_machine_readable_dest dest;
  int fd;                       /* GK_MR_FD */
  char *file;                   /* GK_MR_FILE (caller frees) */
};

/* Parse the optional argument of --machine-readable (NULL or "" =
 * stdout) into SPEC.  Returns 0, or -1 with *ERRMSG (caller frees).
 * Nothing is printed, and whether an fd is open is not checked.
 */
extern int gk_machine_readable_parse (const char *arg,
                                      struct gk_machine_readable_spec *spec,
                                      char **errmsg);

/* gk_machine_readable_parse, then check the fd and turn the channel on.
 * Reports a bad value with gk_error and exits.
 */
extern void gk_machine_readable_set (const char *arg);

/* The channel, opened on first use (file:PATH is created lazily). */
extern FILE *gk_machine_readable_channel (void);

/* printf to the channel and flush. */
extern void gk_machine_readable_printf (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));

/* { "message": "…", "timestamp": "…", "type": "…" } on the channel,
 * when machine-readable output is on.
 */
extern void gk_log_as_json (const char *type, const char *message);

/* Local time as YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+HH:MM.  Caller frees. */
extern char *gk_rfc3339_timestamp (void);

#endif /* GUESTKIT_MACHINE_READABLE_H */
