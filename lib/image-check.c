/* guestkit: catching damaged qcow2 images before the appliance does.
 *
 * A truncated qcow2 opens fine in qemu and only fails later with I/O
 * errors deep inside the appliance, which surface as a missing
 * filesystem or an unreadable error.  `qemu-img check` reads just the
 * metadata (milliseconds for ordinary images) and says plainly whether
 * the image is intact.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "appliance.h"
#include "messages.h"

/* qemu-img check exit codes (qemu-img(1)). */
enum { CHECK_OK = 0, CHECK_FAILED = 1, CHECK_CORRUPT = 2, CHECK_LEAKS = 3 };

int
gk_check_qcow2 (const char *name, const char *path)
{
  pid_t pid;
  int status;

  pid = fork ();
  if (pid == -1) {
    gk_error_noexit ("fork: %s", strerror (errno));
    return -1;
  }
  if (pid == 0) {
    int null = open ("/dev/null", O_RDWR);

    if (null >= 0) {
      dup2 (null, STDIN_FILENO);
      dup2 (null, STDOUT_FILENO);
      dup2 (null, STDERR_FILENO);
    }
    /* -U: the image may be in use by a running guest; we only read. */
    execlp ("qemu-img", "qemu-img", "check", "-U", "-q", "-f", "qcow2",
            path, (char *) NULL);
    _exit (127);
  }
  while (waitpid (pid, &status, 0) == -1)
    if (errno != EINTR)
      return 0;
  if (!WIFEXITED (status) || WEXITSTATUS (status) == 127)
    return 0;                   /* no qemu-img: let qemu judge later */
  switch (WEXITSTATUS (status)) {
  case CHECK_OK:
  case CHECK_LEAKS:             /* leaked clusters waste space, harmless */
    return 0;
  case CHECK_CORRUPT:
    gk_error_noexit ("%s: the qcow2 image is corrupt or truncated "
                     "(qemu-img check found errors)", name);
    return -1;
  default:
    gk_error_noexit ("%s: the qcow2 image cannot be read "
                     "(qemu-img check could not open it)", name);
    return -1;
  }
}
