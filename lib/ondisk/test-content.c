/* guestkit: unit test of content.c against real mkfs output.
 *
 * Each case makes a filesystem in a sparse file with the host's own
 * mkfs and checks that what we read from the superblock is what blkid -p
 * says about the same file, and that the size is the whole file (which
 * is what mkfs fills when given no size).  A case whose mkfs is not
 * installed is skipped.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ondisk/byteorder.h"
#include "ondisk/content.h"
#include "utils/tap.h"
#include "ondisk/reader.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"

static char tmpdir[] = "/tmp/gktest-content.XXXXXX";

static void
remove_tmpdir (void)
{
  CLEANUP_FREE char *cmd = xasprintf ("rm -rf '%s'", tmpdir);
  if (system (cmd) != 0)
    fprintf (stderr, "test-content: could not remove %s\n", tmpdir);
}

static bool
have (const char *prog)
{
  CLEANUP_FREE char *cmd =
    xasprintf ("PATH=\"$PATH:/sbin:/usr/sbin\" command -v %s >/dev/null",
               prog);
  return system (cmd) == 0;
}

/* Run a shell command quietly; true if it succeeded. */
static bool
run (const char *cmd)
{
  CLEANUP_FREE char *full =
    xasprintf ("PATH=\"$PATH:/sbin:/usr/sbin\"; { %s; } >/dev/null 2>&1",
               cmd);
  return system (full) == 0;
}

/* The first line a command prints, without its newline ("" if none). */
static char *
output (const char *cmd)
{
  CLEANUP_FREE char *full =
    xasprintf ("PATH=\"$PATH:/sbin:/usr/sbin\"; %s 2>/dev/null", cmd);
  FILE *fp = popen (full, "r");
  char line[1024] = "";

  if (fp == NULL)
    return xstrdup ("");
  if (fgets (line, sizeof line, fp) == NULL)
    line[0] = '\0';
  pclose (fp);
  line[strcspn (line, "\n")] = '\0';
  return xstrdup (line);
}

static char *
blkid_tag (const char *file, const char *tag)
{
  CLEANUP_FREE char *cmd =
    xasprintf ("blkid -p -o value -s %s '%s'", tag, file);
  return output (cmd);
}

static char *
make_file (const char *name, uint64_t size)
{
  char *path = xasprintf ("%s/%s", tmpdir, name);
  int fd = open (path, O_RDWR | O_CREAT | O_TRUNC, 0644);

  if (fd == -1 || ftruncate (fd, size) == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
  close (fd);
  return path;
}

static int
probe_file (const char *path, struct gk_content *c)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY);
  struct stat st;

  if (fd == -1 || fstat (fd, &st) == -1) {
    perror (path);
    return -1;
  }
  CLEANUP_FREE char *errmsg = NULL;
  int r = gk_content_probe (gk_fd_pread_fn, &fd, 0, st.st_size, c, &errmsg);

  if (r == -1)
    printf ("#   %s: %s\n", path, errmsg);
  return r;
}

/* Compare our reading of PATH with blkid's. */
static void
check_against_blkid (const char *what, const char *path,
                     const char *type, uint64_t size)
{
  struct gk_content c;
  char uuid[64];
  CLEANUP_FREE char *btype = blkid_tag (path, "TYPE");
  CLEANUP_FREE char *buuid = blkid_tag (path, "UUID");
  CLEANUP_FREE char *blabel = blkid_tag (path, "LABEL");
  CLEANUP_FREE char *msg = NULL;

  if (!ok (probe_file (path, &c) == 0, "%s: probe", what))
    return;
  msg = xasprintf ("%s: type", what);
  is_str (c.type, type, msg);
  free (msg);
  msg = xasprintf ("%s: type agrees with blkid", what);
  is_str (c.type, btype, msg);
  gk_content_uuid_string (&c, uuid, sizeof uuid);
  free (msg);
  msg = xasprintf ("%s: uuid agrees with blkid", what);
  is_str (uuid, buuid, msg);
  free (msg);
  msg = xasprintf ("%s: label agrees with blkid", what);
  is_str (c.label, blabel, msg);
  if (!ok (c.size == size, "%s: size is %" PRIu64, what, size))
    printf ("#   got: %" PRIu64 "\n", c.size);
}

