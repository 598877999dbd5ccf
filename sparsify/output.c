/* virt-sparsify: writing OUTDISK from the overlay, on the host.
 *
 * After the appliance, the overlay reads as the sparsified disk: the
 * released ranges are qcow2 zero clusters, the rest comes from the
 * source.  Raw and qcow2 outputs are written by the block-status copy
 * engine (lib/diskio/copy.h), which never reads a zero or unallocated
 * extent and skips data blocks that are all zeroes, so only live data
 * crosses.  Compression and the other formats need qemu's format
 * drivers: those go through `qemu-img convert`.
 *
 * A regular-file OUTDISK is written under a temporary name beside it
 * and renamed into place when complete, so a failed or interrupted run
 * leaves no partial output (and an existing OUTDISK untouched).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diskio/copy.h"
#include "diskio/image.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/progress.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "sparsify.h"

void
output_prepare (const struct sparsify_options *o, struct output *out)
{
  struct stat st;
  CLEANUP_FREE char *dcopy = xstrdup (o->outdisk);
  CLEANUP_FREE char *bcopy = xstrdup (o->outdisk);
  int fd;

  if (strstr (o->outdisk, "://"))
    gk_error ("%s: the output must be a local file or block device",
              o->outdisk);
  if (stat (o->outdisk, &st) == 0 && S_ISBLK (st.st_mode)) {
    if (access (o->outdisk, W_OK) == -1)
      gk_error ("%s: %m", o->outdisk);
    out->path = xstrdup (o->outdisk);
    out->device = true;
    return;
  }
  if (stat (o->outdisk, &st) == 0 && S_ISDIR (st.st_mode))
    gk_error ("%s: is a directory", o->outdisk);
  /* Made now, before the launch: an unwritable place fails at once. */
  out->path = xasprintf ("%s/.%s.sparsify-XXXXXX", dirname (dcopy),
                         basename (bcopy));
  fd = mkstemp (out->path);
  if (fd == -1)
    gk_error ("%s: cannot write the output: %m", o->outdisk);
  /* mkstemp's 0600 is for secrets; an image gets the usual mode. */
  {
    mode_t mask = umask (0);

    umask (mask);
    fchmod (fd, 0666 & ~mask);
  }
  close (fd);
  gk_tmpfile_register (out->path);
}

static void
copy_progress (uint64_t done, uint64_t len, void *opaque)
{
  (void) opaque;
  gk_progress_update (done, len);
}

/* qemu-img create -f FORMAT [-o OPTS] OUT SIZE, then the copy engine. */
static void
engine_copy (const struct sparsify_options *o, const struct output *out,
             const char *overlay, const char *format, uint64_t size)
{
  CLEANUP_FREE char *sizestr = xasprintf ("%" PRIu64, size);
  const char *argv[12];
  size_t n = 0;
  struct gk_image *src, *dst;
  int r;

  if (!out->device) {
    argv[n++] = QEMU_IMG; argv[n++] = "create"; argv[n++] = "-q";
    argv[n++] = "-f"; argv[n++] = format;
    if (o->qemu_opts) { argv[n++] = "-o"; argv[n++] = o->qemu_opts; }
    argv[n++] = out->path; argv[n++] = sizestr; argv[n] = NULL;
    if (run_qemu_img ("qemu-img create", argv) == -1)
      exit (EXIT_FAILURE);
  }
  src = gk_image_open (overlay, "qcow2", false);
  if (src == NULL)
    exit (EXIT_FAILURE);
  dst = gk_image_open (out->path, format, true);
  if (dst == NULL)
    exit (EXIT_FAILURE);
  if (gk_image_size (dst) < size)
    gk_error ("%s: the output device is smaller than the disk", o->outdisk);
  gk_progress_reset ();
  r = gk_image_copy (src, 0, dst, 0, size, true, copy_progress, NULL, NULL);
  if (r == 0)
    gk_progress_finish ();
  gk_image_close (src);
  if (gk_image_close (dst) == -1 || r == -1)
    exit (EXIT_FAILURE);
}

/* qemu-img convert, for compression and the formats the engine does
 * not write.
 */
static void
qemu_convert (const struct sparsify_options *o, const struct output *out,
              const char *overlay, const char *format)
{
  CLEANUP_FREE char *opts = NULL;
  const char *argv[16];
  size_t n = 0;

  if (o->compress && STREQ (o->compress, "zstd"))
    opts = o->qemu_opts
      ? xasprintf ("%s,compression_type=zstd", o->qemu_opts)
      : xstrdup ("compression_type=zstd");
  else if (o->qemu_opts)
    opts = xstrdup (o->qemu_opts);

  argv[n++] = QEMU_IMG; argv[n++] = "convert"; argv[n++] = "-q";
  argv[n++] = "-f"; argv[n++] = "qcow2"; argv[n++] = "-O"; argv[n++] = format;
  if (o->compress) argv[n++] = "-c";
  if (opts) { argv[n++] = "-o"; argv[n++] = opts; }
  /* A device is written as it is; a file is made by qemu-img. */
  if (out->device) argv[n++] = "-n";
  argv[n++] = overlay; argv[n++] = out->path; argv[n] = NULL;
  if (run_qemu_img ("qemu-img convert", argv) == -1)
    exit (EXIT_FAILURE);
}

void
output_write (const struct sparsify_options *o, const struct output *out,
              const char *overlay, const char *format, uint64_t size)
{
  gk_message ("Copy to destination and make sparse");
  gk_interrupt_message ("interrupted: %s was not written", o->outdisk);
  if (!o->compress && (STREQ (format, "raw") || STREQ (format, "qcow2")))
    engine_copy (o, out, overlay, format, size);
  else
    qemu_convert (o, out, overlay, format);

  if (!out->device) {
    gk_interrupt_hold ();
    if (rename (out->path, o->outdisk) == -1)
      gk_error ("%s: %m", o->outdisk);
    gk_interrupt_release ();
  }
  gk_interrupt_message ("interrupted");
}
