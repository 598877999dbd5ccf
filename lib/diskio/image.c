/* guestkit: reading and writing disk images on the host, through a
 * private qemu-nbd driven by libnbd (see disk-io.h).
 *
 * qemu-nbd is started with systemd socket activation, so it needs no
 * port or socket file and exits as soon as our end of the socket closes
 * (gk_image_close, or the process dying for any reason).  Its stderr goes
 * to a file in the private temporary directory, so that a failure can
 * be told to the user as one line instead of qemu's multi-line chatter.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libnbd.h>

#include "diskio/image-internal.h"
#include "diskio/format.h"
#include "diskio/image.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/tmpfiles.h"

/* One line for a failed request: what we did, libnbd's reason, and
 * what qemu-nbd said, if anything.
 */
void
gk_image_report_error (struct gk_image *disk, const char *what, int err)
{
  CLEANUP_FREE char *errtext = gk_read_small_file (disk->errfile);
  CLEANUP_FREE char *msg = gk_qemu_message (errtext);
  const char *reason = err ? strerror (err) : nbd_get_error ();

  if (reason == NULL)
    reason = "unknown error";
  if (msg)
    gk_error_noexit ("%s: %s: %s (qemu-nbd: %s)", disk->path, what, reason,
                     msg);
  else
    gk_error_noexit ("%s: %s: %s", disk->path, what, reason);
}

static void
free_disk (struct gk_image *disk)
{
  if (disk->pid > 0)
    gk_interrupt_remove_child (disk->pid);
  if (disk->nbd)
    nbd_close (disk->nbd);      /* waits for qemu-nbd to exit */
  if (disk->errfile)
    unlink (disk->errfile);
  if (disk->pidfile)
    unlink (disk->pidfile);
  free (disk->errfile);
  free (disk->pidfile);
  free (disk->path);
  free (disk->format);
  free (disk);
}

/* An interruption stops qemu-nbd and reaps it (utils/tmpfiles.h)
 * before the tool makes its output invalid: no write of ours can land
 * after that.  Closing our end of the socket first lets qemu-nbd
 * finish cleanly (a qcow2's metadata is written) instead of blocking on
 * a reply nobody reads.
 */
static void
register_child (struct gk_image *disk)
{
  CLEANUP_FREE char *text = gk_read_small_file (disk->pidfile);
  int fd = nbd_aio_get_fd (disk->nbd);
  long pid;
  char end;

  if (sscanf (text, "%ld%c", &pid, &end) == 2 && end == '\n' && pid > 1) {
    disk->pid = pid;
    gk_interrupt_add_child (disk->pid, fd);
  }
}

/* The list after "Supported formats:" in qemu-img --help (asked once),
 * or NULL if qemu-img does not tell.
 */
static const char *
qemu_formats (void)
{
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  static bool asked;
  static char *formats;
  const char *argv[] = { QEMU_IMG, "--help", NULL };
  struct gk_command cmd = { .argv = argv, .capture_stdout = true };
  struct gk_command_result result;

  pthread_mutex_lock (&lock);
  if (!asked && gk_command_run (&cmd, &result) == 0) {
    const char *p = result.output ?
      strstr (result.output, "Supported formats:") : NULL;

    if (gk_command_exited (&result, 0) && p) {
      p += strlen ("Supported formats:");
      formats = xstrndup (p, strcspn (p, "\n"));
    }
    free (result.output);
  }
  asked = true;
  pthread_mutex_unlock (&lock);
  return formats;
}

bool
gk_image_format_known (const char *name)
{
  const char *p = qemu_formats ();
  size_t len = strlen (name);

  if (p == NULL)
    return true;
  while (*p) {
    size_t n;

    p += strspn (p, " \t");
    n = strcspn (p, " \t");
    if (n == len && strncmp (p, name, n) == 0)
      return true;
    p += n;
  }
  return false;
}

/* "driver=FORMAT,file.filename=PATH,file.locking=off" for qemu's
 * --image-opts, with the commas of PATH doubled.
 */
static char *
unlocked_image_opts (const char *path, const char *format)
{
  size_t len = strlen (path);
  CLEANUP_FREE char *escaped = xmalloc (2 * len + 1);
  char *q = escaped;

  for (const char *p = path; *p; ++p) {
    *q++ = *p;
    if (*p == ',')
      *q++ = ',';
  }
  *q = '\0';
  return xasprintf ("driver=%s,file.filename=%s,file.locking=off", format,
                    escaped);
}

