/* guestkit: what a partition holds, found from its superblock.
 *
 * Reading a few sectors on the host tells the filesystem type and size
 * without launching the appliance, which lets virt-resize plan, print its
 * summary and --dry-run at host speed.  Names follow blkid / libguestfs'
 * vfs_type so messages match upstream.
 */

#ifndef GUESTKIT_CONTENT_H
#define GUESTKIT_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ondisk/reader.h"

enum gk_content_kind {
  GK_CONTENT_UNKNOWN,           /* nothing recognised */
  GK_CONTENT_FS,                /* a filesystem, see type */
  GK_CONTENT_SWAP,              /* Linux swap (type "swap") */
  GK_CONTENT_PV,                /* LVM physical volume ("LVM2_member") */
  GK_CONTENT_LUKS,              /* "crypto_LUKS" */
};

struct gk_content {
  enum gk_content_kind kind;
  char type[16];                /* "ext2" "ext3" "ext4" "xfs" "btrfs" "ntfs"
                                   "vfat" "f2fs" "swap" "LVM2_member"
                                   "crypto_LUKS", or "unknown" */
  uint64_t size;                /* bytes the content spans from its start
                                   (fs: blocks * block size; swap: pages;
                                   PV: the size LVM gives it in its
                                   newest metadata, see lvm-label.h);
                                   0 if not known */
  uint32_t block_size;          /* fs block size / swap page size, or 0 */
  uint64_t min_size;            /* a lower bound of what the content
                                   needs whatever it is shrunk to (data
                                   and what metadata cannot go), for a
                                   cleanly unmounted ext2/3/4; 0 if not
                                   known */
  uint8_t uuid[16];             /* raw bytes as stored, if has_uuid */
  bool has_uuid;
  char label[64];               /* UTF-8, "" if none */
};

/* Look at the LENGTH bytes at OFFSET (a partition or LV).  Returns 0
 * (kind may be GK_CONTENT_UNKNOWN: unrecognised or damaged content is
 * not an error), or -1 with *ERRMSG (caller frees) if reading failed.
 * Nothing is printed.
 */
extern int gk_content_probe (gk_pread_fn pread, void *opaque,
                             uint64_t offset, uint64_t length,
                             struct gk_content *content, char **errmsg);

/* Whether the LENGTH bytes at OFFSET are a member of a Linux software
 * RAID (MD) array: an MD superblock magic at any of the places its
 * versions keep it (0.90 and 1.0 near the end, 1.1 at the start, 1.2
 * at 4 KiB).  blkid calls such a device "linux_raid_member" whatever
 * the start of it looks like: with 0.90 and 1.0 metadata the start is
 * the array's content (a swap area, a filesystem), which belongs to the
 * array, not to the partition.  gk_content_probe does not look for it;
 * ask this first wherever the answer decides what gets overwritten.
 * Returns 0 with *MEMBER set, or -1 with *ERRMSG (caller frees).
 */
extern int gk_content_md_member (gk_pread_fn pread, void *opaque,
                                 uint64_t offset, uint64_t length,
                                 bool *member, char **errmsg);

/* A swap area copied into a partition of NEW_SIZE bytes at OFFSET:
 * rewrite its header so it spans the partition (same UUID, label and
 * page size; like mkswap -U UUID -L LABEL).  Returns 0, or -1 with
 * *ERRMSG (caller frees): the header is not a swap header, or reading
 * or writing failed.  Nothing is printed.
 */
extern int gk_swap_resize (gk_pread_fn pread, gk_pwrite_fn pwrite,
                           void *opaque, uint64_t offset, uint64_t new_size,
                           char **errmsg);

/* The UUID as blkid prints it: "xxxxxxxx-xxxx-..." for most types,
 * "XXXX-XXXX" for vfat serials, 16 hex digits for NTFS; "" if none.
 * Returns what snprintf would (37 bytes is always enough).
 */
extern size_t gk_content_uuid_string (const struct gk_content *content,
                                      char *buf, size_t n);

#endif /* GUESTKIT_CONTENT_H */
