/* guestfish --listen / --remote: reading and writing the messages
 * (remote-proto.h).  Plain file descriptors, no appliance: the unit
 * test (test-remote-proto.c) feeds it broken and hostile messages over
 * a socketpair.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/string-list.h"
#include "remote-proto.h"

volatile sig_atomic_t fish_rc_stop;

/* Returns 1 when all N bytes came, 0 if the peer closed the connection
 * before the first one, -1 on an error or a message cut short (errno
 * 0 then).
 */
static int
read_exact (int fd, void *buf, size_t n)
{
  char *p = buf;
  size_t got = 0;

  while (got < n) {
    ssize_t r = recv (fd, p + got, n - got, 0);

    if (r == -1) {
      if (errno == EINTR && !fish_rc_stop)
        continue;
      return -1;
    }
    if (r == 0) {
      errno = 0;
      return got == 0 ? 0 : -1;
    }
    got += r;
  }
  return 1;
}

static int
write_exact (int fd, const void *buf, size_t n)
{
  const char *p = buf;

  while (n > 0) {
    /* MSG_NOSIGNAL: a peer that went away is an error, not a SIGPIPE. */
    ssize_t r = send (fd, p, n, MSG_NOSIGNAL);

    if (r == -1) {
      if (errno == EINTR && !fish_rc_stop)
        continue;
      return -1;
    }
    p += r;
    n -= r;
  }
  return 0;
}

static void
put_u32 (unsigned char *p, uint32_t v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static uint32_t
get_u32 (const unsigned char *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
    (uint32_t) p[2] << 8 | p[3];
}

static char *
io_error (const char *what)
{
  if (errno == 0)
    return xasprintf ("%s: the connection was closed in the middle of a "
                      "message", what);
  if (errno == EAGAIN || errno == EWOULDBLOCK)
    return xasprintf ("%s: timed out", what);
  return xasprintf ("%s: %s", what, strerror (errno));
}

int
fish_rc_write_request (int fd, unsigned flags, char *const *words,
                       char **errmsg)
{
  size_t n = gk_count_strings (words), total = 0;
  unsigned char hdr[12];

  if (n == 0 || n > FISH_RC_MAX_WORDS) {
    *errmsg = xasprintf ("a command of %zu words cannot be sent (at most "
                         "%d)", n, FISH_RC_MAX_WORDS);
    return -1;
  }
  for (size_t i = 0; i < n; ++i) {
    size_t len = strlen (words[i]);

    if (len > FISH_RC_MAX_WORD || total + len > FISH_RC_MAX_REQUEST) {
      *errmsg = xasprintf ("the command is too long to be sent (at most "
                           "%u bytes a word, %u in all)", FISH_RC_MAX_WORD,
                           FISH_RC_MAX_REQUEST);
      return -1;
    }
    total += len;
  }
  memcpy (hdr, FISH_RC_MAGIC, 4);
  put_u32 (hdr + 4, flags);
  put_u32 (hdr + 8, n);
  if (write_exact (fd, hdr, sizeof hdr) == -1)
    goto err;
  for (size_t i = 0; i < n; ++i) {
    size_t len = strlen (words[i]);

    put_u32 (hdr, len);
    if (write_exact (fd, hdr, 4) == -1 ||
        write_exact (fd, words[i], len) == -1)
      goto err;
  }
  return 0;

 err:
  *errmsg = io_error ("sending the command");
  return -1;
}

char **
fish_rc_read_request (int fd, unsigned *flags, char **errmsg)
{
  unsigned char hdr[12];
  uint32_t n;
  size_t total = 0;
  char **words;
  int r;

  *errmsg = NULL;
  r = read_exact (fd, hdr, sizeof hdr);
  if (r == 0)
    return NULL;
  if (r == -1) {
    *errmsg = io_error ("reading the command");
    return NULL;
  }
  if (memcmp (hdr, FISH_RC_MAGIC, 4) != 0) {
    *errmsg = xstrdup ("not a request of this guestfish's protocol "
                       "(a different version or program?)");
    return NULL;
  }
  *flags = get_u32 (hdr + 4);
  if (*flags & ~FISH_RC_ALL_FLAGS) {
    *errmsg = xasprintf ("bad request: unknown flags 0x%x (a newer "
                         "guestfish?)", *flags);
    return NULL;
  }
  n = get_u32 (hdr + 8);
  if (n == 0 || n > FISH_RC_MAX_WORDS) {
    *errmsg = xasprintf ("bad request: %" PRIu32 " words", n);
    return NULL;
  }
  words = xcalloc (n + 1, sizeof *words);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t len;

    if (read_exact (fd, hdr, 4) != 1) {
      *errmsg = io_error ("reading the command");
      goto err;
    }
    len = get_u32 (hdr);
    if (len > FISH_RC_MAX_WORD || total + len > FISH_RC_MAX_REQUEST) {
      *errmsg = xasprintf ("bad request: word %" PRIu32 " is %" PRIu32
                           " bytes long", i + 1, len);
      goto err;
    }
    total += len;
    words[i] = xmalloc ((size_t) len + 1);
    if (len > 0 && read_exact (fd, words[i], len) != 1) {
      *errmsg = io_error ("reading the command");
      goto err;
    }
    if (memchr (words[i], '\0', len)) {
      *errmsg = xasprintf ("bad request: word %" PRIu32 " contains a NUL "
                           "byte", i + 1);
      goto err;
    }
    words[i][len] = '\0';
  }
  return words;

 err:
  gk_free_string_list (words);
  return NULL;
}

int
fish_rc_write_frame (int fd, char type, const void *data, size_t len)
{
  unsigned char hdr[5];

  if (len > FISH_RC_MAX_CHUNK) {
    errno = EMSGSIZE;
    return -1;
  }
  hdr[0] = type;
  put_u32 (hdr + 1, len);
  if (write_exact (fd, hdr, sizeof hdr) == -1)
    return -1;
  return len ? write_exact (fd, data, len) : 0;
}

int
fish_rc_read_frame (int fd, char *type, char *buf, size_t *len,
                    char **errmsg)
{
  unsigned char hdr[5];
  uint32_t n;
  int r;

  r = read_exact (fd, hdr, sizeof hdr);
  if (r != 1) {
    if (r == 0)
      *errmsg = xstrdup ("the connection was closed before the answer "
                         "was complete");
    else
      *errmsg = io_error ("reading the answer");
    return -1;
  }
  n = get_u32 (hdr + 1);
  switch (hdr[0]) {
  case 'O':
  case 'E':
    if (n > FISH_RC_MAX_CHUNK) {
      *errmsg = xasprintf ("bad answer: a frame of %" PRIu32 " bytes", n);
      return -1;
    }
    break;
  case 'S':
    if (n != 1) {
      *errmsg = xasprintf ("bad answer: a status of %" PRIu32 " bytes", n);
      return -1;
    }
    break;
  default:
    *errmsg = xstrdup ("bad answer: not this guestfish's protocol "
                       "(a different version or program?)");
    return -1;
  }
  if (n > 0 && read_exact (fd, buf, n) != 1) {
    *errmsg = io_error ("reading the answer");
    return -1;
  }
  *type = hdr[0];
  *len = n;
  return 0;
}
