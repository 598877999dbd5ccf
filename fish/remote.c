/* guestfish --listen and --remote (remote.h): the socket, the
 * background server and the client.  The bytes exchanged are
 * remote-proto.c's business.
 *
 * The server forks before the appliance is launched (the launch, -i
 * and -m happen in the server), so qemu and libguestfs's recovery
 * process belong to the process that keeps the handle; the parent
 * prints the PID only once the socket accepts commands, so the next
 * "guestfish --remote" never races the server's start, and a failed
 * launch is an error of "guestfish --listen" itself.
 *
 * A command's output is captured in two unlinked temporary files (its
 * stdout and stderr) and sent back once it finished: simple, and
 * binary-safe for download to "-".  Signals are turned into a byte on a
 * pipe the accept loop polls, so a SIGTERM between two commands stops
 * the server cleanly: the handle is closed (the disks synced) and the
 * socket removed, exactly as for "quit".
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "fish.h"
#include "remote-proto.h"
#include "remote.h"

pid_t fish_remote_pid;

static char sock_path[sizeof ((struct sockaddr_un *) NULL)->sun_path];

/* A client that connects and then sends nothing, or stops reading its
 * answer, holds the server up at most this long.
 */
#define PEER_TIMEOUT_SECONDS 60

/* ---- the socket, both sides ---- */

/* /tmp/.guestfish-$UID, as upstream: made (mode 0700) if CREATE, and
 * refused unless it is a directory of ours nobody else may write to,
 * since whoever can write there could stand in for the server.
 * Returns 0, or -1 with *ERRMSG and errno.
 */
static int
socket_dir (char *dir, size_t size, bool create, char **errmsg)
{
  struct stat st;
  int e;

  snprintf (dir, size, "/tmp/.guestfish-%ju", (uintmax_t) geteuid ());
  if ((create && mkdir (dir, 0700) == -1 && errno != EEXIST) ||
      lstat (dir, &st) == -1) {
    e = errno;
    *errmsg = xasprintf ("%s: %s", dir, strerror (e));
    errno = e;
    return -1;
  }
  errno = EPERM;
  if (!S_ISDIR (st.st_mode))
    *errmsg = xasprintf ("%s: not a directory", dir);
  else if (st.st_uid != geteuid ())
    *errmsg = xasprintf ("%s: owned by uid %ju, not by you: refused", dir,
                         (uintmax_t) st.st_uid);
  else if (st.st_mode & 022)
    *errmsg = xasprintf ("%s: others may write to it (mode %03o): "
                         "refused", dir, (unsigned) (st.st_mode & 0777));
  else
    return 0;
  return -1;
}

static void
set_sock_path (const char *dir, pid_t pid)
{
  snprintf (sock_path, sizeof sock_path, "%s/socket-%jd", dir,
            (intmax_t) pid);
}

/* The peer runs as our user (the directory already says so; this is
 * the second lock).
 */
static bool
peer_is_us (int fd)
{
  struct ucred cred;
  socklen_t len = sizeof cred;

  return getsockopt (fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
    cred.uid == geteuid ();
}

/* ---- the client ---- */

void
fish_remote_client_setup (const char *arg)
{
  const char *s = arg ? arg : getenv ("GUESTFISH_PID");
  char dir[64], *end, *errmsg = NULL;
  struct stat st;
  long v;

  if (s == NULL || *s == '\0')
    gk_error ("--remote: GUESTFISH_PID is not set: give --remote=PID, or "
              "start the server with eval \"$(guestfish --listen ...)\"");
  errno = 0;
  v = strtol (s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > INT_MAX)
    gk_error ("--remote: ‘%s’%s is not a process ID", s,
              arg ? "" : " (GUESTFISH_PID)");
  fish_remote_pid = v;
  if (socket_dir (dir, sizeof dir, false, &errmsg) == -1) {
    if (errno == ENOENT)
      gk_error ("--remote: no guestfish is listening as process %d "
                "(%s)", (int) fish_remote_pid, errmsg);
    gk_error ("--remote: %s", errmsg);
  }
  set_sock_path (dir, fish_remote_pid);
  if (stat (sock_path, &st) == -1)
    gk_error ("--remote: no guestfish is listening as process %d (%s: %s)",
              (int) fish_remote_pid, sock_path, strerror (errno));
  if (!S_ISSOCK (st.st_mode))
    gk_error ("--remote: %s: not a socket", sock_path);
}

/* The listener's error text, with "FILE:LINE: " in front of each line
 * in a script, as a local error would have it.
 */
static void
put_errors (const char *buf, size_t len, bool *line_start)
{
  for (size_t i = 0; i < len; ++i) {
    if (*line_start && fish.script)
      fprintf (stderr, "%s:%ld: ", fish.script, fish.lineno);
    fputc (buf[i], stderr);
    *line_start = buf[i] == '\n';
  }
}

int
fish_remote_run (char *const *words)
{
  bool line_start = true;
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  CLEANUP_CLOSE int fd = -1;
  CLEANUP_FREE char *buf = NULL;
  char *errmsg = NULL;

  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd == -1) {
    fish_error ("--remote: socket: %s", strerror (errno));
    return -1;
  }
  memcpy (addr.sun_path, sock_path, sizeof sock_path);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) == -1) {
    fish_error ("--remote: cannot reach the guestfish listening as "
                "process %d: %s: %s", (int) fish_remote_pid, sock_path,
                strerror (errno));
    return -1;
  }
  if (!peer_is_us (fd)) {
    fish_error ("--remote: %s: the listener does not run as you: refused",
                sock_path);
    return -1;
  }
  if (fish_rc_write_request (fd, fish.json ? FISH_RC_JSON : 0, words,
                             &errmsg) == -1)
    goto err;
  buf = xmalloc (FISH_RC_MAX_CHUNK);
  for (;;) {
    size_t len;
    char type;

    if (fish_rc_read_frame (fd, &type, buf, &len, &errmsg) == -1)
      goto err;
    switch (type) {
    case 'S':
      if (buf[0] != 0)
        return -1;
      /* The listener is gone: so is this session. */
      if (STREQ (words[0], "quit") || STREQ (words[0], "exit") ||
          STREQ (words[0], "q"))
        fish.exit_requested = true;
      return 0;
    case 'O':
      fwrite (buf, 1, len, stdout);
      break;
    case 'E':
      fflush (stdout);
      put_errors (buf, len, &line_start);
      fflush (stderr);
      break;
    }
  }

 err:
  fish_error ("--remote: process %d: %s", (int) fish_remote_pid, errmsg);
  free (errmsg);
  return -1;
}