struct fs_case {
  const char *name;
  const char *prog;             /* must be installed */
  const char *mkfs;             /* the file name is appended */
  const char *type;
  uint64_t file_size;
  uint64_t expected_size;       /* 0: the file size */
};

static const struct fs_case cases[] = {
  { "ext2", "mkfs.ext2",
    "mkfs.ext2 -q -F -L gk-ext2 -U 01234567-89ab-cdef-0123-456789abcdef",
    "ext2", 64 << 20, 0 },
  { "ext3", "mkfs.ext3",
    "mkfs.ext3 -q -F -L gk-ext3", "ext3", 64 << 20, 0 },
  { "ext4", "mkfs.ext4",
    "mkfs.ext4 -q -F -L gk-ext4 -U 5c0e6a2e-4b0a-4a9c-9c41-2f3d1e0a7b11",
    "ext4", 96 << 20, 0 },
  /* 1 KiB blocks in a file that is not a whole number of 4 KiB:
   * mke2fs rounds down to 4 KiB, so the superblock says less.
   */
  { "ext4-1k", "mkfs.ext4",
    "mkfs.ext4 -q -F -b 1024", "ext4", (64 << 20) + 3072, 64 << 20 },
  { "ext4-64bit", "mkfs.ext4",
    "mkfs.ext4 -q -F -O 64bit -L big", "ext4", 80 << 20, 0 },
  { "xfs", "mkfs.xfs", "mkfs.xfs -q -f -L gk-xfs", "xfs", 300 << 20, 0 },
  { "btrfs", "mkfs.btrfs", "mkfs.btrfs -q -f -L gk-btrfs", "btrfs",
    200 << 20, 0 },
  { "ntfs", "mkntfs", "mkntfs -q -F -Q -L gk-ntfs", "ntfs", 100 << 20, 0 },
  { "vfat16", "mkfs.vfat", "mkfs.vfat -n GKFAT16", "vfat", 64 << 20, 0 },
  { "vfat32", "mkfs.vfat", "mkfs.vfat -F 32 -n GKFAT32", "vfat",
    100 << 20, 0 },
  { "f2fs", "mkfs.f2fs", "mkfs.f2fs -q -l gk-f2fs", "f2fs", 100 << 20, 0 },
  { "swap", "mkswap",
    "mkswap -L gk-swap -U 0fedcba9-8765-4321-0fed-cba987654321",
    "swap", 64 << 20, 0 },
};

static void
test_filesystems (void)
{
  for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
    const struct fs_case *t = &cases[i];
    CLEANUP_FREE char *path = NULL;
    CLEANUP_FREE char *cmd = NULL;

    if (!have (t->prog)) {
      ok (true, "# SKIP %s: %s is not installed", t->name, t->prog);
      continue;
    }
    path = make_file (t->name, t->file_size);
    cmd = xasprintf ("%s '%s'", t->mkfs, path);
    if (!ok (run (cmd), "%s: %s", t->name, t->prog))
      continue;
    check_against_blkid (t->name, path, t->type,
                         t->expected_size ? t->expected_size : t->file_size);
    unlink (path);
  }
}

/* An ext4 holding 24 MiB of files: the lower bound of its shrunk size
 * is at least the data and at most what resize2fs -P estimates; a
 * filesystem not marked clean gets no bound (its free count may be
 * stale).
 */
