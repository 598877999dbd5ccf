/* Unit test of remote-proto.c: what --listen reads from its socket is
 * never trusted.  Each case writes bytes from a child process into a
 * socketpair (so big messages cannot fill the buffer and block) and
 * checks what the reader makes of them: round trips, then broken and
 * hostile requests and answers (bad magic, absurd counts and lengths,
 * NUL bytes, messages cut short), which must fail with an error and no
 * huge allocation.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/string-list.h"
#include "utils/tap.h"
#include "remote-proto.h"

/* Start a writer: FN runs in a child with the other end of the pair.
 * Returns our end.
 */
static pid_t writer_pid;

static int
start_writer (void (*fn) (int fd, const void *data), const void *data)
{
  int sv[2];

  if (socketpair (AF_UNIX, SOCK_STREAM, 0, sv) == -1) {
    perror ("socketpair");
    exit (EXIT_FAILURE);
  }
  writer_pid = fork ();
  if (writer_pid == -1) {
    perror ("fork");
    exit (EXIT_FAILURE);
  }
  if (writer_pid == 0) {
    close (sv[0]);
    fn (sv[1], data);
    _exit (EXIT_SUCCESS);
  }
  close (sv[1]);
  return sv[0];
}

static void
end_writer (int fd)
{
  close (fd);
  waitpid (writer_pid, NULL, 0);
}

static void
put (int fd, const void *buf, size_t len)
{
  const char *p = buf;

  while (len > 0) {
    ssize_t r = send (fd, p, len, MSG_NOSIGNAL);

    if (r <= 0)
      return;                   /* the reader gave up: fine */
    p += r;
    len -= r;
  }
}

static void
put_u32 (int fd, uint32_t v)
{
  unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

  put (fd, b, 4);
}

/* ---- writers ---- */

static void
w_request (int fd, const void *data)
{
  char *err = NULL;

  if (fish_rc_write_request (fd, FISH_RC_JSON, (char *const *) data,
                             &err) == -1)
    _exit (EXIT_FAILURE);
}

static void
w_raw (int fd, const void *data)
{
  put (fd, data, strlen (data));
}

/* The header with FLAGS and a word count. */
static void
put_header (int fd, uint32_t flags, uint32_t n)
{
  put (fd, FISH_RC_MAGIC, 4);
  put_u32 (fd, flags);
  put_u32 (fd, n);
}

static void
w_count (int fd, const void *data)
{
  put_header (fd, 0, *(const uint32_t *) data);
}

static void
w_flags (int fd, const void *data)
{
  put_header (fd, *(const uint32_t *) data, 1);
  put_u32 (fd, 4);
  put (fd, "echo", 4);
}

static void
w_word_len (int fd, const void *data)
{
  put_header (fd, 0, 1);
  put_u32 (fd, *(const uint32_t *) data);
  put (fd, "abc", 3);
}

static void
w_nul (int fd, const void *data)
{
  (void) data;
  put_header (fd, 0, 2);
  put_u32 (fd, 4);
  put (fd, "echo", 4);
  put_u32 (fd, 3);
  put (fd, "a\0b", 3);
}

static void
w_cut (int fd, const void *data)
{
  (void) data;
  put_header (fd, 0, 2);
  put_u32 (fd, 4);
  put (fd, "ec", 2);
}

/* Five maximal words: the fifth goes over the total. */
static void
w_too_much (int fd, const void *data)
{
  static char word[FISH_RC_MAX_WORD];

  (void) data;
  memset (word, 'x', sizeof word);
  put_header (fd, 0, 5);
  for (int i = 0; i < 5; ++i) {
    put_u32 (fd, FISH_RC_MAX_WORD);
    put (fd, word, FISH_RC_MAX_WORD);
  }
}

static void
w_frames (int fd, const void *data)
{
  char status = 1;

  (void) data;
  fish_rc_write_frame (fd, 'O', "out\n", 4);
  fish_rc_write_frame (fd, 'E', "", 0);
  fish_rc_write_frame (fd, 'S', &status, 1);
}

static void
w_frame_header (int fd, const void *data)
{
  const unsigned char *h = data;

  put (fd, h, 1);
  put_u32 (fd, (uint32_t) h[1] << 24 | (uint32_t) h[2] << 16 |
           (uint32_t) h[3] << 8 | h[4]);
  put (fd, "abcdefgh", 8);
}

/* ---- checks ---- */

static void
expect_request_error (void (*fn) (int, const void *), const void *data,
                      const char *what, const char *needle)
{
  int fd = start_writer (fn, data);
  char *err = NULL;
  unsigned flags;
  char **words = fish_rc_read_request (fd, &flags, &err);

  ok (words == NULL && err && strstr (err, needle), "%s: refused", what);
  if (err)
    printf ("#   %s\n", err);
  gk_free_string_list (words);
  free (err);
  end_writer (fd);
}

static void
expect_frame_error (const unsigned char header[5], const char *what,
                    const char *needle)
{
  int fd = start_writer (w_frame_header, header);
  char buf[FISH_RC_MAX_CHUNK], type, *err = NULL;
  size_t len;

  ok (fish_rc_read_frame (fd, &type, buf, &len, &err) == -1 && err &&
      strstr (err, needle), "%s: refused", what);
  if (err)
    printf ("#   %s\n", err);
  free (err);
  end_writer (fd);
}