static struct gk_image *
open_image (const char *path, const char *format, bool writable,
            bool shared)
{
  struct gk_image *disk;
  const char *argv[16];
  CLEANUP_FREE char *image_opts = NULL;
  size_t i = 0;
  int64_t r;
  struct stat st;

  /* qemu's words for it are "'file' driver requires ... to be a regular
   * file".
   */
  if (!gk_is_uri (path) && stat (path, &st) == 0 && S_ISDIR (st.st_mode)) {
    gk_error_noexit ("%s: is a directory, not a disk image", path);
    return NULL;
  }

  disk = xcalloc (1, sizeof *disk);
  disk->path = xstrdup (path);
  disk->writable = writable;
  if (format)
    disk->format = xstrdup (format);
  else if ((disk->format = gk_image_detect_format (path)) == NULL) {
    free_disk (disk);
    return NULL;
  }
  disk->errfile = gk_qemu_errfile ("qemu-nbd");
  disk->pidfile = gk_qemu_errfile ("qemu-nbd-pid");

  disk->nbd = nbd_create ();
  if (disk->nbd == NULL) {
    gk_error_noexit ("%s: %s", path, nbd_get_error ());
    free_disk (disk);
    return NULL;
  }
  if (nbd_add_meta_context (disk->nbd, LIBNBD_CONTEXT_BASE_ALLOCATION) == -1) {
    gk_error_noexit ("%s: %s", path, nbd_get_error ());
    free_disk (disk);
    return NULL;
  }

  /* The shell only points stderr at our file and says its pid: "exec"
   * keeps the process, so LISTEN_PID set by libnbd still matches
   * qemu-nbd, and the pid is qemu-nbd's (libnbd does not tell it).
   *
   * qemu-nbd allocates a buffer per request; with glibc's defaults a
   * multi-megabyte one is a fresh mmap, page-faulted and cleared every
   * time, which cost a third of the CPU of a copy.  Keeping them on the
   * heap makes copies about 1.4 times faster.
   *
   * setsid(1) (when there is one; it keeps the pid, the shell not
   * leading a process group) puts qemu-nbd out of the terminal's reach:
   * ^C goes to us alone, and our handler stops qemu-nbd when it is
   * safe, instead of it dying under a write we are still making.
   */
  argv[i++] = "/bin/sh";
  argv[i++] = "-c";
  argv[i++] =
    "f=$1; echo $$ >\"$2\"; shift 2; "
    "export GLIBC_TUNABLES=${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}"
    "glibc.malloc.mmap_threshold=33554432:"
    "glibc.malloc.trim_threshold=268435456; "
    "if command -v setsid >/dev/null; then exec setsid \"$@\" 2>\"$f\"; fi; "
    "exec \"$@\" 2>\"$f\"";
  argv[i++] = "qemu-nbd";
  argv[i++] = disk->errfile;
  argv[i++] = disk->pidfile;
  argv[i++] = QEMU_NBD;
  /* Always name the format: a probed raw image is refused writes to
   * sector 0, and probing untrusted images is unsafe.
   */
  if (shared) {
    image_opts = unlocked_image_opts (path, disk->format);
    argv[i++] = "--image-opts";
  }
  else {
    argv[i++] = "-f";
    argv[i++] = disk->format;
  }
  if (writable) {
    /* Like qemu-img convert's default for the target: the data reach
     * the host page cache, and only a host crash could lose them.
     * "unmap" lets zero requests punch holes in sparse targets.
     */
    argv[i++] = "--cache=unsafe";
    argv[i++] = "--discard=unmap";
  }
  else {
    argv[i++] = "--read-only";
    argv[i++] = "--cache=writeback";
  }
  argv[i++] = shared ? image_opts : path;
  argv[i] = NULL;

  if (nbd_connect_systemd_socket_activation (disk->nbd,
                                             (char **) argv) == -1) {
    CLEANUP_FREE char *nbd_msg = xstrdup (nbd_get_error ());
    CLEANUP_FREE char *errtext = NULL;
    CLEANUP_FREE char *msg = NULL;

    /* Closing waits for qemu-nbd, so its stderr is complete. */
    nbd_close (disk->nbd);
    disk->nbd = NULL;
    errtext = gk_read_small_file (disk->errfile);
    msg = gk_qemu_message (errtext);
    gk_error_noexit ("%s: %s", path,
                     msg ? msg : nbd_msg);
    free_disk (disk);
    return NULL;
  }

  register_child (disk);

  r = nbd_get_size (disk->nbd);
  if (r == -1) {
    gk_image_report_error (disk, "cannot get the size", 0);
    free_disk (disk);
    return NULL;
  }
  disk->size = r;
  if (writable && nbd_is_read_only (disk->nbd) == 1) {
    gk_error_noexit ("%s: the image can only be opened read-only", path);
    free_disk (disk);
    return NULL;
  }

  r = nbd_get_block_size (disk->nbd, LIBNBD_SIZE_MAXIMUM);
  disk->max_request = MAX_REQUEST;
  if (r > 0 && (uint64_t) r < MAX_REQUEST)
    disk->max_request = r;
  disk->can_zero = nbd_can_zero (disk->nbd) == 1;
  disk->can_flush = nbd_can_flush (disk->nbd) == 1;
  disk->can_block_status =
    nbd_can_meta_context (disk->nbd, LIBNBD_CONTEXT_BASE_ALLOCATION) == 1;
  return disk;
}

