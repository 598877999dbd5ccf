/* guestkit fuzz targets: what every target shares (fuzz.c).
 *
 * Each fuzz-NAME.c defines LLVMFuzzerTestOneInput for one parser.  With
 * ./configure --enable-fuzzing (clang) libFuzzer provides main; without
 * it run-corpus.c does, feeding every file of a corpus to the target
 * once, so that "make check" always replays the corpora.
 */
#ifndef GUESTKIT_FUZZ_H
#define GUESTKIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ondisk/reader.h"

extern int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* An invariant of the parser under test: a failure is a finding. */
#define FUZZ_CHECK(cond)                                                \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf (stderr, "%s:%d: check failed: %s\n",                     \
               __FILE__, __LINE__, #cond);                              \
      abort ();                                                         \
    }                                                                   \
  } while (0)

/* A disk of SIZE bytes (at least LEN) whose first bytes are DATA and
 * the rest zeroes, for fuzz_pread_fn and fuzz_pwrite_fn (OPAQUE is the
 * struct fuzz_disk *).  They go to gk_mem_pread_fn and gk_mem_pwrite_fn,
 * except that request number FAIL_AT (1 = the first; 0 = none) fails
 * with FUZZ_IO_ERROR: a target runs each input once without failures,
 * then once for each request it made with that one failing, so every
 * I/O error path is taken.  Free with fuzz_disk_free, which checks that
 * the parser asked for nothing past the end: every offset and length it
 * uses must have been checked against the size it was given.
 */
struct fuzz_disk {
  struct gk_mem_disk m;
  unsigned requests;            /* reads and writes so far */
  unsigned fail_at;
};
#define FUZZ_IO_ERROR "injected I/O error"
/* Requests to fail one at a time, at most. */
#define FUZZ_MAX_FAILURES 32

extern struct fuzz_disk *fuzz_disk (const uint8_t *data, size_t len,
                                    size_t size, unsigned fail_at);
extern void fuzz_disk_free (struct fuzz_disk *d);
extern int fuzz_pread_fn (void *opaque, void *buf, size_t count,
                          uint64_t offset, char **errmsg);
extern int fuzz_pwrite_fn (void *opaque, const void *buf, size_t count,
                           uint64_t offset, char **errmsg);
/* The injected failure happened, and so the call must have failed with
 * a message that gives its reason (the error rule of ondisk/reader.h).
 */
extern void fuzz_check_failure (const struct fuzz_disk *d, int r,
                                const char *errmsg);

/* The driver of the disk targets: RUN (DATA, SIZE, FAIL_AT) parses DATA
 * as a disk whose FAIL_AT-th request fails (0: none) and returns how
 * many requests it made.  Runs it once cleanly, then once failing each
 * of those requests (at most FUZZ_MAX_FAILURES), checksums ignored.
 */
typedef unsigned (*fuzz_disk_run_fn) (const uint8_t *data, size_t size,
                                      unsigned fail_at);
extern int fuzz_disk_with_failures (const uint8_t *data, size_t size,
                                    fuzz_disk_run_fn run);

/* DATA as a NUL-terminated string (an embedded NUL ends it early). */
extern char *fuzz_string (const uint8_t *data, size_t len);

/* S is a NUL-terminated string of valid UTF-8, or NULL. */
extern int fuzz_valid_utf8 (const char *s);

#endif /* GUESTKIT_FUZZ_H */
