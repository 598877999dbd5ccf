/* guestkit: catching damaged qcow2 images before the appliance does. */
#ifndef GUESTKIT_DISKIO_QCOW2_CHECK_H
#define GUESTKIT_DISKIO_QCOW2_CHECK_H

/* Run `qemu-img check` on the local qcow2 image PATH (NAME is what the
 * user calls it).  Returns 0 if it is usable, or -1 after reporting
 * that it is corrupt or truncated.
 */
extern int gk_check_qcow2 (const char *name, const char *path);

#endif /* GUESTKIT_DISKIO_QCOW2_CHECK_H */
