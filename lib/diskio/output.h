/* guestkit: what a tool does around a disk image it writes, so that
 * every writing tool gets the same guarantees:
 *
 *   gk_image_same_file_check (same-image.h)   the output is not the input
 *   gk_output_claim              nobody else writes it, now or meanwhile
 *   gk_output_zero_on_interrupt  an interrupted run leaves it invalid
 *
 * and the interruption message itself (utils/tmpfiles.h).
 */
#ifndef GUESTKIT_DISKIO_OUTPUT_H
#define GUESTKIT_DISKIO_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

/* Before anything is written to PATH (a local file or block device;
 * URIs are not checked): refuse it if another process may write it
 * (qemu's image lock says a running VM, qemu-nbd or qemu-img has write
 * access or forbids writers) or another guestkit tool has claimed it,
 * then claim it until the program exits, so that two tools never
 * write one image.  An image on a read-only mount, or an immutable one,
 * is refused too.  Returns 0, or -1 after reporting
 * "PATH: the disk image is in use ..." or "... cannot be written: ...".
 */
extern int gk_output_claim (const char *path);

struct gk_output_range {
  uint64_t offset;              /* in the guest's view of the disk */
  uint64_t len;
};

/* From now on an interruption (utils/tmpfiles.h) zeroes RANGES of the
 * output PATH in FORMAT, e.g. its partition table, so that a target
 * whose contents were not finished does not look like a valid disk.
 * The ranges are found in the file now (qemu-img map), so nothing may
 * be writing PATH while this runs, and the ranges must be allocated
 * (written) already; after it, the appliance may write PATH: the
 * handler only touches these bytes.  Returns 0, 1 if that cannot be
 * done for this output (remote, not raw or qcow2, an external data
 * file, data in a backing file: said with -v), or -1 after reporting.
 */
extern int gk_output_zero_on_interrupt (const char *path, const char *format,
                                        const struct gk_output_range *ranges,
                                        size_t nr_ranges);

/* The output is complete: an interruption no longer touches it. */
extern void gk_output_forget_interrupt (void);

#endif /* GUESTKIT_DISKIO_OUTPUT_H */
