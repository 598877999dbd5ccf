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
 * the rest zeroes, read and written through gk_mem_pread_fn and
 * gk_mem_pwrite_fn.  Free with fuzz_disk_free, which checks that the
 * parser asked for nothing past the end: every offset and length it
 * uses must have been checked against the size it was given.
 */
extern struct gk_mem_disk *fuzz_disk (const uint8_t *data, size_t len,
                                      size_t size);
extern void fuzz_disk_free (struct gk_mem_disk *m);

/* DATA as a NUL-terminated string (an embedded NUL ends it early). */
extern char *fuzz_string (const uint8_t *data, size_t len);

/* S is a NUL-terminated string of valid UTF-8, or NULL. */
extern int fuzz_valid_utf8 (const char *s);

#endif /* GUESTKIT_FUZZ_H */
