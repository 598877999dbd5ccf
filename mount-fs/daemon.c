/* guestmount-all: becoming a daemon once the mount is ready, and what
 * signals do while it is served.
 *
 * Upstream guestmount forks after mounting, so the daemon is not the
 * parent of the appliance it talks to.  Here the fork comes first,
 * before the launch: the child does all the work and owns qemu, and
 * the parent only waits on a pipe.  One byte on it means "mounted":
 * the parent exits 0, so `guestmount-all ... MNT && ls MNT` always
 * finds the files.  End of file without it means the child failed
 * (having said why on the user's terminal): the parent exits with the
 * child's status.
 *
 * Once the mount exists, an interruption must not kill the program:
 * the kernel would keep a dead mount, and in --rw mode writes would be
 * lost.  The signals go to a thread that unmounts instead; the FUSE
 * loop then ends and the program syncs and exits as if guestunmount
 * had been run.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/cleanups.h"
#include "utils/fuse-unmount.h"
#include "utils/messages.h"
#include "utils/tmpfiles.h"
#include "mount-fs.h"

static int ready_pipe = -1;     /* the child's end, -1: not forked */

void
daemon_start (bool no_fork)
{
  int fds[2];
  pid_t pid;
  char byte;
  ssize_t r;
  int status;

  if (no_fork)
    return;
  fflush (stdout);
  fflush (stderr);
  if (pipe2 (fds, O_CLOEXEC) == -1)
    gk_error_errno ("pipe");
  pid = fork ();
  if (pid == -1)
    gk_error_errno ("fork");
  if (pid == 0) {
    close (fds[0]);
    ready_pipe = fds[1];
    gk_tmpfiles_adopt ();
    return;
  }

  /* The parent: what it registered (the handle's temporary directory)
   * is the child's now, so it leaves with _exit.
   */
  close (fds[1]);
  do
    r = read (fds[0], &byte, 1);
  while (r == -1 && errno == EINTR);
  if (r == 1)
    _exit (EXIT_SUCCESS);
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR)
      _exit (EXIT_FAILURE);
  if (WIFEXITED (status))
    _exit (WEXITSTATUS (status));
  _exit (EXIT_FAILURE);
}

static void
write_pid_file (const char *pid_file)
{
  CLEANUP_FCLOSE FILE *fp = NULL;
  char *tmp;

  /* Whole or not at all: a script polling for it never reads half. */
  if (asprintf (&tmp, "%s.tmp%d", pid_file, (int) getpid ()) == -1)
    gk_error ("out of memory");
  fp = fopen (tmp, "we");
  if (fp == NULL)
    gk_error_errno ("--pid-file %s", pid_file);
  if (fprintf (fp, "%d\n", (int) getpid ()) < 0 || fflush (fp) == EOF ||
      rename (tmp, pid_file) == -1) {
    int e = errno;

    unlink (tmp);
    errno = e;
    gk_error_errno ("--pid-file %s", pid_file);
  }
  free (tmp);
  gk_tmpfile_register (pid_file);
}

void
daemon_ready (const char *pid_file, int ready_fd)
{
  int null;

  if (pid_file)
    write_pid_file (pid_file);
  if (ready_fd >= 0) {
    if (write (ready_fd, "", 1) != 1)
      gk_warning ("--fd %d: %s", ready_fd, strerror (errno));
    close (ready_fd);
  }
  if (ready_pipe == -1)
    return;

  fflush (stdout);
  fflush (stderr);
  /* Leave the terminal: a daemon must not get its hangup, nor write to
   * it.  Messages from now on go nowhere (with -v they stay, for
   * debugging).
   */
  if (setsid () == -1)
    gk_warning ("setsid: %s", strerror (errno));
  if (chdir ("/") == -1)
    gk_warning ("chdir /: %s", strerror (errno));
  null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    dup2 (null, STDIN_FILENO);
    dup2 (null, STDOUT_FILENO);
    if (!gk_verbose)
      dup2 (null, STDERR_FILENO);
    close (null);
  }
  if (write (ready_pipe, "", 1) != 1) {
    /* The parent is gone already: nothing to tell. */
  }
  close (ready_pipe);
  ready_pipe = -1;
}

/* The signals an interruption is made of (as utils/tmpfiles.c). */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void
stop_signal_set (sigset_t *set)
{
  sigemptyset (set);
  for (size_t i = 0; i < sizeof stop_signals / sizeof stop_signals[0]; ++i)
    sigaddset (set, stop_signals[i]);
}

static void *
signal_thread (void *arg)
{
  const char *cpath = arg;
  sigset_t set;

  stop_signal_set (&set);
  for (;;) {
    /* Open files would keep a plain unmount from working: detach the
     * mount then, and the FUSE loop ends when they are closed.
     */
    static const struct gk_unmount_retries how = { .detach = true };
    CLEANUP_FREE char *errmsg = NULL;
    int sig;

    if (sigwait (&set, &sig) != 0)
      continue;
    if (gk_fuse_unmount_retrying (cpath, &how, &errmsg) == GK_UNMOUNT_FAILED)
      gk_warning ("%s: cannot unmount %s: %s", strsignal (sig), cpath,
                  errmsg);
  }
  return NULL;
}

void
daemon_unmount_on_signals (const char *cpath)
{
  pthread_t thread;
  sigset_t set;
  int r;

  /* Blocked in this thread, and so in every thread started later;
   * qemu is running already, with the mask it had.
   */
  stop_signal_set (&set);
  pthread_sigmask (SIG_BLOCK, &set, NULL);
  r = pthread_create (&thread, NULL, signal_thread, (void *) cpath);
  if (r != 0) {
    errno = r;
    gk_error_errno ("pthread_create");
  }
  pthread_detach (thread);
}
