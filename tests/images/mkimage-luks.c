/* guestkit test harness: a disk with an encrypted partition.
 *
 * Usage: mkimage-luks OUTPUT.img
 *
 * MBR, 160 MiB sparse raw:
 *   sda1 ext4 (32 MiB) with /hello.txt,
 *   sda2 LUKS2 (the rest), key "guestkit-luks-key", holding ext4 with
 *        /secret.txt ("guestkit secret\n").
 * The host has no device-mapper, so the appliance does the encrypting.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mkimage-common.h"

#define MiB (INT64_C (1) << 20)
#define KEY "guestkit-luks-key"
#define MAPNAME "gkluks"

int
main (int argc, char *argv[])
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;

  if (argc != 2) {
    fprintf (stderr, "usage: %s OUTPUT.img\n", argv[0]);
    exit (EXIT_FAILURE);
  }
  g = mk_create_and_launch (argv[1], "raw", 160 * MiB);

  mk_step ("partitioning (MBR: sda1 ext4, sda2 LUKS)");
  CHECK (guestfs_part_init (g, "/dev/sda", "mbr"));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 2048, 2048 + 65536 - 1));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 2048 + 65536, -2048));

  CHECK (guestfs_mkfs (g, "ext4", "/dev/sda1"));
  CHECK (guestfs_mount (g, "/dev/sda1", "/"));
  mk_write_file (g, "/hello.txt", "guestkit hello\n");
  CHECK (guestfs_umount (g, "/"));

  mk_step ("LUKS on sda2, ext4 inside");
  CHECK (guestfs_luks_format (g, "/dev/sda2", KEY, 0));
  CHECK (guestfs_cryptsetup_open (g, "/dev/sda2", KEY, MAPNAME, -1));
  CHECK (guestfs_mkfs (g, "ext4", "/dev/mapper/" MAPNAME));
  CHECK (guestfs_mount (g, "/dev/mapper/" MAPNAME, "/"));
  mk_write_file (g, "/secret.txt", "guestkit secret\n");
  CHECK (guestfs_umount (g, "/"));
  CHECK (guestfs_cryptsetup_close (g, "/dev/mapper/" MAPNAME));

  mk_step ("closing");
  CHECK (guestfs_shutdown (g));
  mk_step ("done");
  return EXIT_SUCCESS;
}
