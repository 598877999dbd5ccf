/* guestkit test harness: steps shared by the test image builders (see
 * mkimage-common.h).
 */
#include <config.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mkimage-common.h"

/* Here, not inline in the header: one clock for the whole program. */
void
mk_step (const char *fs, ...)
{
  static time_t start;
  va_list args;

  if (start == 0)
    start = time (NULL);
  fprintf (stderr, "[%4lds] ", (long) (time (NULL) - start));
  va_start (args, fs);
  vfprintf (stderr, fs, args);
  va_end (args);
  fputc ('\n', stderr);
}

guestfs_h *
mk_create_and_launch (const char *output, const char *format, int64_t size)
{
  guestfs_h *g;

  mk_step ("creating %s (sparse %s, %" PRIi64 " MiB)",
           output, format, size >> 20);
  CHECK_PTR (g = guestfs_create ());
  CHECK (guestfs_disk_create (g, output, format, size, -1));
  CHECK (guestfs_add_drive_opts (g, output,
                                 GUESTFS_ADD_DRIVE_OPTS_FORMAT, format,
                                 -1));
  mk_step ("launching the appliance");
  CHECK (guestfs_launch (g));
  return g;
}

void
mk_write_file (guestfs_h *g, const char *path, const char *content)
{
  CHECK (guestfs_write (g, path, content, strlen (content)));
}

void
mk_print_statvfs (guestfs_h *g, FILE *fp, const char *device)
{
  MK_CLEANUP_FREE char *canon = NULL;
  struct guestfs_statvfs *s;

  CHECK_PTR (canon = guestfs_canonical_device_name (g, device));
  CHECK (guestfs_mount_ro (g, device, "/"));
  CHECK_PTR (s = guestfs_statvfs (g, "/"));
  fprintf (fp,
           "%s\t%" PRIi64 "\t%" PRIi64 "\t%" PRIi64 "\t%" PRIi64
           "\t%" PRIi64 "\t%" PRIi64 "\t%" PRIi64 "\n",
           canon, s->bsize, s->frsize, s->blocks, s->bfree, s->bavail,
           s->files, s->ffree);
  guestfs_free_statvfs (s);
  CHECK (guestfs_umount (g, "/"));
}

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

#define MARKER_UNIT "/etc/systemd/system/guestkit-boot-marker.service"

void
mk_debian_configure (guestfs_h *g, const char *hostname, const char *fstab)
{
  MK_CLEANUP_FREE char *hostname_file = NULL;
  MK_CLEANUP_FREE char *hosts = NULL;

  if (asprintf (&hostname_file, "%s\n", hostname) == -1 ||
      asprintf (&hosts,
                "127.0.0.1\tlocalhost\n"
                "127.0.1.1\t%s\n"
                "::1\t\tlocalhost ip6-localhost ip6-loopback\n",
                hostname) == -1) {
    perror ("asprintf");
    exit (EXIT_FAILURE);
  }
  mk_write_file (g, "/etc/fstab", fstab);
  mk_write_file (g, "/etc/hostname", hostname_file);
  mk_write_file (g, "/etc/hosts", hosts);
  mk_write_file (g, "/etc/default/grub", default_grub);
  mk_write_file (g, MARKER_UNIT, marker_unit);
  CHECK (guestfs_mkdir_p (g,
                          "/etc/systemd/system/multi-user.target.wants"));
  CHECK (guestfs_ln_sf (g, MARKER_UNIT,
                        "/etc/systemd/system/multi-user.target.wants/"
                        "guestkit-boot-marker.service"));
}

/* Incompressible content that is the same on every build (xorshift),
 * so the checksums in the manifest are stable too.
 */
void
mk_upload_random (guestfs_h *g, const char *path, size_t size,
                  uint64_t seed)
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

void
mk_debian_add_data (guestfs_h *g, const char *dir)
{
  MK_CLEANUP_FREE char *hello = NULL;
  MK_CLEANUP_FREE char *pattern = NULL;
  MK_CLEANUP_FREE char *noise = NULL;
  MK_CLEANUP_FREE char *sparse = NULL;

  if (asprintf (&hello, "%s/hello.txt", dir) == -1 ||
      asprintf (&pattern, "%s/pattern-1M.bin", dir) == -1 ||
      asprintf (&noise, "%s/random-8M.bin", dir) == -1 ||
      asprintf (&sparse, "%s/sparse-64M.bin", dir) == -1) {
    perror ("asprintf");
    exit (EXIT_FAILURE);
  }
  CHECK (guestfs_mkdir_p (g, dir));
  CHECK (guestfs_chmod (g, 0700, dir));
  mk_write_file (g, hello, "guestkit test data: this line must survive.\n");
  CHECK (guestfs_fill_pattern (g, "guestkit", 1 << 20, pattern));
  mk_upload_random (g, noise, 8 << 20, 0x6775657374ULL);
  /* A sparse file: a hole, then a little data at 32 MiB. */
  CHECK (guestfs_touch (g, sparse));
  CHECK (guestfs_truncate_size (g, sparse, 64 << 20));
  CHECK (guestfs_pwrite (g, sparse, "tail", 4, 32 << 20));
}