int
main (void)
{
  signal (SIGPIPE, SIG_IGN);

  /* A round trip, with an empty word and a long one. */
  {
    static char big[1 << 20];
    char *words[] = { "write", "/f", "", big, NULL };
    char **got, *err = NULL;
    unsigned flags = 0;
    int fd;

    memset (big, 'b', sizeof big - 1);
    fd = start_writer (w_request, words);
    got = fish_rc_read_request (fd, &flags, &err);
    ok (got && gk_count_strings (got) == 4 && strcmp (got[0], "write") == 0
        && strcmp (got[1], "/f") == 0 && got[2][0] == '\0' &&
        strcmp (got[3], big) == 0 && flags == FISH_RC_JSON,
        "a request comes through whole, with its flags");
    gk_free_string_list (got);
    end_writer (fd);
  }

  /* The peer closes without a word: no error, nothing to do. */
  {
    int fd = start_writer (w_raw, "");
    char *err = NULL;
    unsigned flags;

    ok (fish_rc_read_request (fd, &flags, &err) == NULL && err == NULL,
        "an empty connection is not an error");
    end_writer (fd);
  }

  {
    uint32_t zero = 0, many = FISH_RC_MAX_WORDS + 1, huge = UINT32_MAX;
    uint32_t too_long = FISH_RC_MAX_WORD + 1;

    expect_request_error (w_raw,
                          "\x80\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b",
                          "another protocol (XDR)", "protocol");
    expect_request_error (w_flags, &(uint32_t) { 2 }, "an unknown flag",
                          "unknown flags 0x2");
    expect_request_error (w_flags, &huge, "every flag", "unknown flags");
    expect_request_error (w_count, &zero, "no words", "0 words");
    expect_request_error (w_count, &many, "too many words", "words");
    expect_request_error (w_count, &huge, "2^32-1 words", "words");
    expect_request_error (w_word_len, &huge, "a word of 2^32-1 bytes",
                          "bytes long");
    expect_request_error (w_word_len, &too_long, "a word over the limit",
                          "bytes long");
    expect_request_error (w_word_len, &(uint32_t) { 10 },
                          "a word longer than what was sent", "closed");
    expect_request_error (w_nul, NULL, "a NUL in a word", "NUL");
    expect_request_error (w_cut, NULL, "a request cut short", "closed");
    expect_request_error (w_raw, "GKF", "a magic cut short", "closed");
    expect_request_error (w_too_much, NULL, "words over the total",
                          "word 5");
  }

  /* The writer refuses what the reader would. */
  {
    char **many = calloc (FISH_RC_MAX_WORDS + 2, sizeof *many);
    char *words[] = { NULL }, *err = NULL;
    int sv[2];

    for (size_t i = 0; i <= FISH_RC_MAX_WORDS; ++i)
      many[i] = "w";
    socketpair (AF_UNIX, SOCK_STREAM, 0, sv);
    ok (fish_rc_write_request (sv[0], 0, many, &err) == -1 && err,
        "too many words are not sent");
    free (err);
    err = NULL;
    ok (fish_rc_write_request (sv[0], 0, words, &err) == -1 && err,
        "no words are not sent");
    free (err);
    close (sv[0]);
    close (sv[1]);
    free (many);
  }

  /* Answers. */
  {
    int fd = start_writer (w_frames, NULL);
    char buf[FISH_RC_MAX_CHUNK], type, *err = NULL;
    size_t len;
    bool good;

    good = fish_rc_read_frame (fd, &type, buf, &len, &err) == 0 &&
      type == 'O' && len == 4 && memcmp (buf, "out\n", 4) == 0;
    good = good && fish_rc_read_frame (fd, &type, buf, &len, &err) == 0 &&
      type == 'E' && len == 0;
    good = good && fish_rc_read_frame (fd, &type, buf, &len, &err) == 0 &&
      type == 'S' && len == 1 && buf[0] == 1;
    ok (good, "stdout, stderr and status frames come through");
    ok (fish_rc_read_frame (fd, &type, buf, &len, &err) == -1 && err,
        "a connection closed before the status is an error");
    free (err);
    end_writer (fd);
  }
  ok (fish_rc_write_frame (-1, 'O', "", FISH_RC_MAX_CHUNK + 1) == -1 &&
      errno == EMSGSIZE, "an oversized frame is not sent");
  expect_frame_error ((const unsigned char[]) { 'O', 0, 1, 0, 1 },
                      "a frame over the chunk size", "65537 bytes");
  expect_frame_error ((const unsigned char[]) { 'E', 0xff, 0xff, 0xff, 0xff },
                      "a frame of 2^32-1 bytes", "bytes");
  expect_frame_error ((const unsigned char[]) { 'S', 0, 0, 0, 2 },
                      "a status of two bytes", "status");
  expect_frame_error ((const unsigned char[]) { 'X', 0, 0, 0, 1 },
                      "an unknown frame type", "protocol");
  expect_frame_error ((const unsigned char[]) { 'O', 0, 0, 0, 9 },
                      "a frame cut short", "closed");

  return tap_done ();
}
