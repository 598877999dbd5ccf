/* guestkit: unit tests for lib/ptable.c, printed as TAP.
 *
 * The tables are made by sfdisk and checked by sfdisk and sgdisk, the
 * tools a user would use to look at a resized disk: what we read must
 * be what sfdisk --dump reports, and what we write must be what we meant
 * in sfdisk's eyes and clean in sgdisk -v's.  The 4096-byte sector
 * cases need a loop device (root); they are skipped without one.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ondisk/byteorder.h"
#include "ondisk/ptable.h"
#include "utils/tap.h"
#include "ondisk/reader.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"

#define MiB ((uint64_t) 1024 * 1024)

static char *tmpdir;

static char *
tmp (const char *name)
{
  return xasprintf ("%s/%s", tmpdir, name);
}

static char *
vformat (const char *fs, va_list args)
{
  char *s;

  if (vasprintf (&s, fs, args) == -1) {
    perror ("vasprintf");
    exit (EXIT_FAILURE);
  }
  return s;
}

/* Run a shell command; its exit status. */
static int __attribute__ ((format (printf, 1, 2)))
sh (const char *fs, ...)
{
  va_list args;
  CLEANUP_FREE char *cmd = NULL;
  int r;

  va_start (args, fs);
  cmd = vformat (fs, args);
  va_end (args);
  r = system (cmd);
  return r == -1 || !WIFEXITED (r) ? -1 : WEXITSTATUS (r);
}

/* Run a shell command; its standard output (never NULL). */
static char * __attribute__ ((format (printf, 1, 2)))
sh_out (const char *fs, ...)
{
  va_list args;
  CLEANUP_FREE char *cmd = NULL;
  char *out = NULL;
  size_t len = 0;
  FILE *fp, *mem;
  int c;

  va_start (args, fs);
  cmd = vformat (fs, args);
  va_end (args);
  mem = open_memstream (&out, &len);
  fp = popen (cmd, "r");
  if (fp) {
    while ((c = getc (fp)) != EOF)
      putc (c, mem);
    pclose (fp);
  }
  fclose (mem);
  return out;
}

static struct gk_ptable *
read_file (const char *file, char **errmsg)
{
  CLEANUP_CLOSE int fd = open (file, O_RDONLY);
  struct stat st;
  struct gk_ptable *t = NULL;

  *errmsg = NULL;
  if (fd == -1 || fstat (fd, &st) == -1) {
    *errmsg = xasprintf ("%s: %s", file, strerror (errno));
    return NULL;
  }
  if (gk_ptable_read (gk_fd_pread_fn, &fd, st.st_size, &t, errmsg) == -1)
    return NULL;
  return t;
}

/* Write T to a new sparse file of SIZE bytes, sector 0 filled with
 * "boot code" to check that it survives.
 */
static int
write_file (const struct gk_ptable *t, const char *file, uint64_t size,
            char **errmsg)
{
  CLEANUP_CLOSE int fd = open (file, O_RDWR | O_CREAT | O_TRUNC, 0644);
  uint8_t boot[440];

  *errmsg = NULL;
  memset (boot, 0xb0, sizeof boot);
  if (fd == -1 || ftruncate (fd, size) == -1 ||
      pwrite (fd, boot, sizeof boot, 0) != sizeof boot) {
    *errmsg = xasprintf ("%s: %s", file, strerror (errno));
    return -1;
  }
  return gk_ptable_write (t, size, gk_fd_pwrite_fn, &fd, errmsg);
}

static uint8_t *
read_bytes (const char *file, uint64_t offset, size_t n)
{
  CLEANUP_CLOSE int fd = open (file, O_RDONLY);
  uint8_t *buf = xcalloc (1, n);

  if (fd >= 0 && pread (fd, buf, n, offset) < 0)
    perror ("pread");
  return buf;
}

static void
poke (const char *file, uint64_t offset, uint8_t byte)
{
  int fd = open (file, O_WRONLY);

  if (fd == -1 || pwrite (fd, &byte, 1, offset) != 1)
    perror (file);
  close (fd);
}

/* sfdisk's attrs="..." text for GPT attribute bits. */
static void
print_attrs (FILE *fp, uint64_t a)
{
  static const char *const names[] = {
    "RequiredPartition", "NoBlockIOProtocol", "LegacyBIOSBootable"
  };
  const char *sep = "";

  fputs (", attrs=\"", fp);
  for (int i = 0; i < 3; ++i)
    if (a & (UINT64_C (1) << i)) {
      fprintf (fp, "%s%s", sep, names[i]);
      sep = " ";
    }
  for (int i = 48; i < 64; ++i)
    if (a & (UINT64_C (1) << i)) {
      fprintf (fp, "%s%s%d", sep, *sep == ',' ? "" : "GUID:", i);
      sep = ",";
    }
  fputc ('"', fp);
}

/* TABLE as `sfdisk --dump` shows it, device names reduced to the
 * partition number (see sfdisk_dump).
 */
