/* guestkit: reading and writing disk images on the host, through a
 * private qemu-nbd driven by libnbd (see disk-io.h).
 *
 * qemu-nbd is started with systemd socket activation, so it needs no
 * port or socket file and exits as soon as our end of the socket closes
 * (gk_disk_close, or the process dying for any reason).  Its stderr goes
 * to a file in the private temporary directory, so that a failure can
 * be told to the user as one line instead of qemu's multi-line chatter.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
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

#include "cleanups.h"
#include "disk-io.h"
#include "gk-strings.h"
#include "messages.h"
#include "tmpfiles.h"
#include "vector.h"

#define KiB ((uint64_t) 1024)
#define MiB (KiB * 1024)
#define GiB (MiB * 1024)

/* qemu-nbd refuses requests over 32 MiB whatever it advertises. */
#define MAX_REQUEST (32 * MiB)
/* Zero requests carry no data, so they can be large; but the NBD
 * length field is 32 bits.
 */
#define MAX_ZERO_REQUEST GiB

struct gk_disk {
  struct nbd_handle *nbd;
  char *path;
  char *format;
  char *errfile;                /* qemu-nbd's stderr */
  uint64_t size;
  size_t max_request;
  bool writable;
  bool can_zero;
  bool can_flush;
  bool can_block_status;
};

static bool
is_uri (const char *path)
{
  return strstr (path, "://") != NULL;
}

/* A temporary file for one child's stderr. */
static char *
new_errfile (const char *what)
{
  static unsigned counter;

  return xasprintf ("%s/%s-%u.err", gk_tmpdir (), what, ++counter);
}

static char *
read_small_file (const char *path)
{
  CLEANUP_FCLOSE FILE *fp = fopen (path, "r");
  char *text;
  size_t n;

  if (fp == NULL)
    return xstrdup ("");
  text = xmalloc (8192);
  n = fread (text, 1, 8191, fp);
  text[n] = '\0';
  return text;
}

/* Drop "PREFIX 'anything': " from the front of *MSG. */
static bool
strip_quoted_prefix (const char **msg, const char *prefix)
{
  const char *p = *msg;
  size_t len = strlen (prefix);

  if (strncmp (p, prefix, len) != 0 || p[len] != '\'')
    return false;
  p = strstr (p + len + 1, "': ");
  if (p == NULL)
    return false;
  *msg = p + 3;
  return true;
}

/* Condense what qemu-img or qemu-nbd wrote on stderr into the part a
 * user needs: the last line qemu itself prefixed, minus the program
 * name and the "Could not open 'PATH': " repetitions (our message
 * already names the image).  NULL if nothing was said.
 */
static char *
qemu_message (const char *text)
{
  CLEANUP_FREE_STRING_LIST char **lines = gk_split_string ('\n', text);
  const char *best = NULL;
  const char *msg;
  size_t n;

  if (strstr (text, "Failed to get") && strstr (text, "lock"))
    return xstrdup ("the image is in use by another program "
                    "(qemu could not lock it)");
  for (size_t i = 0; lines[i]; ++i) {
    if (STRPREFIX (lines[i], "qemu-nbd: ") ||
        STRPREFIX (lines[i], "qemu-img: "))
      best = lines[i];
    else if (best == NULL && lines[i][0] != '\0')
      best = lines[i];
  }
  if (best == NULL)
    return NULL;
  msg = best;
  if (STRPREFIX (msg, "qemu-nbd: ") || STRPREFIX (msg, "qemu-img: "))
    msg += 10;
  while (strip_quoted_prefix (&msg, "Failed to blk_new_open ") ||
         strip_quoted_prefix (&msg, "Could not open "))
    ;
  n = strlen (msg);
  while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == '\r'))
    n--;
  return n > 0 ? xstrndup (msg, n) : NULL;
}

/* The top-level "format" member of qemu-img's JSON.  Nested objects
 * (backing images, format-specific data) are skipped by depth.
 */
