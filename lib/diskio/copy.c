/* guestkit: the block-status copy engine (see copy.h). */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>

#include "diskio/image-internal.h"
#include "diskio/copy.h"
#include "diskio/image.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/vector.h"

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
  struct gk_image *src, *dst;
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
  struct gk_image *err_disk;
  const char *err_op;
  uint64_t err_offset;
  bool reported;                /* the failure was already reported */
  bool dead[2];                 /* source, destination connection lost */
  struct gk_copy_stats stats;
};

static void
copy_failed (struct copy *c, struct gk_image *disk, const char *op,
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

      gk_image_report_error (c->src, what, 0);
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
  return gk_image_aligned_piece (c->dst_offset + pos, end - pos, limit);
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
  struct gk_image *dst = c->dst;
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
    r = nbd_aio_pwrite (dst->nbd, gk_image_zero_buffer (), count, offset,
                        cb, 0);
  else
    r = nbd_aio_zero (dst->nbd, count, offset, cb,
                      c->sparse ? 0 : LIBNBD_CMD_FLAG_NO_HOLE);
  if (r == -1) {
    /* The callback will not run, so undo what it would have. */
    if (s)
      s->writes--;
    else
      c->zeros_in_flight--;
    gk_image_report_error (dst, "zeroing failed", 0);
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
        gk_image_report_error (c->dst, "writing failed", 0);
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
        gk_image_report_error (c->src, "reading failed", 0);
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
  struct gk_image *disks[2] = { c->src, c->dst };
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
        gk_image_report_error (disks[i],
                               "the connection to qemu-nbd failed", 0);
      c->reported = true;
      copy_failed (c, disks[i], "copying", 0, EIO);
      c->dead[i] = true;
    }
  }
  return 0;
}

/* For tests only: GUESTKIT_TEST_COPY_DELAY_MS=N sleeps N ms in every
 * turn of the copy loop, so that a test can interrupt the copy of a
 * small image at a known point (resize/test-virt-resize-safety.sh).
 */
static unsigned
test_delay_ms (void)
{
  const char *s = getenv ("GUESTKIT_TEST_COPY_DELAY_MS");

  return s ? (unsigned) strtoul (s, NULL, 10) : 0;
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
gk_image_copy (struct gk_image *src, uint64_t src_offset,
              struct gk_image *dst, uint64_t dst_offset,
              uint64_t len, bool sparse,
              gk_copy_progress_fn progress, void *opaque,
              struct gk_copy_stats *stats)
{
  CLEANUP_FREE struct copy *c = xcalloc (1, sizeof *c);
  uint64_t reported_done = 0;
  unsigned delay_ms = test_delay_ms ();
  int ret = 0;

  if (stats)
    *stats = (struct gk_copy_stats) { 0, 0 };
  if (gk_image_check_range (src, "read", len, src_offset) == -1 ||
      gk_image_check_range (dst, "write", len, dst_offset) == -1)
    return -1;
  if (!dst->writable) {
    gk_error_noexit ("%s: internal error: copying to a disk opened "
                     "read-only", dst->path);
    return -1;
  }
  {
    struct gk_copy_stats local_stats = { 0, 0 };
    int r = gk_image_copy_local (src, src_offset, dst, dst_offset, len,
                                 sparse, delay_ms, progress, opaque,
                                 &local_stats);

    if (r != 1) {
      if (stats)
        *stats = local_stats;
      return r;
    }
  }
  *c = (struct copy) { .src = src, .dst = dst, .src_offset = src_offset,
                       .dst_offset = dst_offset, .len = len,
                       .sparse = sparse };
  for (size_t i = 0; i < NSLOTS; ++i)
    c->slots[i].buf = xmalloc (CHUNK);

  for (;;) {
    if (delay_ms)
      usleep (delay_ms * 1000);
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

      gk_image_report_error (c->err_disk, what, c->err);
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