static char *
format_dump (const struct gk_ptable *t)
{
  char *out = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&out, &len);
  uint32_t ss = t->sector_size;
  char guid[37];

  if (t->type == GK_PTABLE_MBR) {
    fprintf (fp, "label: dos\nlabel-id: 0x%08" PRIx32 "\n"
             "unit: sectors\nsector-size: %" PRIu32 "\n\n",
             t->mbr_signature, ss);
  }
  else {
    gk_guid_to_string (t->disk_guid, guid);
    fprintf (fp, "label: gpt\nlabel-id: %s\nunit: sectors\n"
             "first-lba: %" PRIu64 "\nlast-lba: %" PRIu64 "\n"
             "sector-size: %" PRIu32 "\n\n", guid,
             t->first_usable / ss, t->last_usable / ss - 1, ss);
  }
  for (size_t i = 0; i < t->parts.len; ++i) {
    const struct gk_partition *p = &t->parts.ptr[i];

    fprintf (fp, "%d : start=%12" PRIu64 ", size=%12" PRIu64 ", ",
             p->num, p->start / ss, p->size / ss);
    if (t->type == GK_PTABLE_MBR) {
      fprintf (fp, "type=%x%s\n", p->mbr_id,
               p->bootable ? ", bootable" : "");
      continue;
    }
    gk_guid_to_string (p->type_guid, guid);
    fprintf (fp, "type=%s, ", guid);
    gk_guid_to_string (p->part_guid, guid);
    fprintf (fp, "uuid=%s", guid);
    if (*p->name) {
      fputs (", name=\"", fp);
      for (const char *s = p->name; *s; ++s) {
        if ((unsigned char) *s >= 0x80)
          fprintf (fp, "\\x%02x", (unsigned char) *s);
        else
          fputc (*s, fp);
      }
      fputc ('"', fp);
    }
    if (p->attributes)
      print_attrs (fp, p->attributes);
    fputc ('\n', fp);
  }
  fclose (fp);
  return out;
}

/* `sfdisk --dump DEV`, without the device line and with "/x/img3 : "
 * or "/dev/loop0p3 : " shortened to "3 : ".
 */
static char *
sfdisk_dump (const char *dev)
{
  CLEANUP_FREE char *raw = sh_out ("sfdisk --dump '%s' 2>&1", dev);
  char *out = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&out, &len);

  for (char *line = strtok (raw, "\n"); line; line = strtok (NULL, "\n")) {
    char *colon = strstr (line, " : ");

    if (STRPREFIX (line, "device:"))
      continue;
    if (colon && line[0] == '/') {
      char *d = colon;
      while (d > line && isdigit ((unsigned char) d[-1]))
        d--;
      line = d;
    }
    fprintf (fp, "%s\n", line);
    /* strtok ate the blank line after the header. */
    if (STRPREFIX (line, "sector-size:"))
      fputc ('\n', fp);
  }
  fclose (fp);
  return out;
}

static bool
same_partitions (const struct gk_ptable *a, const struct gk_ptable *b,
                 bool compare_gap)
{
  if (a->type != b->type || a->sector_size != b->sector_size ||
      a->mbr_signature != b->mbr_signature ||
      memcmp (a->disk_guid, b->disk_guid, 16) != 0 ||
      a->parts.len != b->parts.len)
    return false;
  if (a->type == GK_PTABLE_GPT && a->gpt_nr_entries != b->gpt_nr_entries)
    return false;
  for (size_t i = 0; i < a->parts.len; ++i) {
    const struct gk_partition *p = &a->parts.ptr[i], *q = &b->parts.ptr[i];
    if (p->num != q->num || p->start != q->start || p->size != q->size ||
        p->mbr_id != q->mbr_id || p->bootable != q->bootable ||
        p->extended != q->extended || p->logical != q->logical ||
        (compare_gap && p->ebr_gap != q->ebr_gap) ||
        memcmp (p->type_guid, q->type_guid, 16) != 0 ||
        memcmp (p->part_guid, q->part_guid, 16) != 0 ||
        p->attributes != q->attributes || STRNEQ (p->name, q->name))
      return false;
  }
  return true;
}

static struct gk_partition *
find_part (struct gk_ptable *t, int num)
{
  for (size_t i = 0; i < t->parts.len; ++i)
    if (t->parts.ptr[i].num == num)
      return &t->parts.ptr[i];
  return NULL;
}

static bool
error_mentions (const char *errmsg, const char *a, const char *b)
{
  bool r = errmsg && strstr (errmsg, a) && (!b || strstr (errmsg, b));

  if (!r)
    printf ("#   error message: %s\n", errmsg ? errmsg : "(none)");
  return r;
}

