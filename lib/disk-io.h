/* guestkit: reading and writing disk images on the host, through qemu-nbd.
 *
 * The appliance is slow to start and copies through an emulated disk, so
 * tools that move bulk data (virt-resize, virt-sparsify) do it here: every
 * image format and URI qemu understands is served by a private qemu-nbd
 * (socket activation, no port, no file left behind) and driven with libnbd.
 * Block status tells which parts of the source are allocated, so holes are
 * never read.
 */

#ifndef GUESTKIT_DISK_IO_H
#define GUESTKIT_DISK_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gk_disk;                 /* opaque */

/* The format of a local image or URI as qemu-img sees it ("raw",
 * "qcow2", ...).  Caller frees.  Returns NULL after reporting
 * "PROG: error: ..." (missing file, unreadable, not an image).
 */
extern char *gk_disk_detect_format (const char *path);

/* Open PATH (file, block device or URI accepted by qemu) in FORMAT
 * (NULL = detect with gk_disk_detect_format; raw is never *probed* by
 * qemu-nbd, because qemu then refuses writes to sector 0).  WRITABLE
 * false opens read-only: the image is never modified.  Returns NULL
 * after reporting one clear error line.
 */
extern struct gk_disk *gk_disk_open (const char *path, const char *format,
                                     bool writable);

/* Flushes (if writable), stops qemu-nbd and frees.  Returns 0, or -1
 * after reporting (e.g. the final flush failed).  NULL is allowed.
 */
extern int gk_disk_close (struct gk_disk *disk);

extern uint64_t gk_disk_size (const struct gk_disk *disk);
extern const char *gk_disk_format (const struct gk_disk *disk);
extern const char *gk_disk_path (const struct gk_disk *disk);

/* All return 0, or -1 after reporting "PROG: error: PATH: ...". */
extern int gk_disk_pread (struct gk_disk *disk, void *buf, size_t count,
                          uint64_t offset);
extern int gk_disk_pwrite (struct gk_disk *disk, const void *buf,
                           size_t count, uint64_t offset);
/* Make a range read as zeroes.  With PUNCH the range is deallocated
 * when the format allows it (sparse), otherwise it is written.
 * COUNT may be any size: it is split into requests the server accepts.
 */
extern int gk_disk_zero (struct gk_disk *disk, uint64_t count,
                         uint64_t offset, bool punch);
extern int gk_disk_flush (struct gk_disk *disk);

/* Adapters for parsers that take a plain reader/writer (ptable.h,
 * content.h): OPAQUE is a struct gk_disk *.
 */
extern int gk_disk_pread_fn (void *opaque, void *buf, size_t count,
                             uint64_t offset);
extern int gk_disk_pwrite_fn (void *opaque, const void *buf, size_t count,
                              uint64_t offset);

/* Called during gk_disk_copy with the bytes of this copy done so far
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
 * Everything not written as data is zeroed on DST with gk_disk_zero
 * (punching holes if SPARSE), so the result is right whatever DST held
 * before.  Several requests are kept in flight.  PROGRESS may be NULL.
 * STATS may be NULL.  Returns 0, or -1 after reporting.
 */
extern int gk_disk_copy (struct gk_disk *src, uint64_t src_offset,
                         struct gk_disk *dst, uint64_t dst_offset,
                         uint64_t len, bool sparse,
                         gk_copy_progress_fn progress, void *opaque,
                         struct gk_copy_stats *stats);

#endif /* GUESTKIT_DISK_IO_H */
