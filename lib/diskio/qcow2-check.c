/* guestkit: catching damaged qcow2 images before the appliance does.
 *
 * A truncated qcow2 opens fine in qemu and only fails later with I/O
 * errors deep inside the appliance, which surface as a missing
 * filesystem or an unreadable error.  `qemu-img check` reads just the
 * metadata (milliseconds for ordinary images) and says plainly whether
 * the image is intact.
 */
#include <config.h>

#include <sys/wait.h>

#include "diskio/qcow2-check.h"
#include "utils/exec.h"
#include "utils/messages.h"

/* qemu-img check exit codes (qemu-img(1)). */
enum { CHECK_OK = 0, CHECK_FAILED = 1, CHECK_CORRUPT = 2, CHECK_LEAKS = 3 };

int
gk_check_qcow2 (const char *name, const char *path)
{
  /* -U: the image may be in use by a running guest; we only read. */
  const char *argv[] = {
    QEMU_IMG, "check", "-U", "-q", "-f", "qcow2", path, NULL
  };
  const struct gk_command cmd = { .argv = argv };
  struct gk_command_result result;

  if (gk_command_run (&cmd, &result) == -1)
    return -1;
  if (result.status == -1 || !WIFEXITED (result.status) ||
      WEXITSTATUS (result.status) == 127)
    return 0;                   /* no qemu-img: let qemu judge later */
  switch (WEXITSTATUS (result.status)) {
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