static void
test_guids (void)
{
  static const uint8_t esp[16] = {
    0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11,
    0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b
  };
  uint8_t g[16];
  char s[37];

  gk_guid_to_string (esp, s);
  is_str (s, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "ESP type GUID");
  ok (gk_guid_from_string ("c12a7328-f81f-11d2-ba4b-00a0c93ec93b", g) == 0
      && memcmp (g, esp, 16) == 0, "GUID parsed (lower case)");
  ok (gk_guid_from_string ("C12A7328F81F-11D2-BA4B-00A0C93EC93B", g) == -1,
      "GUID without a dash rejected");
  ok (gk_guid_from_string ("C12A7328-F81F-11D2-BA4B-00A0C93EC93X", g) == -1,
      "GUID with a bad digit rejected");

  ok (gk_ptable_head_bytes (GK_PTABLE_MBR, 512) == 512 &&
      gk_ptable_tail_bytes (GK_PTABLE_MBR, 512) == 0, "MBR head/tail");
  ok (gk_ptable_head_bytes (GK_PTABLE_GPT, 512) == 34 * 512 &&
      gk_ptable_tail_bytes (GK_PTABLE_GPT, 512) == 33 * 512,
      "GPT head/tail, 512-byte sectors");
  ok (gk_ptable_head_bytes (GK_PTABLE_GPT, 4096) == 6 * 4096 &&
      gk_ptable_tail_bytes (GK_PTABLE_GPT, 4096) == 5 * 4096,
      "GPT head/tail, 4096-byte sectors");
  is_str (gk_ptable_type_name (GK_PTABLE_MBR), "msdos", "MBR type name");
  is_str (gk_ptable_type_name (GK_PTABLE_GPT), "gpt", "GPT type name");
}