struct gk_image *
gk_image_open (const char *path, const char *format, bool writable)
{
  return open_image (path, format, writable, false);
}

struct gk_image *
gk_image_open_shared (const char *path, const char *format)
{
  return open_image (path, format, false, !gk_is_uri (path));
}

int
gk_image_close (struct gk_image *disk)
{
  int ret = 0;

  if (disk == NULL)
    return 0;
  if (disk->writable && disk->can_flush &&
      nbd_flush (disk->nbd, 0) == -1) {
    gk_image_report_error (disk, "flushing failed", 0);
    ret = -1;
  }
  /* A clean disconnect lets qemu-nbd finish its writes and exit. */
  if (nbd_shutdown (disk->nbd, 0) == -1 && ret == 0) {
    gk_image_report_error (disk, "closing failed", 0);
    ret = -1;
  }
  free_disk (disk);
  return ret;
}

uint64_t
gk_image_size (const struct gk_image *disk)
{
  return disk->size;
}

const char *
gk_image_format (const struct gk_image *disk)
{
  return disk->format;
}

const char *
gk_image_path (const struct gk_image *disk)
{
  return disk->path;
}

int
gk_image_check_range (struct gk_image *disk, const char *op, uint64_t count,
             uint64_t offset)
{
  if (offset > disk->size || count > disk->size - offset) {
    gk_error_noexit ("%s: cannot %s %" PRIu64 " bytes at offset %" PRIu64
                     ": beyond the end of the disk (%" PRIu64 " bytes)",
                     disk->path, op, count, offset, disk->size);
    return -1;
  }
  return 0;
}

int
gk_image_pread (struct gk_image *disk, void *buf, size_t count,
               uint64_t offset)
{
  char *p = buf;

  if (gk_image_check_range (disk, "read", count, offset) == -1)
    return -1;
  while (count > 0) {
    size_t n = count < disk->max_request ? count : disk->max_request;

    if (nbd_pread (disk->nbd, p, n, offset, 0) == -1) {
      CLEANUP_FREE char *what =
        xasprintf ("reading at offset %" PRIu64 " failed", offset);

      gk_image_report_error (disk, what, 0);
      return -1;
    }
    p += n;
    offset += n;
    count -= n;
  }
  return 0;
}

int
gk_image_pwrite (struct gk_image *disk, const void *buf, size_t count,
                uint64_t offset)
{
  const char *p = buf;

  if (!disk->writable) {
    gk_error_noexit ("%s: internal error: writing to a disk opened "
                     "read-only", disk->path);
    return -1;
  }
  if (gk_image_check_range (disk, "write", count, offset) == -1)
    return -1;
  while (count > 0) {
    size_t n = count < disk->max_request ? count : disk->max_request;

    if (nbd_pwrite (disk->nbd, p, n, offset, 0) == -1) {
      CLEANUP_FREE char *what =
        xasprintf ("writing at offset %" PRIu64 " failed", offset);

      gk_image_report_error (disk, what, 0);
      return -1;
    }
    p += n;
    offset += n;
    count -= n;
  }
  return 0;
}

/* A buffer of zeroes for servers that cannot zero (never qemu-nbd). */
const char *
gk_image_zero_buffer (void)
{
  static char *zeroes;

  if (zeroes == NULL)
    zeroes = xcalloc (1, MAX_REQUEST);
  return zeroes;
}