/* ---- the server ---- */

static int listen_fd = -1;
static int ready_fd = -1;       /* to the parent, until we serve */
static int stop_pipe[2] = { -1, -1 };
static int capture_out = -1, capture_err = -1;
static int saved_out = -1, saved_err = -1;

static void
redirect_to_null (int target, int flags)
{
  int fd = open ("/dev/null", flags | O_CLOEXEC);

  if (fd == -1 || dup2 (fd, target) == -1)
    gk_error_errno ("--listen: /dev/null");
  close (fd);
}

static void
make_socket (void)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  char dir[64], *errmsg = NULL;

  if (socket_dir (dir, sizeof dir, true, &errmsg) == -1)
    gk_error ("--listen: %s", errmsg);
  set_sock_path (dir, getpid ());
  /* One left by an earlier process with our PID is stale. */
  if (unlink (sock_path) == -1 && errno != ENOENT)
    gk_error_errno ("--listen: %s", sock_path);
  listen_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd == -1)
    gk_error_errno ("--listen: socket");
  memcpy (addr.sun_path, sock_path, sizeof sock_path);
  if (bind (listen_fd, (struct sockaddr *) &addr, sizeof addr) == -1)
    gk_error_errno ("--listen: %s", sock_path);
  /* Until we serve, an error exit or a signal removes it this way. */
  gk_tmpfile_register (sock_path);
  if (listen (listen_fd, 16) == -1)
    gk_error_errno ("--listen: %s", sock_path);
}

void
fish_remote_listen (bool csh)
{
  int ready[2];
  pid_t pid;
  ssize_t r;
  char c;

  if (pipe2 (ready, O_CLOEXEC) == -1)
    gk_error_errno ("--listen: pipe");
  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid == -1)
    gk_error_errno ("--listen: fork");
  if (pid > 0) {
    /* _exit: the handle, the temporary files and the atexit handlers
     * are the server's now.
     */
    close (ready[1]);
    do
      r = read (ready[0], &c, 1);
    while (r == -1 && errno == EINTR);
    if (r != 1) {
      waitpid (pid, NULL, 0);
      _exit (EXIT_FAILURE);
    }
    if (csh)
      printf ("setenv GUESTFISH_PID %d\n", (int) pid);
    else
      printf ("GUESTFISH_PID=%d; export GUESTFISH_PID\n", (int) pid);
    _exit (fflush (stdout) == 0 && !ferror (stdout) ? EXIT_SUCCESS
           : EXIT_FAILURE);
  }

  close (ready[0]);
  ready_fd = ready[1];
  gk_tmpfiles_adopt ();
  /* Away from the terminal's job control: ^C in the shell that ran
   * "eval $(guestfish --listen)" is not for us.
   */
  setsid ();
  make_socket ();
  /* Before the launch: libguestfs's recovery process (forked then)
   * must not keep the $(...) pipe open, or eval would wait for it.
   */
  redirect_to_null (STDIN_FILENO, O_RDONLY);
  redirect_to_null (STDOUT_FILENO, O_WRONLY);
}

static void
on_stop_signal (int sig)
{
  int e = errno;

  (void) sig;
  fish_rc_stop = 1;
  if (write (stop_pipe[1], "", 1) == -1) {
    /* The pipe is full: a stop is pending anyway. */
  }
  errno = e;
}