static void
test_mbr (void)
{
  CLEANUP_FREE char *img = tmp ("mbr.img");
  CLEANUP_FREE char *same = tmp ("mbr-same.img");
  CLEANUP_FREE char *big = tmp ("mbr-big.img");
  CLEANUP_FREE char *bad = tmp ("mbr-bad.img");
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_ptable *t, *t2, *m;

  if (sh ("truncate -s 100M '%s' && sfdisk -q '%s' <<'EOF'\n"
          "label: dos\nlabel-id: 0x1234abcd\n"
          "start=2048, size=20480, type=83, bootable\n"
          "size=20480, type=82\n"
          "type=5\n"
          "size=10240, type=83\n"
          "size=10240, type=8e\n"
          "type=83\n"
          "EOF\n", img, img) != 0) {
    ok (false, "sfdisk made the MBR image");
    return;
  }

  t = read_file (img, &errmsg);
  if (!ok (t != NULL, "MBR image read")) {
    printf ("#   %s\n", errmsg);
    return;
  }
  {
    CLEANUP_FREE char *ours = format_dump (t);
    CLEANUP_FREE char *theirs = sfdisk_dump (img);
    is_text (ours, theirs, "MBR read as sfdisk --dump reports it");
  }
  ok (t->parts.len == 6 && t->parts.ptr[2].extended &&
      t->parts.ptr[3].logical && t->parts.ptr[3].num == 5 &&
      t->parts.ptr[5].num == 7 && t->parts.ptr[3].ebr_gap == 2048 * 512,
      "extended and logicals flagged, EBR gap of 1 MiB as sfdisk leaves it");

  /* Unchanged round trip: the same bytes sfdisk wrote. */
  ok (write_file (t, same, 100 * MiB, &errmsg) == 0,
      "MBR written unchanged");
  {
    CLEANUP_FREE uint8_t *a = read_bytes (img, 440, 72);
    CLEANUP_FREE uint8_t *b = read_bytes (same, 440, 72);
    CLEANUP_FREE uint8_t *boot = read_bytes (same, 0, 440);
    bool boot_kept = true;
    ok (memcmp (a, b, 72) == 0, "MBR sector 0 bytes 440-511 as sfdisk "
        "wrote them (CHS included)");
    for (int i = 0; i < 440; ++i)
      boot_kept = boot_kept && boot[i] == 0xb0;
    ok (boot_kept, "boot code bytes 0-439 untouched");
  }
  for (size_t i = 3; i < t->parts.len; ++i) {
    uint64_t at = t->parts.ptr[i].start - t->parts.ptr[i].ebr_gap;
    CLEANUP_FREE uint8_t *a = read_bytes (img, at, 512);
    CLEANUP_FREE uint8_t *b = read_bytes (same, at, 512);
    ok (memcmp (a, b, 512) == 0, "EBR of partition %d as sfdisk wrote it",
        t->parts.ptr[i].num);
  }
  t2 = read_file (same, &errmsg);
  ok (t2 && same_partitions (t, t2, true), "MBR round trip: every field "
      "read back equal");
  gk_ptable_free (t2);

  /* Moved, resized, on a bigger disk, one EBR right before its
   * partition.
   */
  m = gk_ptable_copy (t);
  find_part (m, 2)->size = 40960 * 512;
  find_part (m, 3)->start = 63488 * 512;
  find_part (m, 3)->size = (614400 - 63488) * (uint64_t) 512;
  find_part (m, 5)->start = 65536 * 512;
  find_part (m, 5)->size = 20480 * 512;
  find_part (m, 6)->start = 88064 * 512;
  find_part (m, 6)->ebr_gap = 0;
  find_part (m, 7)->start = 100352 * 512;
  find_part (m, 7)->size = (614400 - 100352) * (uint64_t) 512;
  find_part (m, 1)->bootable = false;
  find_part (m, 2)->bootable = true;
  m->mbr_signature = 0xdeadbeef;
  ok (write_file (m, big, 300 * MiB, &errmsg) == 0, "modified MBR written");
  {
    CLEANUP_FREE char *ours = format_dump (m);
    CLEANUP_FREE char *theirs = sfdisk_dump (big);
    is_text (theirs, ours, "sfdisk --dump shows the modified MBR "
             "(numbers, ids, bootable flag, signature)");
  }
  ok (sh ("sfdisk --verify '%s' >/dev/null 2>&1", big) == 0,
      "sfdisk --verify accepts the modified MBR");
  t2 = read_file (big, &errmsg);
  ok (t2 && find_part (t2, 6)->ebr_gap == 512 &&
      find_part (t2, 7)->ebr_gap == 2048 * 512,
      "EBR placed one sector before a logical with ebr_gap 0, "
      "at the gap otherwise");
  find_part (m, 6)->ebr_gap = 512;
  ok (t2 && same_partitions (m, t2, true), "modified MBR read back equal");
  gk_ptable_free (t2);

  /* Invalid plans are refused. */
  find_part (m, 7)->size += 512;
  ok (write_file (m, big, 300 * MiB, &errmsg) == -1 &&
      error_mentions (errmsg, "partition 7", "314572800 bytes"),
      "partition past the end of the disk refused");
  free (errmsg); errmsg = NULL;
  find_part (m, 7)->size -= 512;
  find_part (m, 2)->size = 50000 * 512;
  ok (write_file (m, big, 300 * MiB, &errmsg) == -1 &&
      error_mentions (errmsg, "overlaps", "partition 3"),
      "overlapping partitions refused");
  free (errmsg); errmsg = NULL;
  gk_ptable_free (m);

  /* Corruption: an EBR that links back to the first. */
  sh ("cp --sparse=always '%s' '%s'", img, bad);
  {
    uint64_t ebr6 = find_part (t, 6)->start - find_part (t, 6)->ebr_gap;
    /* Link entry of EBR 6: relative start 0 would be the first EBR. */
    poke (bad, ebr6 + 446 + 16 + 8, 0);
    poke (bad, ebr6 + 446 + 16 + 9, 0);
    poke (bad, ebr6 + 446 + 16 + 10, 0);
  }
  t2 = read_file (bad, &errmsg);
  ok (t2 == NULL && error_mentions (errmsg, "chain", "broken"),
      "EBR loop detected");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  /* Overlapping primaries: partition 2 starts inside partition 1. */
  sh ("cp --sparse=always '%s' '%s'", img, bad);
  poke (bad, 446 + 16 + 9, 0x10);        /* start 22528 -> 4096 */
  poke (bad, 446 + 16 + 8, 0x00);
  t2 = read_file (bad, &errmsg);
  ok (t2 == NULL && error_mentions (errmsg, "partition 1", "overlaps"),
      "overlapping MBR partitions detected");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  /* Truncated image. */
  sh ("cp --sparse=always '%s' '%s' && truncate -s 50M '%s'", img, bad, bad);
  t2 = read_file (bad, &errmsg);
  ok (t2 == NULL && error_mentions (errmsg, "truncated", "partition 3"),
      "truncated MBR image detected");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  /* Nothing at all. */
  sh ("rm -f '%s' && truncate -s 10M '%s'", bad, bad);
  t2 = read_file (bad, &errmsg);
  ok (t2 == NULL && error_mentions (errmsg, "no MBR or GPT", NULL),
      "blank disk: no partition table");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  /* An MBR with no partitions is fine. */
  sh ("echo 'label: dos' | sfdisk -q '%s' >/dev/null 2>&1", bad);
  t2 = read_file (bad, &errmsg);
  ok (t2 && t2->type == GK_PTABLE_MBR && t2->parts.len == 0,
      "empty MBR read with no partitions");
  /* Found by fuzz-mbr and fuzz-gpt (clang's UBSan): freeing an empty
   * vector did arithmetic on its NULL pointer (vector_foreach).
   */
  if (t2) {
    struct gk_ptable *c = gk_ptable_copy (t2);
    ok (c->parts.len == 0 && c->parts.ptr == NULL,
        "empty table copied with no array");
    gk_ptable_free (c);
  }
  gk_ptable_free (t2);

  gk_ptable_free (t);
}

/* Past cylinder 1023 sfdisk writes the 1023/254/63 marker. */
static void
test_mbr_chs (void)
{
  CLEANUP_FREE char *img = tmp ("mbr-chs.img");
  CLEANUP_FREE char *same = tmp ("mbr-chs-same.img");
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_ptable *t;

  if (sh ("truncate -s 20G '%s' && sfdisk -q '%s' <<'EOF'\n"
          "label: dos\nlabel-id: 0x00c0ffee\n"
          "size=16G, type=7\n"
          "type=f\n"
          "type=83\n"
          "EOF\n", img, img) != 0) {
    ok (false, "sfdisk made the 20G MBR image");
    return;
  }
  t = read_file (img, &errmsg);
  if (!ok (t && t->parts.len == 3, "20G MBR image read")) {
    printf ("#   %s\n", errmsg ? errmsg : "");
    gk_ptable_free (t);
    return;
  }
  ok (write_file (t, same, 20 * 1024 * MiB, &errmsg) == 0,
      "20G MBR written unchanged");
  {
    uint64_t ebr = t->parts.ptr[2].start - t->parts.ptr[2].ebr_gap;
    CLEANUP_FREE uint8_t *a = read_bytes (img, 440, 72);
    CLEANUP_FREE uint8_t *b = read_bytes (same, 440, 72);
    CLEANUP_FREE uint8_t *c = read_bytes (img, ebr, 512);
    CLEANUP_FREE uint8_t *d = read_bytes (same, ebr, 512);
    ok (memcmp (a, b, 72) == 0 && memcmp (c, d, 512) == 0,
        "CHS past cylinder 1023 as sfdisk writes it");
  }
  gk_ptable_free (t);
}