static void
test_ext_min_size (void)
{
  CLEANUP_FREE char *path = NULL;
  CLEANUP_FREE char *dir = NULL;
  CLEANUP_FREE char *cmd = NULL;
  CLEANUP_FREE char *estimate = NULL;
  struct gk_content c;
  uint64_t blocks = 0;
  uint8_t state[2] = { 0, 0 };
  int fd;

  if (!have ("mkfs.ext4") || !have ("resize2fs")) {
    ok (true, "# SKIP ext minimum size: no mkfs.ext4 or resize2fs");
    return;
  }
  path = make_file ("ext-min", 96 << 20);
  dir = xasprintf ("%s/ext-min-data", tmpdir);
  cmd = xasprintf ("mkdir '%s' && head -c 24M /dev/urandom > '%s/data' && "
                   "mkfs.ext4 -q -F -d '%s' '%s'", dir, dir, dir, path);
  if (!ok (run (cmd), "ext minimum size: mkfs.ext4 -d"))
    return;
  free (cmd);
  cmd = xasprintf ("resize2fs -P '%s' 2>/dev/null | sed -n 's/.*: //p'",
                   path);
  estimate = output (cmd);
  if (estimate)
    blocks = strtoull (estimate, NULL, 10);
  if (!ok (probe_file (path, &c) == 0 && blocks > 0,
           "ext minimum size: probed, resize2fs -P says %" PRIu64
           " blocks", blocks))
    return;
  ok (c.min_size >= 24 << 20, "ext minimum size: %" PRIu64
      " bytes, at least the data", c.min_size);
  ok (c.min_size <= blocks * c.block_size,
      "ext minimum size: at most resize2fs -P's %" PRIu64 " bytes",
      blocks * c.block_size);

  /* Clear the "cleanly unmounted" bit (s_state, byte 58). */
  fd = open (path, O_RDWR);
  ok (fd >= 0 && pwrite (fd, state, 2, 1024 + 58) == 2 && close (fd) == 0
      && probe_file (path, &c) == 0 && c.min_size == 0,
      "ext minimum size: none for a filesystem not unmounted cleanly");
  unlink (path);
  free (cmd);
  cmd = xasprintf ("rm -rf '%s'", dir);
  run (cmd);
}

/* A vfat filesystem is really a FAT12/16/32 of total sectors: mkfs.vfat
 * may leave a tail of the file unused, and the size must say so.
 */
static void
test_vfat_odd_size (void)
{
  CLEANUP_FREE char *path = NULL;
  CLEANUP_FREE char *cmd = NULL;
  struct gk_content c;

  if (!have ("mkfs.vfat")) {
    ok (true, "# SKIP vfat with a block count: no mkfs.vfat");
    return;
  }
  path = make_file ("vfat-count", 64 << 20);
  /* The block count argument is in KiB. */
  cmd = xasprintf ("mkfs.vfat -n SMALL '%s' 40000", path);
  if (!ok (run (cmd), "vfat: mkfs.vfat with 40000 KiB"))
    return;
  ok (probe_file (path, &c) == 0 && STREQ (c.type, "vfat") &&
      c.size == 40000 * 1024,
      "vfat: size from the boot sector, not the file");
  unlink (path);
}

/* Grow a swap area: copy it into a bigger file, rewrite the header, and
 * check with blkid and swaplabel that nothing else changed.
 */
