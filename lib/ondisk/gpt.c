/* guestkit: GUID partition tables, primary and backup copies (see
 * ptable.h).
 */
#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ondisk/byteorder.h"
#include "ondisk/ptable-internal.h"
#include "ondisk/reader.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"

#define GPT_HEADER_SIZE      92
#define GPT_NAME_UNITS       36    /* UTF-16 code units in a GPT name */
#define GPT_MAX_ENTRY_BYTES  (4 * 1024 * 1024)

/* CRC-32 as GPT uses it (IEEE 802.3, reflected, inverted). */
static uint32_t
crc32 (const uint8_t *buf, size_t len)
{
  return ~gk_crc32_update (0xffffffff, buf, len);
}

static bool
guid_is_zero (const uint8_t g[16])
{
  for (int i = 0; i < 16; ++i)
    if (g[i])
      return false;
  return true;
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
  if (crc32 (copy, hsize) != gk_le32 (buf + 16) && !gk_ondisk_fuzzing)
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
  if (h->last_usable == UINT64_MAX ||
      h->first_usable > h->last_usable + 1 || h->entries_lba < 1)
    return "invalid usable area or entry location";
  return NULL;
}

/* The result of looking for a GPT copy. */
enum gpt_copy { GPT_COPY_OK, GPT_COPY_DAMAGED, GPT_COPY_IO_ERROR = -1 };

/* Read and checksum the entries H points to into *ENTRIES_R. */
static enum gpt_copy
read_gpt_entries (gk_pread_fn pread, void *opaque, uint32_t ss,
                  uint64_t disk_size, const struct gpt_header *h,
                  uint8_t **entries_r, const char **why, char **errmsg)
{
  size_t bytes = (size_t) h->nr_entries * h->entry_size;
  size_t rounded = (bytes + ss - 1) / ss * ss;
  uint8_t *buf;

  *entries_r = NULL;
  if (h->entries_lba > disk_size / ss ||
      rounded > disk_size - h->entries_lba * ss) {
    *why = "its partition entries lie beyond the end of the disk";
    return GPT_COPY_DAMAGED;
  }
  buf = xmalloc (rounded);
  if (gk_read_at (pread, opaque, buf, rounded, h->entries_lba * ss, errmsg,
                  "cannot read the GPT partition entries at byte %" PRIu64,
                  h->entries_lba * ss) == -1) {
    free (buf);
    return GPT_COPY_IO_ERROR;
  }
  if (crc32 (buf, bytes) != h->entries_crc && !gk_ondisk_fuzzing) {
    *why = "bad partition entries checksum";
    free (buf);
    return GPT_COPY_DAMAGED;
  }
  *entries_r = buf;
  return GPT_COPY_OK;
}

/* Is there a complete valid GPT copy (header + entries) at LBA?  If
 * not, *WHY says why, and *IN_ENTRIES whether the header was fine and
 * only the entries were not.  ENTRIES_R (may be NULL) gets the entries
 * of a valid copy.
 */
static enum gpt_copy
check_gpt_copy (gk_pread_fn pread, void *opaque, uint32_t ss,
                uint64_t disk_size, uint64_t lba, struct gpt_header *h,
                uint8_t **entries_r, const char **why, bool *in_entries,
                char **errmsg)
{
  CLEANUP_FREE uint8_t *buf = xmalloc (ss);
  CLEANUP_FREE uint8_t *entries = NULL;
  enum gpt_copy r;

  *in_entries = false;
  if (lba >= disk_size / ss) {
    *why = "it lies beyond the end of the disk";
    return GPT_COPY_DAMAGED;
  }
  if (gk_read_at (pread, opaque, buf, ss, lba * ss, errmsg,
                  "cannot read the GPT header at byte %" PRIu64,
                  lba * ss) == -1)
    return GPT_COPY_IO_ERROR;
  *why = check_gpt_header (buf, ss, lba, h);
  if (*why)
    return GPT_COPY_DAMAGED;
  r = read_gpt_entries (pread, opaque, ss, disk_size, h, &entries, why,
                        errmsg);
  *in_entries = r == GPT_COPY_DAMAGED;
  if (r == GPT_COPY_OK && entries_r) {
    *entries_r = entries;
    entries = NULL;
  }
  return r;
}

#define REPAIR_HINT "repair the table first, e.g. with 'sgdisk -e' or " \
  "'gdisk' (recovery menu), then retry"

/* The table H describes, with the ENTRIES it points to. */
static int
parse_gpt (gk_pread_fn pread, void *opaque, uint32_t ss,
           uint64_t disk_size, const uint8_t *mbr,
           const struct gpt_header *h, const uint8_t *entries,
           struct gk_ptable **table_r, char **errmsg)
{
  const char *why = NULL;
  gk_partition_vector parts = empty_vector;
  uint64_t sectors = disk_size / ss;

