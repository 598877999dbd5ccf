/* guestkit: MBR and GPT partition tables, read and written on the host.
 *
 * virt-resize must reproduce the source's table on a disk of another
 * size without an appliance, so this reads and writes the on-disk
 * formats directly.  Layout choices follow what Linux reads and what
 * sfdisk writes (CHS fields, EBR links, the protective MBR), so that
 * fdisk, sgdisk and the guest's own tools accept the result unchanged.
 */
#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondisk/byteorder.h"
#include "ondisk/ptable.h"
#include "ondisk/reader.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/vector.h"

#define MBR_EXTENDED_LINK_ID 0x05  /* what sfdisk puts in EBR links */
#define MBR_PROTECTIVE_ID    0xee
#define GPT_ENTRY_SIZE       128
#define GPT_HEADER_SIZE      92
#define GPT_NAME_UNITS       36    /* UTF-16 code units in a GPT name */
#define GPT_MAX_ENTRY_BYTES  (4 * 1024 * 1024)
#define MAX_LOGICALS         1024

/* CRC-32 as GPT uses it (IEEE 802.3, reflected, inverted). */
static uint32_t
crc32 (const uint8_t *buf, size_t len)
{
  return ~gk_crc32_update (0xffffffff, buf, len);
}

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

static bool
guid_is_zero (const uint8_t g[16])
{
  for (int i = 0; i < 16; ++i)
    if (g[i])
      return false;
  return true;
}


/* Tables in memory. */

DEFINE_VECTOR_TYPE (part_vector, struct gk_partition);

static int
compare_num (const struct gk_partition *a, const struct gk_partition *b)
{
  return a->num - b->num;
}

/* The writers depend on the order the header promises; a caller that
 * appended a partition need not sort it in.
 */
static struct gk_ptable *
sorted_copy (const struct gk_ptable *t)
{
  struct gk_ptable *c = gk_ptable_copy (t);
  part_vector v = { .ptr = c->parts, .len = c->nr_parts,
                    .cap = c->nr_parts };

  part_vector_sort (&v, compare_num);
  return c;
}

static struct gk_ptable *
new_table (enum gk_ptable_type type, uint32_t sector_size,
           part_vector *parts)
{
  struct gk_ptable *t = xcalloc (1, sizeof *t);

  t->type = type;
  t->sector_size = sector_size;
  part_vector_sort (parts, compare_num);
  t->nr_parts = parts->len;
  t->parts = parts->ptr;
  parts->ptr = NULL;
  parts->len = parts->cap = 0;
  return t;
}

static void
free_part_vector (part_vector *v)
{
  for (size_t i = 0; i < v->len; ++i)
    free (v->ptr[i].name);
  free (v->ptr);
}

void
gk_ptable_free (struct gk_ptable *t)
{
  if (t == NULL)
    return;
  for (size_t i = 0; i < t->nr_parts; ++i)
    free (t->parts[i].name);
  free (t->parts);
  free (t);
}

static void
cleanup_ptable (void *ptr)
{
  gk_ptable_free (*(struct gk_ptable **) ptr);
}
#define CLEANUP_PTABLE __attribute__ ((cleanup (cleanup_ptable)))

struct gk_ptable *
gk_ptable_copy (const struct gk_ptable *t)
{
  struct gk_ptable *c = xmalloc (sizeof *c);

  *c = *t;
  c->parts = xcalloc (t->nr_parts ? t->nr_parts : 1, sizeof *c->parts);
  for (size_t i = 0; i < t->nr_parts; ++i) {
    c->parts[i] = t->parts[i];
    c->parts[i].name = xstrdup (t->parts[i].name ? t->parts[i].name : "");
  }
  return c;
}

const char *
gk_ptable_type_name (enum gk_ptable_type type)
{
  return type == GK_PTABLE_GPT ? "gpt" : "msdos";
}

static uint64_t
gpt_entry_sectors (uint32_t nr_entries, uint32_t sector_size)
{
  uint64_t bytes = (uint64_t) nr_entries * GPT_ENTRY_SIZE;
  return (bytes + sector_size - 1) / sector_size;
}

uint64_t
gk_ptable_head_bytes (enum gk_ptable_type type, uint32_t sector_size)
{
  if (type == GK_PTABLE_MBR)
    return sector_size;
  return (2 + gpt_entry_sectors (128, sector_size)) * sector_size;
}

