/* guestkit: copying between disks on the host, reading only what block
 * status says is allocated (see copy.c).
 */
#ifndef GUESTKIT_DISKIO_COPY_H
#define GUESTKIT_DISKIO_COPY_H

#include <stdbool.h>
#include <stdint.h>

#include "diskio/image.h"

/* Called during gk_image_copy with the bytes of this copy done so far
 * (monotonic, ends at LEN).
 */
typedef void (*gk_copy_progress_fn) (uint64_t done, uint64_t len,
                                     void *opaque);

struct gk_copy_stats {
  uint64_t data_bytes;          /* read from SRC and written to DST */
  uint64_t zero_bytes;          /* holes/zeroes: never read, zeroed on DST */
};

/* Copy LEN bytes of SRC at SRC_OFFSET to DST at DST_OFFSET.
 *
 * Only extents that block status reports as allocated data are read;
 * data blocks that turn out to be all zero are not written either.
 * Everything not written as data is zeroed on DST with gk_image_zero
 * (punching holes if SPARSE), so the result is right whatever DST held
 * before.  Several requests are kept in flight.  PROGRESS may be NULL.
 * STATS may be NULL.  Returns 0, or -1 after reporting.
 */
extern int gk_image_copy (struct gk_image *src, uint64_t src_offset,
                         struct gk_image *dst, uint64_t dst_offset,
                         uint64_t len, bool sparse,
                         gk_copy_progress_fn progress, void *opaque,
                         struct gk_copy_stats *stats);

#endif /* GUESTKIT_DISKIO_COPY_H */