static void
test_gpt_corruption (const char *img, const struct gk_ptable *t)
{
  CLEANUP_FREE char *bad = tmp ("gpt-bad.img");
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_ptable *t2;

  sh ("cp --sparse=always '%s' '%s'", img, bad);
  poke (bad, 512 + 40, 0x55);
  t2 = read_file (bad, &errmsg);
  ok (t2 == NULL && error_mentions (errmsg, "primary GPT header",
                                    "backup copy is intact"),
      "damaged primary header reported, with the backup intact");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  /* The advice given works. */
  sh ("sgdisk -e '%s' >/dev/null 2>&1", bad);
  t2 = read_file (bad, &errmsg);
  ok (t2 && same_partitions (t, t2, false),
      "after 'sgdisk -e' as advised the table reads again");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  sh ("cp --sparse=always '%s' '%s'", img, bad);
  poke (bad, 2 * 512 + 130, 0x55);      /* inside entry 2 */
  t2 = read_file (bad, &errmsg);
  ok (t2 == NULL && error_mentions (errmsg, "primary GPT partition entries",
                                    "damaged"),
      "damaged primary entries reported");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  sh ("cp --sparse=always '%s' '%s'", img, bad);
  poke (bad, 100 * MiB - 512 + 24, 0x55);
  t2 = read_file (bad, &errmsg);
  ok (t2 == NULL && error_mentions (errmsg, "backup GPT header",
                                    "damaged"),
      "damaged backup header reported");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  sh ("cp --sparse=always '%s' '%s' && truncate -s 20M '%s'",
      img, bad, bad);
  t2 = read_file (bad, &errmsg);
  ok (t2 == NULL && error_mentions (errmsg, "partition 3 ends at byte",
                                    "truncated"),
      "truncated GPT image reported with the partition");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  /* Grown without moving the backup (qemu-img resize): still good. */
  sh ("cp --sparse=always '%s' '%s' && truncate -s 200M '%s'",
      img, bad, bad);
  t2 = read_file (bad, &errmsg);
  ok (t2 && same_partitions (t, t2, false),
      "GPT of a grown image, backup not at the end, still read");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;

  sh ("cp --sparse=always '%s' '%s' && truncate -s 90M '%s'",
      img, bad, bad);
  t2 = read_file (bad, &errmsg);
  ok (t2 == NULL && error_mentions (errmsg, "truncated", NULL),
      "GPT image missing only its backup reported truncated");
  gk_ptable_free (t2); free (errmsg); errmsg = NULL;
}

