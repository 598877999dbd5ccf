/* guestkit test harness: what libguestfs inspection sees in a disk image,
 * and whether known files still have their checksums.
 *
 * Usage: check-guest [--format FMT] IMAGE [MANIFEST] [+ [--format FMT]
 *                    IMAGE [MANIFEST]]...
 *        check-guest [--format FMT] --statvfs IMAGE
 *
 * Prints one "key: value" line per fact of each operating system found
 * (root, type, distro, major_version, minor_version, product_name,
 * hostname, package_format), then with MANIFEST ("PATH<TAB>SHA256"
 * lines) mounts that OS read-only, prints "root_size: BYTES" (its root
 * filesystem's size) and "ok PATH" or
 * "MISMATCH PATH" for each.  Exit 0 if an OS was found and everything
 * matched, 1 otherwise.  The image is opened read-only.
 *
 * Several images joined by "+" are checked in one appliance (a launch
 * is what a test's time is made of): each is a drive of its own, each
 * must hold an OS of its own, and each one's lines follow an
 * "image: IMAGE" line.
 *
 * --statvfs prints, for every mountable filesystem, the line that
 * mkimage-multifs records in its expected file, measured in a fresh
 * read-only appliance (as virt-df will see it):
 *   DEVICE<TAB>bsize<TAB>frsize<TAB>blocks<TAB>bfree<TAB>bavail
 *         <TAB>files<TAB>ffree
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/mkimage-common.h"

/* Mount every filesystem of ROOT read-only, parents before children:
 * inspect_get_mountpoints returns pairs in no particular order, and a
 * shorter mountpoint can never be below a longer one.
 */
static void
mount_root (guestfs_h *g, const char *root)
{
  MK_CLEANUP_FREE_STRING_LIST char **mps = NULL;
  size_t i, len, maxlen = 0;

  CHECK_PTR (mps = guestfs_inspect_get_mountpoints (g, root));
  for (i = 0; mps[i] != NULL; i += 2)
    if (strlen (mps[i]) > maxlen)
      maxlen = strlen (mps[i]);
  for (len = 1; len <= maxlen; ++len) {
    for (i = 0; mps[i] != NULL; i += 2) {
      if (strlen (mps[i]) != len)
        continue;
      guestfs_push_error_handler (g, NULL, NULL);
      if (guestfs_mount_ro (g, mps[i + 1], mps[i]) == -1)
        fprintf (stderr, "check-guest: could not mount %s on %s\n",
                 mps[i + 1], mps[i]);
      guestfs_pop_error_handler (g);
    }
  }
}

static int
check_manifest (guestfs_h *g, const char *manifest)
{
  FILE *fp = fopen (manifest, "r");
  char line[4096];
  int errors = 0;

  if (fp == NULL) {
    perror (manifest);
    return 1;
  }
  while (fgets (line, sizeof line, fp) != NULL) {
    char *tab = strchr (line, '\t');
    MK_CLEANUP_FREE char *sum = NULL;

    line[strcspn (line, "\n")] = '\0';
    if (tab == NULL || line[0] == '#')
      continue;
    *tab = '\0';
    guestfs_push_error_handler (g, NULL, NULL);
    sum = guestfs_checksum (g, "sha256", line);
    guestfs_pop_error_handler (g);
    if (sum != NULL && strcmp (sum, tab + 1) == 0)
      printf ("ok %s\n", line);
    else {
      printf ("MISMATCH %s (%s)\n", line, sum ? sum : "missing");
      errors++;
    }
  }
  fclose (fp);
  return errors;
}

static int
print_statvfs (guestfs_h *g)
{
  MK_CLEANUP_FREE_STRING_LIST char **fses = NULL;
  size_t i;

  CHECK_PTR (fses = guestfs_list_filesystems (g));
  for (i = 0; fses[i] != NULL; i += 2) {
    if (strcmp (fses[i + 1], "swap") == 0 ||
        strcmp (fses[i + 1], "unknown") == 0)
      continue;
    mk_print_statvfs (g, stdout, fses[i]);
  }
  return 0;
}

static void
print_fact (const char *key, char *value)
{
  printf ("%s: %s\n", key, value ? value : "(error)");
  free (value);
}

/* The drive (0, 1, ...) a root filesystem is on: for a partition or a
 * whole device, the device's; for an LV, that of the first PV of its
 * VG.  -1 if it cannot be told.
 */
