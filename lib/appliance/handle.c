/* guestkit: creating and launching libguestfs handles (see handle.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "appliance/handle.h"
#include "appliance/kvm-probe.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"

static pthread_mutex_t kvm_lock = PTHREAD_MUTEX_INITIALIZER;
static bool kvm_checked, kvm_warned;
static enum gk_kvm_state kvm_state;

/* Decided once per process: probing is cheap thanks to the cache, but the
 * warning must appear once even when many handles are created.
 */
static enum gk_kvm_state
kvm_state_of (guestfs_h *g)
{
  pthread_mutex_lock (&kvm_lock);
  if (!kvm_checked) {
    CLEANUP_FREE char *hv = guestfs_get_hv (g);

    kvm_checked = true;
    kvm_state = hv ? gk_kvm_state (hv) : GK_KVM_ABSENT;
  }
  pthread_mutex_unlock (&kvm_lock);
  return kvm_state;
}

/* Said when an appliance really starts, not when a handle is made: a
 * command line that fails its own checks (a missing disk) should print
 * just that error.
 */
static void
warn_if_kvm_broken (void)
{
  pthread_mutex_lock (&kvm_lock);
  /* -q silences it: cron jobs on such a host would mail it every run. */
  if (kvm_checked && kvm_state == GK_KVM_BROKEN && !kvm_warned &&
      !gk_quiet) {
    kvm_warned = true;
    gk_warning ("KVM is present on this host but qemu cannot use it; "
                "falling back to software emulation, which is slower");
  }
  pthread_mutex_unlock (&kvm_lock);
}

static bool
force_tcg_already_set (guestfs_h *g)
{
  CLEANUP_FREE_STRING_LIST char **settings = NULL;

  guestfs_push_error_handler (g, NULL, NULL);
  settings = guestfs_get_backend_settings (g);
  guestfs_pop_error_handler (g);
  return settings && gk_string_list_contains (settings, "force_tcg");
}

/* libguestfs keeps its overlays and sockets in temporary directories
 * that only guestfs_close removes; a tool killed by ^C would leave them
 * behind.  Putting them inside our own temporary directory lets the
 * signal handler remove them too.  The socket directory cannot be
 * chosen (see register_socket_dir).
 */
static void
contain_temporary_files (guestfs_h *g)
{
  const char *dir = gk_tmpdir ();
  const char *cachedir = getenv ("LIBGUESTFS_CACHEDIR");

  if (guestfs_set_tmpdir (g, dir) == -1)
    gk_error ("could not set the temporary directory");
  /* The appliance cache is not temporary: by default libguestfs puts it
   * in $TMPDIR, so a private TMPDIR would rebuild it (~10 s) every run
   * and leave it behind.
   */
  if (cachedir == NULL || *cachedir == '\0')
    cachedir = "/var/tmp";
  if (guestfs_set_cachedir (g, cachedir) == -1)
    gk_error ("could not set the appliance cache directory");
}

/* Under emulation qemu runs each vCPU in a host thread of its own
 * (multi-threaded TCG), so a second vCPU lets the appliance's boot
 * (udev, module loading) and its tools use a second host core: a bare
 * launch took 9.8 s instead of 10.8 s on a 2-core host (bench/launch).
 * More vCPUs than host cores would only contend.  With KVM the boot
 * takes a few seconds and libguestfs's default of one vCPU stays: it
 * was not measured here.
 */
static void
choose_vcpus (guestfs_h *g)
{
  long cores = sysconf (_SC_NPROCESSORS_ONLN);

  if (cores >= 2 && guestfs_set_smp (g, 2) == -1)
    gk_error ("could not set the appliance's number of vCPUs");
}

guestfs_h *
gk_handle_create (void)
{
  guestfs_h *g = guestfs_create ();
  bool emulated;

  if (g == NULL)
    gk_error ("could not create the libguestfs handle");
  contain_temporary_files (g);
  if (gk_verbose)
    guestfs_set_verbose (g, 1);
  if (gk_trace)
    guestfs_set_trace (g, 1);

  emulated = force_tcg_already_set (g);
  if (!emulated) {
    switch (kvm_state_of (g)) {
    case GK_KVM_BROKEN:
      if (guestfs_set_backend_setting (g, "force_tcg", "1") == -1)
        gk_error ("could not select software emulation");
      emulated = true;
      break;
    case GK_KVM_ABSENT:
      emulated = true;
      break;
    case GK_KVM_WORKS:
      break;
    }
  }
  if (emulated)
    choose_vcpus (g);
  return g;
}

/* libguestfs puts the appliance's socket in a directory of its own under
 * /tmp that no API names, made during the launch and removed only by
 * guestfs_close: a tool killed while the appliance starts would leave
 * it behind.  qemu's command line names it, so it is registered for
 * removal as soon as qemu runs (see watch_launch).  Returns true if
 * PID's command line named one.
 */
