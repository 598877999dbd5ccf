/* guestkit: recognise a partition's content from its superblock.
 *
 * Each probe reads the few bytes its format keeps at a fixed place and
 * checks them the way libblkid does, so the type names and the
 * precedence between stale signatures agree with what blkid -p (and so
 * libguestfs' vfs_type) would say on the same bytes.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondisk/byteorder.h"
#include "ondisk/content.h"
#include "ondisk/lvm-label.h"
#include "ondisk/reader.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"

#define SECTOR 512
/* NTFS: the header of a resident attribute. */
#define NTFS_RESIDENT_HEADER 24

static void
put32 (uint8_t *p, uint32_t v, bool big_endian)
{
  for (int i = 0; i < 4; ++i)
    p[big_endian ? 3 - i : i] = v >> (8 * i);
}

static void
set_type (struct gk_content *c, enum gk_content_kind kind, const char *type)
{
  c->kind = kind;
  snprintf (c->type, sizeof c->type, "%s", type);
}

/* A fixed-size label field: NUL-padded, sometimes space-padded too. */
static void
set_label (struct gk_content *c, const uint8_t *p, size_t n,
           bool strip_spaces)
{
  size_t len = strnlen ((const char *) p, n);

  if (len >= sizeof c->label)
    len = sizeof c->label - 1;
  memcpy (c->label, p, len);
  c->label[len] = '\0';
  if (strip_spaces)
    while (len > 0 && c->label[len - 1] == ' ')
      c->label[--len] = '\0';
}

/* UTF-16LE (NTFS, f2fs) to UTF-8; stops at the first NUL.  A label
 * too long for c->label is cut at a character boundary.
 */
static void
set_label_utf16le (struct gk_content *c, const uint8_t *p, size_t nchars)
{
  CLEANUP_FREE char *utf8 = gk_utf16le_to_utf8 (p, nchars);
  size_t len = strlen (utf8);

  if (len >= sizeof c->label) {
    len = sizeof c->label - 1;
    while (len > 0 && ((uint8_t) utf8[len] & 0xc0) == 0x80)
      len--;
  }
  memcpy (c->label, utf8, len);
  c->label[len] = '\0';
}

static void
set_uuid (struct gk_content *c, const uint8_t *p, size_t n)
{
  memset (c->uuid, 0, sizeof c->uuid);
  memcpy (c->uuid, p, n);
  c->has_uuid = true;
}

/* All bytes zero: no UUID was ever set. */
static bool
all_zero (const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; ++i)
    if (p[i])
      return false;
  return true;
}

/* A count times a unit size, saturating: a size read from a hostile
 * superblock must not wrap round to something small.
 */
static uint64_t
mul_sat (uint64_t count, uint64_t unit)
{
  if (unit != 0 && count > UINT64_MAX / unit)
    return UINT64_MAX;
  return count * unit;
}

/* ext2/3/4, told apart by feature flags as libblkid does: anything
 * ext3 does not understand makes it ext4, else a journal makes it ext3.
 */
#define EXT_COMPAT_HAS_JOURNAL          0x0004
#define EXT_INCOMPAT_FILETYPE           0x0002
#define EXT_INCOMPAT_RECOVER            0x0004
#define EXT_INCOMPAT_JOURNAL_DEV        0x0008
#define EXT_INCOMPAT_META_BG            0x0010
#define EXT_INCOMPAT_64BIT              0x0080
#define EXT_RO_COMPAT_SPARSE_SUPER      0x0001
#define EXT_RO_COMPAT_LARGE_FILE        0x0002
#define EXT_RO_COMPAT_BTREE_DIR         0x0004
#define EXT2_INCOMPAT_SUPP (EXT_INCOMPAT_FILETYPE | EXT_INCOMPAT_META_BG)
#define EXT3_INCOMPAT_SUPP (EXT2_INCOMPAT_SUPP | EXT_INCOMPAT_RECOVER)
#define EXT3_RO_COMPAT_SUPP (EXT_RO_COMPAT_SPARSE_SUPER | \
                             EXT_RO_COMPAT_LARGE_FILE | \
                             EXT_RO_COMPAT_BTREE_DIR)

#define EXT_STATE_VALID                 0x0001
#define EXT_STATE_ERROR                 0x0002

