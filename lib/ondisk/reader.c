/* guestkit: reader/writer callbacks over a file descriptor or a buffer
 * (see reader.h).
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ondisk/reader.h"
#include "utils/alloc.h"

bool gk_ondisk_fuzzing;

int
gk_fd_pread_fn (void *opaque, void *buf, size_t count, uint64_t offset,
                char **errmsg)
{
  int fd = *(int *) opaque;
  char *p = buf;

  while (count > 0) {
    ssize_t r = pread (fd, p, count, offset);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      *errmsg = xasprintf ("reading %zu bytes at byte %" PRIu64
                           " failed: %s", count, offset, strerror (errno));
      return -1;
    }
    if (r == 0) {
      /* Past the end of the file: what a sparse tail reads as. */
      memset (p, 0, count);
      return 0;
    }
    p += r;
    count -= r;
    offset += r;
  }
  return 0;
}

int
gk_fd_pwrite_fn (void *opaque, const void *buf, size_t count,
                 uint64_t offset, char **errmsg)
{
  int fd = *(int *) opaque;
  const char *p = buf;

  while (count > 0) {
    ssize_t r = pwrite (fd, p, count, offset);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      *errmsg = xasprintf ("writing %zu bytes at byte %" PRIu64
                           " failed: %s", count, offset, strerror (errno));
      return -1;
    }
    p += r;
    count -= r;
    offset += r;
  }
  return 0;
}

static int
mem_check_range (struct gk_mem_disk *m, const char *op, size_t count,
                 uint64_t offset, char **errmsg)
{
  if (offset > m->size || count > m->size - offset) {
    m->out_of_range++;
    *errmsg = xasprintf ("cannot %s %zu bytes at byte %" PRIu64
                         ": beyond the end of the disk (%zu bytes)",
                         op, count, offset, m->size);
    return -1;
  }
  return 0;
}

int
gk_mem_pread_fn (void *opaque, void *buf, size_t count, uint64_t offset,
                 char **errmsg)
{
  struct gk_mem_disk *m = opaque;

  if (mem_check_range (m, "read", count, offset, errmsg) == -1)
    return -1;
  if (count)
    memcpy (buf, m->data + offset, count);
  return 0;
}

int
gk_mem_pwrite_fn (void *opaque, const void *buf, size_t count,
                  uint64_t offset, char **errmsg)
{
  struct gk_mem_disk *m = opaque;

  if (mem_check_range (m, "write", count, offset, errmsg) == -1)
    return -1;
  if (count)
    memcpy (m->data + offset, buf, count);
  return 0;
}

/* "WHAT: REASON" in *ERRMSG, taking over REASON. */
static void __attribute__ ((format (printf, 3, 0)))
set_error (char **errmsg, char *reason, const char *what, va_list args)
{
  char *w;

  if (vasprintf (&w, what, args) == -1)
    w = NULL;
  *errmsg = xasprintf ("%s: %s", w ? w : what,
                       reason ? reason : "unknown error");
  free (w);
  free (reason);
}

int
gk_read_at (gk_pread_fn pread, void *opaque, void *buf, size_t count,
            uint64_t offset, char **errmsg, const char *what, ...)
{
  char *reason = NULL;
  va_list args;

  if (pread (opaque, buf, count, offset, &reason) == 0)
    return 0;
  va_start (args, what);
  set_error (errmsg, reason, what, args);
  va_end (args);
  return -1;
}

int
gk_write_at (gk_pwrite_fn pwrite, void *opaque, const void *buf,
             size_t count, uint64_t offset, char **errmsg,
             const char *what, ...)
{
  char *reason = NULL;
  va_list args;

  if (pwrite (opaque, buf, count, offset, &reason) == 0)
    return 0;
  va_start (args, what);
  set_error (errmsg, reason, what, args);
  va_end (args);
  return -1;
}