static bool
register_socket_dir (pid_t pid)
{
  CLEANUP_FREE char *path = NULL;
  CLEANUP_FCLOSE FILE *fp = NULL;
  char buf[8192];
  size_t n;
  bool found = false;

  path = xasprintf ("/proc/%d/cmdline", (int) pid);
  fp = fopen (path, "re");
  if (fp == NULL)
    return false;
  n = fread (buf, 1, sizeof buf - 1, fp);
  buf[n] = '\0';
  for (size_t i = 0; i < n; i += strlen (buf + i) + 1) {
    const char *p = strstr (buf + i, "socket,path=");
    const char *end;

    if (p == NULL)
      continue;
    p += strlen ("socket,path=");
    end = strstr (p, "/guestfsd.sock");
    if (end && STRPREFIX (p, "/tmp/libguestfs")) {
      CLEANUP_FREE char *dir = xstrndup (p, end - p);

      gk_tmpfile_register (dir);
      found = true;
    }
  }
  return found;
}

/* While a launch runs, a thread looks at the children of the launching
 * thread (qemu is one) every 20 ms until one names the socket
 * directory.  What is left is the moment between libguestfs making the
 * directory and starting qemu.
 */
struct launch_watch {
  pid_t tid;                    /* the launching thread */
  bool done;                    /* the launch returned (atomic) */
  bool found;                   /* the directory is registered */
};

static void *
watch_launch (void *arg)
{
  struct launch_watch *w = arg;
  const struct timespec step = { 0, 20 * 1000 * 1000 };
  char path[64];

  snprintf (path, sizeof path, "/proc/self/task/%d/children", (int) w->tid);
  while (!__atomic_load_n (&w->done, __ATOMIC_SEQ_CST)) {
    FILE *fp = fopen (path, "re");
    long pid;

    if (fp == NULL)
      return NULL;              /* a kernel without it */
    while (!w->found && fscanf (fp, "%ld", &pid) == 1)
      w->found = register_socket_dir (pid);
    fclose (fp);
    if (w->found)
      return NULL;
    nanosleep (&step, NULL);
  }
  return NULL;
}

/* The test harness counts launches per test (tests/timed-test.sh):
 * they are what the suite's time is made of.
 */
static void
count_launch (void)
{
  const char *log = getenv ("GUESTKIT_LAUNCH_LOG");
  int fd;

  if (log == NULL || *log == '\0')
    return;
  fd = open (log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) {
    /* One write with O_APPEND: lines from threads never interleave. */
    if (write (fd, "launch\n", 7) != 7) { /* a lost count is harmless */ }
    close (fd);
  }
}

int
gk_launch (guestfs_h *g)
{
  struct launch_watch watch = { .tid = syscall (SYS_gettid) };
  sigset_t all, old;
  pthread_t thread;
  bool watching;
  int r;

  warn_if_kvm_broken ();
  count_launch ();
  /* The watcher takes no signals: they go where they went before. */
  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &old);
  watching = pthread_create (&thread, NULL, watch_launch, &watch) == 0;
  pthread_sigmask (SIG_SETMASK, &old, NULL);
  /* libguestfs' own message is "see earlier error messages"; the detail
   * is in qemu's output, shown with -v.
   */
  guestfs_push_error_handler (g, NULL, NULL);
  r = guestfs_launch (g);
  guestfs_pop_error_handler (g);
  if (watching) {
    __atomic_store_n (&watch.done, true, __ATOMIC_SEQ_CST);
    pthread_join (thread, NULL);
  }
  if (r == -1) {
    const char *err = guestfs_last_error (g);
    /* libguestfs follows its reason with paragraphs of advice ("This
     * usually means...  Do: export LIBGUESTFS_DEBUG=1"): one line is
     * the rule, the advice is for -v.
     */
    CLEANUP_FREE char *reason =
      err ? (gk_verbose ? xstrdup (err) : xstrndup (err, strcspn (err, "\n")))
      : xstrdup ("unknown error");

    gk_error_noexit ("could not start the libguestfs appliance: %s%s",
                     reason, gk_verbose ? "" : " (run with -v to see why)");
    return -1;
  }
  if (!watch.found) {
    int pid;

    guestfs_push_error_handler (g, NULL, NULL);
    pid = guestfs_get_pid (g);
    guestfs_pop_error_handler (g);
    if (pid > 0)
      register_socket_dir (pid);
  }
  return 0;
}

void
gk_guestfs_check (guestfs_h *g, int r, const char *what)
{
  if (r == -1)
    gk_error ("%s: %s", what, guestfs_last_error (g));
}
