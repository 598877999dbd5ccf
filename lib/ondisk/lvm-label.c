/* guestkit: read LVM2 PV labels and their metadata areas on the host
 * (see lvm-label.h).
 *
 * Layout, from the LVM2 on-disk format: a 512 byte label in one of the
 * first four sectors ("LABELONE", type "LVM2 001") holds the PV header
 * (UUID, device size, lists of data and metadata areas).  Each metadata
 * area starts with a 512 byte header whose first location (slot 0)
 * points at the current, committed copy of the VG's text metadata inside
 * a circular buffer, which lvm-metadata.c parses.  Slot 1 holds a copy
 * written but not yet committed (left there only by a write that was
 * cut short): LVM reads it only when asked for precommitted metadata,
 * never to answer what the VG is, so neither do we.  Between metadata
 * areas, LVM takes the copy with the highest seqno.
 *
 * The PV's size is not the label's device size: pvresize of a PV in a
 * VG writes only the metadata, whose dev_size LVM then uses.
 */
#include <config.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondisk/byteorder.h"
#include "ondisk/lvm-label.h"
#include "ondisk/lvm-metadata.h"
#include "ondisk/reader.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"

#define SECTOR 512
#define LABEL_SCAN_SECTORS 4
#define MDA_HEADER_SIZE 512
#define LVM_CRC_INIT 0xf597a6cf
#define MDA_MAGIC " LVM2 x[5A%r0N*>"
#define RAW_LOCN_IGNORED 0x1
/* Anything larger is not metadata LVM would have written. */
#define MAX_METADATA_SIZE (64u << 20)

/* LVM's checksum is CRC-32 with its own initial value and no final
 * inversion.
 */
static uint32_t
lvm_crc (uint32_t crc, const uint8_t *p, size_t n)
{
  return gk_crc32_update (crc, p, n);
}

/* "abcdef...": 32 characters shown 6-4-4-4-4-4-6 as LVM prints them. */
static void
format_uuid (const uint8_t *raw, char out[39])
{
  static const int groups[] = { 6, 4, 4, 4, 4, 4, 6 };
  size_t o = 0, i = 0;

  for (int g = 0; g < 7; ++g) {
    if (g > 0)
      out[o++] = '-';
    for (int k = 0; k < groups[g]; ++k)
      out[o++] = raw[i++];
  }
  out[o] = '\0';
}

/* ---- The on-disk structures ---- */

/* One metadata area: its newest VG copy, or NULL with *ERRMSG unset if
 * the area holds none (an orphan PV, or an ignored copy).  Returns -1
 * if the area is damaged, READ_FAILED if reading it failed.
 */
#define READ_FAILED (-2)

static int
read_mda (gk_pread_fn pread, void *opaque, uint64_t offset,
          uint64_t length, uint64_t mda_start, uint64_t mda_size,
          struct gk_lvm_vg **vg_r, char **errmsg)
{
  uint8_t h[MDA_HEADER_SIZE];
  uint64_t loff, lsize, first;
  uint32_t lcrc, lflags;
  CLEANUP_FREE char *text = NULL;

  *vg_r = NULL;
  if (mda_size < 2 * MDA_HEADER_SIZE || mda_start > length ||
      mda_size > length - mda_start) {
    *errmsg = xasprintf ("LVM metadata area at %" PRIu64 " (%" PRIu64
                         " bytes) lies outside the device",
                         mda_start, mda_size);
    return -1;
  }
  if (gk_read_at (pread, opaque, h, sizeof h, offset + mda_start, errmsg,
                  "cannot read the LVM metadata area at byte %" PRIu64,
                  offset + mda_start) == -1)
    return READ_FAILED;
  if (memcmp (h + 4, MDA_MAGIC, 16) != 0 || gk_le32 (h + 20) != 1) {
    *errmsg = xasprintf ("no LVM metadata header at %" PRIu64, mda_start);
    return -1;
  }
  if (lvm_crc (LVM_CRC_INIT, h + 4, sizeof h - 4) != gk_le32 (h) &&
      !gk_ondisk_fuzzing) {
    *errmsg = xasprintf ("LVM metadata header at %" PRIu64
                         " has a bad checksum", mda_start);
    return -1;
  }

  /* raw_locn[0] at 40: the current copy. */
  loff = gk_le64 (h + 40);
  lsize = gk_le64 (h + 48);
  lcrc = gk_le32 (h + 56);
  lflags = gk_le32 (h + 60);
  if (loff == 0 || lsize == 0 || (lflags & RAW_LOCN_IGNORED))
    return 0;
  if (loff < MDA_HEADER_SIZE || loff >= mda_size ||
      lsize > mda_size - MDA_HEADER_SIZE || lsize > MAX_METADATA_SIZE) {
    *errmsg = xasprintf ("LVM metadata location out of range "
                         "(offset %" PRIu64 ", size %" PRIu64 ")",
                         loff, lsize);
    return -1;
  }

  /* The buffer is circular: text running past its end goes on just
   * after the header.
   */
  text = xmalloc (lsize + 1);
  first = lsize;
  if (lsize > mda_size - loff)
    first = mda_size - loff;
  if (gk_read_at (pread, opaque, text, first, offset + mda_start + loff,
                  errmsg, "cannot read the LVM metadata text at byte %"
                  PRIu64, offset + mda_start + loff) == -1 ||
      (first < lsize &&
       gk_read_at (pread, opaque, text + first, lsize - first,
                   offset + mda_start + MDA_HEADER_SIZE, errmsg,
                   "cannot read the LVM metadata text at byte %" PRIu64,
                   offset + mda_start + MDA_HEADER_SIZE) == -1))
    return READ_FAILED;
  text[lsize] = '\0';
  if (lvm_crc (LVM_CRC_INIT, (uint8_t *) text, lsize) != lcrc &&
      !gk_ondisk_fuzzing) {
    *errmsg = xstrdup ("LVM metadata text has a bad checksum");
    return -1;
  }

