/* guestkit test image for guestmount-all --rw and btrfs subvolumes.
 *
 * Usage: mkimage-subvol OUTPUT.img
 *
 * 320 MiB sparse raw, GPT:
 *   sda1 ext4 (64 MiB) with /hello.txt = "hello from ext4\n"
 *   sda2 btrfs (160 MiB) with subvolumes @ (/etc/hostname =
 *        "gkguest\n") and @home (/user/notes.txt = "notes\n"); @ is
 *        the default subvolume, so a plain mount shows @, not the top
 *        level.
 *   sda3 a broken ext4: recognised as ext4, but its superblock's block
 *        size is absurd, so it cannot be mounted (checked here).
 * Only libguestfs: the image is made without the tools under test.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <guestfs.h>

#define CHECK(expr)                                             \
  do {                                                          \
    if ((expr) == -1) {                                         \
      fprintf (stderr, "mkimage-subvol: %s failed\n", #expr);   \
      exit (EXIT_FAILURE);                                      \
    }                                                           \
  } while (0)

#define MiB (INT64_C (1) << 20)

static void
write_file (guestfs_h *g, const char *path, const char *content)
{
  CHECK (guestfs_write (g, path, content, strlen (content)));
}

int
main (int argc, char *argv[])
{
  guestfs_h *g;
  struct guestfs_btrfssubvolume_list *subvols;
  int64_t root_id = -1;
  FILE *fp;

  if (argc != 2) {
    fprintf (stderr, "usage: %s OUTPUT.img\n", argv[0]);
    exit (EXIT_FAILURE);
  }
  fp = fopen (argv[1], "w");
  if (fp == NULL || ftruncate (fileno (fp), 320 * MiB) == -1 ||
      fclose (fp) == EOF) {
    perror (argv[1]);
    exit (EXIT_FAILURE);
  }

  g = guestfs_create ();
  if (g == NULL)
    exit (EXIT_FAILURE);
  CHECK (guestfs_add_drive_opts (g, argv[1], GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "raw", -1));
  CHECK (guestfs_launch (g));
  {
    const char *groups[] = { "btrfs", "mdadm", NULL };
    int r = guestfs_feature_available (g, (char **) groups);

    CHECK (r);
    if (r == 0) {
      fprintf (stderr, "mkimage-subvol: the appliance has no btrfs or "
               "no mdadm\n");
      exit (77);
    }
  }
  CHECK (guestfs_part_init (g, "/dev/sda", "gpt"));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 2048, 65 * 2048 - 1));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 65 * 2048, 225 * 2048 - 1));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 225 * 2048, 257 * 2048 - 1));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 257 * 2048, 289 * 2048 - 1));
  CHECK (guestfs_part_add (g, "/dev/sda", "p", 289 * 2048, -2048));
  CHECK (guestfs_mkfs (g, "ext4", "/dev/sda1"));
  CHECK (guestfs_mkfs (g, "btrfs", "/dev/sda2"));

  CHECK (guestfs_mount (g, "/dev/sda1", "/"));
  write_file (g, "/hello.txt", "hello from ext4\n");
  CHECK (guestfs_umount (g, "/"));

  CHECK (guestfs_mount (g, "/dev/sda2", "/"));
  CHECK (guestfs_btrfs_subvolume_create (g, "/@"));
  CHECK (guestfs_btrfs_subvolume_create (g, "/@home"));
  CHECK (guestfs_mkdir (g, "/@/etc"));
  write_file (g, "/@/etc/hostname", "gkguest\n");
  CHECK (guestfs_mkdir (g, "/@home/user"));
  write_file (g, "/@home/user/notes.txt", "notes\n");
  subvols = guestfs_btrfs_subvolume_list (g, "/");
  if (subvols == NULL)
    exit (EXIT_FAILURE);
  for (size_t i = 0; i < subvols->len; ++i)
    if (strcmp (subvols->val[i].btrfssubvolume_path, "@") == 0)
      root_id = (int64_t) subvols->val[i].btrfssubvolume_id;
  guestfs_free_btrfssubvolume_list (subvols);
  if (root_id < 0) {
    fprintf (stderr, "mkimage-subvol: subvolume @ not listed\n");
    exit (EXIT_FAILURE);
  }
  CHECK (guestfs_btrfs_subvolume_set_default (g, root_id, "/"));
  CHECK (guestfs_sync (g));
  CHECK (guestfs_umount (g, "/"));

  /* s_log_block_size (superblock offset 24) far out of range. */
  CHECK (guestfs_mkfs (g, "ext4", "/dev/sda3"));
  if (guestfs_pwrite_device (g, "/dev/sda3", "\x7f\0\0\0", 4,
                             1024 + 24) != 4)
    exit (EXIT_FAILURE);
  {
    char *type = guestfs_vfs_type (g, "/dev/sda3");
    int r;

    if (type == NULL || strcmp (type, "ext4") != 0) {
      fprintf (stderr, "mkimage-subvol: the broken ext4 is not seen as "
               "ext4 (%s)\n", type ? type : "?");
      exit (EXIT_FAILURE);
    }
    free (type);
    guestfs_push_error_handler (g, NULL, NULL);
    r = guestfs_mount_ro (g, "/dev/sda3", "/");
    guestfs_pop_error_handler (g);
    if (r != -1) {
      fprintf (stderr, "mkimage-subvol: the broken ext4 mounts\n");
      exit (EXIT_FAILURE);
    }
  }

  {
    const char *members[] = { "/dev/sda4", "/dev/sda5", NULL };

    CHECK (guestfs_md_create (g, "md0", (char **) members,
                              GUESTFS_MD_CREATE_LEVEL, "raid1", -1));
  }
  CHECK (guestfs_mkfs (g, "ext4", "/dev/md/md0"));
  CHECK (guestfs_mount (g, "/dev/md/md0", "/"));
  write_file (g, "/md.txt", "hello from md\n");
  CHECK (guestfs_umount (g, "/"));

  CHECK (guestfs_shutdown (g));
  guestfs_close (g);
  exit (EXIT_SUCCESS);
}
