/* guestkit: running a helper program (see exec.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/tmpfiles.h"

/* In the child: only async-signal-safe calls from here to exec. */
static void __attribute__ ((noreturn))
exec_child (const struct gk_command *cmd, int out_fd)
{
  int null = open ("/dev/null", O_RDWR);
  int err = -1;
  sigset_t none;

  /* Signals held back by the parent (gk_interrupt_hold) must reach
   * the program: it is stopped with SIGTERM on interruption.  In a
   * process group of its own, ^C at the terminal reaches only us, and
   * our handler stops the program when it is safe.
   */
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  setpgid (0, 0);
  if (cmd->stderr_path)
    err = open (cmd->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (null >= 0) {
    dup2 (null, STDIN_FILENO);
    dup2 (out_fd >= 0 ? out_fd : null, STDOUT_FILENO);
    dup2 (err >= 0 ? err : null, STDERR_FILENO);
  }
  if (strchr (cmd->argv[0], '/'))
    execv (cmd->argv[0], (char *const *) cmd->argv);
  else
    execvp (cmd->argv[0], (char *const *) cmd->argv);
  _exit (127);
}

static char *
read_all (int fd)
{
  size_t len = 0, cap = 4096;
  char *out = xmalloc (cap);

  for (;;) {
    ssize_t r;

    if (len + 1 >= cap)
      out = xrealloc (out, cap *= 2);
    r = read (fd, out + len, cap - len - 1);
    if (r == -1 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    len += r;
  }
  out[len] = '\0';
  return out;
}

/* Wait for PID, killing it once TIMEOUT seconds have passed (0: never). */
static void
wait_child (pid_t pid, unsigned timeout, struct gk_command_result *result)
{
  struct timespec start, now;

  if (timeout == 0) {
    while (waitpid (pid, &result->status, 0) == -1)
      if (errno != EINTR) {
        result->status = -1;
        return;
      }
    return;
  }
  clock_gettime (CLOCK_MONOTONIC, &start);
  for (;;) {
    pid_t r = waitpid (pid, &result->status, WNOHANG);

    if (r == pid)
      return;
    if (r == -1 && errno != EINTR) {
      result->status = -1;
      return;
    }
    clock_gettime (CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec >= (time_t) timeout) {
      kill (pid, SIGKILL);
      while (waitpid (pid, &result->status, 0) == -1 && errno == EINTR)
        ;
      result->timed_out = true;
      return;
    }
    usleep (20000);
  }
}

int
gk_command_run (const struct gk_command *cmd,
                struct gk_command_result *result)
{
  int fd[2] = { -1, -1 };
  pid_t pid;

  memset (result, 0, sizeof *result);
  if (cmd->capture_stdout && pipe2 (fd, O_CLOEXEC) == -1) {
    gk_error_noexit ("pipe: %s", strerror (errno));
    return -1;
  }
  pid = fork ();
  if (pid == -1) {
    gk_error_noexit ("fork: %s", strerror (errno));
    if (fd[0] >= 0) {
      close (fd[0]);
      close (fd[1]);
    }
    return -1;
  }
  if (pid == 0)
    exec_child (cmd, fd[1]);
  /* Stopped and reaped by an interruption's handler (tmpfiles.h). */
  gk_interrupt_add_child (pid, -1);

  if (cmd->capture_stdout) {
    close (fd[1]);
    result->output = read_all (fd[0]);
    close (fd[0]);
  }
  wait_child (pid, cmd->timeout_seconds, result);
  gk_interrupt_remove_child (pid);
  return 0;
}

bool
gk_command_exited (const struct gk_command_result *result, int code)
{
  return !result->timed_out && result->status != -1 &&
    WIFEXITED (result->status) && WEXITSTATUS (result->status) == code;
}
