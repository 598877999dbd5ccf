/* guestkit: reading and writing disk images on the host, through qemu-nbd.
 *
 * The appliance is slow to start and copies through an emulated disk, so
 * tools that move bulk data (virt-resize, virt-sparsify) do it here: every
 * image format and URI qemu understands is served by a private qemu-nbd
 * (socket activation, no port, no file left behind) and driven with libnbd.
 * Block status tells which parts of the source are allocated, so holes are
 * never read.
 */

#ifndef GUESTKIT_DISKIO_IMAGE_H
#define GUESTKIT_DISKIO_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gk_image;                 /* opaque */

/* Open PATH (file, block device or URI accepted by qemu) in FORMAT
 * (NULL = detect with gk_image_detect_format; raw is never *probed* by
 * qemu-nbd, because qemu then refuses writes to sector 0).  WRITABLE
 * false opens read-only: the image is never modified.  Returns NULL
 * after reporting one clear error line.
 */
extern struct gk_image *gk_image_open (const char *path, const char *format,
                                     bool writable);

/* Like gk_image_open read-only, but without qemu's image locks, for a
 * look at an image that a running virtual machine may be writing
 * (virt-df reads partition tables): what is read may be torn, so never
 * copy from it.
 */
extern struct gk_image *gk_image_open_shared (const char *path,
                                              const char *format);

/* Whether qemu knows the disk format NAME ("qcow2", "raw", ...), from
 * the list qemu-img prints.  True when that list cannot be had: qemu
 * itself then has the last word.
 */
extern bool gk_image_format_known (const char *name);

/* Flushes (if writable), stops qemu-nbd and frees.  Returns 0, or -1
 * after reporting (e.g. the final flush failed).  NULL is allowed.
 */
extern int gk_image_close (struct gk_image *disk);

extern uint64_t gk_image_size (const struct gk_image *disk);
extern const char *gk_image_format (const struct gk_image *disk);
extern const char *gk_image_path (const struct gk_image *disk);

/* All return 0, or -1 after reporting "PROG: error: PATH: ...". */
extern int gk_image_pread (struct gk_image *disk, void *buf, size_t count,
                          uint64_t offset);
extern int gk_image_pwrite (struct gk_image *disk, const void *buf,
                           size_t count, uint64_t offset);
/* Make a range read as zeroes.  With PUNCH the range is deallocated
 * when the format allows it (sparse), otherwise it is allocated: raw
 * files and devices get a zero request that keeps their blocks (qemu:
 * fallocate's zero range, BLKZEROOUT), other formats zero bytes, since
 * a zero request only flags a qcow2 cluster as zero without allocating
 * it.  COUNT may be any size: it is split into requests the server
 * accepts.
 */
extern int gk_image_zero (struct gk_image *disk, uint64_t count,
                         uint64_t offset, bool punch);
extern int gk_image_flush (struct gk_image *disk);

/* Adapters for parsers that take a plain reader/writer (ptable.h,
 * content.h): OPAQUE is a struct gk_image *.  Unlike the functions
 * above they print nothing: a failure returns -1 with the reason in
 * *ERRMSG, without the path (ondisk/reader.h).
 */
extern int gk_image_pread_fn (void *opaque, void *buf, size_t count,
                              uint64_t offset, char **errmsg);
extern int gk_image_pwrite_fn (void *opaque, const void *buf, size_t count,
                               uint64_t offset, char **errmsg);

#endif /* GUESTKIT_DISKIO_IMAGE_H */