void
mk_write_manifest (guestfs_h *g, const char *manifest,
                   const char *const *dirs)
{
  FILE *fp = fopen (manifest, "w");
  size_t d, i;

  if (fp == NULL) {
    perror (manifest);
    exit (EXIT_FAILURE);
  }
  for (d = 0; dirs[d] != NULL; ++d) {
    MK_CLEANUP_FREE_STRING_LIST char **files = NULL;

    CHECK_PTR (files = guestfs_ls (g, dirs[d]));
    for (i = 0; files[i] != NULL; ++i) {
      MK_CLEANUP_FREE char *path = NULL;
      MK_CLEANUP_FREE char *sum = NULL;

      if (asprintf (&path, "%s/%s", dirs[d], files[i]) == -1) {
        perror ("asprintf");
        exit (EXIT_FAILURE);
      }
      CHECK_PTR (sum = guestfs_checksum (g, "sha256", path));
      fprintf (fp, "%s\t%s\n", path, sum);
    }
  }
  if (fclose (fp) == EOF) {
    perror (manifest);
    exit (EXIT_FAILURE);
  }
}

/* GRUB has to be installed by the guest's own grub-install, chrooted in
 * the appliance (guestfs_sh binds /dev, /proc and /sys), which also
 * writes boot.img into the MBR; update-grub there probes the real
 * devices, so grub.cfg finds / and /boot as a booted guest will.
 */
void
mk_debian_install_grub (guestfs_h *g, const char *root_arg)
{
  MK_CLEANUP_FREE char *out = NULL;
  MK_CLEANUP_FREE char *cfg = NULL;
  size_t size;

  MK_CLEANUP_FREE char *mbr = NULL;

  mk_step ("grub-install /dev/sda && update-grub");
  /* Exit statuses count: under load grub-install sometimes fails (the
   * appliance's /dev not settled yet after mkfs?) and once left a cached
   * image without a boot loader, noticed only by a boot test 400 s later.
   * It is tried three times; the script's output is wanted most when it
   * fails, so it always ends with its status, which is checked here.
   */
  CHECK_PTR (out = guestfs_sh (g,
                               "export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
                               "run () { \"$@\" 2>&1 || "
                               "{ echo \"status=$?: $*\"; exit 0; }; }\n"
                               "n=1\n"
                               "until grub-install --target=i386-pc /dev/sda"
                               " 2>&1; do\n"
                               "  echo \"grub-install failed (try $n)\"\n"
                               "  [ $n -lt 3 ] || "
                               "{ echo \"status=1: grub-install\"; exit 0; }\n"
                               "  n=$((n + 1)); sleep 3\n"
                               "done\n"
                               "run update-grub\n"
                               "run sync\n"
                               "echo status=0\n"));
  fputs (out, stderr);
  if (strstr (out, "status=0\n") == NULL) {
    fprintf (stderr, "mkimage: installing GRUB failed (above)\n");
    exit (EXIT_FAILURE);
  }
  /* GRUB's boot.img says "GRUB" in the first sector. */
  CHECK_PTR (mbr = guestfs_pread_device (g, "/dev/sda", 512, 0, &size));
  if (memmem (mbr, size, "GRUB", 4) == NULL) {
    fprintf (stderr, "mkimage: grub-install left no GRUB in the MBR\n");
    exit (EXIT_FAILURE);
  }
  CHECK_PTR (cfg = guestfs_read_file (g, "/boot/grub/grub.cfg", &size));
  if (strstr (cfg, root_arg) == NULL ||
      strstr (cfg, "console=ttyS0") == NULL) {
    fprintf (stderr, "mkimage: grub.cfg lacks \"%s\" or the serial"
             " console:\n%s\n", root_arg, cfg);
    exit (EXIT_FAILURE);
  }
}
