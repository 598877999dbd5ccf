/* guestkit: removal of temporary files and partial outputs.
 *
 * Paths are kept in a fixed table allocated up front, so the signal
 * handler only walks memory and calls async-signal-safe functions
 * (unlink, fork/execve for directory trees, waitpid).
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/tmpfiles.h"

#define MAX_TMPFILES 256

struct tmpfile {
  char *path;
  bool is_dir;
  volatile sig_atomic_t active;
};

static struct tmpfile table[MAX_TMPFILES];
static volatile sig_atomic_t n_entries;
static char *tmpdir_path;
static pid_t owner_pid;

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

static void
signal_handler (int sig)
{
  gk_tmpfiles_cleanup ();
  signal (sig, SIG_DFL);
  raise (sig);
}

void
gk_tmpfiles_init (void)
{
  static bool done;
  struct sigaction sa;
  const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

  if (done)
    return;
  done = true;
  owner_pid = getpid ();
  atexit (gk_tmpfiles_cleanup);
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = signal_handler;
  sigemptyset (&sa.sa_mask);
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; ++i) {
    struct sigaction old;

    /* Respect an ignored signal (e.g. SIGHUP under nohup). */
    if (sigaction (signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
      continue;
    sigaction (signals[i], &sa, NULL);
  }
}

void
gk_tmpfile_register (const char *path)
{
  struct stat st;
  int i = n_entries;

  if (i >= MAX_TMPFILES)
    gk_error ("internal error: too many temporary files");
  table[i].path = xstrdup (path);
  table[i].is_dir = stat (path, &st) == 0 && S_ISDIR (st.st_mode);
  table[i].active = 1;
  n_entries = i + 1;
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
