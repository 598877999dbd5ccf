/* guestkit: the reader/writer callbacks the on-disk parsers take.
 *
 * Partition tables, superblocks and LVM metadata are parsed from any
 * source of bytes: a disk opened with diskio/image.h in the tools, a
 * plain file in the unit tests, a buffer in the fuzz targets.
 *
 * The error rule of this layer (lib/README): the parsers print nothing.
 * A callback that fails returns -1 with *ERRMSG set to why (a phrase
 * such as "reading 512 bytes at byte 0 failed: Input/output error",
 * without the file name, which the tool adds; caller frees), and the
 * parser returns -1 with an *ERRMSG that says what it was reading and
 * why that failed, so the user sees exactly one line.
 */

#ifndef GUESTKIT_ONDISK_READER_H
#define GUESTKIT_ONDISK_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int (*gk_pread_fn) (void *opaque, void *buf, size_t count,
                            uint64_t offset, char **errmsg);
typedef int (*gk_pwrite_fn) (void *opaque, const void *buf, size_t count,
                             uint64_t offset, char **errmsg);

/* For unit tests and local raw files: OPAQUE is an int * (a file
 * descriptor).  Short reads past the end fill with zeroes.
 */
extern int gk_fd_pread_fn (void *opaque, void *buf, size_t count,
                           uint64_t offset, char **errmsg);
extern int gk_fd_pwrite_fn (void *opaque, const void *buf, size_t count,
                            uint64_t offset, char **errmsg);

/* A disk in memory (fuzz targets, unit tests): OPAQUE is a struct
 * gk_mem_disk *.  Requests must lie within its SIZE bytes, else they
 * fail (and are counted, so a fuzz target can tell a parser that asked
 * for bytes it had not checked).
 */
struct gk_mem_disk {
  uint8_t *data;
  size_t size;
  unsigned out_of_range;        /* requests refused for their range */
};
extern int gk_mem_pread_fn (void *opaque, void *buf, size_t count,
                            uint64_t offset, char **errmsg);
extern int gk_mem_pwrite_fn (void *opaque, const void *buf, size_t count,
                             uint64_t offset, char **errmsg);

/* For the parsers: PREAD (or PWRITE), and on failure *ERRMSG set to
 * "WHAT: the callback's reason" (WHAT is a printf format).
 */
extern int gk_read_at (gk_pread_fn pread, void *opaque, void *buf,
                       size_t count, uint64_t offset, char **errmsg,
                       const char *what, ...)
  __attribute__ ((format (printf, 7, 8)));
extern int gk_write_at (gk_pwrite_fn pwrite, void *opaque, const void *buf,
                        size_t count, uint64_t offset, char **errmsg,
                        const char *what, ...)
  __attribute__ ((format (printf, 7, 8)));

/* Set only by the fuzz targets (fuzz/): checksums (GPT header and
 * entries, LVM label, metadata header and text) are still computed but
 * a mismatch is ignored, so that mutated inputs reach the code behind
 * them.  Never set it in a tool.
 */
extern bool gk_ondisk_fuzzing;

#endif /* GUESTKIT_ONDISK_READER_H */
