/* guestkit test harness: lay a debootstrapped Debian 12 tree out on a
 * bootable qcow2 disk image with its root filesystem on LVM.
 *
 * Usage: mkimage-debian-lvm ROOTFS.tar DEBS.tar OUTPUT.qcow2 MANIFEST
 *
 * The disk is what the Debian installer's "guided, use entire disk and
 * set up LVM" makes on a small BIOS machine: MBR, /dev/sda1 ext4 /boot
 * (bootable), /dev/sda2 an LVM PV holding VG "gkvg" with LVs "root"
 * (ext4) and "swap"; the rest of the VG is left free.  ROOTFS.tar is
 * the debootstrap tarball of the plain Debian guest, which has no
 * lvm2: DEBS.tar holds lvm2 and the packages it needs, installed with
 * dpkg inside the guest so that its initramfs can activate the VG.
 * GRUB goes into the MBR from inside the guest, and a systemd unit
 * prints GUESTKIT-BOOT-OK on ttyS0 once multi-user is reached.
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
#include <string.h>
#include <unistd.h>

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
#define DEBS_DIR     "/var/cache/guestkit-lvm2"

static const char default_grub[] =
  "# Written by guestkit's test image builder: serial console only, no\n"
  "# menu delay, so a test can boot the image headless and quickly.\n"
  "GRUB_DEFAULT=0\n"
  "GRUB_TIMEOUT=0\n"
  "GRUB_DISTRIBUTOR=Debian\n"
  "GRUB_CMDLINE_LINUX_DEFAULT=\"\"\n"
  "GRUB_CMDLINE_LINUX=\"console=ttyS0,115200n8\"\n"
  "GRUB_TERMINAL=serial\n"
  "GRUB_SERIAL_COMMAND=\"serial --unit=0 --speed=115200\"\n"
  "GRUB_DISABLE_OS_PROBER=true\n";

static const char marker_unit[] =
  "# guestkit test harness: tell the host (on the serial port) that\n"
  "# this guest reached multi-user.\n"
  "[Unit]\n"
  "Description=guestkit test boot marker\n"
  "After=multi-user.target\n"
  "\n"
  "[Service]\n"
  "Type=oneshot\n"
  "ExecStart=/bin/sh -c 'echo GUESTKIT-BOOT-OK > /dev/ttyS0'\n"
  "\n"
  "[Install]\n"
  "WantedBy=multi-user.target\n";

/* Run in the guest (guestfs_sh chroots and binds /dev, /proc, /sys).
 * There is no network and no init: policy-rc.d keeps maintainer
 * scripts from starting services.  dpkg runs the initramfs trigger
 * itself, but the image is useless if the initramfs cannot find the
 * VG, so check, and rebuild it if the trigger did not.
 */
static const char install_lvm2[] =
  "set -e\n"
  "export PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive\n"
  "printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d\n"
  "chmod 755 /usr/sbin/policy-rc.d\n"
  "dpkg -i " DEBS_DIR "/*.deb 2>&1\n"
  "rm -f /usr/sbin/policy-rc.d\n"
  "rm -rf " DEBS_DIR "\n"
  "has_lvm () {\n"
  "  for i in /boot/initrd.img-*; do\n"
  "    lsinitramfs \"$i\" | grep -q 'sbin/lvm$' || return 1\n"
  "  done\n"
  "}\n"
  "if ! has_lvm; then\n"
  "  echo 'rebuilding the initramfs'\n"
  "  update-initramfs -u -k all 2>&1\n"
  "fi\n"
  "has_lvm || { echo 'no lvm in the initramfs' >&2; exit 1; }\n"
  "echo 'lvm2 installed, initramfs has lvm'\n";

static void
write_file (guestfs_h *g, const char *path, const char *content)
{
  CHECK (guestfs_write (g, path, content, strlen (content)));
}

/* Incompressible content that is the same on every build (xorshift),
 * so the checksums in the manifest are stable too.
 */
