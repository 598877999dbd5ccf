/* guestkit: a qcow2 overlay that protects a source image (overlay.h). */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diskio/image-internal.h"
#include "diskio/overlay.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/tmpfiles.h"

/* qemu resolves a relative backing file against the overlay's folder,
 * not ours: give it an absolute path (or the URI as it was given).
 */
static char *
backing_name (const char *source)
{
  char *abs;

  if (gk_is_uri (source) || source[0] == '/')
    return xstrdup (source);
  abs = realpath (source, NULL);
  if (abs == NULL)
    gk_error_noexit ("%s: %s", source, strerror (errno));
  return abs;
}

char *
gk_overlay_create (const char *source, const char *format, const char *path)
{
  return gk_overlay_create_opts (source, format, path, NULL);
}

char *
gk_overlay_create_opts (const char *source, const char *format,
                        const char *path, const char *options)
{
  CLEANUP_FREE char *backing = backing_name (source);
  CLEANUP_FREE char *errfile = NULL;
  CLEANUP_FREE char *errtext = NULL;
  CLEANUP_FREE char *msg = NULL;
  struct gk_command_result result;
  char *overlay;

  if (backing == NULL)
    return NULL;
  if (path)
    overlay = xstrdup (path);
  else {
    static unsigned counter;

    overlay = xasprintf ("%s/overlay-%u.qcow2", gk_tmpdir (), ++counter);
    gk_tmpfile_register (overlay);
  }
  errfile = gk_qemu_errfile ("qemu-img");
  const char *argv[] = {
    QEMU_IMG, "create", "-q", "-f", "qcow2",
    "-o", options ? options : "compat=1.1",
    "-F", format, "-b", backing, overlay, NULL
  };
  const struct gk_command cmd = { .argv = argv, .stderr_path = errfile };

  if (gk_command_run (&cmd, &result) == -1) {
    free (overlay);
    return NULL;
  }
  errtext = gk_read_small_file (errfile);
  unlink (errfile);
  if (!gk_command_exited (&result, 0)) {
    msg = gk_qemu_message (errtext);
    gk_error_noexit ("%s: could not create a temporary overlay in %s%s%s",
                     source, path ? path : gk_tmpdir (),
                     msg ? ": " : "", msg ? msg : "");
    free (overlay);
    return NULL;
  }
  return overlay;
}
