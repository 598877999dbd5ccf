/* guestkit: is the output the input under another name? */
#ifndef GUESTKIT_DISKIO_SAME_IMAGE_H
#define GUESTKIT_DISKIO_SAME_IMAGE_H

/* Refuse, before anything is written, an OUTPUT that is INPUT or any
 * file INPUT reads through (its backing chain, as qemu-img resolves it
 * with INPUT_FORMAT, NULL = probe): names are not compared, files are
 * (device and inode, through symlinks, hard links and bind mounts;
 * block devices by device number, a loop device by its backing file,
 * a partition with its whole disk).  Remote URIs are only compared as
 * strings.  Returns 0, or -1 after reporting "you cannot use the same
 * disk image for input and output (...)".
 */
extern int gk_image_same_file_check (const char *input,
                                     const char *input_format,
                                     const char *output);

#endif /* GUESTKIT_DISKIO_SAME_IMAGE_H */
