/* guestfish: copy-in and copy-out, whole files and directory trees
 * between the host and the guest, through a host tar on one end of a
 * pipe and libguestfs's tar-in / tar-out (or download) on the other.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "fish.h"

/* Start tar with ARGV, its stdin (TO_TAR) or stdout (!TO_TAR) on a
 * pipe; *FD is our end.  Returns the pid, or -1 after an error.
 */
static pid_t
start_tar (const char *const *argv, bool to_tar, int *fd)
{
  int p[2];
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) == -1) {
    fish_error ("pipe: %s", strerror (errno));
    return -1;
  }
  fflush (stdout);
  pid = fork ();
  if (pid == -1) {
    fish_error ("fork: %s", strerror (errno));
    close (p[0]);
    close (p[1]);
    return -1;
  }
  if (pid == 0) {
    dup2 (to_tar ? p[0] : p[1], to_tar ? STDIN_FILENO : STDOUT_FILENO);
    execvp ("tar", (char **) argv);
    fprintf (stderr, "tar: %s\n", strerror (errno));
    _exit (127);
  }
  close (to_tar ? p[0] : p[1]);
  *fd = to_tar ? p[1] : p[0];
  return pid;
}

static int
wait_tar (pid_t pid, const char *what)
{
  int status;

  if (waitpid (pid, &status, 0) == -1 || !WIFEXITED (status) ||
      WEXITSTATUS (status) != 0) {
    fish_error ("%s: the host's tar failed", what);
    return -1;
  }
  return 0;
}

static int
copy_in_one (const char *local, const char *remotedir)
{
  CLEANUP_FREE char *c1 = xstrdup (local), *c2 = xstrdup (local);
  const char *dir = dirname (c1), *base = basename (c2);
  const char *argv[] = { "tar", "-C", dir, "-cf", "-", "--", base, NULL };
  CLEANUP_FREE char *fdpath = NULL;
  struct stat st;
  int fd, r;
  pid_t pid;

  if (stat (local, &st) == -1) {
    fish_error ("copy-in: %s: %s", local, strerror (errno));
    return -1;
  }
  pid = start_tar (argv, false, &fd);
  if (pid == -1)
    return -1;
  fdpath = xasprintf ("/dev/fd/%d", fd);
  r = guestfs_tar_in (fish.g, fdpath, remotedir);
  close (fd);
  if (wait_tar (pid, local) == -1)
    r = -1;
  return r;
}

int
fish_copy_in (char *const *args)
{
  size_t n = gk_count_strings (args);
  const char *remotedir;
  int r;

  if (n < 2) {
    fish_error ("copy-in: give the host files, then the guest directory");
    return -1;
  }
  remotedir = args[n - 1];
  r = guestfs_is_dir (fish.g, remotedir);
  if (r == -1)
    return -1;
  if (r == 0) {
    fish_error ("copy-in: %s: not a directory in the guest", remotedir);
    return -1;
  }
  for (size_t i = 0; i < n - 1; ++i)
    if (copy_in_one (args[i], remotedir) == -1)
      return -1;
  return 0;
}

static int
copy_out_one (const char *remote, const char *localdir)
{
  CLEANUP_FREE char *c = xstrdup (remote);
  const char *base = basename (c);
  CLEANUP_FREE char *target = xasprintf ("%s/%s", localdir, base);
  CLEANUP_FREE char *fdpath = NULL;
  int r, fd;
  pid_t pid;

  r = guestfs_is_file (fish.g, remote);
  if (r == -1)
    return -1;
  if (r == 1)
    return guestfs_download (fish.g, remote, target);
  r = guestfs_is_dir (fish.g, remote);
  if (r == -1)
    return -1;
  if (r == 0) {
    fish_error ("copy-out: %s: not a file or a directory in the guest",
                remote);
    return -1;
  }
  if (mkdir (target, 0755) == -1 && errno != EEXIST) {
    fish_error ("copy-out: %s: %s", target, strerror (errno));
    return -1;
  }
  {
    const char *argv[] = { "tar", "-C", target, "-xf", "-", NULL };

    pid = start_tar (argv, true, &fd);
  }
  if (pid == -1)
    return -1;
  fdpath = xasprintf ("/dev/fd/%d", fd);
  r = guestfs_tar_out (fish.g, remote, fdpath);
  close (fd);
  if (wait_tar (pid, target) == -1)
    r = -1;
  return r;
}

int
fish_copy_out (char *const *args)
{
  size_t n = gk_count_strings (args);
  const char *localdir;
  struct stat st;

  if (n < 2) {
    fish_error ("copy-out: give the guest files, then the host directory");
    return -1;
  }
  localdir = args[n - 1];
  if (stat (localdir, &st) == -1 || !S_ISDIR (st.st_mode)) {
    fish_error ("copy-out: %s: not a directory on the host", localdir);
    return -1;
  }
  for (size_t i = 0; i < n - 1; ++i)
    if (copy_out_one (args[i], localdir) == -1)
      return -1;
  return 0;
}