  return gk_lvm_parse_metadata (text, lsize, vg_r, errmsg);
}

/* What LVM says the PV spans (see lvm-label.h): the newest metadata's
 * dev_size for this PV, else what the label says; at least up to the
 * end of its last extent and of its metadata areas.  The numbers come
 * from the guest: saturating.
 */
static uint64_t
pv_size (const struct gk_lvm_label *label, const struct gk_lvm_vg *vg,
         uint64_t mda_end)
{
  const struct gk_lvm_pv *pv = vg ? gk_lvm_find_pv (vg, label->pv_id) : NULL;
  uint64_t size = label->device_size, extents_end = 0;

  if (pv) {
    if (pv->dev_size)
      size = pv->dev_size;
    if (vg->extent_size && pv->pe_count > UINT64_MAX / vg->extent_size)
      extents_end = UINT64_MAX;
    else
      extents_end = pv->pe_count * vg->extent_size;
    extents_end = extents_end > UINT64_MAX - pv->pe_start ? UINT64_MAX :
      extents_end + pv->pe_start;
  }
  if (extents_end > size)
    size = extents_end;
  if (mda_end > size)
    size = mda_end;
  return size;
}

int
gk_lvm_read_pv (gk_pread_fn pread, void *opaque,
                uint64_t offset, uint64_t length,
                struct gk_lvm_label *label,
                struct gk_lvm_vg **vg_r, char **errmsg)
{
  uint8_t buf[LABEL_SCAN_SECTORS * SECTOR];
  const uint8_t *l = NULL, *pvh;
  uint32_t pvh_off, i;
  bool first_da = true;
  struct gk_lvm_vg *best = NULL;
  uint64_t mda_end = 0;

  *vg_r = NULL;
  *errmsg = NULL;
  memset (label, 0, sizeof *label);
  if (length < sizeof buf) {
    *errmsg = xstrdup ("too small to be an LVM physical volume");
    return -1;
  }
  if (gk_read_at (pread, opaque, buf, sizeof buf, offset, errmsg,
                  "cannot read the LVM label at byte %" PRIu64,
                  offset) == -1)
    return -1;
  for (int s = 0; s < LABEL_SCAN_SECTORS; ++s) {
    const uint8_t *c = buf + s * SECTOR;
    if (memcmp (c, "LABELONE", 8) == 0 && gk_le64 (c + 8) == (uint64_t) s &&
        memcmp (c + 24, "LVM2 001", 8) == 0) {
      l = c;
      break;
    }
  }
  if (l == NULL) {
    *errmsg = xstrdup ("no LVM2 label: not an LVM physical volume");
    return -1;
  }
  if (lvm_crc (LVM_CRC_INIT, l + 20, SECTOR - 20) != gk_le32 (l + 16) &&
      !gk_ondisk_fuzzing) {
    *errmsg = xstrdup ("the LVM label has a bad checksum");
    return -1;
  }
  /* The PV header: UUID (32), device size (8), then at least the
   * zero entry that ends the data areas (16).  Checked without adding
   * to the offset, which could wrap.
   */
  pvh_off = gk_le32 (l + 20);
  if (pvh_off < 32 || pvh_off > SECTOR - (40 + 16)) {
    *errmsg = xstrdup ("the LVM label's PV header is out of range");
    return -1;
  }

  pvh = l + pvh_off;
  for (i = 0; i < 32; ++i)
    if (!isalnum (pvh[i])) {
      *errmsg = xstrdup ("the LVM label's PV UUID is not valid");
      return -1;
    }
  format_uuid (pvh, label->pv_id);
  label->device_size = gk_le64 (pvh + 32);

  /* Data areas then metadata areas, each list ending at offset 0 (or
   * at the end of the label sector).  I is the offset in the sector.
   */
  for (i = pvh_off + 40; i <= SECTOR - 16 && gk_le64 (l + i) != 0; i += 16)
    if (first_da) {
      label->data_offset = gk_le64 (l + i);
      first_da = false;
    }
  for (i += 16; i <= SECTOR - 16 && gk_le64 (l + i) != 0; i += 16) {
    uint64_t mda_start = gk_le64 (l + i), mda_size = gk_le64 (l + i + 8);
    struct gk_lvm_vg *vg;
    char *err = NULL;
    int r;

    r = read_mda (pread, opaque, offset, length, mda_start, mda_size,
                  &vg, &err);
    if (r == READ_FAILED) {
      /* The disk, not the copy: say so, whatever else is good. */
      gk_lvm_vg_free (best);
      free (*errmsg);
      *errmsg = err;
      return -1;
    }
    if (r == -1) {
      /* One damaged copy is fine if another is good. */
      if (*errmsg == NULL)
        *errmsg = err;
      else
        free (err);
      continue;
    }
    /* read_mda checked that the area lies within LENGTH. */
    if (mda_start + mda_size > mda_end)
      mda_end = mda_start + mda_size;
    if (vg && (best == NULL || vg->seqno > best->seqno)) {
      gk_lvm_vg_free (best);
      best = vg;
    }
    else
      gk_lvm_vg_free (vg);
  }

  if (best) {
    free (*errmsg);
    *errmsg = NULL;
  }
  else if (*errmsg)
    return -1;
  label->pv_size = pv_size (label, best, mda_end);
  *vg_r = best;
  return 0;
}
