/* guestkit: MBR and GPT partition tables, read and written on the host.
 *
 * virt-resize must reproduce the source's table on a disk of another
 * size without an appliance, so this reads and writes the on-disk
 * formats directly.  Layout choices follow what Linux reads and what
 * sfdisk writes (CHS fields, EBR links, the protective MBR), so that
 * fdisk, sgdisk and the guest's own tools accept the result unchanged.
 *
 * This file holds what both kinds share (tables in memory, GUIDs, the
 * layout checks) and chooses between mbr.c (MBR and the EBR chain) and
 * gpt.c.
 */
#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondisk/byteorder.h"
#include "ondisk/ptable-internal.h"
#include "ondisk/ptable.h"
#include "ondisk/reader.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"

/* GUIDs. */

void
gk_guid_to_string (const uint8_t g[16], char str[37])
{
  snprintf (str, 37,
            "%08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
            gk_le32 (g), gk_le16 (g + 4), gk_le16 (g + 6),
            g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int
gk_guid_from_string (const char *str, uint8_t guid[16])
{
  uint8_t be[16];               /* the bytes in text order */
  size_t n = 0;

  if (strlen (str) != 36)
    return -1;
  for (size_t i = 0; i < 36; ) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (str[i] != '-')
        return -1;
      i++;
      continue;
    }
    int hi = hexval (str[i]), lo = hexval (str[i + 1]);
    if (hi < 0 || lo < 0)
      return -1;
    be[n++] = hi << 4 | lo;
    i += 2;
  }

  /* The first three fields are stored little-endian. */
  guid[0] = be[3]; guid[1] = be[2]; guid[2] = be[1]; guid[3] = be[0];
  guid[4] = be[5]; guid[5] = be[4];
  guid[6] = be[7]; guid[7] = be[6];
  memcpy (guid + 8, be + 8, 8);
  return 0;
}

/* Tables in memory. */

static int
compare_num (const struct gk_partition *a, const struct gk_partition *b)
{
  return a->num - b->num;
}

/* The writers depend on the order the header promises; a caller that
 * appended a partition need not sort it in.
 */
struct gk_ptable *
gk_ptable_sorted_copy (const struct gk_ptable *t)
{
  struct gk_ptable *c = gk_ptable_copy (t);

  gk_partition_vector_sort (&c->parts, compare_num);
  return c;
}

struct gk_ptable *
gk_ptable_new (enum gk_ptable_type type, uint32_t sector_size,
               gk_partition_vector *parts)
{
  struct gk_ptable *t = xcalloc (1, sizeof *t);

  t->type = type;
  t->sector_size = sector_size;
  gk_partition_vector_sort (parts, compare_num);
  t->parts = *parts;
  *parts = (gk_partition_vector) empty_vector;
  return t;
}

void
gk_partition_vector_free (gk_partition_vector *v)
{
  vector_foreach (p, v)
    free (p->name);
  gk_partition_vector_reset (v);
}

void
gk_ptable_free (struct gk_ptable *t)
{
  if (t == NULL)
    return;
  gk_partition_vector_free (&t->parts);
  free (t);
}

void
gk_ptable_cleanup (void *ptr)
{
  gk_ptable_free (*(struct gk_ptable **) ptr);
}

struct gk_ptable *
gk_ptable_copy (const struct gk_ptable *t)
{
  struct gk_ptable *c = xmalloc (sizeof *c);

  *c = *t;
  c->parts = (gk_partition_vector) empty_vector;
  gk_partition_vector_reserve (&c->parts, t->parts.len);
  for (size_t i = 0; i < t->parts.len; ++i) {
    struct gk_partition copy = t->parts.ptr[i];

    copy.name = xstrdup (copy.name ? copy.name : "");
    gk_partition_vector_append (&c->parts, copy);
  }
  return c;
}

const char *
gk_ptable_type_name (enum gk_ptable_type type)
{
  return type == GK_PTABLE_GPT ? "gpt" : "msdos";
}

uint64_t
gk_gpt_entry_sectors (uint32_t nr_entries, uint32_t sector_size)
{
  uint64_t bytes = (uint64_t) nr_entries * GPT_ENTRY_SIZE;
  return (bytes + sector_size - 1) / sector_size;
}

uint64_t
gk_ptable_head_bytes (enum gk_ptable_type type, uint32_t sector_size)
{
  if (type == GK_PTABLE_MBR)
    return sector_size;
  return (2 + gk_gpt_entry_sectors (128, sector_size)) * sector_size;
}

uint64_t
gk_ptable_tail_bytes (enum gk_ptable_type type, uint32_t sector_size)
{
  if (type == GK_PTABLE_MBR)
    return 0;
  return (1 + gk_gpt_entry_sectors (128, sector_size)) * sector_size;
}

/* Checks shared by reading and writing. */

static int
compare_start (const void *a, const void *b)
{
  const struct gk_partition *pa = *(const struct gk_partition *const *) a;
  const struct gk_partition *pb = *(const struct gk_partition *const *) b;

  if (pa->start != pb->start)
    return pa->start < pb->start ? -1 : 1;
  return pa->num - pb->num;
}

