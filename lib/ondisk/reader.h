/* guestkit: the reader/writer callbacks the on-disk parsers take.
 *
 * Partition tables, superblocks and LVM metadata are parsed from any
 * source of bytes: a disk opened with disk-io.h in the tools, a plain
 * file in the unit tests.
 */

#ifndef GUESTKIT_BLOCKIO_H
#define GUESTKIT_BLOCKIO_H

#include <stddef.h>
#include <stdint.h>

/* Return 0 on success, -1 on error (the callee has reported it). */
typedef int (*gk_pread_fn) (void *opaque, void *buf, size_t count,
                            uint64_t offset);
typedef int (*gk_pwrite_fn) (void *opaque, const void *buf, size_t count,
                             uint64_t offset);

/* For unit tests and local raw files: OPAQUE is an int * (a file
 * descriptor).  Short reads past the end fill with zeroes.
 */
extern int gk_fd_pread_fn (void *opaque, void *buf, size_t count,
                           uint64_t offset);
extern int gk_fd_pwrite_fn (void *opaque, const void *buf, size_t count,
                            uint64_t offset);

#endif /* GUESTKIT_BLOCKIO_H */
