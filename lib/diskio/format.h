/* guestkit: the format of an image as qemu-img sees it. */
#ifndef GUESTKIT_DISKIO_FORMAT_H
#define GUESTKIT_DISKIO_FORMAT_H

/* The format of a local image or URI as qemu-img sees it ("raw",
 * "qcow2", ...).  Caller frees.  Returns NULL after reporting
 * "PROG: error: ..." (missing file, unreadable, not an image).
 */
extern char *gk_image_detect_format (const char *path);

#endif /* GUESTKIT_DISKIO_FORMAT_H */