static void
upload_random (guestfs_h *g, const char *path, size_t size, uint64_t seed)
{
  char tmp[] = "/tmp/gk-mkimage-XXXXXX";
  int fd = mkstemp (tmp);
  FILE *fp;
  uint64_t x = seed;
  size_t i;

  if (fd == -1 || (fp = fdopen (fd, "w")) == NULL) {
    perror ("mkstemp");
    exit (EXIT_FAILURE);
  }
  for (i = 0; i < size; i += sizeof x) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    fwrite (&x, sizeof x, 1, fp);
  }
  if (fclose (fp) == EOF) {
    perror (tmp);
    unlink (tmp);
    exit (EXIT_FAILURE);
  }
  if (guestfs_upload (g, tmp, path) == -1) {
    unlink (tmp);
    exit (EXIT_FAILURE);
  }
  unlink (tmp);
}

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

static void
configure (guestfs_h *g)
{
  MK_CLEANUP_FREE char *boot_uuid = NULL;
  MK_CLEANUP_FREE char *fstab = NULL;

  /* LVs by their stable /dev/mapper names (as the installer does);
   * /boot by UUID, since the disk is sda here and vda when booted.
   */
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
  write_file (g, "/etc/fstab", fstab);
  write_file (g, "/etc/hostname", "gktest-debian-lvm\n");
  write_file (g, "/etc/hosts",
              "127.0.0.1\tlocalhost\n"
              "127.0.1.1\tgktest-debian-lvm\n"
              "::1\t\tlocalhost ip6-localhost ip6-loopback\n");
  write_file (g, "/etc/default/grub", default_grub);
  /* Otherwise the initramfs waits for a resume device at every boot;
   * the tests never hibernate.
   */
  CHECK (guestfs_mkdir_p (g, "/etc/initramfs-tools/conf.d"));
  write_file (g, "/etc/initramfs-tools/conf.d/resume", "RESUME=none\n");
  write_file (g, "/etc/systemd/system/guestkit-boot-marker.service",
              marker_unit);
  CHECK (guestfs_mkdir_p (g,
                          "/etc/systemd/system/multi-user.target.wants"));
  CHECK (guestfs_ln_sf (g, "/etc/systemd/system/guestkit-boot-marker.service",
                        "/etc/systemd/system/multi-user.target.wants/"
                        "guestkit-boot-marker.service"));
}

static void
install_debs (guestfs_h *g, const char *debs)
{
  MK_CLEANUP_FREE char *out = NULL;

  mk_step ("installing lvm2 from %s (dpkg -i, initramfs)", debs);
  CHECK (guestfs_mkdir_p (g, DEBS_DIR));
  CHECK (guestfs_tar_in (g, debs, DEBS_DIR));
  CHECK_PTR (out = guestfs_sh (g, install_lvm2));
  fputs (out, stderr);
}

static void
add_data (guestfs_h *g)
{
  CHECK (guestfs_mkdir_p (g, DATA_DIR));
  CHECK (guestfs_chmod (g, 0700, DATA_DIR));
  write_file (g, DATA_DIR "/hello.txt",
              "guestkit test data: this line must survive.\n");
  CHECK (guestfs_fill_pattern (g, "guestkit", 1 << 20,
                               DATA_DIR "/pattern-1M.bin"));
  upload_random (g, DATA_DIR "/random-8M.bin", 8 << 20, 0x6775657374ULL);
  /* A sparse file: a hole, then a little data at 32 MiB. */
  CHECK (guestfs_touch (g, DATA_DIR "/sparse-64M.bin"));
  CHECK (guestfs_truncate_size (g, DATA_DIR "/sparse-64M.bin", 64 << 20));
  CHECK (guestfs_pwrite (g, DATA_DIR "/sparse-64M.bin", "tail", 4,
                         32 << 20));

  /* And some on /boot, the filesystem outside LVM. */
  CHECK (guestfs_mkdir_p (g, BOOT_DATA));
  write_file (g, BOOT_DATA "/hello-boot.txt",
              "guestkit test data on /boot: this line must survive.\n");
  upload_random (g, BOOT_DATA "/random-4M.bin", 4 << 20, 0x626f6f74ULL);
}

