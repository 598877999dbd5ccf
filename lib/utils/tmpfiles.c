/* guestkit: removal of temporary files and partial outputs, and what
 * an interruption does (see tmpfiles.h).
 *
 * Paths, children, output ranges and the message are kept in fixed
 * tables allocated up front, so the signal handler only walks memory
 * and calls async-signal-safe functions (close, kill, waitpid,
 * nanosleep, pwrite, fsync, unlink, fork/execve for directory trees,
 * write, _exit).
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/progress.h"
#include "utils/tmpfiles.h"

#define MAX_TMPFILES 256
#define MAX_CHILDREN 64
#define MAX_ZEROS 16
#define MAX_MESSAGE 1024
/* How long stopped children get to exit cleanly (10 ms steps). */
#define CHILD_GRACE_STEPS 500

static const int handled_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NR_HANDLED_SIGNALS \
  (sizeof handled_signals / sizeof handled_signals[0])

struct tmpfile {
  char *path;
  bool is_dir;
  volatile sig_atomic_t active;
};

static struct tmpfile table[MAX_TMPFILES];
static volatile sig_atomic_t n_entries;
static char *tmpdir_path;
static pid_t owner_pid;

/* Children: pid 0 is a free slot, -1 one being filled in. */
static volatile sig_atomic_t child_pid[MAX_CHILDREN];
static volatile sig_atomic_t child_fd[MAX_CHILDREN];

struct zero_range {
  int fd;
  uint64_t offset, len;
};
static struct zero_range zeros[MAX_ZEROS];
static volatile sig_atomic_t n_zeros;

/* Two buffers, so that a new message never changes the one a handler
 * may be writing; -1: no message, re-raise the signal.
 */
static char message[2][MAX_MESSAGE];
static volatile sig_atomic_t message_index = -1;

/* Called from the signal handler too: exec.h is safe there as long as
 * nothing is captured and there is no timeout.
 */
static void
remove_tree (const char *path)
{
  const char *argv[] = { "/bin/rm", "-rf", "--", path, NULL };
  const struct gk_command cmd = { .argv = argv };
  struct gk_command_result result;

  gk_command_run (&cmd, &result);
}

void
gk_tmpfiles_cleanup (void)
{
  /* A forked child (e.g. a worker or helper process) must not remove
   * files its parent still uses.
   */
  if (getpid () != owner_pid)
    return;
  for (int i = n_entries - 1; i >= 0; --i) {
    if (!table[i].active)
      continue;
    table[i].active = 0;
    if (table[i].is_dir)
      remove_tree (table[i].path);
    else
      unlink (table[i].path);
  }
}

