/* guestkit: running a helper program (qemu-img, qemu, rm, ...).
 *
 * The one place that forks and execs, so every caller gets the same
 * stdin (/dev/null), the same stderr handling and the same EINTR-safe
 * wait.  Safe to call from a signal handler when nothing is captured
 * and there is no timeout (tmpfiles.c does).  While it runs, the child
 * is registered with gk_interrupt_add_child: an interruption stops it
 * (SIGTERM) rather than leaving it to finish on its own.
 */
#ifndef GUESTKIT_UTILS_EXEC_H
#define GUESTKIT_UTILS_EXEC_H

#include <stdbool.h>

struct gk_command {
  /* argv[0] is an absolute path, or a name searched in $PATH. */
  const char *const *argv;
  /* Where the program's stderr goes: NULL is /dev/null. */
  const char *stderr_path;
  /* Collect stdout into gk_command_result.output (else /dev/null). */
  bool capture_stdout;
  /* Kill the program (SIGKILL) after this many seconds; 0: wait. */
  unsigned timeout_seconds;
};

struct gk_command_result {
  int status;                   /* wait status (exit 127: not found) */
  bool timed_out;
  char *output;                 /* capture_stdout: NUL-terminated */
};

/* Run CMD to completion.  Returns 0 with *RESULT filled in (the caller
 * frees result->output), or -1 after reporting if the program could
 * not be started at all (no fork, no pipe).
 */
extern int gk_command_run (const struct gk_command *cmd,
                           struct gk_command_result *result);

/* True if RESULT is a normal exit with status CODE. */
extern bool gk_command_exited (const struct gk_command_result *result,
                               int code);

#endif /* GUESTKIT_UTILS_EXEC_H */