static void
test_swap_resize (void)
{
  CLEANUP_FREE char *small = NULL;
  CLEANUP_FREE char *big = NULL;
  CLEANUP_FREE char *cmd = NULL;
  CLEANUP_FREE char *errmsg = NULL;
  CLEANUP_FREE char *buuid = NULL;
  CLEANUP_FREE char *blabel = NULL;
  CLEANUP_FREE char *label_out = NULL;
  const char *uuid = "0fedcba9-8765-4321-0fed-cba987654321";
  const uint64_t new_size = (160 << 20) + 512;
  struct gk_content before, after;
  char ustr[64];
  int fd;

  if (!have ("mkswap")) {
    ok (true, "# SKIP swap resize: no mkswap");
    return;
  }
  small = make_file ("swap-small", 32 << 20);
  cmd = xasprintf ("mkswap -L gk-swap -U %s '%s'", uuid, small);
  if (!ok (run (cmd), "swap resize: mkswap"))
    return;
  free (cmd);
  big = make_file ("swap-big", new_size);
  cmd = xasprintf ("dd if='%s' of='%s' conv=notrunc,sparse bs=1M",
                   small, big);
  if (!ok (run (cmd), "swap resize: copy"))
    return;

  ok (probe_file (big, &before) == 0 && before.size == 32 << 20,
      "swap resize: the copy still says 32 MiB");
  fd = open (big, O_RDWR);
  ok (gk_swap_resize (gk_fd_pread_fn, gk_fd_pwrite_fn, &fd, 0, new_size,
                      &errmsg) == 0,
      "swap resize: gk_swap_resize");
  close (fd);
  if (errmsg)
    printf ("#   %s\n", errmsg);

  ok (probe_file (big, &after) == 0 && after.kind == GK_CONTENT_SWAP,
      "swap resize: still swap");
  ok (after.size == 160 << 20,
      "swap resize: now spans the whole pages of the file");
  gk_content_uuid_string (&after, ustr, sizeof ustr);
  is_str (ustr, uuid, "swap resize: same uuid");
  is_str (after.label, "gk-swap", "swap resize: same label");

  buuid = blkid_tag (big, "UUID");
  blabel = blkid_tag (big, "LABEL");
  is_str (buuid, uuid, "swap resize: blkid uuid");
  is_str (blabel, "gk-swap", "swap resize: blkid label");
  if (have ("swaplabel")) {
    free (cmd);
    cmd = xasprintf ("swaplabel '%s' | sed -n 's/^LABEL: //p'", big);
    label_out = output (cmd);
    is_str (label_out, "gk-swap", "swap resize: swaplabel agrees");
  }

  /* What mkswap would write for the same size must be byte-identical
   * in the header (apart from the UUID/label which we gave the same).
   */
  {
    CLEANUP_FREE char *ref = make_file ("swap-ref", new_size);
    CLEANUP_FREE char *cmp = NULL;
    free (cmd);
    cmd = xasprintf ("mkswap -L gk-swap -U %s '%s'", uuid, ref);
    run (cmd);
    cmp = xasprintf ("cmp -n 4096 '%s' '%s'", ref, big);
    ok (run (cmp), "swap resize: first page is what mkswap writes");
  }

  /* Not swap: an error message and nothing written. */
  {
    CLEANUP_FREE char *zero = make_file ("not-swap", 1 << 20);
    CLEANUP_FREE char *err2 = NULL;
    fd = open (zero, O_RDWR);
    ok (gk_swap_resize (gk_fd_pread_fn, gk_fd_pwrite_fn, &fd, 0, 2 << 20,
                        &err2) == -1 && err2 != NULL,
        "swap resize: refuses what is not swap");
    close (fd);
  }
}

static void
test_unknown (void)
{
  CLEANUP_FREE char *path = make_file ("zero", 16 << 20);
  struct gk_content c;

  ok (probe_file (path, &c) == 0 && c.kind == GK_CONTENT_UNKNOWN &&
      STREQ (c.type, "unknown") && c.size == 0 && !c.has_uuid,
      "zeroes: unknown");
}

/* The MD superblock magic at each place a version keeps it, in a
 * partition of an odd size (so that the end positions' rounding
 * matters); one sector off, or none, is not a member.
 */
static bool
md_member_with_magic_at (uint64_t size, int64_t at)
{
  CLEANUP_FREE char *path = make_file ("md", size);
  CLEANUP_FREE char *errmsg = NULL;
  CLEANUP_CLOSE int fd = open (path, O_RDWR);
  static const uint8_t magic[4] = { 0xfc, 0x4e, 0x2b, 0xa9 };
  bool member = true;

  if (fd == -1 || (at >= 0 && pwrite (fd, magic, 4, at) != 4) ||
      gk_content_md_member (gk_fd_pread_fn, &fd, 0, size, &member,
                            &errmsg) == -1) {
    printf ("#   %s: %s\n", path, errmsg ? errmsg : strerror (errno));
    return false;
  }
  return member;
}

