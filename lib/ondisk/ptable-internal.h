/* guestkit: what ptable.c, mbr.c and gpt.c share.  Not for tools: they
 * use ptable.h.
 */
#ifndef GUESTKIT_ONDISK_PTABLE_INTERNAL_H
#define GUESTKIT_ONDISK_PTABLE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ondisk/ptable.h"
#include "ondisk/reader.h"
#include "utils/vector.h"

#define MBR_PROTECTIVE_ID    0xee
#define GPT_ENTRY_SIZE       128

/* A table holding PARTS (sorted by number; the vector is emptied). */
extern struct gk_ptable *gk_ptable_new (enum gk_ptable_type type,
                                        uint32_t sector_size,
                                        gk_partition_vector *parts);
/* A copy of T sorted by partition number, as the writers need it. */
extern struct gk_ptable *gk_ptable_sorted_copy (const struct gk_ptable *t);
/* Free V's partitions' names and the array. */
extern void gk_partition_vector_free (gk_partition_vector *v);

extern void gk_ptable_cleanup (void *ptr);
#define CLEANUP_PTABLE __attribute__ ((cleanup (gk_ptable_cleanup)))

/* Sectors that NR_ENTRIES GPT entries take. */
extern uint64_t gk_gpt_entry_sectors (uint32_t nr_entries,
                                      uint32_t sector_size);

/* Where each partition may be, for DISK_SIZE: sizes and alignment, the
 * usable area, logicals inside the extended partition, no overlaps.
 * READING changes the words (a truncated image, not a bad plan).
 */
extern int gk_ptable_check_layout (const struct gk_ptable *t,
                                   uint64_t disk_size, bool reading,
                                   char **errmsg);

/* The readers, given the first 512 bytes of the disk (already known to
 * end in 0x55AA), and the writers (mbr.c, gpt.c).
 */
extern int gk_mbr_read (gk_pread_fn pread, void *opaque,
                        const uint8_t *mbr, uint64_t disk_size,
                        struct gk_ptable **table_r, char **errmsg);
extern int gk_gpt_read (gk_pread_fn pread, void *opaque,
                        const uint8_t *mbr, uint64_t disk_size,
                        struct gk_ptable **table_r, char **errmsg);
extern int gk_mbr_write (const struct gk_ptable *table, uint64_t disk_size,
                         gk_pwrite_fn pwrite, void *opaque, char **errmsg);
extern int gk_gpt_write (const struct gk_ptable *table, uint64_t disk_size,
                         gk_pwrite_fn pwrite, void *opaque, char **errmsg);

#endif /* GUESTKIT_ONDISK_PTABLE_INTERNAL_H */
