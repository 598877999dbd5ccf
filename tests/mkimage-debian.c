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
 * MANIFEST gets "PATH<TAB>SHA256" for each file of known content under
 * /root/guestkit-data, so later tests can check the data survived.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
  write_file (g, "/etc/fstab", fstab);
  write_file (g, "/etc/hostname", "gktest-debian\n");
  write_file (g, "/etc/hosts",
              "127.0.0.1\tlocalhost\n"
              "127.0.1.1\tgktest-debian\n"
              "::1\t\tlocalhost ip6-localhost ip6-loopback\n");
  write_file (g, "/etc/default/grub", default_grub);
  write_file (g, "/etc/systemd/system/guestkit-boot-marker.service",
              marker_unit);
  CHECK (guestfs_mkdir_p (g,
                          "/etc/systemd/system/multi-user.target.wants"));
  CHECK (guestfs_ln_sf (g, "/etc/systemd/system/guestkit-boot-marker.service",
                        "/etc/systemd/system/multi-user.target.wants/"
                        "guestkit-boot-marker.service"));
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
}

static void
write_manifest (guestfs_h *g, const char *manifest)
{
  MK_CLEANUP_FREE_STRING_LIST char **files = NULL;
  FILE *fp;
  size_t i;

  CHECK_PTR (files = guestfs_ls (g, DATA_DIR));
  fp = fopen (manifest, "w");
  if (fp == NULL) {
    perror (manifest);
    exit (EXIT_FAILURE);
  }
  for (i = 0; files[i] != NULL; ++i) {
    MK_CLEANUP_FREE char *path = NULL;
    MK_CLEANUP_FREE char *sum = NULL;

    if (asprintf (&path, "%s/%s", DATA_DIR, files[i]) == -1) {
      perror ("asprintf");
      exit (EXIT_FAILURE);
    }
    CHECK_PTR (sum = guestfs_checksum (g, "sha256", path));
    fprintf (fp, "%s\t%s\n", path, sum);
  }
  if (fclose (fp) == EOF) {
    perror (manifest);
    exit (EXIT_FAILURE);
  }
}

/* GRUB has to be installed by the guest's own grub-install, chrooted in
 * the appliance (guestfs_sh binds /dev, /proc and /sys), which also
 * writes boot.img into the MBR.
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
  /* Device names differ between the appliance (sda) and a booted guest
   * (vda), so the kernel must find its root by UUID.
   */
  if (strstr (cfg, "root=UUID=") == NULL ||
      strstr (cfg, "console=ttyS0") == NULL) {
    fprintf (stderr, "mkimage-debian: unexpected grub.cfg:\n%s\n", cfg);
    exit (EXIT_FAILURE);
  }
}

int
main (int argc, char *argv[])
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;
  const char *rootfs, *output, *manifest;

  if (argc != 4) {
    fprintf (stderr, "usage: %s ROOTFS.tar OUTPUT.img MANIFEST\n", argv[0]);
    exit (EXIT_FAILURE);
  }
  rootfs = argv[1];
  output = argv[2];
  manifest = argv[3];

  mk_step ("creating %s (sparse raw, 3 GiB)", output);
  CHECK_PTR (g = guestfs_create ());
  CHECK (guestfs_disk_create (g, output, "raw", DISK_SIZE, -1));
  guestfs_close (g);
  g = mk_launch (output, 0);

  partition (g);
  CHECK (guestfs_mount (g, "/dev/sda1", "/"));
  mk_step ("unpacking %s", rootfs);
  CHECK (guestfs_tar_in_opts (g, rootfs, "/",
                              GUESTFS_TAR_IN_OPTS_XATTRS, 1, -1));
  configure (g);
  add_data (g);
  write_manifest (g, manifest);
  install_grub (g);

  mk_step ("closing");
  CHECK (guestfs_umount_all (g));
  CHECK (guestfs_shutdown (g));
  mk_step ("done");
  exit (EXIT_SUCCESS);
}