static void
test_md_member (void)
{
  /* 131101 sectors: 1.0 at (131101 - 16) & ~7 = 131080, 0.90 at
   * (131101 & ~127) - 128 = 130944 (the kernel's formulas).
   */
  const uint64_t size = (64 << 20) + 5 * 512 + 4096 * 3;
  const uint64_t v1_0 = UINT64_C (131080) * 512;
  const uint64_t v0_90 = UINT64_C (130944) * 512;

  ok (md_member_with_magic_at (size, 0), "md 1.1: magic at 0");
  ok (md_member_with_magic_at (size, 4096), "md 1.2: magic at 4 KiB");
  ok (md_member_with_magic_at (size, v1_0), "md 1.0: magic 8 KiB from the "
      "end, 4 KiB aligned (byte %" PRIu64 ")", v1_0);
  ok (md_member_with_magic_at (size, v0_90), "md 0.90: magic in the last "
      "64 KiB-aligned 64 KiB (byte %" PRIu64 ")", v0_90);
  ok (!md_member_with_magic_at (size, v1_0 + 512), "md: one sector off is "
      "not a member");
  ok (!md_member_with_magic_at (size, -1), "md: no magic, not a member");
}

/* A PV label on a plain file, made by pvcreate without touching the
 * host's LVM state (no devices are scanned for a file argument).
 */
static void
test_pv (void)
{
  CLEANUP_FREE char *path = NULL;
  CLEANUP_FREE char *loop = NULL;
  CLEANUP_FREE char *cmd = NULL;
  struct gk_content c;

  if (geteuid () != 0 || !have ("pvcreate") || !have ("losetup")) {
    ok (true, "# SKIP LVM PV: not root or no pvcreate/losetup");
    return;
  }
  path = make_file ("pv", 64 << 20);
  cmd = xasprintf ("losetup -f --show '%s'", path);
  loop = output (cmd);
  if (!ok (STRPREFIX (loop, "/dev/loop"), "pv: losetup"))
    return;
  free (cmd);
  cmd = xasprintf ("LVM_SUPPRESS_FD_WARNINGS=1 pvcreate -q -f "
                   "--config 'devices { use_devicesfile = 0 }' %s", loop);
  ok (run (cmd), "pv: pvcreate");
  /* Read the label while it is there, then remove it and the loop
   * device so the host's LVM keeps no trace (the file goes with the
   * directory).
   */
  ok (probe_file (path, &c) == 0 && c.kind == GK_CONTENT_PV &&
      STREQ (c.type, "LVM2_member") && c.size == 64 << 20,
      "pv: LVM2_member of 64 MiB");
  free (cmd);
  cmd = xasprintf ("LVM_SUPPRESS_FD_WARNINGS=1 pvremove -q -ff -y "
                   "--config 'devices { use_devicesfile = 0 }' %s; "
                   "losetup -d %s", loop, loop);
  ok (run (cmd), "pv: pvremove, losetup -d");
}

static void
test_luks (void)
{
  CLEANUP_FREE char *path = NULL;
  CLEANUP_FREE char *cmd = NULL;
  CLEANUP_FREE char *buuid = NULL;
  struct gk_content c;
  char ustr[64];

  if (!have ("cryptsetup")) {
    ok (true, "# SKIP LUKS: no cryptsetup");
    return;
  }
  path = make_file ("luks", 32 << 20);
  cmd = xasprintf ("echo -n gktest | cryptsetup luksFormat -q --type luks2 "
                   "--pbkdf pbkdf2 --pbkdf-force-iterations 1000 "
                   "--label gk-luks --key-file - '%s'", path);
  if (!ok (run (cmd), "luks: cryptsetup luksFormat"))
    return;
  buuid = blkid_tag (path, "UUID");
  ok (probe_file (path, &c) == 0 && c.kind == GK_CONTENT_LUKS &&
      STREQ (c.type, "crypto_LUKS"), "luks: crypto_LUKS");
  gk_content_uuid_string (&c, ustr, sizeof ustr);
  is_str (ustr, buuid, "luks: uuid agrees with blkid");
  is_str (c.label, "gk-luks", "luks: label");
}

/* ---- Hostile superblocks, in memory ---- */

/* Probe SIZE bytes of DATA; a hang is stopped by the alarm (the test
 * then fails with SIGALRM).
 */
