/* guestkit test harness: a "dirty" disk for virt-sparsify, and the
 * check that sparsifying kept every file.
 *
 * Usage: mkimage-dirty IMAGE MANIFEST
 *          IMAGE (raw, a copy of multifs_image) is dirtied in place:
 *          the swap gets a label and a fixed UUID, then the free space
 *          of every filesystem (up to 32 MiB of it, 1 MiB on NTFS), the
 *          swap body and
 *          the VG's free extents are filled with non-zero bytes, deleted
 *          again (files removed, temporary LV removed), so the space is
 *          free but allocated and not zero: what sparsify must release.
 *          MANIFEST gets "DEVICE<TAB>PATH<TAB>SHA256" of every file.
 *        mkimage-dirty --verify IMAGE FORMAT MANIFEST
 *          one read-only launch: every file of MANIFEST still has its
 *          checksum (exit 1 and the differences otherwise).
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkimage-common.h"

#define MiB (INT64_C (1) << 20)
#define SWAP_DEV "/dev/sda6"
#define SWAP_LABEL "gkswap"
#define SWAP_UUID "5a7e5a7e-1111-2222-3333-444455556666"
#define JUNK "guestkit-dirty-bytes-"
#define FILL_MAX (32 * MiB)
/* ntfs-3g took over 8 minutes for 32 MiB here. */
#define FILL_MAX_NTFS (1 * MiB)

static int
compare (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Non-zero bytes over LEN bytes of DEV from OFFSET. */
static void
junk_device (guestfs_h *g, const char *dev, int64_t offset, int64_t len)
{
  static char buf[MiB];

  for (size_t i = 0; i < sizeof buf; ++i)
    buf[i] = JUNK[i % (sizeof JUNK - 1)];
  while (len > 0) {
    size_t n = len < (int64_t) sizeof buf ? (size_t) len : sizeof buf;

    if (guestfs_pwrite_device (g, dev, buf, n, offset) != (int) n) {
      fprintf (stderr, "mkimage-dirty: pwrite %s failed\n", dev);
      exit (EXIT_FAILURE);
    }
    offset += n;
    len -= n;
  }
}

/* The mountable filesystems of G, sorted: pairs device, type. */
static char **
filesystems (guestfs_h *g)
{
  char **fses;
  size_t n = 0;

  CHECK_PTR (fses = guestfs_list_filesystems (g));
  while (fses[n]) n += 2;
  qsort (fses, n / 2, 2 * sizeof (char *), compare);
  return fses;
}

static int
mountable (const char *type)
{
  return strcmp (type, "swap") && strcmp (type, "unknown");
}

static void
write_manifest (guestfs_h *g, char **fses, FILE *fp)
{
  for (size_t i = 0; fses[i]; i += 2) {
    MK_CLEANUP_FREE_STRING_LIST char **files = NULL;

    if (!mountable (fses[i + 1]))
      continue;
    CHECK (guestfs_mount_ro (g, fses[i], "/"));
    CHECK_PTR (files = guestfs_find (g, "/"));
    for (size_t j = 0; files[j]; ++j) {
      MK_CLEANUP_FREE char *path = NULL, *sum = NULL;

      if (asprintf (&path, "/%s", files[j]) == -1)
        exit (EXIT_FAILURE);
      if (guestfs_is_file_opts (g, path, -1) <= 0)
        continue;
      CHECK_PTR (sum = guestfs_checksum (g, "sha256", path));
      fprintf (fp, "%s\t%s\t%s\n", fses[i], path, sum);
    }
    CHECK (guestfs_umount_all (g));
  }
}

static void
dirty_filesystems (guestfs_h *g, char **fses)
{
  for (size_t i = 0; fses[i]; i += 2) {
    struct guestfs_statvfs *sv;
    int64_t len;

    if (!mountable (fses[i + 1]))
      continue;
    mk_step ("dirtying the free space of %s (%s)", fses[i], fses[i + 1]);
    CHECK (guestfs_mount (g, fses[i], "/"));
    CHECK_PTR (sv = guestfs_statvfs (g, "/"));
    /* Leave a little room: a full btrfs or ntfs cannot delete.  At
     * most FILL_MAX: writes through the emulated disk crawl (ntfs-3g
     * at a few hundred KiB/s), and this much already makes the free
     * space dominate the image.
     */
    len = sv->bavail * sv->bsize - 8 * MiB;
    if (len > FILL_MAX)
      len = FILL_MAX;
    if (strcmp (fses[i + 1], "ntfs") == 0 && len > FILL_MAX_NTFS)
      len = FILL_MAX_NTFS;
    guestfs_free_statvfs (sv);
    if (len > 0) {
      CHECK (guestfs_fill_pattern (g, JUNK, (int) len, "/junk"));
      CHECK (guestfs_sync (g));
      CHECK (guestfs_rm (g, "/junk"));
    }
    CHECK (guestfs_umount_all (g));
  }
}

static int
make_dirty (const char *image, const char *manifest)
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;
  MK_CLEANUP_FREE_STRING_LIST char **fses = NULL;
  FILE *fp;
  int64_t size;

  CHECK_PTR (g = guestfs_create ());
  CHECK (guestfs_add_drive_opts (g, image, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 "raw", -1));
  mk_step ("launching the appliance");
  CHECK (guestfs_launch (g));

  /* A label and a UUID the test can look for after sparsifying. */
  CHECK (guestfs_mkswap_opts (g, SWAP_DEV, GUESTFS_MKSWAP_OPTS_LABEL,
                              SWAP_LABEL, GUESTFS_MKSWAP_OPTS_UUID,
                              SWAP_UUID, -1));
  fses = filesystems (g);
  dirty_filesystems (g, fses);

  mk_step ("dirtying the swap body and the free extents of gktestvg");
  CHECK ((size = guestfs_blockdev_getsize64 (g, SWAP_DEV)));
  junk_device (g, SWAP_DEV, 4096, size - 4096);
  CHECK (guestfs_lvcreate_free (g, "junk", "gktestvg", 100));
  CHECK ((size = guestfs_blockdev_getsize64 (g, "/dev/gktestvg/junk")));
  junk_device (g, "/dev/gktestvg/junk", 0, size);
  CHECK (guestfs_lvremove (g, "/dev/gktestvg/junk"));

  mk_step ("writing the manifest");
  fp = fopen (manifest, "w");
  if (fp == NULL) {
    perror (manifest);
    return EXIT_FAILURE;
  }
  write_manifest (g, fses, fp);
  if (fclose (fp) == EOF) {
    perror (manifest);
    return EXIT_FAILURE;
  }
  CHECK (guestfs_shutdown (g));
  mk_step ("done");
  return EXIT_SUCCESS;
}