static void
test_gpt (void)
{
  CLEANUP_FREE char *img = tmp ("gpt.img");
  CLEANUP_FREE char *same = tmp ("gpt-same.img");
  CLEANUP_FREE char *big = tmp ("gpt-big.img");
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_ptable *t, *t2, *m;

  if (sh ("truncate -s 100M '%s' && sfdisk -q '%s' <<'EOF' >/dev/null\n"
          "label: gpt\n"
          "label-id: 01234567-89AB-CDEF-0123-456789ABCDEF\n"
          "size=10240, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, "
          "uuid=11111111-2222-3333-4444-555555555555, name=\"EFI System\", "
          "attrs=\"RequiredPartition\"\n"
          "size=20480, name=\"swap\"\n"
          "size=20480, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, "
          "name=\"root \xc3\xbc\", attrs=\"LegacyBIOSBootable GUID:60,63\"\n"
          "size=10240, attrs=\"NoBlockIOProtocol GUID:48\"\n"
          "EOF\n"
          "sfdisk -q --delete '%s' 2", img, img, img) != 0) {
    ok (false, "sfdisk made the GPT image");
    return;
  }

  t = read_file (img, &errmsg);
  if (!ok (t != NULL, "GPT image read")) {
    printf ("#   %s\n", errmsg);
    return;
  }
  {
    CLEANUP_FREE char *ours = format_dump (t);
    CLEANUP_FREE char *theirs = sfdisk_dump (img);
    is_text (ours, theirs, "GPT read as sfdisk --dump reports it "
             "(gap in numbers, names, attributes, GUIDs)");
  }
  ok (t->gpt_nr_entries == 128 && t->parts.len == 3 &&
      t->parts.ptr[1].num == 3 &&
      STREQ (t->parts.ptr[1].name, "root \xc3\xbc") &&
      STREQ (t->parts.ptr[2].name, ""), "GPT entries, numbers and names");

  /* Unchanged round trip. */
  ok (write_file (t, same, 100 * MiB, &errmsg) == 0,
      "GPT written unchanged");
  t2 = read_file (same, &errmsg);
  ok (t2 && same_partitions (t, t2, false) &&
      t2->first_usable == 34 * 512 &&
      t2->last_usable == 100 * MiB - 33 * 512,
      "GPT round trip: every field read back equal, usable area "
      "recomputed");
  gk_ptable_free (t2);
  {
    CLEANUP_FREE uint8_t *a = read_bytes (img, 1024, 32 * 512);
    CLEANUP_FREE uint8_t *b = read_bytes (same, 1024, 32 * 512);
    ok (memcmp (a, b, 32 * 512) == 0, "GPT entries byte for byte as "
        "sfdisk wrote them");
  }
  ok (sh ("sgdisk -v '%s' 2>&1 | grep -q '^No problems found'", same) == 0,
      "sgdisk -v finds no problems in the unchanged copy");
  {
    CLEANUP_FREE uint8_t *boot = read_bytes (same, 0, 512);
    ok (boot[0] == 0xb0 && boot[439] == 0xb0 && boot[446 + 4] == 0xee &&
        boot[446 + 16 + 4] == 0 && boot[510] == 0x55,
        "protective MBR written, boot code untouched");
  }

  /* Moved, resized, bigger disk. */
  m = gk_ptable_copy (t);
  find_part (m, 3)->start = 40960 * 512;
  find_part (m, 3)->size = 40960 * 512;
  find_part (m, 4)->start = 102400 * 512;
  find_part (m, 4)->size = 200000 * 512;
  ok (write_file (m, big, 300 * MiB, &errmsg) == 0, "modified GPT written");
  m->first_usable = 34 * 512;
  m->last_usable = 300 * MiB - 33 * 512;
  {
    CLEANUP_FREE char *ours = format_dump (m);
    CLEANUP_FREE char *theirs = sfdisk_dump (big);
    is_text (theirs, ours, "sfdisk --dump shows the modified GPT "
             "(GUIDs, names, attributes, disk GUID)");
  }
  ok (sh ("sgdisk -v '%s' 2>&1 | grep -q '^No problems found'", big) == 0,
      "sgdisk -v finds no problems in the modified GPT");
  ok (sh ("sfdisk --verify '%s' >/dev/null 2>&1", big) == 0,
      "sfdisk --verify accepts the modified GPT");
  t2 = read_file (big, &errmsg);
  ok (t2 && same_partitions (m, t2, false), "modified GPT read back equal");
  gk_ptable_free (t2);

  find_part (m, 4)->size = (300 * MiB - 102400 * 512);
  ok (write_file (m, big, 300 * MiB, &errmsg) == -1 &&
      error_mentions (errmsg, "partition 4", "usable"),
      "partition over the backup GPT refused");
  free (errmsg); errmsg = NULL;
  gk_ptable_free (m);

  test_gpt_corruption (img, t);
  gk_ptable_free (t);
}

/* 4096-byte sectors: only a loop device makes sfdisk and sgdisk use
 * them.
 */
static char *
loop_attach (const char *img)
{
  char *dev = sh_out ("losetup --sector-size 4096 -f --show '%s' "
                      "2>/dev/null", img);
  char *nl = strchr (dev, '\n');

  if (nl)
    *nl = '\0';
  if (!STRPREFIX (dev, "/dev/")) {
    free (dev);
    return NULL;
  }
  return dev;
}

static void
test_gpt_4k (void)
{
  CLEANUP_FREE char *img = tmp ("gpt4k.img");
  CLEANUP_FREE char *big = tmp ("gpt4k-big.img");
  CLEANUP_FREE char *errmsg = NULL;
  CLEANUP_FREE char *dev = NULL;
  struct gk_ptable *t = NULL, *t2, *m;

  sh ("truncate -s 64M '%s'", img);
  dev = loop_attach (img);
  if (dev == NULL) {
    ok (true, "# SKIP 4096-byte sector tests need a loop device (root)");
    return;
  }
  if (sh ("sfdisk -q '%s' >/dev/null 2>&1 <<'EOF'\n"
          "label: gpt\n"
          "size=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, "
          "name=\"esp\"\n"
          "size=4096, name=\"root\", attrs=\"GUID:56\"\n"
          "EOF\n", dev) != 0)
    ok (false, "sfdisk made the 4096-byte sector GPT");
  else {
    t = read_file (img, &errmsg);
    if (ok (t != NULL && t->sector_size == 4096,
            "4096-byte sector GPT read from the image file")) {
      CLEANUP_FREE char *ours = format_dump (t);
      CLEANUP_FREE char *theirs = sfdisk_dump (dev);
      is_text (ours, theirs, "4096-byte sector GPT as sfdisk reports it");
    }
    else
      printf ("#   %s\n", errmsg ? errmsg : "");
  }
  sh ("losetup -d '%s'", dev);
  free (dev);
  dev = NULL;
  if (t == NULL)
    return;

  m = gk_ptable_copy (t);
  find_part (m, 2)->start = 8192 * 4096;
  find_part (m, 2)->size = 16384 * 4096;
  ok (write_file (m, big, 128 * MiB, &errmsg) == 0,
      "modified 4096-byte sector GPT written");
  m->first_usable = 6 * 4096;
  m->last_usable = 128 * MiB - 5 * 4096;
  dev = loop_attach (big);
  if (ok (dev != NULL, "loop device for the written image")) {
    CLEANUP_FREE char *ours = format_dump (m);
    CLEANUP_FREE char *theirs = sfdisk_dump (dev);
    is_text (theirs, ours, "sfdisk --dump shows the modified 4096-byte "
             "sector GPT");
    ok (sh ("sgdisk -v '%s' 2>&1 | grep -q '^No problems found'", dev) == 0,
        "sgdisk -v finds no problems with 4096-byte sectors");
    sh ("losetup -d '%s'", dev);
  }
  t2 = read_file (big, &errmsg);
  ok (t2 && same_partitions (m, t2, false),
      "modified 4096-byte sector GPT read back equal");
  gk_ptable_free (t2);
  gk_ptable_free (m);
  gk_ptable_free (t);
}