  for (uint32_t i = 0; i < h->nr_entries; ++i) {
    const uint8_t *e = entries + (size_t) i * h->entry_size;
    uint64_t first = gk_le64 (e + 32), last = gk_le64 (e + 40);

    if (guid_is_zero (e))
      continue;
    if (last < first || last >= UINT64_MAX / ss) {
      *errmsg = xasprintf ("GPT partition %" PRIu32 " ends (sector %"
                           PRIu64 ") %s (sector %" PRIu64 "): the "
                           "partition table is corrupt", i + 1, last,
                           last < first ? "before it starts"
                           : "beyond any disk, starting", first);
      gk_partition_vector_free (&parts);
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
    gk_partition_vector_append (&parts, p);
  }

  /* The usable area as far as the disk goes (a header that says more
   * is refused below, after the partitions: "partition 2 ends past the
   * disk" says more than "the backup header is missing" when an image
   * was cut short).
   */
  uint64_t last_usable = h->last_usable < sectors ? h->last_usable : sectors;
  uint64_t first_usable =
    h->first_usable <= last_usable ? h->first_usable : last_usable;
  CLEANUP_PTABLE struct gk_ptable *t =
    gk_ptable_new (GK_PTABLE_GPT, ss, &parts);
  t->mbr_signature = gk_le32 (mbr + 440);
  memcpy (t->disk_guid, h->disk_guid, 16);
  t->gpt_nr_entries = h->nr_entries;
  t->first_usable = first_usable * ss;
  t->last_usable = (last_usable + 1) * ss;

  if (gk_ptable_check_layout (t, disk_size, true, errmsg) == -1)
    return -1;
  if (h->alternate_lba >= sectors || h->last_usable >= sectors) {
    uint64_t need = h->alternate_lba > h->last_usable
      ? h->alternate_lba : h->last_usable;

    if (need < UINT64_MAX / ss)
      *errmsg = xasprintf ("the GPT says the disk is at least %" PRIu64
                           " bytes but it is only %" PRIu64 " bytes: the "
                           "image looks truncated", (need + 1) * ss,
                           disk_size);
    else
      *errmsg = xasprintf ("the GPT says the disk has %" PRIu64 " sectors,"
                           " more than any disk: the partition table is "
                           "corrupt", need);
    return -1;
  }

  /* A disk grown without moving the backup has it before the end;
   * that is still a good table.
   */
  struct gpt_header b;
  bool in_entries;
  enum gpt_copy r =
    check_gpt_copy (pread, opaque, ss, disk_size, h->alternate_lba, &b,
                    NULL, &why, &in_entries, errmsg);
  if (r == GPT_COPY_IO_ERROR)
    return -1;
  if (r == GPT_COPY_OK && b.entries_crc != h->entries_crc) {
    why = "its partition entries differ from the primary's";
    in_entries = true;
    r = GPT_COPY_DAMAGED;
  }
  if (r == GPT_COPY_DAMAGED) {
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

int
gk_gpt_read (gk_pread_fn pread, void *opaque, const uint8_t *mbr,
             uint64_t disk_size, struct gk_ptable **table_r, char **errmsg)
{
  static const uint32_t sizes[] = { 512, 4096 };
  const char *why = NULL, *b_why = NULL;
  bool in_entries, b_in_entries;
  struct gpt_header h, b;
  enum gpt_copy r;

  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
    uint32_t ss = sizes[i];
    CLEANUP_FREE uint8_t *buf = xmalloc (ss);
    CLEANUP_FREE uint8_t *entries = NULL;

    if (disk_size < 3 * (uint64_t) ss)
      continue;
    if (gk_read_at (pread, opaque, buf, ss, ss, errmsg,
                    "cannot read the GPT header at byte %" PRIu32,
                    ss) == -1)
      return -1;
    if (memcmp (buf, "EFI PART", 8) != 0)
      continue;

    r = check_gpt_copy (pread, opaque, ss, disk_size, 1, &h, &entries,
                        &why, &in_entries, errmsg);
    if (r == GPT_COPY_IO_ERROR)
      return -1;
    if (r == GPT_COPY_OK)
      return parse_gpt (pread, opaque, ss, disk_size, mbr, &h, entries,
                        table_r, errmsg);

    const char *what = in_entries ? "partition entries" : "header";
    const char *is = in_entries ? "are" : "is";
    r = check_gpt_copy (pread, opaque, ss, disk_size, disk_size / ss - 1,
                        &b, NULL, &b_why, &b_in_entries, errmsg);
    if (r == GPT_COPY_IO_ERROR)
      return -1;
    if (r == GPT_COPY_OK)
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

    if (disk_size < 3 * (uint64_t) ss)
      continue;
    r = check_gpt_copy (pread, opaque, ss, disk_size, disk_size / ss - 1,
                        &b, NULL, &b_why, &b_in_entries, errmsg);
    if (r == GPT_COPY_IO_ERROR)
      return -1;
    if (r == GPT_COPY_OK) {
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

int
gk_gpt_write (const struct gk_ptable *tin, uint64_t disk_size,
              gk_pwrite_fn pwrite, void *opaque, char **errmsg)
{
  CLEANUP_PTABLE struct gk_ptable *t = gk_ptable_sorted_copy (tin);
  uint32_t ss = t->sector_size;
  uint32_t nr_entries = t->gpt_nr_entries ? t->gpt_nr_entries : 128;
  uint64_t esectors = gk_gpt_entry_sectors (nr_entries, ss);
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
  if (gk_ptable_check_layout (t, disk_size, false, errmsg) == -1)
    return -1;

  CLEANUP_FREE uint8_t *entries = xcalloc (esectors, ss);
  for (size_t i = 0; i < t->parts.len; ++i) {
    const struct gk_partition *p = &t->parts.ptr[i];
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
  if (gk_write_at (pwrite, opaque, pmbr, sizeof pmbr, 440, errmsg,
                   "cannot write the protective MBR") == -1 ||
      gk_write_at (pwrite, opaque, hdr, ss, ss, errmsg,
                   "cannot write the GPT header") == -1 ||
      gk_write_at (pwrite, opaque, entries, esectors * ss, 2 * ss, errmsg,
                   "cannot write the GPT partition entries") == -1 ||
      gk_write_at (pwrite, opaque, entries, esectors * ss,
                   backup_entries * ss, errmsg,
                   "cannot write the backup GPT partition entries") == -1 ||
      gk_write_at (pwrite, opaque, backup_hdr, ss, last * ss, errmsg,
                   "cannot write the backup GPT header") == -1)
    return -1;
  return 0;
}