static int
probe_mem (uint8_t *data, size_t size, struct gk_content *c, char **errmsg)
{
  struct gk_mem_disk m = { .data = data, .size = size };
  int r;

  alarm (10);
  r = gk_content_probe (gk_mem_pread_fn, &m, 0, size, c, errmsg);
  alarm (0);
  if (m.out_of_range)
    printf ("#   %u reads past the end of the disk\n", m.out_of_range);
  return m.out_of_range ? -2 : r;
}

/* An NTFS boot sector (512-byte sectors and clusters, 1 KiB MFT
 * records, the MFT at cluster 16) and MFT record 3 ($Volume) with an
 * update sequence that needs no fixing and its attributes at 0x38.
 * Returns the record for the caller to fill.
 */
#define NTFS_SIZE (64 * 1024)
#define NTFS_REC (16 * 512 + 3 * 1024)
static uint8_t *
ntfs_image (void)
{
  uint8_t *d = xcalloc (1, NTFS_SIZE);
  uint8_t *rec = d + NTFS_REC;

  d[0] = 0xeb;
  memcpy (d + 3, "NTFS    ", 8);
  gk_put_le16 (d + 0x0b, 512);
  d[0x0d] = 1;
  gk_put_le64 (d + 0x28, NTFS_SIZE / 512 - 1);
  gk_put_le64 (d + 0x30, 16);
  d[0x40] = 0xf6;               /* 2^10 bytes per record */
  gk_put_le64 (d + 0x48, 0x1122334455667788);
  d[510] = 0x55;
  d[511] = 0xaa;
  memcpy (rec, "FILE", 4);
  gk_put_le16 (rec + 4, 0x30);  /* update sequence at 0x30, one entry */
  gk_put_le16 (rec + 6, 1);
  gk_put_le16 (rec + 0x14, 0x38);
  return d;
}

/* A resident attribute at AT in REC. */
static void
ntfs_attr (uint8_t *rec, uint32_t at, uint32_t type, uint32_t len,
           uint32_t vlen, uint16_t voff)
{
  gk_put_le32 (rec + at, type);
  gk_put_le32 (rec + at + 4, len);
  rec[at + 8] = 0;
  gk_put_le32 (rec + at + 0x10, vlen);
  gk_put_le16 (rec + at + 0x14, voff);
}

static void
test_hostile_ntfs (void)
{
  CLEANUP_FREE uint8_t *d = NULL;
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_content c;
  uint8_t *rec;

  /* The well-formed case first, so the others fail for their reason. */
  d = ntfs_image ();
  rec = d + NTFS_REC;
  ntfs_attr (rec, 0x38, 0x60, 0x28, 8, 0x18);
  memcpy (rec + 0x38 + 0x18, "L\0a\0b\0l\0", 8);
  gk_put_le32 (rec + 0x60, 0xffffffff);
  ok (probe_mem (d, NTFS_SIZE, &c, &errmsg) == 0 &&
      STREQ (c.type, "ntfs") && STREQ (c.label, "Labl"),
      "ntfs in memory: label from $Volume");

  /* Issue 8: an attribute length that wraps the walk round to an
   * earlier attribute, which leads back: it looped forever.
   */
  free (d);
  d = ntfs_image ();
  rec = d + NTFS_REC;
  ntfs_attr (rec, 0x38, 0x30, 0xffffffe0, 0, 0);   /* 0x38 -> 0x18 */
  ntfs_attr (rec, 0x18, 0x30, 0x20, 0, 0);         /* 0x18 -> 0x38 */
  ok (probe_mem (d, NTFS_SIZE, &c, &errmsg) == 0 &&
      STREQ (c.type, "ntfs") && STREQ (c.label, ""),
      "ntfs: an attribute length that goes backwards ends the walk");

  /* Issue 8: the label's offset + length wrapped in 32 bits (a 6 GB
   * allocation, then a read far past the record).
   */
  free (d);
  d = ntfs_image ();
  rec = d + NTFS_REC;
  ntfs_attr (rec, 0x38, 0x60, 0x40, 0xffffff00, 0x100);
  ok (probe_mem (d, NTFS_SIZE, &c, &errmsg) == 0 &&
      STREQ (c.type, "ntfs") && STREQ (c.label, ""),
      "ntfs: a label offset + length that wraps is ignored");

  /* Issue 8: a 16-byte attribute at the very end of the record: the
   * resident header was read 8 bytes past it (seen under ASan or
   * valgrind).
   */
  free (d);
  d = ntfs_image ();
  rec = d + NTFS_REC;
  gk_put_le16 (rec + 0x14, 1024 - 16);
  ntfs_attr (rec, 1024 - 16, 0x60, 16, 0, 0);
  ok (probe_mem (d, NTFS_SIZE, &c, &errmsg) == 0 &&
      STREQ (c.type, "ntfs") && STREQ (c.label, ""),
      "ntfs: an attribute too short for its header is not read");

  /* The MFT placed so that its cluster number times the cluster size
   * wraps round into the volume.
   */
  free (d);
  d = ntfs_image ();
  gk_put_le64 (d + 0x30, (UINT64_MAX / 512) + 17);
  ok (probe_mem (d, NTFS_SIZE, &c, &errmsg) == 0 &&
      STREQ (c.type, "ntfs") && STREQ (c.label, ""),
      "ntfs: an MFT position that wraps is not followed");
}

