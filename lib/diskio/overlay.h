/* guestkit: a qcow2 overlay that protects a source image.
 *
 * Tools that must change a guest's content without touching the user's
 * image (virt-resize's shrink, virt-sparsify's copy mode) add the
 * overlay to the appliance instead and read the result from it.
 */
#ifndef GUESTKIT_DISKIO_OVERLAY_H
#define GUESTKIT_DISKIO_OVERLAY_H

/* Create a qcow2 overlay of SOURCE (a path or a URI qemu reads, in
 * FORMAT) at PATH, or, when PATH is NULL, in the private temporary
 * directory (removed at exit and on interruption).  Returns the
 * overlay's path (caller frees), or NULL after reporting one line.
 */
extern char *gk_overlay_create (const char *source, const char *format,
                                const char *path);
/* The same with qcow2 creation OPTIONS (qemu-img create -o, e.g.
 * "compat=1.1,cluster_size=4096"; NULL for "compat=1.1").  PATH may
 * also be a block device, which is written over.
 */
extern char *gk_overlay_create_opts (const char *source, const char *format,
                                     const char *path, const char *options);

#endif /* GUESTKIT_DISKIO_OVERLAY_H */