/* Among the partitions where LOGICAL matches, find two that overlap. */
static int
check_overlaps (const struct gk_ptable *t, bool logical, char **errmsg)
{
  CLEANUP_FREE const struct gk_partition **v =
    xcalloc (t->parts.len + 1, sizeof *v);
  size_t n = 0;

  for (size_t i = 0; i < t->parts.len; ++i)
    if (t->parts.ptr[i].logical == logical)
      v[n++] = &t->parts.ptr[i];
  qsort (v, n, sizeof *v, compare_start);
  for (size_t i = 1; i < n; ++i) {
    const struct gk_partition *a = v[i - 1], *b = v[i];
    if (a->start + a->size > b->start) {
      *errmsg = xasprintf ("partition %d (bytes %" PRIu64 " to %" PRIu64
                           ", %" PRIu64 " bytes) overlaps partition %d "
                           "(bytes %" PRIu64 " to %" PRIu64 ", %" PRIu64
                           " bytes): the partition table is corrupt",
                           a->num, a->start, a->start + a->size, a->size,
                           b->num, b->start, b->start + b->size, b->size);
      return -1;
    }
  }
  return 0;
}

/* A table that does not fit the disk it was read from means the image
 * lost its end, while on writing it is the caller's plan at fault.
 */
int
gk_ptable_check_layout (const struct gk_ptable *t, uint64_t disk_size,
                        bool reading, char **errmsg)
{
  const struct gk_partition *ext = NULL;
  uint32_t ss = t->sector_size;

  for (size_t i = 0; i < t->parts.len; ++i) {
    const struct gk_partition *p = &t->parts.ptr[i];
    uint64_t end = p->start + p->size;

    if (p->size == 0 || p->start % ss || p->size % ss || end < p->start) {
      *errmsg = xasprintf ("partition %d has an invalid start (%" PRIu64
                           ") or size (%" PRIu64 " bytes) for %" PRIu32
                           "-byte sectors", p->num, p->start, p->size, ss);
      return -1;
    }
    if (end > disk_size) {
      *errmsg = xasprintf ("partition %d ends at byte %" PRIu64
                           " but the disk is only %" PRIu64 " bytes%s",
                           p->num, end, disk_size,
                           reading ? ": the image looks truncated" : "");
      return -1;
    }
    if (!p->logical && (p->start < t->first_usable ||
                        end > t->last_usable)) {
      *errmsg = xasprintf ("partition %d (bytes %" PRIu64 " to %" PRIu64
                           ") lies outside the usable area of the disk "
                           "(bytes %" PRIu64 " to %" PRIu64 ")",
                           p->num, p->start, end,
                           t->first_usable, t->last_usable);
      return -1;
    }
    if (p->extended)
      ext = p;
  }

  for (size_t i = 0; i < t->parts.len; ++i) {
    const struct gk_partition *p = &t->parts.ptr[i];
    if (!p->logical)
      continue;
    if (ext == NULL || p->start <= ext->start ||
        p->start + p->size > ext->start + ext->size) {
      *errmsg = xasprintf ("logical partition %d (bytes %" PRIu64 " to %"
                           PRIu64 ") is not inside the extended "
                           "partition%s", p->num, p->start,
                           p->start + p->size,
                           ext ? "" : " (there is none)");
      return -1;
    }
  }

  if (check_overlaps (t, false, errmsg) == -1 ||
      check_overlaps (t, true, errmsg) == -1)
    return -1;
  return 0;
}

int
gk_ptable_read (gk_pread_fn pread, void *opaque, uint64_t disk_size,
                struct gk_ptable **table_r, char **errmsg)
{
  uint8_t mbr[512];
  bool protective = false;

  *table_r = NULL;
  *errmsg = NULL;
  if (disk_size < sizeof mbr) {
    *errmsg = xasprintf ("no MBR or GPT partition table found: the disk "
                         "is only %" PRIu64 " bytes", disk_size);
    return -1;
  }
  if (gk_read_at (pread, opaque, mbr, sizeof mbr, 0, errmsg,
                  "cannot read the first sector of the disk") == -1)
    return -1;
  if (mbr[510] != 0x55 || mbr[511] != 0xaa) {
    *errmsg = xasprintf ("no MBR or GPT partition table found on this "
                         "disk (sector 0 has no 0x55AA signature)");
    return -1;
  }

  /* Like Linux, only a protective (or hybrid) MBR makes it a GPT disk:
   * a leftover GPT header on an MBR disk is ignored.
   */
  for (int i = 0; i < 4; ++i)
    if (mbr[446 + 16 * i + 4] == MBR_PROTECTIVE_ID)
      protective = true;
  if (protective)
    return gk_gpt_read (pread, opaque, mbr, disk_size, table_r, errmsg);
  return gk_mbr_read (pread, opaque, mbr, disk_size, table_r, errmsg);
}

int
gk_ptable_write (const struct gk_ptable *table, uint64_t disk_size,
                 gk_pwrite_fn pwrite, void *opaque, char **errmsg)
{
  *errmsg = NULL;
  if (table->sector_size != 512 && table->sector_size != 4096) {
    *errmsg = xasprintf ("unsupported sector size %" PRIu32,
                         table->sector_size);
    return -1;
  }
  if (table->type == GK_PTABLE_GPT)
    return gk_gpt_write (table, disk_size, pwrite, opaque, errmsg);
  return gk_mbr_write (table, disk_size, pwrite, opaque, errmsg);
}