uint64_t
gk_ptable_tail_bytes (enum gk_ptable_type type, uint32_t sector_size)
{
  if (type == GK_PTABLE_MBR)
    return 0;
  return (1 + gpt_entry_sectors (128, sector_size)) * sector_size;
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
    xcalloc (t->nr_parts + 1, sizeof *v);
  size_t n = 0;

  for (size_t i = 0; i < t->nr_parts; ++i)
    if (t->parts[i].logical == logical)
      v[n++] = &t->parts[i];
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

/* Where each partition may be, for DISK_SIZE.  READING changes the
 * words: a table that does not fit the disk it was read from means the
 * image lost its end, while on writing it is the caller's plan at fault.
 */
static int
check_layout (const struct gk_ptable *t, uint64_t disk_size,
              bool reading, char **errmsg)
{
  const struct gk_partition *ext = NULL;
  uint32_t ss = t->sector_size;

  for (size_t i = 0; i < t->nr_parts; ++i) {
    const struct gk_partition *p = &t->parts[i];
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

  for (size_t i = 0; i < t->nr_parts; ++i) {
    const struct gk_partition *p = &t->parts[i];
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

/* Reading MBR. */

static bool
is_extended_id (uint8_t id)
{
  return id == 0x05 || id == 0x0f || id == 0x85;
}

static int
read_ebr_chain (gk_pread_fn pread, void *opaque, uint32_t ss,
                const struct gk_partition *ext, part_vector *parts,
                char **errmsg)
{
  CLEANUP_FREE uint8_t *buf = xmalloc (ss);
  uint64_t ebr = ext->start;
  uint64_t ext_end = ext->start + ext->size;
  int num = 5;

  for (int count = 0; ; ++count) {
    uint64_t next = 0;
    bool have_data = false;

    if (count >= MAX_LOGICALS) {
      *errmsg = xasprintf ("the chain of logical partitions (EBRs) in "
                           "extended partition %d has more than %d links; "
                           "it probably loops", ext->num, MAX_LOGICALS);
      return -1;
    }
    if (pread (opaque, buf, ss, ebr) == -1) {
      *errmsg = xasprintf ("cannot read the extended boot record at byte %"
                           PRIu64, ebr);
      return -1;
    }
    if (buf[510] != 0x55 || buf[511] != 0xaa) {
      /* An extended partition with no logicals may hold a blank EBR. */
      if (count == 0)
        return 0;
      *errmsg = xasprintf ("the extended boot record at byte %" PRIu64
                           " (before logical partition %d) has no 0x55AA "
                           "signature: the chain of logical partitions "
                           "is broken", ebr, num);
      return -1;
    }

    /* Linux takes the first data entry and the first link entry,
     * wherever they are among the four.
     */
    for (int i = 0; i < 4; ++i) {
      const uint8_t *e = buf + 446 + 16 * i;
      uint8_t id = e[4];
      uint64_t rel = (uint64_t) gk_le32 (e + 8) * ss;
      uint64_t size = (uint64_t) gk_le32 (e + 12) * ss;

      if (id == 0 || size == 0)
        continue;
      if (is_extended_id (id)) {
        if (next == 0) {
          next = ext->start + rel;
          if (rel == 0 || next <= ebr || next >= ext_end) {
            *errmsg = xasprintf ("the extended boot record at byte %"
                                 PRIu64 " links to byte %" PRIu64 ", %s: "
                                 "the chain of logical partitions is "
                                 "broken", ebr, next,
                                 next <= ebr ? "backwards (a loop)"
                                 : "outside the extended partition");
            return -1;
          }
        }
        continue;
      }
      if (have_data)
        continue;
      have_data = true;

      struct gk_partition p = {
        .num = num++,
        .start = ebr + rel,
        .size = size,
        .mbr_id = id,
        .bootable = e[0] == 0x80,
        .logical = true,
        .ebr_gap = rel,
        .name = xstrdup (""),
      };
      if (rel == 0 || p.start + p.size > ext_end) {
        *errmsg = xasprintf ("logical partition %d (bytes %" PRIu64 " to %"
                             PRIu64 ") is not inside extended partition "
                             "%d (bytes %" PRIu64 " to %" PRIu64 ")",
                             p.num, p.start, p.start + p.size, ext->num,
                             ext->start, ext_end);
        free (p.name);
        return -1;
      }
      part_vector_append (parts, p);
    }
    if (next == 0)
      return 0;
    ebr = next;
  }
}

static int
read_mbr (gk_pread_fn pread, void *opaque, const uint8_t *mbr,
          uint64_t disk_size, struct gk_ptable **table_r, char **errmsg)
{
  const uint32_t ss = 512;
  part_vector parts = empty_vector;
  int ext_index = -1;

  /* A FAT or NTFS boot sector also ends in 0x55AA; what tells it apart
   * is that its "table" bytes are not valid boot flags.
   */
  for (int i = 0; i < 4; ++i) {
    uint8_t flag = mbr[446 + 16 * i];
    if (flag != 0 && flag != 0x80) {
      *errmsg = xasprintf ("no MBR or GPT partition table found on this "
                           "disk (sector 0 ends in 0x55AA but entry %d "
                           "has an invalid boot flag 0x%02x; it may be a "
                           "filesystem without a partition table)",
                           i + 1, flag);
      return -1;
    }
  }

  for (int i = 0; i < 4; ++i) {
    const uint8_t *e = mbr + 446 + 16 * i;
    uint64_t size = (uint64_t) gk_le32 (e + 12) * ss;

    if (e[4] == 0 || size == 0)
      continue;
    struct gk_partition p = {
      .num = i + 1,
      .start = (uint64_t) gk_le32 (e + 8) * ss,
      .size = size,
      .mbr_id = e[4],
      .bootable = e[0] == 0x80,
      .extended = is_extended_id (e[4]),
      .name = xstrdup (""),
    };
    if (p.extended) {
      if (ext_index >= 0) {
        *errmsg = xasprintf ("partitions %d and %d are both extended "
                             "partitions; only one is supported",
                             parts.ptr[ext_index].num, p.num);
        free (p.name);
        free_part_vector (&parts);
        return -1;
      }
      ext_index = parts.len;
    }
    part_vector_append (&parts, p);
  }

  if (ext_index >= 0) {
    struct gk_partition ext = parts.ptr[ext_index];

    /* A truncated image says so better than a broken chain would. */
    if (ext.start + ext.size > disk_size) {
      *errmsg = xasprintf ("partition %d ends at byte %" PRIu64 " but the "
                           "disk is only %" PRIu64 " bytes: the image "
                           "looks truncated", ext.num, ext.start + ext.size,
                           disk_size);
      free_part_vector (&parts);
      return -1;
    }
    if (read_ebr_chain (pread, opaque, ss, &ext, &parts, errmsg) == -1) {
      free_part_vector (&parts);
      return -1;
    }
  }

  CLEANUP_PTABLE struct gk_ptable *t =
    new_table (GK_PTABLE_MBR, ss, &parts);
  t->mbr_signature = gk_le32 (mbr + 440);
  t->first_usable = ss;
  t->last_usable = disk_size / ss * ss;
  if (check_layout (t, disk_size, true, errmsg) == -1)
    return -1;
  *table_r = t;
  t = NULL;
  return 0;
}

/* Reading GPT. */

struct gpt_header {
  uint64_t my_lba, alternate_lba, first_usable, last_usable, entries_lba;
  uint32_t nr_entries, entry_size, entries_crc;
  uint8_t disk_guid[16];
};

/* Why the header at LBA in BUF is not valid, or NULL if it is. */
static const char *
check_gpt_header (const uint8_t *buf, uint32_t ss, uint64_t lba,
                  struct gpt_header *h)
{
  CLEANUP_FREE uint8_t *copy = NULL;
  uint32_t hsize;

  if (memcmp (buf, "EFI PART", 8) != 0)
    return "no GPT signature";
  hsize = gk_le32 (buf + 12);
  if (hsize < GPT_HEADER_SIZE || hsize > ss)
    return "invalid header size";
  copy = xmalloc (hsize);
  memcpy (copy, buf, hsize);
  memset (copy + 16, 0, 4);
  if (crc32 (copy, hsize) != gk_le32 (buf + 16))
    return "bad header checksum";

  h->my_lba = gk_le64 (buf + 24);
  h->alternate_lba = gk_le64 (buf + 32);
  h->first_usable = gk_le64 (buf + 40);
  h->last_usable = gk_le64 (buf + 48);
  memcpy (h->disk_guid, buf + 56, 16);
  h->entries_lba = gk_le64 (buf + 72);
  h->nr_entries = gk_le32 (buf + 80);
  h->entry_size = gk_le32 (buf + 84);
  h->entries_crc = gk_le32 (buf + 88);

  if (h->my_lba != lba)
    return "the header's own LBA is wrong";
  if (h->entry_size < GPT_ENTRY_SIZE || h->entry_size % 8 ||
      h->nr_entries == 0 ||
      (uint64_t) h->nr_entries * h->entry_size > GPT_MAX_ENTRY_BYTES)
    return "invalid partition entry count or size";
  if (h->first_usable > h->last_usable + 1 || h->entries_lba < 1)
    return "invalid usable area or entry location";
  return NULL;
}

/* Read and checksum the entries H points to; NULL on error. */
static uint8_t *
read_gpt_entries (gk_pread_fn pread, void *opaque, uint32_t ss,
                  uint64_t disk_size, const struct gpt_header *h,
                  const char **why)
{
  size_t bytes = (size_t) h->nr_entries * h->entry_size;
  size_t rounded = (bytes + ss - 1) / ss * ss;
  uint8_t *buf;

  if (h->entries_lba > disk_size / ss ||
      rounded > disk_size - h->entries_lba * ss) {
    *why = "its partition entries lie beyond the end of the disk";
    return NULL;
  }
  buf = xmalloc (rounded);
  if (pread (opaque, buf, rounded, h->entries_lba * ss) == -1) {
    *why = "its partition entries cannot be read";
    free (buf);
    return NULL;
  }
  if (crc32 (buf, bytes) != h->entries_crc) {
    *why = "bad partition entries checksum";
    free (buf);
    return NULL;
  }
  return buf;
}

/* Is there a complete valid GPT copy (header + entries) at LBA?  NULL
 * if so, else why not; *IN_ENTRIES says whether the header was fine
 * and only the entries were not.
 */
static const char *
check_gpt_copy (gk_pread_fn pread, void *opaque, uint32_t ss,
                uint64_t disk_size, uint64_t lba, struct gpt_header *h,
                bool *in_entries)
{
  CLEANUP_FREE uint8_t *buf = xmalloc (ss);
  CLEANUP_FREE uint8_t *entries = NULL;
  const char *why;

  *in_entries = false;
  if (lba >= disk_size / ss)
    return "it lies beyond the end of the disk";
  if (pread (opaque, buf, ss, lba * ss) == -1)
    return "it cannot be read";
  why = check_gpt_header (buf, ss, lba, h);
  if (why)
    return why;
  entries = read_gpt_entries (pread, opaque, ss, disk_size, h, &why);
  *in_entries = entries == NULL;
  return entries ? NULL : why;
}

#define REPAIR_HINT "repair the table first, e.g. with 'sgdisk -e' or " \
  "'gdisk' (recovery menu), then retry"

static int
parse_gpt (gk_pread_fn pread, void *opaque, uint32_t ss,
           uint64_t disk_size, const uint8_t *mbr,
           const struct gpt_header *h, struct gk_ptable **table_r,
           char **errmsg)
{
  const char *why;
  CLEANUP_FREE uint8_t *entries =
    read_gpt_entries (pread, opaque, ss, disk_size, h, &why);
  part_vector parts = empty_vector;

  if (entries == NULL) {
    *errmsg = xasprintf ("the GPT partition entries of this disk are "
                         "damaged (%s); " REPAIR_HINT, why);
    return -1;
  }

  for (uint32_t i = 0; i < h->nr_entries; ++i) {
    const uint8_t *e = entries + (size_t) i * h->entry_size;
    uint64_t first = gk_le64 (e + 32), last = gk_le64 (e + 40);

    if (guid_is_zero (e))
      continue;
    if (last < first || last >= UINT64_MAX / ss) {
      *errmsg = xasprintf ("GPT partition %" PRIu32 " ends (sector %"
                           PRIu64 ") before it starts (sector %" PRIu64
                           "): the partition table is corrupt",
                           i + 1, last, first);
      free_part_vector (&parts);
      return -1;
    }
    struct gk_partition p = {
      .num = i + 1,
      .start = first * ss,
      .size = (last - first + 1) * ss,
      .attributes = gk_le64 (e + 48),
      .name = gk_utf16le_to_utf8 (e + 56, GPT_NAME_UNITS),
    };
    memcpy (p.type_guid, e, 16);
    memcpy (p.part_guid, e + 16, 16);
    part_vector_append (&parts, p);
  }

  CLEANUP_PTABLE struct gk_ptable *t =
    new_table (GK_PTABLE_GPT, ss, &parts);
  t->mbr_signature = gk_le32 (mbr + 440);
  memcpy (t->disk_guid, h->disk_guid, 16);
  t->gpt_nr_entries = h->nr_entries;
  t->first_usable = h->first_usable * ss;
  t->last_usable = (h->last_usable + 1) * ss;

  /* Partitions first: "partition 2 ends past the disk" says more than
   * "the backup header is missing" when an image was cut short.
   */
  if (check_layout (t, disk_size, true, errmsg) == -1)
    return -1;
  if (h->alternate_lba >= disk_size / ss ||
      t->last_usable > disk_size) {
    *errmsg = xasprintf ("the GPT says the disk is at least %" PRIu64
                         " bytes but it is only %" PRIu64 " bytes: the "
                         "image looks truncated",
                         ((h->alternate_lba > h->last_usable
                           ? h->alternate_lba : h->last_usable) + 1) * ss,
                         disk_size);
    return -1;
  }

  /* A disk grown without moving the backup has it before the end;
   * that is still a good table.
   */
  struct gpt_header b;
  bool in_entries;
  why = check_gpt_copy (pread, opaque, ss, disk_size, h->alternate_lba, &b,
                        &in_entries);
  if (why == NULL && b.entries_crc != h->entries_crc) {
    why = "its partition entries differ from the primary's";
    in_entries = true;
  }
  if (why) {
    *errmsg = xasprintf ("the backup GPT %s of this disk (at byte %"
                         PRIu64 ") %s damaged (%s) but the primary copy "
                         "is intact; " REPAIR_HINT,
                         in_entries ? "partition entries" : "header",
                         (in_entries ? b.entries_lba : h->alternate_lba) * ss,
                         in_entries ? "are" : "is", why);
    return -1;
  }

  *table_r = t;
  t = NULL;
  return 0;
}

/* 1 = a GPT was found and parsed, 0 = not a GPT disk, -1 = error. */
static int
read_gpt (gk_pread_fn pread, void *opaque, const uint8_t *mbr,
          uint64_t disk_size, struct gk_ptable **table_r, char **errmsg)
{
  static const uint32_t sizes[] = { 512, 4096 };

  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
    uint32_t ss = sizes[i];
    CLEANUP_FREE uint8_t *buf = xmalloc (ss);
    struct gpt_header h;
    const char *why;

    if (disk_size < 3 * (uint64_t) ss)
      continue;
    if (pread (opaque, buf, ss, ss) == -1) {
      *errmsg = xasprintf ("cannot read the GPT header at byte %" PRIu32,
                           ss);
      return -1;
    }
    if (memcmp (buf, "EFI PART", 8) != 0)
      continue;

    bool in_entries, b_in_entries;
    why = check_gpt_copy (pread, opaque, ss, disk_size, 1, &h, &in_entries);
    if (why == NULL)
      return parse_gpt (pread, opaque, ss, disk_size, mbr, &h,
                        table_r, errmsg) == -1 ? -1 : 1;

    struct gpt_header b;
    const char *what = in_entries ? "partition entries" : "header";
    const char *is = in_entries ? "are" : "is";
    if (check_gpt_copy (pread, opaque, ss, disk_size, disk_size / ss - 1,
                        &b, &b_in_entries) == NULL)
      *errmsg = xasprintf ("the primary GPT %s of this disk %s damaged "
                           "(%s) but the backup copy is intact; "
                           REPAIR_HINT, what, is, why);
    else
      *errmsg = xasprintf ("the primary GPT %s of this disk %s damaged "
                           "(%s) and no intact backup copy was found at "
                           "the end of the disk; the partition table "
                           "cannot be read", what, is, why);
    return -1;
  }

  /* No primary header at all: a wiped LBA 1 with a good backup can
   * still be rescued by the user.
   */
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
    uint32_t ss = sizes[i];
    struct gpt_header b;
    bool in_entries;

    if (disk_size >= 3 * (uint64_t) ss &&
        check_gpt_copy (pread, opaque, ss, disk_size,
                        disk_size / ss - 1, &b, &in_entries) == NULL) {
      *errmsg = xasprintf ("the primary GPT header of this disk is damaged "
                           "(no GPT signature) but the backup copy is "
                           "intact; " REPAIR_HINT);
      return -1;
    }
  }
  *errmsg = xasprintf ("the disk has a protective MBR (partition type "
                       "0xEE) but no GPT header was found: the partition "
                       "table is damaged or the disk was truncated");
  return -1;
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
  if (pread (opaque, mbr, sizeof mbr, 0) == -1) {
    *errmsg = xasprintf ("cannot read the first sector of the disk");
    return -1;
  }
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
    return read_gpt (pread, opaque, mbr, disk_size, table_r, errmsg)
      == -1 ? -1 : 0;
  return read_mbr (pread, opaque, mbr, disk_size, table_r, errmsg);
}

/* Writing MBR. */

/* CHS as sfdisk computes it: 255 heads, 63 sectors per track, and the
 * 1023/254/63 marker past what CHS can address.
 */
static void
put_chs (uint8_t *p, uint64_t lba)
{
  const uint64_t heads = 255, sectors = 63;

  if (lba / (heads * sectors) > 1023)
    lba = heads * sectors * 1024 - 1;
  uint64_t c = lba / (heads * sectors);
  uint64_t h = (lba / sectors) % heads;
  uint64_t s = lba % sectors + 1;
  p[0] = h;
  p[1] = s | ((c >> 2) & 0xc0);
  p[2] = c & 0xff;
}

/* START and SIZE in sectors, START relative to what the entry is in. */
static void
put_mbr_entry (uint8_t *e, bool bootable, uint8_t id, uint64_t abs_start,
               uint64_t start, uint64_t size)
{
  e[0] = bootable ? 0x80 : 0;
  put_chs (e + 1, abs_start);
  e[4] = id;
  put_chs (e + 5, abs_start + size - 1);
  gk_put_le32 (e + 8, start);
  gk_put_le32 (e + 12, size);
}

static int
check_mbr_for_write (const struct gk_ptable *t, char **errmsg)
{
  uint32_t ss = t->sector_size;
  bool used[4] = { false };
  int extended = 0, next_logical = 5;

  for (size_t i = 0; i < t->nr_parts; ++i) {
    const struct gk_partition *p = &t->parts[i];

    if (p->logical) {
      if (p->num != next_logical) {
        *errmsg = xasprintf ("logical partition %d is out of order: "
                             "logical partitions must be numbered 5, 6, "
                             "... in order", p->num);
        return -1;
      }
      next_logical++;
    }
    else if (p->num < 1 || p->num > 4 || used[p->num - 1]) {
      *errmsg = xasprintf ("primary partition number %d is invalid or "
                           "used twice", p->num);
      return -1;
    }
    else
      used[p->num - 1] = true;
    if (p->extended)
      extended++;
    if (p->start / ss + p->size / ss > UINT32_MAX) {
      *errmsg = xasprintf ("partition %d ends at byte %" PRIu64 ", beyond "
                           "what an MBR can address with %" PRIu32
                           "-byte sectors (2 TiB); use GPT", p->num,
                           p->start + p->size, ss);
      return -1;
    }
  }
  if (extended > 1) {
    *errmsg = xasprintf ("more than one extended partition");
    return -1;
  }
  return 0;
}

static int
write_mbr (const struct gk_ptable *tin, uint64_t disk_size,
           gk_pwrite_fn pwrite, void *opaque, char **errmsg)
{
  CLEANUP_PTABLE struct gk_ptable *t = sorted_copy (tin);
  uint32_t ss = t->sector_size;
  uint8_t tail[72];
  CLEANUP_FREE uint8_t *ebr = xmalloc (ss);
  const struct gk_partition *ext = NULL;
  CLEANUP_FREE uint64_t *ebr_at = xcalloc (t->nr_parts + 1, sizeof *ebr_at);

  t->first_usable = ss;
  t->last_usable = disk_size / ss * ss;
  if (check_layout (t, disk_size, false, errmsg) == -1 ||
      check_mbr_for_write (t, errmsg) == -1)
    return -1;

  memset (tail, 0, sizeof tail);
  gk_put_le32 (tail, t->mbr_signature);
  for (size_t i = 0; i < t->nr_parts; ++i) {
    const struct gk_partition *p = &t->parts[i];
    if (p->logical)
      continue;
    if (p->extended)
      ext = p;
    put_mbr_entry (tail + 6 + 16 * (p->num - 1), p->bootable, p->mbr_id,
                   p->start / ss, p->start / ss, p->size / ss);
  }
  tail[70] = 0x55;
  tail[71] = 0xaa;

  /* Where each EBR goes.  Linux starts the chain at the extended
   * partition's first sector, so the first EBR is always there.
   */
  uint64_t prev_end = 0;
  size_t first_logical = t->nr_parts;
  for (size_t i = 0; i < t->nr_parts; ++i) {
    const struct gk_partition *p = &t->parts[i];
    uint64_t at;

    if (!p->logical)
      continue;
    if (first_logical == t->nr_parts) {
      first_logical = i;
      at = ext->start;
    }
    else
      at = p->start - (p->ebr_gap ? p->ebr_gap : ss);
    if (p->ebr_gap % ss || at >= p->start || at < ext->start ||
        at < prev_end) {
      *errmsg = xasprintf ("no room for the extended boot record of "
                           "logical partition %d (start %" PRIu64
                           ", EBR gap %" PRIu64 " bytes): logical "
                           "partitions must be in order with a free "
                           "sector before each", p->num, p->start,
                           p->ebr_gap);
      return -1;
    }
    ebr_at[i] = at;
    prev_end = p->start + p->size;
  }

  if (pwrite (opaque, tail, sizeof tail, 440) == -1) {
    *errmsg = xasprintf ("cannot write the MBR");
    return -1;
  }

  if (ext && first_logical == t->nr_parts) {
    /* An empty extended partition: a blank EBR so that stale data is
     * not taken for a chain.
     */
    memset (ebr, 0, ss);
    ebr[510] = 0x55;
    ebr[511] = 0xaa;
    if (pwrite (opaque, ebr, ss, ext->start) == -1) {
      *errmsg = xasprintf ("cannot write the extended boot record at "
                           "byte %" PRIu64, ext->start);
      return -1;
    }
  }

  for (size_t i = first_logical; i < t->nr_parts; ++i) {
    const struct gk_partition *p = &t->parts[i];
    const struct gk_partition *next =
      i + 1 < t->nr_parts ? &t->parts[i + 1] : NULL;

    memset (ebr, 0, ss);
    put_mbr_entry (ebr + 446, p->bootable, p->mbr_id, p->start / ss,
                   (p->start - ebr_at[i]) / ss, p->size / ss);
    if (next) {
      /* The link spans the next EBR and its partition, relative to the
       * extended partition, as fdisk writes it.
       */
      uint64_t n_ebr = ebr_at[i + 1];
      put_mbr_entry (ebr + 446 + 16, false, MBR_EXTENDED_LINK_ID,
                     n_ebr / ss, (n_ebr - ext->start) / ss,
                     (next->start + next->size - n_ebr) / ss);
    }
    ebr[510] = 0x55;
    ebr[511] = 0xaa;
    if (pwrite (opaque, ebr, ss, ebr_at[i]) == -1) {
      *errmsg = xasprintf ("cannot write the extended boot record at "
                           "byte %" PRIu64, ebr_at[i]);
      return -1;
    }
  }
  return 0;
}

/* Writing GPT. */

static void
make_gpt_header (uint8_t *buf, uint32_t ss, const struct gk_ptable *t,
                 uint64_t my_lba, uint64_t alternate_lba,
                 uint64_t entries_lba, uint32_t nr_entries,
                 uint32_t entries_crc)
{
  memset (buf, 0, ss);
  memcpy (buf, "EFI PART", 8);
  gk_put_le32 (buf + 8, 0x00010000);
  gk_put_le32 (buf + 12, GPT_HEADER_SIZE);
  gk_put_le64 (buf + 24, my_lba);
  gk_put_le64 (buf + 32, alternate_lba);
  gk_put_le64 (buf + 40, t->first_usable / ss);
  gk_put_le64 (buf + 48, t->last_usable / ss - 1);
  memcpy (buf + 56, t->disk_guid, 16);
  gk_put_le64 (buf + 72, entries_lba);
  gk_put_le32 (buf + 80, nr_entries);
  gk_put_le32 (buf + 84, GPT_ENTRY_SIZE);
  gk_put_le32 (buf + 88, entries_crc);
  gk_put_le32 (buf + 16, crc32 (buf, GPT_HEADER_SIZE));
}

static int
write_gpt (const struct gk_ptable *tin, uint64_t disk_size,
           gk_pwrite_fn pwrite, void *opaque, char **errmsg)
{
  CLEANUP_PTABLE struct gk_ptable *t = sorted_copy (tin);
  uint32_t ss = t->sector_size;
  uint32_t nr_entries = t->gpt_nr_entries ? t->gpt_nr_entries : 128;
  uint64_t esectors = gpt_entry_sectors (nr_entries, ss);
  uint64_t sectors = disk_size / ss;
  uint8_t pmbr[72];

  if ((uint64_t) nr_entries * GPT_ENTRY_SIZE > GPT_MAX_ENTRY_BYTES ||
      sectors < 2 * esectors + 4) {
    *errmsg = xasprintf ("the disk (%" PRIu64 " bytes) is too small for a "
                         "GPT with %" PRIu32 " entries", disk_size,
                         nr_entries);
    return -1;
  }
  t->first_usable = (2 + esectors) * ss;
  t->last_usable = (sectors - 1 - esectors) * ss;
  if (check_layout (t, disk_size, false, errmsg) == -1)
    return -1;

  CLEANUP_FREE uint8_t *entries = xcalloc (esectors, ss);
  for (size_t i = 0; i < t->nr_parts; ++i) {
    const struct gk_partition *p = &t->parts[i];
    uint8_t *e;

    if (p->num < 1 || (uint32_t) p->num > nr_entries) {
      *errmsg = xasprintf ("GPT partition number %d is outside the table "
                           "of %" PRIu32 " entries", p->num, nr_entries);
      return -1;
    }
    e = entries + (size_t) (p->num - 1) * GPT_ENTRY_SIZE;
    if (!guid_is_zero (e)) {
      *errmsg = xasprintf ("GPT partition number %d is used twice", p->num);
      return -1;
    }
    if (guid_is_zero (p->type_guid)) {
      *errmsg = xasprintf ("GPT partition %d has no type GUID", p->num);
      return -1;
    }
    memcpy (e, p->type_guid, 16);
    memcpy (e + 16, p->part_guid, 16);
    gk_put_le64 (e + 32, p->start / ss);
    gk_put_le64 (e + 40, (p->start + p->size) / ss - 1);
    gk_put_le64 (e + 48, p->attributes);
    if (gk_utf8_to_utf16le (p->name ? p->name : "", e + 56,
                         GPT_NAME_UNITS) == -1) {
      *errmsg = xasprintf ("the name of GPT partition %d is not valid "
                           "UTF-8 or longer than %d UTF-16 units",
                           p->num, GPT_NAME_UNITS);
      return -1;
    }
  }
  uint32_t entries_crc =
    crc32 (entries, (size_t) nr_entries * GPT_ENTRY_SIZE);

  /* The protective MBR, as sfdisk writes it: one 0xEE entry covering
   * the disk (CHS 0/0/2 to the all-ones marker), boot code untouched.
   */
  memset (pmbr, 0, sizeof pmbr);
  gk_put_le32 (pmbr, t->mbr_signature);
  uint8_t *e = pmbr + 6;
  e[2] = 2;
  e[4] = MBR_PROTECTIVE_ID;
  e[5] = e[6] = e[7] = 0xff;
  gk_put_le32 (e + 8, 1);
  gk_put_le32 (e + 12, sectors - 1 > UINT32_MAX ? UINT32_MAX : sectors - 1);
  pmbr[70] = 0x55;
  pmbr[71] = 0xaa;

  CLEANUP_FREE uint8_t *hdr = xmalloc (ss);
  uint64_t last = sectors - 1;
  uint64_t backup_entries = last - esectors;

  CLEANUP_FREE uint8_t *backup_hdr = xmalloc (ss);
  make_gpt_header (hdr, ss, t, 1, last, 2, nr_entries, entries_crc);
  make_gpt_header (backup_hdr, ss, t, last, 1, backup_entries, nr_entries,
                   entries_crc);
  if (pwrite (opaque, pmbr, sizeof pmbr, 440) == -1 ||
      pwrite (opaque, hdr, ss, ss) == -1 ||
      pwrite (opaque, entries, esectors * ss, 2 * ss) == -1 ||
      pwrite (opaque, entries, esectors * ss, backup_entries * ss) == -1 ||
      pwrite (opaque, backup_hdr, ss, last * ss) == -1) {
    *errmsg = xasprintf ("cannot write the GPT partition table");
    return -1;
  }
  return 0;
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
    return write_gpt (table, disk_size, pwrite, opaque, errmsg);
  return write_mbr (table, disk_size, pwrite, opaque, errmsg);
}