/* Largest request from OFFSET not crossing a multiple of LIMIT, so
 * that big zero requests stay aligned for the format underneath.
 */
uint64_t
gk_image_aligned_piece (uint64_t offset, uint64_t count, uint64_t limit)
{
  uint64_t to_boundary = limit - offset % limit;

  return count < to_boundary ? count : to_boundary;
}

int
gk_image_zero (struct gk_image *disk, uint64_t count, uint64_t offset,
              bool punch)
{
  if (!disk->writable) {
    gk_error_noexit ("%s: internal error: zeroing a disk opened "
                     "read-only", disk->path);
    return -1;
  }
  if (gk_image_check_range (disk, "zero", count, offset) == -1)
    return -1;
  while (count > 0) {
    uint64_t n;
    int r;

    if (disk->can_zero && (punch || strcmp (disk->format, "raw") == 0)) {
      n = gk_image_aligned_piece (offset, count, MAX_ZERO_REQUEST);
      r = nbd_zero (disk->nbd, n, offset,
                    punch ? 0 : LIBNBD_CMD_FLAG_NO_HOLE);
    }
    else {
      n = gk_image_aligned_piece (offset, count, disk->max_request);
      r = nbd_pwrite (disk->nbd, gk_image_zero_buffer (), n, offset, 0);
    }
    if (r == -1) {
      CLEANUP_FREE char *what =
        xasprintf ("zeroing at offset %" PRIu64 " failed", offset);

      gk_image_report_error (disk, what, 0);
      return -1;
    }
    offset += n;
    count -= n;
  }
  return 0;
}

int
gk_image_flush (struct gk_image *disk)
{
  if (!disk->writable || !disk->can_flush)
    return 0;
  if (nbd_flush (disk->nbd, 0) == -1) {
    gk_image_report_error (disk, "flushing failed", 0);
    return -1;
  }
  return 0;
}

/* The adapters for the ondisk parsers: gk_image_pread/pwrite, except
 * that the reason for a failure goes to *ERRMSG (without the path,
 * which the tool adds) instead of being printed (ondisk/reader.h).
 */
static char *
adapter_range_error (struct gk_image *disk, const char *op, size_t count,
                     uint64_t offset)
{
  if (offset <= disk->size && count <= disk->size - offset)
    return NULL;
  return xasprintf ("cannot %s %zu bytes at offset %" PRIu64 ": beyond "
                    "the end of the disk (%" PRIu64 " bytes)",
                    op, count, offset, disk->size);
}

static char *
adapter_error (struct gk_image *disk, const char *op, uint64_t offset)
{
  CLEANUP_FREE char *errtext = gk_read_small_file (disk->errfile);
  CLEANUP_FREE char *msg = gk_qemu_message (errtext);
  const char *reason = nbd_get_error ();

  if (reason == NULL)
    reason = "unknown error";
  if (msg)
    return xasprintf ("%s at offset %" PRIu64 " failed: %s (qemu-nbd: %s)",
                      op, offset, reason, msg);
  return xasprintf ("%s at offset %" PRIu64 " failed: %s",
                    op, offset, reason);
}

int
gk_image_pread_fn (void *opaque, void *buf, size_t count, uint64_t offset,
                   char **errmsg)
{
  struct gk_image *disk = opaque;
  char *p = buf;

  if ((*errmsg = adapter_range_error (disk, "read", count, offset)))
    return -1;
  while (count > 0) {
    size_t n = count < disk->max_request ? count : disk->max_request;

    if (nbd_pread (disk->nbd, p, n, offset, 0) == -1) {
      *errmsg = adapter_error (disk, "reading", offset);
      return -1;
    }
    p += n;
    offset += n;
    count -= n;
  }
  return 0;
}

int
gk_image_pwrite_fn (void *opaque, const void *buf, size_t count,
                    uint64_t offset, char **errmsg)
{
  struct gk_image *disk = opaque;
  const char *p = buf;

  if (!disk->writable) {
    *errmsg = xstrdup ("internal error: writing to a disk opened "
                       "read-only");
    return -1;
  }
  if ((*errmsg = adapter_range_error (disk, "write", count, offset)))
    return -1;
  while (count > 0) {
    size_t n = count < disk->max_request ? count : disk->max_request;

    if (nbd_pwrite (disk->nbd, p, n, offset, 0) == -1) {
      *errmsg = adapter_error (disk, "writing", offset);
      return -1;
    }
    p += n;
    offset += n;
    count -= n;
  }
  return 0;
}