static int
verify (const char *image, const char *format, const char *manifest)
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;
  char dev[256], path[4096], sum[128], mounted[256] = "";
  FILE *fp = fopen (manifest, "r");
  int bad = 0, n = 0;

  if (fp == NULL) {
    perror (manifest);
    return EXIT_FAILURE;
  }
  CHECK_PTR (g = guestfs_create ());
  CHECK (guestfs_add_drive_opts (g, image, GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                 format, GUESTFS_ADD_DRIVE_OPTS_READONLY, 1,
                                 -1));
  CHECK (guestfs_launch (g));
  while (fscanf (fp, "%255[^\t]\t%4095[^\t]\t%127s\n", dev, path, sum) == 3) {
    MK_CLEANUP_FREE char *now = NULL;

    if (strcmp (dev, mounted) != 0) {
      CHECK (guestfs_umount_all (g));
      CHECK (guestfs_mount_ro (g, dev, "/"));
      snprintf (mounted, sizeof mounted, "%s", dev);
    }
    now = guestfs_checksum (g, "sha256", path);
    if (now == NULL || strcmp (now, sum) != 0) {
      fprintf (stderr, "mkimage-dirty: %s:%s: checksum %s, expected %s\n",
               dev, path, now ? now : "(unreadable)", sum);
      bad++;
    }
    n++;
  }
  fclose (fp);
  printf ("%d files checked, %d differ\n", n, bad);
  return bad || n == 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

int
main (int argc, char *argv[])
{
  if (argc == 5 && strcmp (argv[1], "--verify") == 0)
    return verify (argv[2], argv[3], argv[4]);
  if (argc != 3) {
    fprintf (stderr, "usage: mkimage-dirty IMAGE MANIFEST\n"
             "       mkimage-dirty --verify IMAGE FORMAT MANIFEST\n");
    return EXIT_FAILURE;
  }
  return make_dirty (argv[1], argv[2]);
}
