/* guestkit: reader/writer callbacks over a plain file descriptor. */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ondisk/reader.h"
#include "utils/messages.h"

int
gk_fd_pread_fn (void *opaque, void *buf, size_t count, uint64_t offset)
{
  int fd = *(int *) opaque;
  char *p = buf;

  while (count > 0) {
    ssize_t r = pread (fd, p, count, offset);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      gk_error_noexit ("pread: %m");
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
                 uint64_t offset)
{
  int fd = *(int *) opaque;
  const char *p = buf;

  while (count > 0) {
    ssize_t r = pwrite (fd, p, count, offset);
    if (r == -1) {
      if (errno == EINTR)
        continue;
      gk_error_noexit ("pwrite: %m");
      return -1;
    }
    p += r;
    count -= r;
    offset += r;
  }
  return 0;
}