/* Issue 8: the PV header's offset in the label (4 bytes at 20) was
 * checked as offset + 40 <= 512 in 32 bits: 0xfffffff0 passed, and the
 * device size was read 4 GiB past the buffer (SIGSEGV).
 */
static void
test_hostile_pv (void)
{
  uint8_t d[8192];
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_content c;

  memset (d, 0, sizeof d);
  memcpy (d + 512, "LABELONE", 8);
  gk_put_le64 (d + 512 + 8, 1);
  memcpy (d + 512 + 24, "LVM2 001", 8);
  gk_put_le32 (d + 512 + 20, 32);
  gk_put_le64 (d + 512 + 32 + 32, 123 * 512);
  ok (probe_mem (d, sizeof d, &c, &errmsg) == 0 &&
      c.kind == GK_CONTENT_PV && c.size == 123 * 512,
      "pv in memory: LVM2_member");

  gk_put_le32 (d + 512 + 20, 0xfffffff0);
  ok (probe_mem (d, sizeof d, &c, &errmsg) == 0 &&
      c.kind == GK_CONTENT_UNKNOWN,
      "pv: a PV header offset that wraps is not a PV");
  gk_put_le32 (d + 512 + 20, 512 - 39);
  ok (probe_mem (d, sizeof d, &c, &errmsg) == 0 &&
      c.kind == GK_CONTENT_UNKNOWN,
      "pv: a PV header that runs past the label is not a PV");
}

static int
failing_pread (void *opaque, void *buf, size_t count, uint64_t offset,
               char **errmsg)
{
  *errmsg = xstrdup ("injected failure");
  return -1;
}

/* The error rule: a read that fails is one message, nothing printed. */
static void
test_read_error (void)
{
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_content c;

  ok (gk_content_probe (failing_pread, NULL, 4096, 1 << 20, &c,
                        &errmsg) == -1 && errmsg &&
      STREQ (errmsg, "cannot read the superblock at byte 4096: "
             "injected failure"),
      "a failed read is an error message, with the reader's reason");
  if (errmsg)
    printf ("#   %s\n", errmsg);
}

int
main (void)
{
  gk_init_program ("test-content");
  if (mkdtemp (tmpdir) == NULL) {
    perror ("mkdtemp");
    exit (EXIT_FAILURE);
  }
  atexit (remove_tmpdir);

  test_hostile_ntfs ();
  test_hostile_pv ();
  test_read_error ();
  test_md_member ();
  if (!have ("blkid")) {
    ok (true, "# SKIP blkid is not installed");
    return tap_done ();
  }
  test_filesystems ();
  test_vfat_odd_size ();
  test_ext_min_size ();
  test_swap_resize ();
  test_unknown ();
  test_pv ();
  test_luks ();
  return tap_done ();
}
