/* guestkit test harness: a disk with one of each filesystem we report on.
 *
 * Usage: mkimage-multifs OUTPUT.img EXPECTED
 *
 * GPT, about 1.2 GiB sparse raw:
 *   sda1 ext4, sda2 xfs, sda3 btrfs, sda4 vfat, sda5 ntfs, sda6 swap,
 *   sda7 LVM PV of VG gktestvg with LVs lvext4 (ext4) and lvxfs (xfs).
 * Every filesystem gets files of a few sizes so "Used" is not trivial.
 *
 * EXPECTED gets, for every filesystem (not swap), the statvfs figures
 * seen with the filesystem mounted read-only, which is what virt-df
 * must print:
 *   DEVICE<TAB>bsize<TAB>frsize<TAB>blocks<TAB>bfree<TAB>bavail
 *         <TAB>files<TAB>ffree
 * DEVICE is libguestfs's canonical name (/dev/sda1, /dev/gktestvg/lvext4).
 *
 * Exits 77 if the appliance lacks a filesystem, so tests can skip.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage-common.h"

#define MiB (INT64_C (1) << 20)
#define DISK_SIZE (1232 * MiB)
#define VG "gktestvg"

struct fs {
  const char *device;
  const char *type;             /* NULL: already made (swap, PV) */
  int start_mib, size_mib;      /* partition; 0 size for an LV */
};

static const struct fs filesystems[] = {
  { "/dev/sda1", "ext4",   1,   100 },
  /* mkfs.xfs >= 5.19 refuses anything under 300 MiB. */
  { "/dev/sda2", "xfs",    101, 300 },
  { "/dev/sda3", "btrfs",  401, 160 },
  { "/dev/sda4", "vfat",   561, 64 },
  { "/dev/sda5", "ntfs",   625, 100 },
  { "/dev/sda6", NULL,     725, 64 },   /* swap */
  { "/dev/sda7", NULL,     789, 442 },  /* LVM PV */
  { "/dev/" VG "/lvext4", "ext4", 0, 100 },
  { "/dev/" VG "/lvxfs",  "xfs",  0, 300 },
};
#define NR_FS (sizeof filesystems / sizeof filesystems[0])

static void
require_features (guestfs_h *g)
{
  static const char *const groups[] = {
    "xfs", "btrfs", "lvm2", "ntfs3g", "ntfsprogs", NULL
  };
  size_t i;

  for (i = 0; groups[i] != NULL; ++i) {
    char *const one[] = { (char *) groups[i], NULL };
    int r = guestfs_feature_available (g, one);

    CHECK (r);
    if (r == 0) {
      fprintf (stderr, "mkimage-multifs: the appliance lacks \"%s\""
               " (for xfs: apt-get install libguestfs-xfs;"
               " for ntfs: ntfs-3g)\n", groups[i]);
      exit (77);
    }
  }
}

static void
partition (guestfs_h *g)
{
  size_t i;

  mk_step ("partitioning (GPT) and making filesystems");
  CHECK (guestfs_part_init (g, "/dev/sda", "gpt"));
  for (i = 0; i < NR_FS; ++i) {
    const struct fs *fs = &filesystems[i];

    if (fs->start_mib == 0)
      continue;
    CHECK (guestfs_part_add (g, "/dev/sda", "p",
                             fs->start_mib * MiB / 512,
                             (fs->start_mib + fs->size_mib) * MiB / 512 - 1));
  }
  CHECK (guestfs_mkswap (g, "/dev/sda6"));
  CHECK (guestfs_pvcreate (g, "/dev/sda7"));
  {
    char *const pvs[] = { (char *) "/dev/sda7", NULL };
    CHECK (guestfs_vgcreate (g, VG, pvs));
  }
  CHECK (guestfs_lvcreate (g, "lvext4", VG, 100));
  CHECK (guestfs_lvcreate (g, "lvxfs", VG, 300));

  for (i = 0; i < NR_FS; ++i) {
    if (filesystems[i].type == NULL)
      continue;
    mk_step ("mkfs %s %s", filesystems[i].type, filesystems[i].device);
    CHECK (guestfs_mkfs (g, filesystems[i].type, filesystems[i].device));
  }
}

/* Different amounts per filesystem, so a tool that mixes up devices
 * shows different numbers.
 */
static void
fill (guestfs_h *g, size_t n, const char *device)
{
  char path[64];
  int j;

  mk_step ("writing files to %s", device);
  CHECK (guestfs_mount (g, device, "/"));
  CHECK (guestfs_mkdir (g, "/data"));
  CHECK (guestfs_write (g, "/data/README",
                        "guestkit multi-filesystem test image\n", 37));
  /* Not fill_pattern: the daemon writes one pattern per write(2),
   * which takes minutes for a few MiB under TCG.
   */
  snprintf (path, sizeof path, "/data/blob-%zuM", n + 2);
  CHECK (guestfs_fill (g, 'g', (int) ((n + 2) * MiB), path));
  CHECK (guestfs_fill (g, 'k', (int) ((n + 1) * 256 * 1024),
                       "/data/blob-small"));
  CHECK (guestfs_mkdir (g, "/data/many"));
  for (j = 0; j < 20 + (int) n * 5; ++j) {
    snprintf (path, sizeof path, "/data/many/f%02d", j);
    CHECK (guestfs_fill (g, 'a' + j % 26, 100 + j * 37, path));
  }
  CHECK (guestfs_sync (g));
  CHECK (guestfs_umount (g, "/"));
}

static void
write_expected (guestfs_h *g, const char *expected)
{
  FILE *fp = fopen (expected, "w");
  size_t i;

  if (fp == NULL) {
    perror (expected);
    exit (EXIT_FAILURE);
  }
  for (i = 0; i < NR_FS; ++i)
    if (filesystems[i].type != NULL)
      mk_print_statvfs (g, fp, filesystems[i].device);
  if (fclose (fp) == EOF) {
    perror (expected);
    exit (EXIT_FAILURE);
  }
}

int
main (int argc, char *argv[])
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;
  const char *output, *expected;
  size_t i, n;

  if (argc != 3) {
    fprintf (stderr, "usage: %s OUTPUT.img EXPECTED\n", argv[0]);
    exit (EXIT_FAILURE);
  }
  output = argv[1];
  expected = argv[2];

  g = mk_create_and_launch (output, "raw", DISK_SIZE);

  require_features (g);
  partition (g);
  for (i = n = 0; i < NR_FS; ++i)
    if (filesystems[i].type != NULL)
      fill (g, n++, filesystems[i].device);

  mk_step ("recording statvfs of each filesystem mounted read-only");
  write_expected (g, expected);

  CHECK (guestfs_shutdown (g));
  mk_step ("done");
  exit (EXIT_SUCCESS);
}
