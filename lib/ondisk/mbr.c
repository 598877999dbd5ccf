/* guestkit: MBR partition tables and the EBR chain of logical
 * partitions (see ptable.h).
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

#define MBR_EXTENDED_LINK_ID 0x05  /* what sfdisk puts in EBR links */
#define MAX_LOGICALS         1024

/* Reading MBR. */

static bool
is_extended_id (uint8_t id)
{
  return id == 0x05 || id == 0x0f || id == 0x85;
}

static int
read_ebr_chain (gk_pread_fn pread, void *opaque, uint32_t ss,
                const struct gk_partition *ext, gk_partition_vector *parts,
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
    if (gk_read_at (pread, opaque, buf, ss, ebr, errmsg,
                    "cannot read the extended boot record at byte %"
                    PRIu64, ebr) == -1)
      return -1;
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
      gk_partition_vector_append (parts, p);
    }
    if (next == 0)
      return 0;
    ebr = next;
  }
}

int
gk_mbr_read (gk_pread_fn pread, void *opaque, const uint8_t *mbr,
             uint64_t disk_size, struct gk_ptable **table_r, char **errmsg)
{
  const uint32_t ss = 512;
  gk_partition_vector parts = empty_vector;
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
        gk_partition_vector_free (&parts);
        return -1;
      }
      ext_index = parts.len;
    }
    gk_partition_vector_append (&parts, p);
  }

  if (ext_index >= 0) {
    struct gk_partition ext = parts.ptr[ext_index];

    /* A truncated image says so better than a broken chain would. */
    if (ext.start + ext.size > disk_size) {
      *errmsg = xasprintf ("partition %d ends at byte %" PRIu64 " but the "
                           "disk is only %" PRIu64 " bytes: the image "
                           "looks truncated", ext.num, ext.start + ext.size,
                           disk_size);
      gk_partition_vector_free (&parts);
      return -1;
    }
    if (read_ebr_chain (pread, opaque, ss, &ext, &parts, errmsg) == -1) {
      gk_partition_vector_free (&parts);
      return -1;
    }
  }

  CLEANUP_PTABLE struct gk_ptable *t =
    gk_ptable_new (GK_PTABLE_MBR, ss, &parts);
  t->mbr_signature = gk_le32 (mbr + 440);
  t->first_usable = ss;
  t->last_usable = disk_size / ss * ss;
  if (gk_ptable_check_layout (t, disk_size, true, errmsg) == -1)
    return -1;
  *table_r = t;
  t = NULL;
  return 0;
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

  for (size_t i = 0; i < t->parts.len; ++i) {
    const struct gk_partition *p = &t->parts.ptr[i];

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

int
gk_mbr_write (const struct gk_ptable *tin, uint64_t disk_size,
              gk_pwrite_fn pwrite, void *opaque, char **errmsg)
{
  CLEANUP_PTABLE struct gk_ptable *t = gk_ptable_sorted_copy (tin);
  uint32_t ss = t->sector_size;
  uint8_t tail[72];
  CLEANUP_FREE uint8_t *ebr = xmalloc (ss);
  const struct gk_partition *ext = NULL;
  CLEANUP_FREE uint64_t *ebr_at = xcalloc (t->parts.len + 1, sizeof *ebr_at);

  t->first_usable = ss;
  t->last_usable = disk_size / ss * ss;
  if (gk_ptable_check_layout (t, disk_size, false, errmsg) == -1 ||
      check_mbr_for_write (t, errmsg) == -1)
    return -1;

  memset (tail, 0, sizeof tail);
  gk_put_le32 (tail, t->mbr_signature);
  for (size_t i = 0; i < t->parts.len; ++i) {
    const struct gk_partition *p = &t->parts.ptr[i];
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
  size_t first_logical = t->parts.len;
  for (size_t i = 0; i < t->parts.len; ++i) {
    const struct gk_partition *p = &t->parts.ptr[i];
    uint64_t at;

    if (!p->logical)
      continue;
    if (first_logical == t->parts.len) {
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

  if (gk_write_at (pwrite, opaque, tail, sizeof tail, 440, errmsg,
                   "cannot write the MBR") == -1)
    return -1;

  if (ext && first_logical == t->parts.len) {
    /* An empty extended partition: a blank EBR so that stale data is
     * not taken for a chain.
     */
    memset (ebr, 0, ss);
    ebr[510] = 0x55;
    ebr[511] = 0xaa;
    if (gk_write_at (pwrite, opaque, ebr, ss, ext->start, errmsg,
                     "cannot write the extended boot record at byte %"
                     PRIu64, ext->start) == -1)
      return -1;
  }

  for (size_t i = first_logical; i < t->parts.len; ++i) {
    const struct gk_partition *p = &t->parts.ptr[i];
    const struct gk_partition *next =
      i + 1 < t->parts.len ? &t->parts.ptr[i + 1] : NULL;

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
    if (gk_write_at (pwrite, opaque, ebr, ss, ebr_at[i], errmsg,
                     "cannot write the extended boot record at byte %"
                     PRIu64, ebr_at[i]) == -1)
      return -1;
  }
  return 0;
}