/* ---- Hostile tables, in memory ---- */

static int
read_mem (uint8_t *d, size_t size, struct gk_ptable **t, char **errmsg)
{
  struct gk_mem_disk m = { .data = d, .size = size };
  int r;

  *t = NULL;
  r = gk_ptable_read (gk_mem_pread_fn, &m, size, t, errmsg);
  if (*errmsg)
    printf ("#   %s\n", *errmsg);
  if (m.out_of_range)
    printf ("#   %u reads past the end of the disk\n", m.out_of_range);
  return m.out_of_range ? -2 : r;
}

/* Fix the CRCs of the GPT header at LBA (512-byte sectors) after an
 * edit, as a hostile image would have them.
 */
static void
gpt_fix_crcs (uint8_t *d, uint64_t lba)
{
  uint8_t *h = d + lba * 512;
  uint64_t entries = gk_le64 (h + 72);
  uint32_t n = gk_le32 (h + 80), size = gk_le32 (h + 84);

  /* The test's own edits may be hostile too: no wrapping here. */
  if (entries <= 1 * MiB / 512 &&
      entries * 512 + (uint64_t) n * size <= 1 * MiB)
    gk_put_le32 (h + 88, ~gk_crc32_update (0xffffffff, d + entries * 512,
                                           (size_t) n * size));
  gk_put_le32 (h + 16, 0);
  gk_put_le32 (h + 16, ~gk_crc32_update (0xffffffff, h, 92));
}