void
gk_interrupt_add_child (pid_t pid, int fd)
{
  for (size_t i = 0; i < MAX_CHILDREN; ++i) {
    sig_atomic_t expected = 0;

    if (__atomic_compare_exchange_n (&child_pid[i], &expected, -1, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
      child_fd[i] = fd;
      __atomic_store_n (&child_pid[i], pid, __ATOMIC_SEQ_CST);
      return;
    }
  }
  /* Full: the child is not stopped early, but a qemu-nbd still exits
   * when our end of its socket closes with us.
   */
}

void
gk_interrupt_remove_child (pid_t pid)
{
  for (size_t i = 0; i < MAX_CHILDREN; ++i)
    if (child_pid[i] == pid) {
      child_fd[i] = -1;
      __atomic_store_n (&child_pid[i], 0, __ATOMIC_SEQ_CST);
      return;
    }
}

static void
sleep_10ms (void)
{
  struct timespec ts = { 0, 10 * 1000 * 1000 };

  nanosleep (&ts, NULL);
}

/* In the handler: the registered children exit (cleanly if they can)
 * and are reaped before anything else happens.  Closing our end of a
 * connection first matters: a qemu-nbd whose replies nobody reads
 * would not act on SIGTERM for seconds, while a closed connection
 * makes it finish and exit at once (the program never returns to the
 * code that used the descriptor).
 */
static void
stop_children (void)
{
  pid_t pids[MAX_CHILDREN];
  size_t n = 0, alive;

  for (size_t i = 0; i < MAX_CHILDREN; ++i) {
    pid_t pid = child_pid[i];
    int fd = child_fd[i];

    if (pid <= 0)
      continue;
    /* Stopped once: the pid may be another process's afterwards. */
    child_fd[i] = -1;
    __atomic_store_n (&child_pid[i], 0, __ATOMIC_SEQ_CST);
    if (fd >= 0)
      close (fd);
    kill (pid, SIGTERM);
    pids[n++] = pid;
  }
  alive = n;
  for (int step = 0; alive > 0 && step < CHILD_GRACE_STEPS; ++step) {
    for (size_t j = 0; j < n; ++j)
      /* 0: still running; the pid or -1 (not ours, or gone): done. */
      if (pids[j] > 0 && waitpid (pids[j], NULL, WNOHANG) != 0) {
        pids[j] = 0;
        alive--;
      }
    if (alive > 0)
      sleep_10ms ();
  }
  for (size_t j = 0; j < n; ++j)
    if (pids[j] > 0) {
      kill (pids[j], SIGKILL);
      while (waitpid (pids[j], NULL, 0) == -1 && errno == EINTR)
        ;
    }
}

void
gk_interrupt_add_zero (int fd, uint64_t offset, uint64_t len)
{
  int i = n_zeros;

  if (i >= MAX_ZEROS)
    gk_error ("internal error: too many output ranges to invalidate");
  zeros[i] = (struct zero_range) { fd, offset, len };
  __atomic_store_n (&n_zeros, i + 1, __ATOMIC_SEQ_CST);
}

void
gk_interrupt_clear_zero (void)
{
  __atomic_store_n (&n_zeros, 0, __ATOMIC_SEQ_CST);
}

/* In the handler. */
static void
zero_ranges (void)
{
  static const char buf[4096];
  int n = n_zeros;

  for (int i = 0; i < n; ++i) {
    uint64_t offset = zeros[i].offset, left = zeros[i].len;

    while (left > 0) {
      size_t count = left < sizeof buf ? left : sizeof buf;
      ssize_t r = pwrite (zeros[i].fd, buf, count, offset);

      if (r == -1 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      offset += r;
      left -= r;
    }
    fsync (zeros[i].fd);
  }
}

void
gk_interrupt_message (const char *fs, ...)
{
  int next = message_index == 0 ? 1 : 0;
  char *buf = message[next];
  size_t len = 0;
  va_list args;
  int r;

  if (fs == NULL) {
    __atomic_store_n (&message_index, -1, __ATOMIC_SEQ_CST);
    return;
  }
  /* As gk_error prints it (messages.c), in one write. */
  r = snprintf (buf, MAX_MESSAGE, "%s%s: error: ",
                gk_colors ? "\033[1;31m" : "", gk_program_name);
  if (r > 0)
    len = r;
  va_start (args, fs);
  if (len < MAX_MESSAGE) {
    r = vsnprintf (buf + len, MAX_MESSAGE - len, fs, args);
    if (r > 0)
      len += r;
  }
  va_end (args);
  if (len < MAX_MESSAGE && gk_colors) {
    r = snprintf (buf + len, MAX_MESSAGE - len, "\033[0m");
    if (r > 0)
      len += r;
  }
  if (len > MAX_MESSAGE - 2)
    len = MAX_MESSAGE - 2;
  buf[len++] = '\n';
  buf[len] = '\0';
  __atomic_store_n (&message_index, next, __ATOMIC_SEQ_CST);
}

static void
signal_handler (int sig)
{
  static volatile sig_atomic_t handling;
  int idx;

  /* A forked child that has not exec'd yet just dies of it. */
  if (getpid () != owner_pid) {
    signal (sig, SIG_DFL);
    raise (sig);
    return;
  }
  /* A second signal, maybe in another thread: the first one ends the
   * program.
   */
  if (__atomic_exchange_n (&handling, 1, __ATOMIC_SEQ_CST)) {
    for (;;)
      pause ();
  }

  stop_children ();
  zero_ranges ();
  gk_tmpfiles_cleanup ();

  idx = message_index;
  if (idx >= 0) {
    const char *msg = message[idx];
    size_t len = strlen (msg);

    /* Not after the bar, on its line ("  42% [###---]^Cvirt-resize:"). */
    if (gk_progress_line_open && write (STDERR_FILENO, "\n", 1) != 1) {
      /* nothing better to do in a handler */
    }

    while (len > 0) {
      ssize_t r = write (STDERR_FILENO, msg, len);

      if (r == -1 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      msg += r;
      len -= r;
    }
    _exit (EXIT_FAILURE);
  }
  signal (sig, SIG_DFL);
  raise (sig);
}

/* At exit (gk_error's too): a qemu-nbd still connected (an error left
 * its image open) is stopped and reaped like on interruption, so that
 * nothing of ours outlives the program and no write of it lands after
 * it ended; then the files go.
 */
static void
exit_handler (void)
{
  if (getpid () == owner_pid)
    stop_children ();
  gk_tmpfiles_cleanup ();
}

void
gk_tmpfiles_init (void)
{
  static bool done;
  struct sigaction sa;

  if (done)
    return;
  done = true;
  owner_pid = getpid ();
  for (size_t i = 0; i < MAX_CHILDREN; ++i)
    child_fd[i] = -1;
  atexit (exit_handler);
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = signal_handler;
  sigemptyset (&sa.sa_mask);
  /* While one is handled the others wait: the program ends anyway. */
  for (size_t i = 0; i < NR_HANDLED_SIGNALS; ++i)
    sigaddset (&sa.sa_mask, handled_signals[i]);
  for (size_t i = 0; i < NR_HANDLED_SIGNALS; ++i) {
    struct sigaction old;

    /* Respect an ignored signal (e.g. SIGHUP under nohup). */
    if (sigaction (handled_signals[i], NULL, &old) == 0 &&
        old.sa_handler == SIG_IGN)
      continue;
    sigaction (handled_signals[i], &sa, NULL);
  }
}

void
gk_tmpfiles_adopt (void)
{
  owner_pid = getpid ();
}

static sigset_t held_mask;

void
gk_interrupt_hold (void)
{
  sigset_t set;

  sigemptyset (&set);
  for (size_t i = 0; i < NR_HANDLED_SIGNALS; ++i)
    sigaddset (&set, handled_signals[i]);
  pthread_sigmask (SIG_BLOCK, &set, &held_mask);
}

void
gk_interrupt_release (void)
{
  pthread_sigmask (SIG_SETMASK, &held_mask, NULL);
}

void
gk_tmpfile_register (const char *path)
{
  /* Threads register too (appliances launched in parallel).  The
   * handler sees an entry once it is complete: n_entries moves last.
   */
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  struct stat st;
  int i;

  pthread_mutex_lock (&lock);
  i = n_entries;
  if (i >= MAX_TMPFILES) {
    pthread_mutex_unlock (&lock);
    gk_error ("internal error: too many temporary files");
  }
  table[i].path = xstrdup (path);
  table[i].is_dir = stat (path, &st) == 0 && S_ISDIR (st.st_mode);
  table[i].active = 1;
  __atomic_store_n (&n_entries, i + 1, __ATOMIC_SEQ_CST);
  pthread_mutex_unlock (&lock);
}

const char *
gk_tmpdir (void)
{
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  const char *base;

  pthread_mutex_lock (&lock);
  if (tmpdir_path) {
    pthread_mutex_unlock (&lock);
    return tmpdir_path;
  }
  base = getenv ("TMPDIR");
  if (base == NULL || *base == '\0')
    base = "/tmp";
  tmpdir_path = xasprintf ("%s/guestkit.XXXXXX", base);
  if (mkdtemp (tmpdir_path) == NULL)
    gk_error_errno ("cannot create a temporary directory in %s", base);
  gk_tmpfile_register (tmpdir_path);
  pthread_mutex_unlock (&lock);
  return tmpdir_path;
}
