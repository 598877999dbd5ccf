/* guestkit test harness: lay a debootstrapped Debian 12 tree out on a
 * bootable qcow2 disk image with its root filesystem on LVM.
 *
 * Usage: mkimage-debian-lvm ROOTFS.tar OUTPUT.qcow2 MANIFEST
 *
 * The disk is what the Debian installer's "guided, use entire disk and
 * set up LVM" makes on a small BIOS machine: MBR, /dev/sda1 ext4 /boot
 * (bootable), /dev/sda2 an LVM PV holding VG "gkvg" with LVs "root"
 * (ext4) and "swap"; the rest of the VG is left free.  ROOTFS.tar is
 * the tree of make-debian-lvm-rootfs.sh: lvm2 is already installed
 * there, on the host, and its initramfs activates the VG.  The
 * appliance only does what needs the disk: the PV and LVs, copying the
 * tree in, and GRUB, which goes into the MBR from inside the guest.  A
 * systemd unit prints GUESTKIT-BOOT-OK on ttyS0 once multi-user is
 * reached.
 *
 * MANIFEST gets "PATH<TAB>SHA256" for each file of known content, under
 * /root/guestkit-data (root LV) and /boot/guestkit-data (sda1), so
 * later tests can check that both filesystems survived.
 *
 * Everything happens in one appliance launch: under TCG each one costs
 * a lot.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mkimage-common.h"

#define DISK_SIZE    (INT64_C (2560) << 20)     /* 2.5 GiB */
#define SECTORS      (DISK_SIZE / 512)
#define BOOT_START   INT64_C (2048)
#define BOOT_SECTORS (INT64_C (300) << 11)      /* 300 MiB */
#define PV_START     (BOOT_START + BOOT_SECTORS)
#define DISK_END     (SECTORS - 1)

#define VG           "gkvg"
#define ROOT_LV      "/dev/" VG "/root"
#define SWAP_LV      "/dev/" VG "/swap"
/* The guest's root needs about 560 MB: this leaves ~300 MB free. */
#define ROOT_MB      896
#define SWAP_MB      256

#define DATA_DIR     "/root/guestkit-data"
#define BOOT_DATA    "/boot/guestkit-data"

static void
partition (guestfs_h *g)
{
  char *pvs[] = { (char *) "/dev/sda2", NULL };

  mk_step ("partitioning (MBR: sda1 /boot, sda2 LVM PV of " VG ")");
  CHECK (guestfs_part_init (g, "/dev/sda", "msdos"));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", BOOT_START, PV_START - 1));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", PV_START, DISK_END));
  CHECK (guestfs_part_set_bootable (g, "/dev/sda", 1, 1));
  CHECK (guestfs_part_set_mbr_id (g, "/dev/sda", 2, 0x8e));
  CHECK (guestfs_mkfs (g, "ext4", "/dev/sda1"));
  CHECK (guestfs_pvcreate (g, "/dev/sda2"));
  CHECK (guestfs_vgcreate (g, VG, pvs));
  CHECK (guestfs_lvcreate (g, "root", VG, ROOT_MB));
  CHECK (guestfs_lvcreate (g, "swap", VG, SWAP_MB));
  CHECK (guestfs_mkfs (g, "ext4", ROOT_LV));
  CHECK (guestfs_mkswap (g, SWAP_LV));
}

/* LVs by their stable /dev/mapper names (as the installer does); /boot
 * by UUID, since the disk is sda here and vda when booted.
 */
static void
configure (guestfs_h *g)
{
  MK_CLEANUP_FREE char *boot_uuid = NULL;
  MK_CLEANUP_FREE char *fstab = NULL;

  CHECK_PTR (boot_uuid = guestfs_vfs_uuid (g, "/dev/sda1"));
  if (asprintf (&fstab,
                "# <file system> <mount point> <type> <options> "
                "<dump> <pass>\n"
                "/dev/mapper/" VG "-root / ext4 errors=remount-ro 0 1\n"
                "UUID=%s /boot ext4 defaults 0 2\n"
                "/dev/mapper/" VG "-swap none swap sw 0 0\n",
                boot_uuid) == -1) {
    perror ("asprintf");
    exit (EXIT_FAILURE);
  }
  mk_debian_configure (g, "gktest-debian-lvm", fstab);
}

/* Some data on /boot too, the filesystem outside LVM. */
static void
add_boot_data (guestfs_h *g)
{
  CHECK (guestfs_mkdir_p (g, BOOT_DATA));
  mk_write_file (g, BOOT_DATA "/hello-boot.txt",
                 "guestkit test data on /boot: this line must survive.\n");
  mk_upload_random (g, BOOT_DATA "/random-4M.bin", 4 << 20, 0x626f6f74ULL);
}

int
main (int argc, char *argv[])
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;
  static const char *const data_dirs[] = { DATA_DIR, BOOT_DATA, NULL };
  const char *rootfs, *output, *manifest;

  if (argc != 4) {
    fprintf (stderr, "usage: %s ROOTFS.tar OUTPUT.qcow2 MANIFEST\n",
             argv[0]);
    exit (EXIT_FAILURE);
  }
  rootfs = argv[1];
  output = argv[2];
  manifest = argv[3];

  /* Built on qcow2 directly: only what the guest writes is allocated,
   * and no conversion pass is needed at the end.
   */
  g = mk_create_and_launch (output, "qcow2", DISK_SIZE);
  partition (g);
  CHECK (guestfs_mount (g, ROOT_LV, "/"));
  CHECK (guestfs_mkdir (g, "/boot"));
  CHECK (guestfs_mount (g, "/dev/sda1", "/boot"));
  mk_step ("unpacking %s", rootfs);
  CHECK (guestfs_tar_in_opts (g, rootfs, "/",
                              GUESTFS_TAR_IN_OPTS_XATTRS, 1, -1));
  configure (g);
  mk_debian_add_data (g, DATA_DIR);
  add_boot_data (g);
  mk_write_manifest (g, manifest, data_dirs);
  /* grub-mkconfig sees that / is on LVM and passes the LV's mapper
   * name as root=, which the lvm2 initramfs script activates.
   */
  mk_debian_install_grub (g, "root=/dev/mapper/" VG "-root");

  mk_step ("closing");
  CHECK (guestfs_umount_all (g));
  CHECK (guestfs_shutdown (g));
  mk_step ("done");
  exit (EXIT_SUCCESS);
}