static void
test_hostile (void)
{
  const size_t size = 1 * MiB;
  CLEANUP_FREE uint8_t *d = xcalloc (1, size);
  CLEANUP_FREE uint8_t *good = xcalloc (1, size);
  struct gk_mem_disk m = { .data = good, .size = size };
  struct gk_partition parts[2] = {
    { .num = 1, .start = 34 * 512, .size = 100 * 512, .name = "a",
      .type_guid = { 1 } },
    { .num = 2, .start = 1024 * 512, .size = 200 * 512, .name = "b",
      .type_guid = { 2 } },
  };
  struct gk_ptable gpt = { .type = GK_PTABLE_GPT, .sector_size = 512,
                           .parts = { .ptr = parts, .len = 2, .cap = 2 } };
  struct gk_ptable *t = NULL;
  char *errmsg = NULL;

  /* A good GPT in memory, written and read back by the memory reader. */
  ok (gk_ptable_write (&gpt, size, gk_mem_pwrite_fn, &m, &errmsg) == 0 &&
      read_mem (good, size, &t, &errmsg) == 0 && t->parts.len == 2 &&
      t->parts.ptr[1].start == 1024 * 512 &&
      STREQ (t->parts.ptr[1].name, "b"),
      "memory: GPT written and read back");
  gk_ptable_free (t);
  free (errmsg);
  errmsg = NULL;

  /* A last usable LBA whose byte offset wraps round to just below the
   * backup entries: it used to be taken as the disk's usable end.
   */
  memcpy (d, good, size);
  gk_put_le64 (d + 512 + 48, (UINT64_C (1) << 55) + 2013);
  gpt_fix_crcs (d, 1);
  ok (read_mem (d, size, &t, &errmsg) == -1 && errmsg &&
      strstr (errmsg, "corrupt"),
      "GPT: a last usable sector past any disk is refused");
  free (errmsg);
  errmsg = NULL;

  /* Entry counts and sizes: too many, too big, not a multiple of 8. */
  {
    static const uint32_t counts[] = { 0xffffffff, 32768, 1, 128 };
    static const uint32_t sizes[] = { 128, 256, 0xfffffff8, 132 };
    for (size_t i = 0; i < 4; ++i) {
      memcpy (d, good, size);
      gk_put_le32 (d + 512 + 80, counts[i]);
      gk_put_le32 (d + 512 + 84, sizes[i]);
      gpt_fix_crcs (d, 1);
      ok (read_mem (d, size, &t, &errmsg) == -1 && errmsg &&
          strstr (errmsg, "entry count or size"),
          "GPT: %" PRIu32 " entries of %" PRIu32 " bytes are refused",
          counts[i], sizes[i]);
      free (errmsg);
      errmsg = NULL;
    }
  }

  /* Entries placed past the end of the disk, or wrapping round. */
  memcpy (d, good, size);
  gk_put_le64 (d + 512 + 72, UINT64_MAX / 256);
  gpt_fix_crcs (d, 1);
  ok (read_mem (d, size, &t, &errmsg) == -1 && errmsg &&
      strstr (errmsg, "beyond the end"),
      "GPT: entries past the end of the disk are refused");
  free (errmsg);
  errmsg = NULL;

  /* A partition's last sector at the top of the 64-bit range. */
  memcpy (d, good, size);
  gk_put_le64 (d + 1024 + 40, UINT64_MAX);
  gpt_fix_crcs (d, 1);
  ok (read_mem (d, size, &t, &errmsg) == -1 && errmsg &&
      strstr (errmsg, "corrupt"),
      "GPT: a partition ending past any disk is refused");
  free (errmsg);
  errmsg = NULL;

  /* An EBR chain of 2000 links, each a step forward: refused at the
   * limit on logical partitions, not followed to the end.
   */
  memset (d, 0, size);
  d[510] = 0x55;
  d[511] = 0xaa;
  d[446 + 4] = 0x05;
  gk_put_le32 (d + 446 + 8, 1);
  gk_put_le32 (d + 446 + 12, 2047);
  for (uint32_t i = 0; i < 2000; ++i) {
    uint8_t *ebr = d + (1 + i) * 512;
    ebr[446 + 4] = 0x83;
    gk_put_le32 (ebr + 446 + 8, 0);    /* data at the EBR: no gap */
    gk_put_le32 (ebr + 446 + 12, 1);
    ebr[446 + 16 + 4] = 0x05;
    gk_put_le32 (ebr + 446 + 16 + 8, i + 1);
    gk_put_le32 (ebr + 446 + 16 + 12, 1);
    ebr[510] = 0x55;
    ebr[511] = 0xaa;
  }
  ok (read_mem (d, size, &t, &errmsg) == -1 && errmsg,
      "MBR: a chain of 2000 EBRs is refused");
  free (errmsg);
  errmsg = NULL;
  for (uint32_t i = 0; i < 2000; ++i) {
    uint8_t *ebr = d + (1 + i) * 512;
    gk_put_le32 (ebr + 446 + 8, 1);
  }
  ok (read_mem (d, size, &t, &errmsg) == -1 && errmsg &&
      strstr (errmsg, "more than 1024"),
      "MBR: a chain of 2000 logical partitions stops at 1024");
  free (errmsg);
  errmsg = NULL;
}

static int
failing_pread (void *opaque, void *buf, size_t count, uint64_t offset,
               char **errmsg)
{
  *errmsg = xstrdup ("injected failure");
  return -1;
}

static int
failing_pwrite (void *opaque, const void *buf, size_t count,
                uint64_t offset, char **errmsg)
{
  *errmsg = xstrdup ("injected failure");
  return -1;
}

/* The error rule: one message, with the reader's (writer's) reason. */
static void
test_io_errors (void)
{
  struct gk_partition p = { .num = 1, .start = 512, .size = 512,
                            .mbr_id = 0x83, .name = "" };
  struct gk_ptable mbr = { .type = GK_PTABLE_MBR, .sector_size = 512,
                           .parts = { .ptr = &p, .len = 1, .cap = 1 } };
  struct gk_ptable *t = NULL;
  char *errmsg = NULL;

  ok (gk_ptable_read (failing_pread, NULL, MiB, &t, &errmsg) == -1 &&
      errmsg && STREQ (errmsg, "cannot read the first sector of the disk: "
                       "injected failure"),
      "read error: one message with the reader's reason");
  free (errmsg);
  errmsg = NULL;
  ok (gk_ptable_write (&mbr, MiB, failing_pwrite, NULL, &errmsg) == -1 &&
      errmsg && STREQ (errmsg, "cannot write the MBR: injected failure"),
      "write error: one message with the writer's reason");
  free (errmsg);
}

int
main (void)
{
  const char *base = getenv ("TMPDIR");
  CLEANUP_FREE char *template =
    xasprintf ("%s/test-ptable.XXXXXX", base && *base ? base : "/tmp");

  tmpdir = mkdtemp (template);
  if (tmpdir == NULL) {
    perror ("mkdtemp");
    return EXIT_FAILURE;
  }
  test_hostile ();
  test_io_errors ();
  if (sh ("sfdisk --version >/dev/null 2>&1 && "
          "sgdisk --version >/dev/null 2>&1") != 0) {
    ok (true, "# SKIP sfdisk and sgdisk are needed");
    rmdir (tmpdir);
    return tap_done ();
  }

  test_guids ();
  test_mbr ();
  test_mbr_chs ();
  test_gpt ();
  test_gpt_4k ();

  sh ("rm -rf '%s'", tmpdir);
  return tap_done ();
}