static int
drive_of (guestfs_h *g, const char *root)
{
  MK_CLEANUP_FREE char *dev = NULL;
  int r;

  guestfs_push_error_handler (g, NULL, NULL);
  r = guestfs_is_lv (g, root);
  if (r > 0) {
    /* Canonical LV names are /dev/VG/LV. */
    MK_CLEANUP_FREE char *vg = strdup (root + 5);
    MK_CLEANUP_FREE_STRING_LIST char **uuids = NULL, **pvs = NULL;
    size_t i, j;

    if (vg != NULL && strchr (vg, '/') != NULL)
      *strchr (vg, '/') = '\0';
    if (vg != NULL && (uuids = guestfs_vgpvuuids (g, vg)) != NULL &&
        (pvs = guestfs_pvs (g)) != NULL)
      for (i = 0; pvs[i] != NULL && dev == NULL; ++i) {
        MK_CLEANUP_FREE char *uuid = guestfs_pvuuid (g, pvs[i]);

        for (j = 0; uuid != NULL && uuids[j] != NULL; ++j)
          if (strcmp (uuid, uuids[j]) == 0) {
            dev = strdup (pvs[i]);
            break;
          }
      }
  }
  else if (r == 0)
    dev = strdup (root);
  if (dev != NULL && guestfs_is_whole_device (g, dev) == 0) {
    char *whole = guestfs_part_to_dev (g, dev);

    free (dev);
    dev = whole;
  }
  r = dev != NULL ? guestfs_device_index (g, dev) : -1;
  guestfs_pop_error_handler (g);
  return r;
}

/* What inspection says about ROOT. */
static void
print_facts (guestfs_h *g, const char *root)
{
  printf ("root: %s\n", root);
  print_fact ("type", guestfs_inspect_get_type (g, root));
  print_fact ("distro", guestfs_inspect_get_distro (g, root));
  printf ("major_version: %d\n",
          guestfs_inspect_get_major_version (g, root));
  printf ("minor_version: %d\n",
          guestfs_inspect_get_minor_version (g, root));
  print_fact ("product_name", guestfs_inspect_get_product_name (g, root));
  print_fact ("hostname", guestfs_inspect_get_hostname (g, root));
  print_fact ("package_format",
              guestfs_inspect_get_package_format (g, root));
}

struct image {
  const char *format, *path, *manifest;
};

int
main (int argc, char *argv[])
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;
  MK_CLEANUP_FREE_STRING_LIST char **roots = NULL;
  struct image images[16];
  size_t n = 0, k, r;
  int i = 1, errors = 0, statvfs = 0, usage = 0;

  /* [--format FMT] IMAGE [MANIFEST], groups joined by "+". */
  while (i < argc && !usage) {
    struct image *im = &images[n];

    im->format = "raw";
    im->manifest = NULL;
    if (argc > i + 1 && strcmp (argv[i], "--format") == 0) {
      im->format = argv[i + 1];
      i += 2;
    }
    if (n == 0 && i < argc && strcmp (argv[i], "--statvfs") == 0) {
      statvfs = 1;
      i++;
    }
    if (i >= argc || strcmp (argv[i], "+") == 0) {
      usage = 1;
      break;
    }
    im->path = argv[i++];
    if (i < argc && strcmp (argv[i], "+") != 0)
      im->manifest = argv[i++];
    n++;
    if (i < argc) {
      /* Only "+" may follow, and then another image. */
      if (strcmp (argv[i], "+") != 0 || i + 1 == argc ||
          n == sizeof images / sizeof images[0])
        usage = 1;
      i++;
    }
  }
  if (n == 0 || usage || (statvfs && (n > 1 || images[0].manifest))) {
    fprintf (stderr, "usage: %s [--format FMT] IMAGE [MANIFEST]"
             " [+ [--format FMT] IMAGE [MANIFEST]]...\n"
             "       %s [--format FMT] --statvfs IMAGE\n",
             argv[0], argv[0]);
    exit (EXIT_FAILURE);
  }

  CHECK_PTR (g = guestfs_create ());
  for (k = 0; k < n; ++k)
    CHECK (guestfs_add_drive_opts (g, images[k].path,
                                   GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                   images[k].format,
                                   GUESTFS_ADD_DRIVE_OPTS_READONLY, 1, -1));
  CHECK (guestfs_launch (g));
  if (statvfs)
    exit (print_statvfs (g) == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
  CHECK_PTR (roots = guestfs_inspect_os (g));
  for (k = 0; k < n; ++k) {
    const char *first = NULL;

    if (n > 1)
      printf ("image: %s\n", images[k].path);
    for (r = 0; roots[r] != NULL; ++r) {
      /* With one image, every root is on it. */
      if (n > 1 && drive_of (g, roots[r]) != (int) k)
        continue;
      if (first == NULL)
        first = roots[r];
      print_facts (g, roots[r]);
    }
    if (first == NULL) {
      fprintf (stderr, "check-guest: %s: no operating system found\n",
               images[k].path);
      errors++;
      continue;
    }
    if (images[k].manifest != NULL) {
      MK_CLEANUP_FREE struct guestfs_statvfs *st = NULL;

      mount_root (g, first);
      /* The size of the root filesystem, for tests that grew it. */
      CHECK_PTR (st = guestfs_statvfs (g, "/"));
      printf ("root_size: %" PRIu64 "\n",
              (uint64_t) st->blocks * (uint64_t) st->bsize);
      errors += check_manifest (g, images[k].manifest);
      CHECK (guestfs_umount_all (g));
    }
  }
  fflush (stdout);
  exit (errors ? EXIT_FAILURE : EXIT_SUCCESS);
}