static void
install_signals (void)
{
  struct sigaction sa;

  if (pipe2 (stop_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
    gk_error_errno ("--listen: pipe");
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGHUP, &sa, NULL);
  /* A client that went away is an error of that one command. */
  signal (SIGPIPE, SIG_IGN);
}

static int
capture_file (void)
{
  FILE *fp = tmpfile ();
  int fd;

  if (fp == NULL)
    gk_error_errno ("--listen: temporary file");
  fd = fcntl (fileno (fp), F_DUPFD_CLOEXEC, 3);
  if (fd == -1)
    gk_error_errno ("--listen: temporary file");
  fclose (fp);
  return fd;
}

static void
begin_capture (void)
{
  fflush (stdout);
  fflush (stderr);
  if (ftruncate (capture_out, 0) == -1 || ftruncate (capture_err, 0) == -1 ||
      lseek (capture_out, 0, SEEK_SET) == -1 ||
      lseek (capture_err, 0, SEEK_SET) == -1 ||
      dup2 (capture_out, STDOUT_FILENO) == -1 ||
      dup2 (capture_err, STDERR_FILENO) == -1)
    gk_error_errno ("--listen: capturing the output");
}

static void
end_capture (void)
{
  fflush (stdout);
  fflush (stderr);
  clearerr (stdout);
  clearerr (stderr);
  dup2 (saved_out, STDOUT_FILENO);
  dup2 (saved_err, STDERR_FILENO);
}

/* Send what was captured in FD as TYPE frames.  0 or -1. */
static int
send_captured (int cfd, int fd, char type, char *buf)
{
  ssize_t r;

  if (lseek (fd, 0, SEEK_SET) == -1)
    return -1;
  while ((r = read (fd, buf, FISH_RC_MAX_CHUNK)) != 0) {
    if (r == -1) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (fish_rc_write_frame (cfd, type, buf, r) == -1)
      return -1;
  }
  return 0;
}

/* quit, exit, or a signal: no new client (the socket goes first), then
 * the handle is closed, syncing the disks in read-write mode.  0, or -1
 * if the shutdown failed (libguestfs said why).
 */
static int
stop_server (void)
{
  int r = 0;

  if (listen_fd >= 0) {
    unlink (sock_path);
    close (listen_fd);
    listen_fd = -1;
  }
  if (fish.g) {
    if (guestfs_shutdown (fish.g) == -1)
      r = -1;
    guestfs_close (fish.g);
    fish.g = NULL;
  }
  return r;
}

/* One connection, one command. */
static void
serve_one (int cfd, char *buf)
{
  const struct timeval tv = { .tv_sec = PEER_TIMEOUT_SECONDS };
  CLEANUP_FREE_STRING_LIST char **words = NULL;
  char *errmsg = NULL, status;
  bool json = fish.json;
  unsigned flags = 0;
  int r;

  if (!peer_is_us (cfd))
    return;
  setsockopt (cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt (cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  words = fish_rc_read_request (cfd, &flags, &errmsg);
  if (words == NULL && errmsg == NULL)
    return;                     /* connected, sent nothing */

  begin_capture ();
  fish.script = NULL;
  if (words == NULL) {
    fish_error ("--listen: %s", errmsg);
    free (errmsg);
    r = -1;
  }
  else {
    /* JSON if the client or the listener asked for it. */
    fish.json = json || (flags & FISH_RC_JSON);
    r = fish_execute_words (words, NULL);
    fish.json = json;
    /* The answer to quit comes once the disks are synced. */
    if (fish.exit_requested && stop_server () == -1)
      r = -1;
  }
  end_capture ();

  status = r == 0 ? 0 : 1;
  if (send_captured (cfd, capture_out, 'O', buf) == 0 &&
      send_captured (cfd, capture_err, 'E', buf) == 0)
    fish_rc_write_frame (cfd, 'S', &status, 1);
}

int
fish_remote_serve (void)
{
  CLEANUP_FREE char *buf = xmalloc (FISH_RC_MAX_CHUNK);

  install_signals ();
  capture_out = capture_file ();
  capture_err = capture_file ();
  saved_out = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  saved_err = fcntl (STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  if (saved_out == -1 || saved_err == -1)
    gk_error_errno ("--listen: dup");

  /* Ready: the parent prints our PID and leaves. */
  if (write (ready_fd, "", 1) != 1)
    gk_error_errno ("--listen: telling the parent");
  close (ready_fd);
  ready_fd = -1;

  while (!fish_rc_stop && !fish.exit_requested) {
    struct pollfd fds[2] = {
      { .fd = listen_fd, .events = POLLIN },
      { .fd = stop_pipe[0], .events = POLLIN },
    };
    int cfd;

    if (poll (fds, 2, -1) == -1) {
      if (errno == EINTR)
        continue;
      gk_error_errno ("--listen: poll");
    }
    if (fish_rc_stop || !(fds[0].revents & POLLIN))
      continue;
    cfd = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (cfd == -1) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN)
        continue;
      gk_error_errno ("--listen: accept");
    }
    serve_one (cfd, buf);
    close (cfd);
  }
  return stop_server ();
}
