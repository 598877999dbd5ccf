/* guestkit: MBR and GPT partition tables, read and written on the host.
 *
 * virt-resize plans the target from the source's table and writes the
 * new one itself, without an appliance.  Everything a guest can depend
 * on is kept: MBR ids, bootable flags, the disk signature, logical
 * partitions (EBR chain) with their numbers; GPT types, partition GUIDs,
 * names, attributes and the disk GUID.
 *
 * Offsets and sizes are in bytes; they are always multiples of the
 * table's sector size.
 */

#ifndef GUESTKIT_PTABLE_H
#define GUESTKIT_PTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "ondisk/reader.h"
#include "utils/vector.h"

enum gk_ptable_type { GK_PTABLE_MBR, GK_PTABLE_GPT };

struct gk_partition {
  int num;                      /* 1..4 primary/extended, >= 5 logical;
                                   GPT: the entry index + 1 */
  uint64_t start;               /* bytes from the start of the disk */
  uint64_t size;                /* bytes */

  /* MBR only. */
  uint8_t mbr_id;               /* 0x83, 0x05/0x0f/0x85 = extended, ... */
  bool bootable;                /* 0x80 flag */
  bool extended;                /* the container of logical partitions */
  bool logical;                 /* num >= 5, lives inside the extended */
  /* Logical only: the bytes between its EBR and its start (read: as
   * found; write: where the EBR goes, start - ebr_gap).  0 when
   * writing means "one sector".
   */
  uint64_t ebr_gap;

  /* GPT only. */
  uint8_t type_guid[16];        /* on-disk byte order */
  uint8_t part_guid[16];        /* on-disk byte order */
  uint64_t attributes;
  char *name;                   /* UTF-8, "" if none (never NULL) */
};

DEFINE_VECTOR_TYPE (gk_partition_vector, struct gk_partition);

struct gk_ptable {
  enum gk_ptable_type type;
  uint32_t sector_size;         /* 512 or 4096 */
  uint32_t mbr_signature;       /* MBR: bytes 440..443 */
  uint8_t disk_guid[16];        /* GPT, on-disk byte order */
  uint32_t gpt_nr_entries;      /* GPT: usually 128 */
  uint64_t first_usable;        /* bytes: first byte a partition may use */
  uint64_t last_usable;         /* bytes: one past the last usable byte */
  gk_partition_vector parts;    /* sorted by num; for MBR primaries and
                                   the extended first, then logicals */
};

/* Read the table of a disk of DISK_SIZE bytes.  The sector size is found
 * by looking for a GPT header at 512 and then 4096.  The table is
 * checked: a GPT with a bad CRC or header (primary or backup), MBR or GPT
 * entries that overlap or run past the end of the disk, a broken EBR
 * chain, or no known table at all, return -1 with *ERRMSG set to a
 * sentence a user can act on (caller frees), nothing printed.
 * A disk with no partitions is not an error here (parts.len = 0).
 */
extern int gk_ptable_read (gk_pread_fn pread, void *opaque,
                           uint64_t disk_size, struct gk_ptable **table_r,
                           char **errmsg);

/* Write TABLE to a disk of DISK_SIZE bytes: for MBR the 64-byte table,
 * the disk signature and 0x55AA in sector 0 (boot code bytes 0..439
 * untouched) plus one EBR per logical partition; for GPT the protective
 * MBR entry (boot code untouched), primary header and entries, backup
 * entries and header at the end, with correct CRCs.  first_usable and
 * last_usable are recomputed for DISK_SIZE.  Partitions must already be
 * valid for DISK_SIZE (checked: returns -1 with *ERRMSG otherwise).
 */
extern int gk_ptable_write (const struct gk_ptable *table,
                            uint64_t disk_size, gk_pwrite_fn pwrite,
                            void *opaque, char **errmsg);

/* Bytes at the start and the end of a disk that a table of TYPE with
 * SECTOR_SIZE (and 128 GPT entries) reserves for itself.
 */
extern uint64_t gk_ptable_head_bytes (enum gk_ptable_type type,
                                      uint32_t sector_size);
extern uint64_t gk_ptable_tail_bytes (enum gk_ptable_type type,
                                      uint32_t sector_size);

extern struct gk_ptable *gk_ptable_copy (const struct gk_ptable *table);
extern void gk_ptable_free (struct gk_ptable *table);

/* "msdos" or "gpt" (libguestfs' part_get_parttype names). */
extern const char *gk_ptable_type_name (enum gk_ptable_type type);

/* GUIDs in the usual text form, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
 * (upper case), converting the mixed-endian on-disk layout.
 */
extern void gk_guid_to_string (const uint8_t guid[16], char str[37]);
extern int gk_guid_from_string (const char *str, uint8_t guid[16]);

#endif /* GUESTKIT_PTABLE_H */
