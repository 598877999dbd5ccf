/* guestkit test harness: lay a debootstrapped Debian 12 tree out on a
 * bootable disk image.
 *
 * Usage: mkimage-debian ROOTFS.tar OUTPUT.img MANIFEST
 *
 * The disk looks like what the Debian installer makes by default for a
 * small disk: MBR, /dev/sda1 ext4 root (bootable), /dev/sda2 extended,
 * /dev/sda5 swap.  GRUB goes into the MBR from inside the guest, so
 * the image boots like a real installation (tools that move partitions
 * around, such as virt-resize, must keep it booting).  A systemd unit
 * prints GUESTKIT-BOOT-OK on ttyS0 once multi-user is reached.
 *
 * ROOTFS.tar already has every package the guest needs (debootstrap
 * installs them on the host), so the appliance only partitions, copies
 * the tree in and installs GRUB.
 *
 * MANIFEST gets "PATH<TAB>SHA256" for each file of known content under
 * /root/guestkit-data, so later tests can check the data survived.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mkimage-common.h"

#define DISK_SIZE   (INT64_C (3) << 30)
#define SECTORS     (DISK_SIZE / 512)
#define SWAP_SECTORS (INT64_C (256) << 11)       /* 256 MiB */
/* Everything 1 MiB aligned; the logical partition needs its own 1 MiB
 * after the start of the extended one for its EBR.
 */
#define ROOT_START  INT64_C (2048)
#define EXT_START   (SECTORS - SWAP_SECTORS - 2048)
#define ROOT_END    (EXT_START - 1)
#define SWAP_START  (SECTORS - SWAP_SECTORS)
#define DISK_END    (SECTORS - 1)

#define DATA_DIR    "/root/guestkit-data"

static void
partition (guestfs_h *g)
{
  mk_step ("partitioning (MBR: sda1 root, sda2 extended, sda5 swap)");
  CHECK (guestfs_part_init (g, "/dev/sda", "msdos"));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", ROOT_START, ROOT_END));
  CHECK (guestfs_part_add (g, "/dev/sda", "e", EXT_START, DISK_END));
  CHECK (guestfs_part_add (g, "/dev/sda", "l", SWAP_START, DISK_END));
  CHECK (guestfs_part_set_bootable (g, "/dev/sda", 1, 1));
  CHECK (guestfs_part_set_mbr_id (g, "/dev/sda", 5, 0x82));
  CHECK (guestfs_mkfs (g, "ext4", "/dev/sda1"));
  CHECK (guestfs_mkswap (g, "/dev/sda5"));
}

/* By UUID: the disk is sda in the appliance and vda when booted. */
static void
configure (guestfs_h *g)
{
  MK_CLEANUP_FREE char *root_uuid = NULL;
  MK_CLEANUP_FREE char *swap_uuid = NULL;
  MK_CLEANUP_FREE char *fstab = NULL;

  CHECK_PTR (root_uuid = guestfs_vfs_uuid (g, "/dev/sda1"));
  CHECK_PTR (swap_uuid = guestfs_vfs_uuid (g, "/dev/sda5"));
  if (asprintf (&fstab,
                "# <file system> <mount point> <type> <options> "
                "<dump> <pass>\n"
                "UUID=%s / ext4 errors=remount-ro 0 1\n"
                "UUID=%s none swap sw 0 0\n",
                root_uuid, swap_uuid) == -1) {
    perror ("asprintf");
    exit (EXIT_FAILURE);
  }
  mk_debian_configure (g, "gktest-debian", fstab);
}

/* The boot loader really reached the file (a cached image once lost
 * it, and only the boot tests noticed).
 */
static void
check_mbr_on_disk (const char *output)
{
  char sector[512];
  FILE *fp = fopen (output, "r");

  if (fp == NULL || fread (sector, 1, sizeof sector, fp) != sizeof sector) {
    perror (output);
    exit (EXIT_FAILURE);
  }
  fclose (fp);
  if (memmem (sector, sizeof sector, "GRUB", 4) == NULL) {
    fprintf (stderr, "mkimage-debian: %s: no GRUB in the MBR after the "
             "appliance shut down\n", output);
    exit (EXIT_FAILURE);
  }
}

int
main (int argc, char *argv[])
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;
  static const char *const data_dirs[] = { DATA_DIR, NULL };
  const char *rootfs, *output, *manifest;

  if (argc != 4) {
    fprintf (stderr, "usage: %s ROOTFS.tar OUTPUT.img MANIFEST\n", argv[0]);
    exit (EXIT_FAILURE);
  }
  rootfs = argv[1];
  output = argv[2];
  manifest = argv[3];

  g = mk_create_and_launch (output, "raw", DISK_SIZE);
  partition (g);
  CHECK (guestfs_mount (g, "/dev/sda1", "/"));
  mk_step ("unpacking %s", rootfs);
  CHECK (guestfs_tar_in_opts (g, rootfs, "/",
                              GUESTFS_TAR_IN_OPTS_XATTRS, 1, -1));
  configure (g);
  mk_debian_add_data (g, DATA_DIR);
  mk_write_manifest (g, manifest, data_dirs);
  /* Device names differ between the appliance (sda) and a booted guest
   * (vda), so the kernel must find its root by UUID.
   */
  mk_debian_install_grub (g, "root=UUID=");

  mk_step ("closing");
  CHECK (guestfs_umount_all (g));
  CHECK (guestfs_shutdown (g));
  check_mbr_on_disk (output);
  mk_step ("done");
  exit (EXIT_SUCCESS);
}
