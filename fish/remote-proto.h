/* guestfish --listen / --remote: the bytes on the socket (remote.h
 * has the two ends).
 *
 * One connection carries one command.  The request:
 *
 *   "GKF2"  u32 FLAGS  u32 NR_WORDS  then per word: u32 LEN, LEN bytes
 *
 * FLAGS say how the client wants the result (FISH_RC_JSON: --json);
 * unknown flags are refused.  Words contain no NUL.
 * The reply, a sequence of frames (a type byte, u32 LEN, LEN bytes):
 *
 *   'O'  bytes the command wrote to stdout   (LEN <= FISH_RC_MAX_CHUNK)
 *   'E'  bytes it wrote to stderr             (LEN <= FISH_RC_MAX_CHUNK)
 *   'S'  one byte, the status: 0 ok, 1 failed; always the last frame
 *
 * Integers are big-endian.  Nothing read is trusted: every count and
 * length is checked against the limits below before anything is
 * allocated or read.  Both ends are the same program (the magic
 * changes with the protocol), but not necessarily the same build.
 */
#ifndef GUESTKIT_FISH_REMOTE_PROTO_H
#define GUESTKIT_FISH_REMOTE_PROTO_H

#include <signal.h>
#include <stddef.h>

#define FISH_RC_MAGIC       "GKF2"
#define FISH_RC_MAX_WORDS   4096
#define FISH_RC_MAX_WORD    (16u << 20)   /* a BufferIn word may be big */
#define FISH_RC_MAX_REQUEST (64u << 20)   /* all the words together */
#define FISH_RC_MAX_CHUNK   65536

#define FISH_RC_JSON        1u        /* print results as JSON */
#define FISH_RC_ALL_FLAGS   FISH_RC_JSON

/* Set by the server's signal handler: a read or write interrupted by a
 * signal gives up instead of retrying.
 */
extern volatile sig_atomic_t fish_rc_stop;

/* Send WORDS (NULL-terminated, at least one) with FLAGS as a request.
 * Returns 0,
 * or -1 with *ERRMSG (a word or the whole request over the limits, or
 * the socket failed).
 */
extern int fish_rc_write_request (int fd, unsigned flags,
                                  char *const *words, char **errmsg);

/* Read one request.  Returns the words (NULL-terminated, the caller
 * frees them with gk_free_string_list) and sets *FLAGS, or NULL with
 * *ERRMSG; *ERRMSG is NULL if the peer closed the connection before
 * sending anything.
 */
extern char **fish_rc_read_request (int fd, unsigned *flags,
                                    char **errmsg);

/* Send one frame of TYPE ('O', 'E' or 'S') with LEN bytes of DATA
 * (LEN <= FISH_RC_MAX_CHUNK).  Returns 0, or -1 with errno.
 */
extern int fish_rc_write_frame (int fd, char type, const void *data,
                                size_t len);

/* Read one frame into BUF (FISH_RC_MAX_CHUNK bytes): *TYPE and *LEN.
 * An 'S' frame is exactly one byte.  Returns 0, or -1 with *ERRMSG
 * (a connection closed before the 'S' frame is an error too).
 */
extern int fish_rc_read_frame (int fd, char *type, char *buf, size_t *len,
                               char **errmsg);

#endif /* GUESTKIT_FISH_REMOTE_PROTO_H */