static char *
json_top_level_format (const char *json)
{
  int depth = 0;
  const char *p = json;

  while (*p) {
    if (*p == '"') {
      const char *start = ++p;
      const char *end;

      while (*p && *p != '"') {
        if (*p == '\\' && p[1])
          p++;
        p++;
      }
      if (*p == '\0')
        return NULL;
      end = p++;
      if (depth == 1 && end - start == 6 && memcmp (start, "format", 6) == 0) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
          p++;
        if (*p != ':')
          continue;
        p++;
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
          p++;
        if (*p != '"')
          return NULL;
        start = ++p;
        /* Format names never contain escapes. */
        while (*p && *p != '"' && *p != '\\')
          p++;
        if (*p != '"')
          return NULL;
        return xstrndup (start, p - start);
      }
      continue;
    }
    if (*p == '{' || *p == '[')
      depth++;
    else if (*p == '}' || *p == ']')
      depth--;
    p++;
  }
  return NULL;
}

/* Run ARGV with stdout captured (returned) and stderr in ERRFILE.
 * Sets *STATUS to the wait status.  NULL after reporting if the
 * program could not be run at all.
 */
static char *
run_capture (char *const *argv, const char *errfile, int *status)
{
  int fd[2];
  pid_t pid;
  size_t len = 0, cap = 4096;
  char *out;

  if (pipe2 (fd, O_CLOEXEC) == -1) {
    gk_error_noexit ("pipe: %s", strerror (errno));
    return NULL;
  }
  pid = fork ();
  if (pid == -1) {
    gk_error_noexit ("fork: %s", strerror (errno));
    close (fd[0]);
    close (fd[1]);
    return NULL;
  }
  if (pid == 0) {
    int err = open (errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null = open ("/dev/null", O_RDONLY);

    if (err >= 0)
      dup2 (err, STDERR_FILENO);
    if (null >= 0)
      dup2 (null, STDIN_FILENO);
    dup2 (fd[1], STDOUT_FILENO);
    execv (argv[0], argv);
    fprintf (stderr, "%s: %s\n", argv[0], strerror (errno));
    _exit (127);
  }
  close (fd[1]);
  out = xmalloc (cap);
  for (;;) {
    ssize_t r;

    if (len + 1 >= cap)
      out = xrealloc (out, cap *= 2);
    r = read (fd[0], out + len, cap - len - 1);
    if (r == -1 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    len += r;
  }
  out[len] = '\0';
  close (fd[0]);
  while (waitpid (pid, status, 0) == -1)
    if (errno != EINTR) {
      *status = -1;
      break;
    }
  return out;
}

char *
gk_disk_detect_format (const char *path)
{
  CLEANUP_FREE char *errfile = NULL;
  CLEANUP_FREE char *out = NULL;
  CLEANUP_FREE char *errtext = NULL;
  CLEANUP_FREE char *msg = NULL;
  struct stat st;
  int status;
  char *format;

  /* "-U": only the header is read, and an image in use deserves the
   * clearer error gk_disk_open gives.
   */
  char *argv[] = { (char *) QEMU_IMG, (char *) "info", (char *) "-U",
                   (char *) "--output=json", (char *) path, NULL };

  if (!is_uri (path) && stat (path, &st) == -1) {
    gk_error_noexit ("%s: %s", path, strerror (errno));
    return NULL;
  }
  errfile = new_errfile ("qemu-img");
  out = run_capture (argv, errfile, &status);
  errtext = read_small_file (errfile);
  unlink (errfile);
  if (out == NULL)
    return NULL;
  if (status != 0) {
    msg = qemu_message (errtext);
    gk_error_noexit ("%s: %s", path,
                     msg ? msg : "qemu-img cannot read this image");
    return NULL;
  }
  format = json_top_level_format (out);
  if (format == NULL)
    gk_error_noexit ("%s: could not find the image format in the output "
                     "of qemu-img info", path);
  return format;
}

/* One line for a failed request: what we did, libnbd's reason, and
 * what qemu-nbd said, if anything.
 */
static void
report_nbd_error (struct gk_disk *disk, const char *what, int err)
{
  CLEANUP_FREE char *errtext = read_small_file (disk->errfile);
  CLEANUP_FREE char *msg = qemu_message (errtext);
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
free_disk (struct gk_disk *disk)
{
  if (disk->nbd)
    nbd_close (disk->nbd);      /* waits for qemu-nbd to exit */
  if (disk->errfile)
    unlink (disk->errfile);
  free (disk->errfile);
  free (disk->path);
  free (disk->format);
  free (disk);
}

struct gk_disk *
gk_disk_open (const char *path, const char *format, bool writable)
{
  struct gk_disk *disk;
  const char *argv[16];
  size_t i = 0;
  int64_t r;

  disk = xcalloc (1, sizeof *disk);
  disk->path = xstrdup (path);
  disk->writable = writable;
  if (format)
    disk->format = xstrdup (format);
  else if ((disk->format = gk_disk_detect_format (path)) == NULL) {
    free_disk (disk);
    return NULL;
  }
  disk->errfile = new_errfile ("qemu-nbd");

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

  /* The shell only points stderr at our file: "exec" keeps the
   * process, so LISTEN_PID set by libnbd still matches qemu-nbd.
   *
   * qemu-nbd allocates a buffer per request; with glibc's defaults a
   * multi-megabyte one is a fresh mmap, page-faulted and cleared every
   * time, which cost a third of the CPU of a copy.  Keeping them on the
   * heap makes copies about 1.4 times faster.
   */
  argv[i++] = "/bin/sh";
  argv[i++] = "-c";
  argv[i++] =
    "f=$1; shift; "
    "export GLIBC_TUNABLES=${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}"
    "glibc.malloc.mmap_threshold=33554432:"
    "glibc.malloc.trim_threshold=268435456; "
    "exec \"$@\" 2>\"$f\"";
  argv[i++] = "qemu-nbd";
  argv[i++] = disk->errfile;
  argv[i++] = QEMU_NBD;
  /* Always name the format: a probed raw image is refused writes to
   * sector 0, and probing untrusted images is unsafe.
   */
  argv[i++] = "-f";
  argv[i++] = disk->format;
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
  argv[i++] = path;
  argv[i] = NULL;

  if (nbd_connect_systemd_socket_activation (disk->nbd,
                                             (char **) argv) == -1) {
    CLEANUP_FREE char *nbd_msg = xstrdup (nbd_get_error ());
    CLEANUP_FREE char *errtext = NULL;
    CLEANUP_FREE char *msg = NULL;

    /* Closing waits for qemu-nbd, so its stderr is complete. */
    nbd_close (disk->nbd);
    disk->nbd = NULL;
    errtext = read_small_file (disk->errfile);
    msg = qemu_message (errtext);
    gk_error_noexit ("%s: %s", path,
                     msg ? msg : nbd_msg);
    free_disk (disk);
    return NULL;
  }

  r = nbd_get_size (disk->nbd);
  if (r == -1) {
    report_nbd_error (disk, "cannot get the size", 0);
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

int
gk_disk_close (struct gk_disk *disk)
{
  int ret = 0;

  if (disk == NULL)
    return 0;
  if (disk->writable && disk->can_flush &&
      nbd_flush (disk->nbd, 0) == -1) {
    report_nbd_error (disk, "flushing failed", 0);
    ret = -1;
  }
  /* A clean disconnect lets qemu-nbd finish its writes and exit. */
  if (nbd_shutdown (disk->nbd, 0) == -1 && ret == 0) {
    report_nbd_error (disk, "closing failed", 0);
    ret = -1;
  }
  free_disk (disk);
  return ret;
}

uint64_t
gk_disk_size (const struct gk_disk *disk)
{
  return disk->size;
}

const char *
gk_disk_format (const struct gk_disk *disk)
{
  return disk->format;
}

const char *
gk_disk_path (const struct gk_disk *disk)
{
  return disk->path;
}

static int
check_range (struct gk_disk *disk, const char *op, uint64_t count,
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
gk_disk_pread (struct gk_disk *disk, void *buf, size_t count,
               uint64_t offset)
{
  char *p = buf;

  if (check_range (disk, "read", count, offset) == -1)
    return -1;
  while (count > 0) {
    size_t n = count < disk->max_request ? count : disk->max_request;

    if (nbd_pread (disk->nbd, p, n, offset, 0) == -1) {
      CLEANUP_FREE char *what =
        xasprintf ("reading at offset %" PRIu64 " failed", offset);

      report_nbd_error (disk, what, 0);
      return -1;
    }
    p += n;
    offset += n;
    count -= n;
  }
  return 0;
}

int
gk_disk_pwrite (struct gk_disk *disk, const void *buf, size_t count,
                uint64_t offset)
{
  const char *p = buf;

  if (!disk->writable) {
    gk_error_noexit ("%s: internal error: writing to a disk opened "
                     "read-only", disk->path);
    return -1;
  }
  if (check_range (disk, "write", count, offset) == -1)
    return -1;
  while (count > 0) {
    size_t n = count < disk->max_request ? count : disk->max_request;

    if (nbd_pwrite (disk->nbd, p, n, offset, 0) == -1) {
      CLEANUP_FREE char *what =
        xasprintf ("writing at offset %" PRIu64 " failed", offset);

      report_nbd_error (disk, what, 0);
      return -1;
    }
    p += n;
    offset += n;
    count -= n;
  }
  return 0;
}

/* A buffer of zeroes for servers that cannot zero (never qemu-nbd). */
static const char *
zero_buffer (void)
{
  static char *zeroes;

  if (zeroes == NULL)
    zeroes = xcalloc (1, MAX_REQUEST);
  return zeroes;
}

/* Largest request from OFFSET not crossing a multiple of LIMIT, so
 * that big zero requests stay aligned for the format underneath.
 */
static uint64_t
aligned_piece (uint64_t offset, uint64_t count, uint64_t limit)
{
  uint64_t to_boundary = limit - offset % limit;

  return count < to_boundary ? count : to_boundary;
}

int
gk_disk_zero (struct gk_disk *disk, uint64_t count, uint64_t offset,
              bool punch)
{
  if (!disk->writable) {
    gk_error_noexit ("%s: internal error: zeroing a disk opened "
                     "read-only", disk->path);
    return -1;
  }
  if (check_range (disk, "zero", count, offset) == -1)
    return -1;
  while (count > 0) {
    uint64_t n;
    int r;

    if (disk->can_zero) {
      n = aligned_piece (offset, count, MAX_ZERO_REQUEST);
      r = nbd_zero (disk->nbd, n, offset,
                    punch ? 0 : LIBNBD_CMD_FLAG_NO_HOLE);
    }
    else {
      n = aligned_piece (offset, count, disk->max_request);
      r = nbd_pwrite (disk->nbd, zero_buffer (), n, offset, 0);
    }
    if (r == -1) {
      CLEANUP_FREE char *what =
        xasprintf ("zeroing at offset %" PRIu64 " failed", offset);

      report_nbd_error (disk, what, 0);
      return -1;
    }
    offset += n;
    count -= n;
  }
  return 0;
}

int
gk_disk_flush (struct gk_disk *disk)
{
  if (!disk->writable || !disk->can_flush)
    return 0;
  if (nbd_flush (disk->nbd, 0) == -1) {
    report_nbd_error (disk, "flushing failed", 0);
    return -1;
  }
  return 0;
}

int
gk_disk_pread_fn (void *opaque, void *buf, size_t count, uint64_t offset)
{
  return gk_disk_pread (opaque, buf, count, offset);
}

int
gk_disk_pwrite_fn (void *opaque, const void *buf, size_t count,
                   uint64_t offset)
{
  return gk_disk_pwrite (opaque, buf, count, offset);
}

/* Copying.
 *
 * One thread drives both connections with libnbd's asynchronous API:
 * NSLOTS buffers of CHUNK bytes cycle through read (source), check for
 * zero GRANULEs, write or zero (destination).  Chunks and granules are
 * aligned in destination offsets, which is where alignment matters
 * (holes punched, qcow2 clusters).  Completion callbacks only update
 * counters and states; all requests are issued from the main loop.
 */
/* qemu-img convert's own choice (2 MiB, 8 requests) measured as well
 * as any: bigger requests only cost more memory in qemu-nbd.
 */
#define CHUNK (2 * MiB)
#define NSLOTS 8
#define GRANULE (64 * KiB)
/* Block status is asked for this much at a time. */
#define STATUS_WINDOW GiB
/* Zero requests in flight are cheap but not free. */
#define MAX_ZEROS_IN_FLIGHT 16

enum slot_state { SLOT_FREE, SLOT_READING, SLOT_READ_DONE, SLOT_WRITING };

struct copy;

struct slot {
  struct copy *copy;
  enum slot_state state;
  char *buf;
  uint64_t pos;                 /* relative to the start of the copy */
  size_t count;
  unsigned writes;              /* destination requests in flight */
};

struct extent {
  uint64_t start;               /* relative to the start of the copy */
  uint64_t len;
  bool zero;
};
DEFINE_VECTOR_TYPE (extent_vector, struct extent);

struct copy {
  struct gk_disk *src, *dst;
  uint64_t src_offset, dst_offset, len;
  bool sparse;
  uint64_t pos;                 /* everything before is issued */
  uint64_t done;                /* everything counted here is written */
  extent_vector extents;
  size_t next_extent;
  unsigned zeros_in_flight;
  struct slot slots[NSLOTS];
  /* The first failure, reported once the requests in flight drained. */
  int err;
  struct gk_disk *err_disk;
  const char *err_op;
  uint64_t err_offset;
  bool reported;                /* the failure was already reported */
  bool dead[2];                 /* source, destination connection lost */
  struct gk_copy_stats stats;
};

static void
copy_failed (struct copy *c, struct gk_disk *disk, const char *op,
             uint64_t offset, int err)
{
  if (c->err)
    return;
  c->err = err ? err : EIO;
  c->err_disk = disk;
  c->err_op = op;
  c->err_offset = offset;
}

/* Block status for the source from POS on, as extents relative to the
 * copy, adjacent extents of one kind merged.
 */
static int
extent_cb (void *opaque, const char *metacontext, uint64_t offset,
           uint32_t *entries, size_t nr_entries, int *error)
{
  struct copy *c = opaque;
  uint64_t rel = offset - c->src_offset;

  (void) error;
  if (STRNEQ (metacontext, LIBNBD_CONTEXT_BASE_ALLOCATION))
    return 0;
  for (size_t i = 0; i + 1 < nr_entries; i += 2) {
    bool zero = (entries[i + 1] & LIBNBD_STATE_ZERO) != 0;
    uint64_t len = entries[i];
    extent_vector *v = &c->extents;

    if (rel >= c->len)
      break;
    if (len == 0)
      continue;
    if (len > c->len - rel)
      len = c->len - rel;
    if (v->len > 0 && v->ptr[v->len - 1].zero == zero)
      v->ptr[v->len - 1].len += len;
    else
      extent_vector_append (v, (struct extent) { rel, len, zero });
    rel += len;
  }
  return 0;
}

static int
refill_extents (struct copy *c)
{
  uint64_t n = c->len - c->pos;

  if (n > STATUS_WINDOW)
    n = STATUS_WINDOW;
  c->extents.len = 0;
  c->next_extent = 0;
  if (c->src->can_block_status) {
    nbd_extent_callback cb = { .callback = extent_cb, .user_data = c };

    if (nbd_block_status (c->src->nbd, n, c->src_offset + c->pos, cb,
                          0) == -1) {
      CLEANUP_FREE char *what =
        xasprintf ("block status at offset %" PRIu64 " failed",
                   c->src_offset + c->pos);

      report_nbd_error (c->src, what, 0);
      c->reported = true;
      copy_failed (c, c->src, "block status", c->src_offset + c->pos, EIO);
      return -1;
    }
  }
  /* No answer (or no block status at all): read everything. */
  if (c->extents.len == 0 || c->extents.ptr[0].start != c->pos) {
    c->extents.len = 0;
    extent_vector_append (&c->extents,
                          (struct extent) { c->pos, n, false });
  }
  return 0;
}

/* Largest piece from POS to END not crossing a multiple of LIMIT in
 * destination offsets.
 */
static uint64_t
dst_piece (struct copy *c, uint64_t pos, uint64_t end, uint64_t limit)
{
  return aligned_piece (c->dst_offset + pos, end - pos, limit);
}

static int
slot_write_cb (void *opaque, int *error)
{
  struct slot *s = opaque;
  struct copy *c = s->copy;

  if (*error)
    copy_failed (c, c->dst, "writing", c->dst_offset + s->pos, *error);
  if (--s->writes == 0) {
    s->state = SLOT_FREE;
    c->done += s->count;
  }
  return 1;
}

struct zero_req {
  struct copy *copy;
  uint64_t pos;
  uint64_t count;
};

static int
zero_cb (void *opaque, int *error)
{
  struct zero_req *z = opaque;
  struct copy *c = z->copy;

  if (*error)
    copy_failed (c, c->dst, "zeroing", c->dst_offset + z->pos, *error);
  c->zeros_in_flight--;
  c->done += z->count;
  return 1;
}

/* Zero [POS, POS+COUNT) of the copy on the destination.  For a slot
 * the completion is counted in the slot; otherwise on its own.
 * Returns the bytes issued (a non-zeroing server gets a piece at a
 * time), or 0 after a failure.
 */
static uint64_t
issue_zero (struct copy *c, struct slot *s, uint64_t pos, uint64_t count)
{
  struct gk_disk *dst = c->dst;
  uint64_t offset = c->dst_offset + pos;
  nbd_completion_callback cb;
  int64_t r;

  if (!dst->can_zero && count > dst->max_request)
    count = dst->max_request;
  if (s) {
    cb = (nbd_completion_callback) { .callback = slot_write_cb,
                                     .user_data = s };
    s->writes++;
  }
  else {
    struct zero_req *z = xmalloc (sizeof *z);

    *z = (struct zero_req) { c, pos, count };
    cb = (nbd_completion_callback) { .callback = zero_cb, .user_data = z,
                                     .free = free };
    c->zeros_in_flight++;
  }
  if (!dst->can_zero)
    r = nbd_aio_pwrite (dst->nbd, zero_buffer (), count, offset, cb, 0);
  else
    r = nbd_aio_zero (dst->nbd, count, offset, cb,
                      c->sparse ? 0 : LIBNBD_CMD_FLAG_NO_HOLE);
  if (r == -1) {
    /* The callback will not run, so undo what it would have. */
    if (s)
      s->writes--;
    else
      c->zeros_in_flight--;
    report_nbd_error (dst, "zeroing failed", 0);
    c->reported = true;
    copy_failed (c, dst, "zeroing", offset, EIO);
    return 0;
  }
  c->stats.zero_bytes += count;
  return count;
}

static bool
is_zero (const char *p, size_t n)
{
  return n == 0 || (p[0] == 0 && memcmp (p, p + 1, n - 1) == 0);
}

/* A chunk was read: write its data and zero its zero granules. */
static void
write_slot (struct copy *c, struct slot *s)
{
  size_t i = 0;

  s->state = SLOT_WRITING;
  /* Held until every request is issued, so an early completion cannot
   * free the slot.
   */
  s->writes = 1;
  while (i < s->count && !c->err) {
    uint64_t end = s->pos + s->count;
    size_t j = i + dst_piece (c, s->pos + i, end, GRANULE);
    bool zero = is_zero (s->buf + i, j - i);

    while (j < s->count) {
      size_t k = j + dst_piece (c, s->pos + j, end, GRANULE);

      if (is_zero (s->buf + j, k - j) != zero)
        break;
      j = k;
    }
    if (zero) {
      /* Pieces of a non-zeroing server's zero writes. */
      for (size_t k = i; k < j && !c->err; )
        k += issue_zero (c, s, s->pos + k, j - k);
    }
    else {
      nbd_completion_callback cb = { .callback = slot_write_cb,
                                     .user_data = s };

      s->writes++;
      if (nbd_aio_pwrite (c->dst->nbd, s->buf + i, j - i,
                          c->dst_offset + s->pos + i, cb, 0) == -1) {
        s->writes--;
        report_nbd_error (c->dst, "writing failed", 0);
        c->reported = true;
        copy_failed (c, c->dst, "writing", c->dst_offset + s->pos + i, EIO);
      }
      else
        c->stats.data_bytes += j - i;
    }
    i = j;
  }
  if (--s->writes == 0) {
    s->state = SLOT_FREE;
    c->done += s->count;
  }
}

static int
slot_read_cb (void *opaque, int *error)
{
  struct slot *s = opaque;
  struct copy *c = s->copy;

  if (*error)
    copy_failed (c, c->src, "reading", c->src_offset + s->pos, *error);
  s->state = SLOT_READ_DONE;
  return 1;
}

static struct slot *
free_slot (struct copy *c)
{
  for (size_t i = 0; i < NSLOTS; ++i)
    if (c->slots[i].state == SLOT_FREE)
      return &c->slots[i];
  return NULL;
}

/* Issue reads and zeroes until the slots or the queue are full. */
static void
issue_more (struct copy *c)
{
  while (c->pos < c->len && !c->err) {
    struct extent *e;
    uint64_t end, n;

    if (c->next_extent >= c->extents.len && refill_extents (c) == -1)
      return;
    e = &c->extents.ptr[c->next_extent];
    end = e->start + e->len;
    if (e->zero) {
      if (c->zeros_in_flight >= MAX_ZEROS_IN_FLIGHT)
        return;
      n = issue_zero (c, NULL, c->pos,
                      dst_piece (c, c->pos, end, MAX_ZERO_REQUEST));
      if (n == 0)
        return;
    }
    else {
      struct slot *s = free_slot (c);
      nbd_completion_callback cb = { .callback = slot_read_cb };

      if (s == NULL)
        return;
      n = dst_piece (c, c->pos, end, CHUNK);
      *s = (struct slot) { .copy = c, .state = SLOT_READING, .buf = s->buf,
                           .pos = c->pos, .count = n };
      cb.user_data = s;
      if (nbd_aio_pread (c->src->nbd, s->buf, n, c->src_offset + c->pos,
                         cb, 0) == -1) {
        s->state = SLOT_FREE;
        report_nbd_error (c->src, "reading failed", 0);
        c->reported = true;
        copy_failed (c, c->src, "reading", c->src_offset + c->pos, EIO);
        return;
      }
    }
    c->pos += n;
    if (c->pos >= end)
      c->next_extent++;
  }
}

/* Wait for either connection and let libnbd handle what arrived.
 * A connection that dies has its requests failed by libnbd (their
 * callbacks run), so the loop can still drain the other one.  Returns
 * -1 only if nothing is left to wait for although requests are out.
 */
static int
poll_both (struct copy *c)
{
  struct gk_disk *disks[2] = { c->src, c->dst };
  struct pollfd fds[2];
  int waiting = 0;

  for (int i = 0; i < 2; ++i) {
    unsigned dir = nbd_aio_get_direction (disks[i]->nbd);

    fds[i].fd = nbd_aio_get_fd (disks[i]->nbd);
    fds[i].events = 0;
    fds[i].revents = 0;
    if (dir & LIBNBD_AIO_DIRECTION_READ)
      fds[i].events |= POLLIN;
    if (dir & LIBNBD_AIO_DIRECTION_WRITE)
      fds[i].events |= POLLOUT;
    /* Nothing to wait for on an idle or dead connection. */
    if (c->dead[i] || nbd_aio_in_flight (disks[i]->nbd) <= 0)
      fds[i].fd = -1;
    if (fds[i].fd >= 0)
      waiting++;
  }
  if (waiting == 0)
    return -1;
  if (poll (fds, 2, -1) == -1) {
    if (errno == EINTR)
      return 0;
    gk_error_noexit ("poll: %s", strerror (errno));
    return -1;
  }
  for (int i = 0; i < 2; ++i) {
    int r = 0;

    if (fds[i].fd < 0)
      continue;
    if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
      r = nbd_aio_notify_read (disks[i]->nbd);
    else if (fds[i].revents & POLLOUT)
      r = nbd_aio_notify_write (disks[i]->nbd);
    if (r == -1) {
      if (!c->reported)
        report_nbd_error (disks[i], "the connection to qemu-nbd failed", 0);
      c->reported = true;
      copy_failed (c, disks[i], "copying", 0, EIO);
      c->dead[i] = true;
    }
  }
  return 0;
}

static bool
busy (struct copy *c)
{
  for (size_t i = 0; i < NSLOTS; ++i)
    if (c->slots[i].state != SLOT_FREE)
      return true;
  return c->zeros_in_flight > 0;
}

int
gk_disk_copy (struct gk_disk *src, uint64_t src_offset,
              struct gk_disk *dst, uint64_t dst_offset,
              uint64_t len, bool sparse,
              gk_copy_progress_fn progress, void *opaque,
              struct gk_copy_stats *stats)
{
  CLEANUP_FREE struct copy *c = xcalloc (1, sizeof *c);
  uint64_t reported_done = 0;
  int ret = 0;

  if (stats)
    *stats = (struct gk_copy_stats) { 0, 0 };
  if (check_range (src, "read", len, src_offset) == -1 ||
      check_range (dst, "write", len, dst_offset) == -1)
    return -1;
  if (!dst->writable) {
    gk_error_noexit ("%s: internal error: copying to a disk opened "
                     "read-only", dst->path);
    return -1;
  }
  *c = (struct copy) { .src = src, .dst = dst, .src_offset = src_offset,
                       .dst_offset = dst_offset, .len = len,
                       .sparse = sparse };
  for (size_t i = 0; i < NSLOTS; ++i)
    c->slots[i].buf = xmalloc (CHUNK);

  for (;;) {
    issue_more (c);
    for (size_t i = 0; i < NSLOTS; ++i) {
      struct slot *s = &c->slots[i];

      if (s->state != SLOT_READ_DONE)
        continue;
      if (c->err)
        s->state = SLOT_FREE;
      else
        write_slot (c, s);
    }
    if (!busy (c) && (c->err || c->pos >= c->len))
      break;
    if (poll_both (c) == -1) {
      /* Requests are out that will never complete: their callbacks
       * may still point into C and its buffers, so those are leaked.
       */
      if (!c->reported)
        gk_error_noexit ("%s: internal error: copy stalled", dst->path);
      c = NULL;
      return -1;
    }
    if (progress && c->done != reported_done && !c->err) {
      reported_done = c->done;
      progress (reported_done, len, opaque);
    }
  }

  if (c->err) {
    if (!c->reported) {
      CLEANUP_FREE char *what =
        xasprintf ("%s at offset %" PRIu64 " failed", c->err_op,
                   c->err_offset);

      report_nbd_error (c->err_disk, what, c->err);
    }
    ret = -1;
  }
  else if (progress && reported_done != len)
    progress (len, len, opaque);
  if (stats)
    *stats = c->stats;
  for (size_t i = 0; i < NSLOTS; ++i)
    free (c->slots[i].buf);
  free (c->extents.ptr);
  return ret;
}