static void
write_manifest_dir (guestfs_h *g, FILE *fp, const char *dir)
{
  MK_CLEANUP_FREE_STRING_LIST char **files = NULL;
  size_t i;

  CHECK_PTR (files = guestfs_ls (g, dir));
  for (i = 0; files[i] != NULL; ++i) {
    MK_CLEANUP_FREE char *path = NULL;
    MK_CLEANUP_FREE char *sum = NULL;

    if (asprintf (&path, "%s/%s", dir, files[i]) == -1) {
      perror ("asprintf");
      exit (EXIT_FAILURE);
    }
    CHECK_PTR (sum = guestfs_checksum (g, "sha256", path));
    fprintf (fp, "%s\t%s\n", path, sum);
  }
}

static void
write_manifest (guestfs_h *g, const char *manifest)
{
  FILE *fp = fopen (manifest, "w");

  if (fp == NULL) {
    perror (manifest);
    exit (EXIT_FAILURE);
  }
  write_manifest_dir (g, fp, DATA_DIR);
  write_manifest_dir (g, fp, BOOT_DATA);
  if (fclose (fp) == EOF) {
    perror (manifest);
    exit (EXIT_FAILURE);
  }
}

/* The guest's own grub-install writes boot.img into the MBR; its
 * grub-mkconfig sees that / is on LVM and passes the LV's mapper name
 * as root=, which the lvm2 initramfs script activates.
 */
static void
install_grub (guestfs_h *g)
{
  MK_CLEANUP_FREE char *out = NULL;
  MK_CLEANUP_FREE char *cfg = NULL;
  size_t size;

  mk_step ("grub-install /dev/sda && update-grub");
  CHECK_PTR (out = guestfs_sh (g,
                               "export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
                               "grub-install --target=i386-pc /dev/sda 2>&1\n"
                               "update-grub 2>&1\n"));
  fputs (out, stderr);
  CHECK_PTR (cfg = guestfs_read_file (g, "/boot/grub/grub.cfg", &size));
  if (strstr (cfg, "root=/dev/mapper/" VG "-root") == NULL ||
      strstr (cfg, "console=ttyS0") == NULL) {
    fprintf (stderr, "mkimage-debian-lvm: unexpected grub.cfg:\n%s\n", cfg);
    exit (EXIT_FAILURE);
  }
}

int
main (int argc, char *argv[])
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;
  const char *rootfs, *debs, *output, *manifest;

  if (argc != 5) {
    fprintf (stderr,
             "usage: %s ROOTFS.tar DEBS.tar OUTPUT.qcow2 MANIFEST\n",
             argv[0]);
    exit (EXIT_FAILURE);
  }
  rootfs = argv[1];
  debs = argv[2];
  output = argv[3];
  manifest = argv[4];

  /* Built on qcow2 directly: only what the guest writes is allocated,
   * and no conversion pass is needed at the end.
   */
  mk_step ("creating %s (qcow2, 2.5 GiB)", output);
  CHECK_PTR (g = guestfs_create ());
  CHECK (guestfs_disk_create (g, output, "qcow2", DISK_SIZE, -1));
  CHECK (guestfs_add_drive_opts (g, output,
                                 GUESTFS_ADD_DRIVE_OPTS_FORMAT, "qcow2",
                                 -1));
  mk_step ("launching the appliance");
  CHECK (guestfs_launch (g));

  partition (g);
  CHECK (guestfs_mount (g, ROOT_LV, "/"));
  CHECK (guestfs_mkdir (g, "/boot"));
  CHECK (guestfs_mount (g, "/dev/sda1", "/boot"));
  mk_step ("unpacking %s", rootfs);
  CHECK (guestfs_tar_in_opts (g, rootfs, "/",
                              GUESTFS_TAR_IN_OPTS_XATTRS, 1, -1));
  configure (g);
  install_debs (g, debs);
  add_data (g);
  write_manifest (g, manifest);
  install_grub (g);

  mk_step ("closing");
  CHECK (guestfs_umount_all (g));
  CHECK (guestfs_shutdown (g));
  mk_step ("done");
  exit (EXIT_SUCCESS);
}