static uint64_t
add_sat (uint64_t a, uint64_t b)
{
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* A lower bound of the size an ext filesystem can be shrunk to: the
 * blocks in use, less everything a shrink could free without moving
 * data (every inode table, bitmap and group descriptor copy counted as
 * if all could go: an overestimate keeps the bound safe).  Only when
 * the superblock says it was unmounted cleanly: otherwise its free
 * count may be stale.  Every figure comes from the image, so the
 * arithmetic saturates and an impossible count gives no bound.
 */
static uint64_t
ext_min_size (const uint8_t *sb, uint64_t blocks, uint32_t incompat,
              uint32_t block_size)
{
  uint64_t free_blocks = gk_le32 (sb + 12);
  uint64_t inodes = gk_le32 (sb + 0), inode_size = 128;
  uint32_t per_group = gk_le32 (sb + 32), state = gk_le16 (sb + 58);
  uint64_t groups, desc_size = 32, gdt_blocks, removable, used;

  if ((state & (EXT_STATE_VALID | EXT_STATE_ERROR)) != EXT_STATE_VALID
      || (incompat & EXT_INCOMPAT_RECOVER) || per_group == 0)
    return 0;
  if (incompat & EXT_INCOMPAT_64BIT) {
    free_blocks |= (uint64_t) gk_le32 (sb + 0x158) << 32;
    if (gk_le16 (sb + 0xfe) > 32)
      desc_size = gk_le16 (sb + 0xfe);
  }
  if (free_blocks > blocks)
    return 0;
  if (gk_le32 (sb + 76) >= 1)   /* dynamic revision: inode size set */
    inode_size = gk_le16 (sb + 88);
  groups = blocks / per_group + (blocks % per_group != 0);
  gdt_blocks = add_sat (mul_sat (groups, desc_size) / block_size + 1,
                        gk_le16 (sb + 0xce));  /* reserved for growth */
  removable = mul_sat (inodes, inode_size);
  removable = add_sat (removable,
                       mul_sat (mul_sat (groups, add_sat (gdt_blocks, 2)),
                                block_size));
  used = mul_sat (blocks - free_blocks, block_size);
  return used > removable ? used - removable : 0;
}

static bool
probe_ext (const uint8_t *sb, struct gk_content *c)
{
  uint32_t compat, incompat, ro_compat, log_bs;
  uint64_t blocks;
  const char *type;

  if (gk_le16 (sb + 56) != 0xef53)
    return false;
  compat = gk_le32 (sb + 92);
  incompat = gk_le32 (sb + 96);
  ro_compat = gk_le32 (sb + 100);
  log_bs = gk_le32 (sb + 24);
  if (log_bs > 6)               /* 64 KiB blocks at most */
    return false;

  if (incompat & EXT_INCOMPAT_JOURNAL_DEV)
    type = "jbd";
  else if ((incompat & ~EXT3_INCOMPAT_SUPP) ||
           (ro_compat & ~EXT3_RO_COMPAT_SUPP))
    type = "ext4";
  else if (compat & EXT_COMPAT_HAS_JOURNAL)
    type = "ext3";
  else
    type = "ext2";
  set_type (c, GK_CONTENT_FS, type);

  blocks = gk_le32 (sb + 4);
  if (incompat & EXT_INCOMPAT_64BIT)
    blocks |= (uint64_t) gk_le32 (sb + 0x150) << 32;
  c->block_size = 1024u << log_bs;
  c->size = mul_sat (blocks, c->block_size);
  c->min_size = ext_min_size (sb, blocks, incompat, c->block_size);
  set_uuid (c, sb + 104, 16);
  set_label (c, sb + 120, 16, false);
  return true;
}

static bool
probe_xfs (const uint8_t *sb, struct gk_content *c)
{
  uint32_t bs;

  if (memcmp (sb, "XFSB", 4) != 0)
    return false;
  bs = gk_be32 (sb + 4);
  if (bs < 512 || bs > 65536 || (bs & (bs - 1)))
    return false;
  set_type (c, GK_CONTENT_FS, "xfs");
  c->block_size = bs;
  c->size = mul_sat (gk_be64 (sb + 8), bs);
  set_uuid (c, sb + 32, 16);
  set_label (c, sb + 108, 12, false);
  return true;
}

/* The superblock copy at 64 KiB; its dev_item tells this device's
 * share, which for a one-device filesystem is total_bytes.
 */
static bool
probe_btrfs (const uint8_t *sb, struct gk_content *c)
{
  if (memcmp (sb + 0x40, "_BHRfS_M", 8) != 0)
    return false;
  set_type (c, GK_CONTENT_FS, "btrfs");
  c->block_size = gk_le32 (sb + 0x90);
  c->size = gk_le64 (sb + 0xc9 + 8);
  if (c->size == 0)
    c->size = gk_le64 (sb + 0x70);
  set_uuid (c, sb + 0x20, 16);
  set_label (c, sb + 0x12b, 256, false);
  return true;
}

static bool
probe_f2fs (const uint8_t *sb, struct gk_content *c)
{
  uint32_t log_bs;

  if (gk_le32 (sb) != 0xf2f52010)
    return false;
  log_bs = gk_le32 (sb + 16);
  if (log_bs < 9 || log_bs > 16)
    return false;
  set_type (c, GK_CONTENT_FS, "f2fs");
  c->block_size = 1u << log_bs;
  c->size = mul_sat (gk_le64 (sb + 36), c->block_size);
  set_uuid (c, sb + 108, 16);
  set_label_utf16le (c, sb + 124, 512);
  return true;
}

/* NTFS cluster sizes: a count of sectors, or 2^-n when negative. */
static uint32_t
ntfs_cluster_size (uint32_t bps, uint8_t spc)
{
  if (spc <= 0x80)
    return bps * spc;
  return (256 - spc) < 32 ? bps << (256 - spc) : 0;
}

/* The volume label is the $VOLUME_NAME attribute of MFT record 3.
 * Every offset and length in the record comes from the guest: each is
 * checked against what is left of the record before it is used.
 */
static int
ntfs_label (gk_pread_fn pread, void *opaque, uint64_t offset,
            uint64_t length, const uint8_t *bs, struct gk_content *c,
            char **errmsg)
{
  uint32_t bps = gk_le16 (bs + 0x0b);
  uint32_t csize = ntfs_cluster_size (bps, bs[0x0d]);
  int8_t crec = (int8_t) bs[0x40];
  uint32_t recsize;
  uint64_t mft_lcn, mft, pos;
  CLEANUP_FREE uint8_t *rec = NULL;
  uint32_t attr;

  if (csize == 0)
    return 0;
  recsize = crec > 0 ? csize * crec : (crec > -31 ? 1u << -crec : 0);
  if (recsize < 512 || recsize > 65536)
    return 0;
  mft_lcn = gk_le64 (bs + 0x30);
  if (mft_lcn > length / csize)
    return 0;
  mft = mft_lcn * csize;
  if (mft > length || 4 * (uint64_t) recsize > length - mft)
    return 0;
  pos = mft + 3 * (uint64_t) recsize;
  rec = xmalloc (recsize);
  if (gk_read_at (pread, opaque, rec, recsize, offset + pos, errmsg,
                  "cannot read the NTFS $Volume record at byte %" PRIu64,
                  offset + pos) == -1)
    return -1;
  if (memcmp (rec, "FILE", 4) != 0)
    return 0;

  /* Undo the update sequence: the last two bytes of each sector were
   * swapped for the sequence number when the record was written.
   */
  {
    uint32_t usa = gk_le16 (rec + 4), n = gk_le16 (rec + 6);
    if (usa + 2 * (uint64_t) n > recsize || n == 0)
      return 0;
    for (uint32_t i = 1; i < n && i * bps <= recsize; ++i) {
      uint8_t *end = rec + i * bps - 2;
      if (memcmp (end, rec + usa, 2) != 0)
        return 0;
      memcpy (end, rec + usa + 2 * i, 2);
    }
  }

  /* The attributes: each has a 16-byte common header (type, length,
   * non-resident flag); a resident one has 8 more bytes (value length
   * and offset), 24 in all.  A length that does not move forward by at
   * least a header, or runs past the record, ends the walk.
   */
  attr = gk_le16 (rec + 0x14);
  while (attr <= recsize && recsize - attr >= NTFS_RESIDENT_HEADER) {
    uint32_t type = gk_le32 (rec + attr), len = gk_le32 (rec + attr + 4);

    if (type == 0xffffffff || len < NTFS_RESIDENT_HEADER ||
        len > recsize - attr)
      break;
    if (type == 0x60 && rec[attr + 8] == 0) {  /* resident */
      uint32_t vlen = gk_le32 (rec + attr + 0x10);
      uint32_t voff = gk_le16 (rec + attr + 0x14);
      if (voff <= len && vlen <= len - voff) {
        set_label_utf16le (c, rec + attr + voff, vlen / 2);
        break;
      }
    }
    attr += len;
  }
  return 0;
}

static int
probe_ntfs (gk_pread_fn pread, void *opaque, uint64_t offset,
            uint64_t length, const uint8_t *bs, struct gk_content *c,
            bool *found, char **errmsg)
{
  uint32_t bps = gk_le16 (bs + 0x0b);
  uint32_t csize;

  *found = false;
  if (memcmp (bs + 3, "NTFS    ", 8) != 0)
    return 0;
  if (bps < 256 || bps > 4096 || (bps & (bps - 1)))
    return 0;
  csize = ntfs_cluster_size (bps, bs[0x0d]);
  if (csize == 0 || csize > (2u << 20))
    return 0;
  *found = true;
  set_type (c, GK_CONTENT_FS, "ntfs");
  c->block_size = csize;
  /* The count leaves out the backup boot sector just past the volume,
   * which is still part of what the partition must hold.
   */
  c->size = mul_sat (gk_le64 (bs + 0x28), bps);
  if (c->size <= UINT64_MAX - bps)
    c->size += bps;
  set_uuid (c, bs + 0x48, 8);
  return ntfs_label (pread, opaque, offset, length, bs, c, errmsg);
}

/* FAT: libblkid's sanity checks on the BIOS parameter block, since the
 * boot sector has no magic number of its own.
 */
static int
probe_vfat (gk_pread_fn pread, void *opaque, uint64_t offset,
            uint64_t length, const uint8_t *bs, struct gk_content *c,
            bool *found, char **errmsg)
{
  uint32_t bps = gk_le16 (bs + 11), spc = bs[13], reserved = gk_le16 (bs + 14);
  uint32_t nfats = bs[16], root_entries = gk_le16 (bs + 17);
  uint32_t fat_len = gk_le16 (bs + 22);
  uint64_t total = gk_le16 (bs + 19);
  uint8_t media = bs[21];
  bool fat32;
  const uint8_t *ext;           /* extended BPB: serial, label, type */
  uint64_t root_off, root_len;
  CLEANUP_FREE uint8_t *dir = NULL;

  *found = false;
  if (gk_le16 (bs + 510) != 0xaa55 &&
      memcmp (bs + 82, "FAT32   ", 8) != 0 &&
      memcmp (bs + 54, "FAT1", 4) != 0 &&
      memcmp (bs + 54, "MSDOS", 5) != 0)
    return 0;
  if (media < 0xf8 && media != 0xf0)
    return 0;
  if (spc == 0 || (spc & (spc - 1)) || reserved == 0 ||
      nfats == 0 || nfats > 4)
    return 0;
  if (bps < 512 || bps > 4096 || (bps & (bps - 1)))
    return 0;
  /* An MBR with a partition table looks much like this: real FAT
   * sectors do not start with zero bytes where the jump goes.
   */
  if (bs[0] != 0xeb && bs[0] != 0xe9)
    return 0;

  if (total == 0)
    total = gk_le32 (bs + 32);
  fat32 = fat_len == 0;
  if (fat32)
    fat_len = gk_le32 (bs + 36);
  ext = fat32 ? bs + 64 : bs + 36;
  if (total == 0 || fat_len == 0)
    return 0;

  *found = true;
  set_type (c, GK_CONTENT_FS, "vfat");
  c->block_size = bps;
  c->size = total * bps;
  if (ext[2] == 0x29 || ext[2] == 0x28)
    set_uuid (c, ext + 3, 4);
  if (ext[2] == 0x29 && memcmp (ext + 7, "NO NAME    ", 11) != 0)
    set_label (c, ext + 7, 11, true);

  /* mkfs.vfat and Windows also put the label in the root directory,
   * which is the copy that counts when the two differ.
   */
  if (fat32) {
    uint64_t first_data = reserved + (uint64_t) nfats * fat_len;
    uint32_t root_cluster = gk_le32 (bs + 44);
    if (root_cluster < 2)
      return 0;
    root_off = (first_data + (uint64_t) (root_cluster - 2) * spc) * bps;
    root_len = (uint64_t) spc * bps;
  }
  else {
    root_off = (reserved + (uint64_t) nfats * fat_len) * bps;
    root_len = (uint64_t) root_entries * 32;
  }
  if (root_len > 65536)
    root_len = 65536;
  if (root_len == 0 || root_off + root_len > length)
    return 0;
  dir = xmalloc (root_len);
  if (gk_read_at (pread, opaque, dir, root_len, offset + root_off, errmsg,
                  "cannot read the FAT root directory at byte %" PRIu64,
                  offset + root_off) == -1)
    return -1;
  for (uint64_t i = 0; i + 32 <= root_len; i += 32) {
    const uint8_t *e = dir + i;
    if (e[0] == 0)
      break;
    if (e[0] == 0xe5 || (e[11] & 0x0f) == 0x0f)  /* deleted, LFN */
      continue;
    if ((e[11] & 0x18) == 0x08) {                /* volume label */
      set_label (c, e, 11, true);
      break;
    }
  }
  return 0;
}

/* Swap: the signature ends the first page, whatever the page size. */
static const uint32_t swap_page_sizes[] = { 4096, 8192, 16384, 65536 };

static bool
swap_signature (const uint8_t *tail, bool *v1)
{
  if (memcmp (tail, "SWAPSPACE2", 10) == 0) {
    *v1 = true;
    return true;
  }
  if (memcmp (tail, "SWAP-SPACE", 10) == 0) {
    *v1 = false;
    return true;
  }
  return false;
}

/* HDR is the 1 KiB at offset 1024: the v1 header.  Its byte order is
 * that of the machine that made it, told by the version field.
 */
static void
swap_header (const uint8_t *hdr, uint32_t pagesize, uint64_t length,
             struct gk_content *c)
{
  uint32_t version = gk_le32 (hdr), last_page;
  bool be = version != 1 && gk_be32 (hdr) == 1;

  set_type (c, GK_CONTENT_SWAP, "swap");
  c->block_size = pagesize;
  if (version != 1 && !be) {
    /* Old format: the whole area, as far as we can tell. */
    c->size = length / pagesize * pagesize;
    return;
  }
  last_page = be ? gk_be32 (hdr + 4) : gk_le32 (hdr + 4);
  c->size = ((uint64_t) last_page + 1) * pagesize;
  if (!all_zero (hdr + 12, 16))
    set_uuid (c, hdr + 12, 16);
  set_label (c, hdr + 28, 16, false);
}

/* The label is in one of the first four sectors, and says which.  Its
 * device size is only a first answer (see lvm_size).
 */
static bool
probe_lvm (const uint8_t *head, struct gk_content *c)
{
  for (int s = 0; s < 4; ++s) {
    const uint8_t *l = head + s * SECTOR;
    uint32_t pvh;

    if (memcmp (l, "LABELONE", 8) != 0 || memcmp (l + 24, "LVM2 001", 8))
      continue;
    if (gk_le64 (l + 8) != (uint64_t) s)
      continue;
    /* The PV header: UUID (32 bytes) then the device size (8).  The
     * offset is checked without adding to it, which could wrap.
     */
    pvh = gk_le32 (l + 20);
    if (pvh < 32 || pvh > SECTOR - 40)
      continue;
    set_type (c, GK_CONTENT_PV, "LVM2_member");
    c->size = gk_le64 (l + pvh + 32);
    return true;
  }
  return false;
}

/* The reader, watched: whether the disk failed us, as opposed to what
 * it holds being damaged.
 */
struct watched {
  gk_pread_fn pread;
  void *opaque;
  bool failed;
};

static int
watched_pread (void *opaque, void *buf, size_t count, uint64_t offset,
               char **errmsg)
{
  struct watched *w = opaque;
  int r = w->pread (w->opaque, buf, count, offset, errmsg);

  if (r == -1)
    w->failed = true;
  return r;
}

/* A PV's size as LVM sees it: pvresize of a PV in a VG rewrites only
 * the VG metadata, not the label, so the newest metadata says
 * (lvm-label.h).  A PV whose metadata is damaged is still a PV, with
 * its label's size; a failed read is an error.
 */
static int
lvm_size (gk_pread_fn pread, void *opaque, uint64_t offset,
          uint64_t length, struct gk_content *c, char **errmsg)
{
  struct watched w = { .pread = pread, .opaque = opaque };
  struct gk_lvm_label label;
  struct gk_lvm_vg *vg = NULL;
  char *err = NULL;

  if (gk_lvm_read_pv (watched_pread, &w, offset, length, &label, &vg,
                      &err) == 0) {
    c->size = label.pv_size;
    gk_lvm_vg_free (vg);
    return 0;
  }
  if (w.failed) {
    *errmsg = err;
    return -1;
  }
  free (err);
  return 0;
}

static int
hex_digit (uint8_t c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* LUKS keeps its UUID as text. */
static bool
probe_luks (const uint8_t *h, struct gk_content *c)
{
  uint8_t u[16];
  int n = 0;

  if (memcmp (h, "LUKS\xba\xbe", 6) != 0 && memcmp (h, "SKUL\xba\xbe", 6))
    return false;
  set_type (c, GK_CONTENT_LUKS, "crypto_LUKS");
  for (int i = 168; i < 168 + 40 && h[i] && n < 32; ++i) {
    int d = hex_digit (h[i]);

    if (h[i] == '-')
      continue;
    if (d < 0)
      return true;
    if (n % 2 == 0)
      u[n / 2] = d << 4;
    else
      u[n / 2] |= d;
    n++;
  }
  if (n == 32)
    set_uuid (c, u, 16);
  if ((h[6] << 8 | h[7]) == 2)  /* LUKS2 has a label */
    set_label (c, h + 24, 48, false);
  return true;
}

#define MD_MAGIC 0xa92b4efc     /* little-endian on disk (0.90: host
                                   order, and our hosts are x86) */

int
gk_content_md_member (gk_pread_fn pread, void *opaque, uint64_t offset,
                      uint64_t length, bool *member, char **errmsg)
{
  uint64_t sectors = length / SECTOR;
  uint64_t where[4];
  size_t n = 0;

  *member = false;
  *errmsg = NULL;
  where[n++] = 0;                               /* 1.1 */
  if (length >= 8192)
    where[n++] = 4096;                          /* 1.2 */
  if (sectors >= 16)
    where[n++] = ((sectors - 16) & ~UINT64_C (7)) * SECTOR;   /* 1.0 */
  if (sectors >= 256)                           /* 0.90: 64 KiB aligned */
    where[n++] = ((sectors & ~UINT64_C (127)) - 128) * SECTOR;
  for (size_t i = 0; i < n; ++i) {
    uint8_t magic[4];

    if (where[i] + sizeof magic > length)
      continue;
    if (gk_read_at (pread, opaque, magic, sizeof magic, offset + where[i],
                    errmsg, "cannot read the RAID superblock at byte %"
                    PRIu64, offset + where[i]) == -1)
      return -1;
    if (gk_le32 (magic) == MD_MAGIC) {
      *member = true;
      return 0;
    }
  }
  return 0;
}

int
gk_content_probe (gk_pread_fn pread, void *opaque,
                  uint64_t offset, uint64_t length,
                  struct gk_content *c, char **errmsg)
{
  uint8_t head[4096];
  uint8_t sb[4096];
  bool found, v1;

  *errmsg = NULL;
  memset (c, 0, sizeof *c);
  set_type (c, GK_CONTENT_UNKNOWN, "unknown");
  if (length < 2 * SECTOR)
    return 0;
  memset (head, 0, sizeof head);
  if (gk_read_at (pread, opaque, head,
                  length < sizeof head ? length : sizeof head, offset,
                  errmsg, "cannot read the superblock at byte %" PRIu64,
                  offset) == -1)
    return -1;

  /* Containers first: a PV or LUKS header says what the rest means. */
  if (probe_luks (head, c))
    return 0;
  if (probe_lvm (head, c))
    return lvm_size (pread, opaque, offset, length, c, errmsg);

  /* Filesystems with a real magic number, then swap (which keeps the
   * first KiB as it was, so an old boot sector may survive under it),
   * then the boot-sector formats, which are guessed from their fields.
   */
  if (probe_xfs (head, c) || probe_ext (head + 1024, c) ||
      probe_f2fs (head + 1024, c))
    return 0;
  if (length >= 65536 + 4096) {
    if (gk_read_at (pread, opaque, sb, sizeof sb, offset + 65536, errmsg,
                    "cannot read the btrfs superblock at byte %" PRIu64,
                    offset + 65536) == -1)
      return -1;
    if (probe_btrfs (sb, c))
      return 0;
  }
  for (size_t i = 0; i < sizeof swap_page_sizes / sizeof *swap_page_sizes;
       ++i) {
    uint32_t ps = swap_page_sizes[i];
    uint8_t tail[SECTOR];

    if (length < 2 * (uint64_t) ps)
      break;
    if (ps <= sizeof head)
      memcpy (tail, head + ps - SECTOR, SECTOR);
    else if (gk_read_at (pread, opaque, tail, SECTOR,
                         offset + ps - SECTOR, errmsg,
                         "cannot read the swap signature at byte %" PRIu64,
                         offset + ps - SECTOR) == -1)
      return -1;
    if (swap_signature (tail + SECTOR - 10, &v1)) {
      if (v1)
        swap_header (head + 1024, ps, length, c);
      else {
        set_type (c, GK_CONTENT_SWAP, "swap");
        c->block_size = ps;
        c->size = length / ps * ps;
      }
      return 0;
    }
  }
  if (probe_ntfs (pread, opaque, offset, length, head, c, &found,
                  errmsg) == -1)
    return -1;
  if (found)
    return 0;
  if (probe_vfat (pread, opaque, offset, length, head, c, &found,
                  errmsg) == -1)
    return -1;
  if (found)
    return 0;

  memset (c, 0, sizeof *c);
  set_type (c, GK_CONTENT_UNKNOWN, "unknown");
  return 0;
}

size_t
gk_content_uuid_string (const struct gk_content *c, char *buf, size_t n)
{
  const uint8_t *u = c->uuid;

  if (!c->has_uuid)
    return snprintf (buf, n, "%s", "");
  if (STREQ (c->type, "vfat"))
    return snprintf (buf, n, "%02X%02X-%02X%02X", u[3], u[2], u[1], u[0]);
  if (STREQ (c->type, "ntfs"))
    return snprintf (buf, n, "%02X%02X%02X%02X%02X%02X%02X%02X",
                     u[7], u[6], u[5], u[4], u[3], u[2], u[1], u[0]);
  return snprintf (buf, n,
                   "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                   "%02x%02x%02x%02x%02x%02x",
                   u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
                   u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

int
gk_swap_resize (gk_pread_fn pread, gk_pwrite_fn pwrite,
                void *opaque, uint64_t offset, uint64_t new_size,
                char **errmsg)
{
  uint8_t hdr[SECTOR * 2];      /* bytes 1024..2047 of the first page */

  *errmsg = NULL;
  for (size_t i = 0; i < sizeof swap_page_sizes / sizeof *swap_page_sizes;
       ++i) {
    uint32_t ps = swap_page_sizes[i];
    uint8_t tail[SECTOR];
    uint32_t version;
    uint64_t pages;
    bool be, v1;

    if (gk_read_at (pread, opaque, tail, SECTOR, offset + ps - SECTOR,
                    errmsg, "cannot read the swap signature at byte %"
                    PRIu64, offset + ps - SECTOR) == -1)
      return -1;
    if (!swap_signature (tail + SECTOR - 10, &v1))
      continue;
    if (!v1) {
      *errmsg = xstrdup ("old-style (v0) swap header, cannot resize it");
      return -1;
    }
    if (gk_read_at (pread, opaque, hdr, sizeof hdr, offset + 1024, errmsg,
                    "cannot read the swap header at byte %" PRIu64,
                    offset + 1024) == -1)
      return -1;
    version = gk_le32 (hdr);
    be = version != 1 && gk_be32 (hdr) == 1;
    if (version != 1 && !be) {
      *errmsg = xasprintf ("unknown swap header version %u", version);
      return -1;
    }

    /* mkswap's rules: whole pages, at least ten, and a 32 bit count. */
    pages = new_size / ps;
    if (pages < 10) {
      *errmsg = xasprintf ("%" PRIu64 " bytes is too small for swap",
                           new_size);
      return -1;
    }
    if (pages - 1 > UINT32_MAX)
      pages = (uint64_t) UINT32_MAX + 1;
    put32 (hdr + 4, pages - 1, be);
    return gk_write_at (pwrite, opaque, hdr + 4, 4, offset + 1024 + 4,
                        errmsg, "cannot write the swap header at byte %"
                        PRIu64, offset + 1024);
  }
  *errmsg = xstrdup ("not a Linux swap header");
  return -1;
}
