/* virt-df: unit tests for the output formats and device renaming,
 * printed as TAP.
 *
 * Scripts parse virt-df's text and CSV, so the expected strings below are
 * upstream virt-df's, byte for byte (worked out from its output.c: float
 * percentages, ceil for Use%, "%.1f" in CSV, names over 36 columns on a
 * line of their own).  No appliance: the rows are made up here.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "appliance/owners.h"
#include "utils/tap.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "df.h"

static struct df_row
row (const char *device, const char *type, int64_t bsize, int64_t blocks,
     int64_t bfree, int64_t bavail, int64_t files, int64_t ffree)
{
  struct df_row r = {
    .device = (char *) device, .type = (char *) type,
    .st = { .bsize = bsize, .frsize = bsize, .blocks = blocks,
            .bfree = bfree, .bavail = bavail, .files = files,
            .ffree = ffree, .favail = ffree, .namemax = 255 },
  };
  return r;
}

#define UUID "0c3f1d2e-5b4a-4e6f-8a9b-1c2d3e4f5a6b"

static struct df_row rows_debian[2], rows_long[2], rows_36[1], rows_37[1];
static struct df_guest guests[6];

static void
make_guests (void)
{
  /* Half full; 100 MiB. */
  rows_debian[0] = row ("/dev/sda1", "ext4", 4096, 25600, 12800, 11520,
                        6400, 6389);
  /* One block used: 0.1% must show as 1%, not 0%. */
  rows_debian[1] = row ("/dev/sda2", "xfs", 4096, 1000, 999, 999, 64, 61);
  /* 12.35% used: the float rounding shows in CSV as 12.4. */
  rows_long[0] = row ("/dev/vg/lv_root", "ext4", 1024, 2000, 1753, 1653,
                      500, 250);
  /* btrfs has no inode counts. */
  rows_long[1] = row ("btrfsvol:/dev/sda3/root", "btrfs", 4096,
                      2621440, 1940000, 1900000, 0, 0);
  /* Nothing at all: 0%, not a division by zero. */
  rows_36[0] = row ("/dev/sda1", "vfat", 4096, 0, 0, 0, 0, 0);
  /* 12.65% used: CSV shows 12.6 (float), Use% 13. */
  rows_37[0] = row ("/dev/sda1", "ext4", 1024, 2000, 1747, 1700, 100, 1);

  guests[0] = (struct df_guest) {
    .name = "debian.img",
    .rows = { .ptr = rows_debian, .len = 2, .cap = 2 },
  };
  guests[1] = (struct df_guest) {
    .name = "a-guest-with-a-rather-long-name", .uuid = UUID,
    .rows = { .ptr = rows_long, .len = 2, .cap = 2 },
  };
  /* "NAME:/dev/sda1" is exactly 36 characters: still on one line. */
  guests[2] = (struct df_guest) {
    .name = "twenty-six-characters-abcd",
    .rows = { .ptr = rows_36, .len = 1, .cap = 1 },
  };
  /* 37 characters: the figures go on the next line. */
  guests[3] = (struct df_guest) {
    .name = "twenty-seven-characters-abc",
    .rows = { .ptr = rows_37, .len = 1, .cap = 1 },
  };
  guests[4] = (struct df_guest) {
    .name = "my \"odd\", guest",
    .rows = { .ptr = rows_debian, .len = 1, .cap = 1 },
  };
  /* A guest with no filesystems prints nothing. */
  guests[5] = (struct df_guest) { .name = "empty" };
}

static char *
output_of (const struct df_settings *s, const struct df_guest *gs, size_t n)
{
  char *buf = NULL;
  size_t size = 0;
  FILE *fp = open_memstream (&buf, &size);

  df_print_header (fp, s);
  for (size_t i = 0; i < n; ++i)
    df_print_guest (fp, &gs[i], s);
  df_print_footer (fp, s);
  fclose (fp);
  return buf;
}

static void
output_is (const struct df_settings *s, const char *expected,
           const char *what)
{
  CLEANUP_FREE char *got = output_of (s, guests, 6);

  is_text (got, expected, what);
}

static void
test_text (void)
{
  struct df_settings s = { .format = FORMAT_TEXT };

  output_is (&s,
    "Filesystem                          "
      " 1K-blocks       Used  Available  Use%\n"
    "debian.img:/dev/sda1                "
      "    102400      51200      46080   50%\n"
    "debian.img:/dev/sda2                "
      "      4000          4       3996    1%\n"
    "a-guest-with-a-rather-long-name:/dev/vg/lv_root\n"
    "                                    "
      "      2000        247       1653   13%\n"
    "a-guest-with-a-rather-long-name:btrfsvol:/dev/sda3/root\n"
    "                                    "
      "  10485760    2725760    7600000   26%\n"
    "twenty-six-characters-abcd:/dev/sda1"
      "         0          0          0    0%\n"
    "twenty-seven-characters-abc:/dev/sda1\n"
    "                                    "
      "      2000        253       1700   13%\n"
    "my \"odd\", guest:/dev/sda1           "
      "    102400      51200      46080   50%\n",
    "text: 1K-blocks, wrapping, Use% rounded up");

  s.human = true;
  output_is (&s,
    "Filesystem                          "
      "      Size       Used  Available  Use%\n"
    "debian.img:/dev/sda1                "
      "      100M        50M        45M   50%\n"
    "debian.img:/dev/sda2                "
      "      3.9M       4.0K       3.9M    1%\n"
    "a-guest-with-a-rather-long-name:/dev/vg/lv_root\n"
    "                                    "
      "      2.0M       247K       1.6M   13%\n"
    "a-guest-with-a-rather-long-name:btrfsvol:/dev/sda3/root\n"
    "                                    "
      "       10G       2.6G       7.2G   26%\n"
    "twenty-six-characters-abcd:/dev/sda1"
      "         0          0          0    0%\n"
    "twenty-seven-characters-abc:/dev/sda1\n"
    "                                    "
      "      2.0M       253K       1.7M   13%\n"
    "my \"odd\", guest:/dev/sda1           "
      "      100M        50M        45M   50%\n",
    "text -h: human-readable columns");

  s.human = false;
  s.inodes = true;
  output_is (&s,
    "Filesystem                          "
      "    Inodes      IUsed      IFree IUse%\n"
    "debian.img:/dev/sda1                "
      "      6400         11       6389    1%\n"
    "debian.img:/dev/sda2                "
      "        64          3         61    5%\n"
    "a-guest-with-a-rather-long-name:/dev/vg/lv_root\n"
    "                                    "
      "       500        250        250   50%\n"
    "a-guest-with-a-rather-long-name:btrfsvol:/dev/sda3/root\n"
    "                                    "
      "         0          0          0    0%\n"
    "twenty-six-characters-abcd:/dev/sda1"
      "         0          0          0    0%\n"
    "twenty-seven-characters-abc:/dev/sda1\n"
    "                                    "
      "       100         99          1   99%\n"
    "my \"odd\", guest:/dev/sda1           "
      "      6400         11       6389    1%\n",
    "text -i: inode columns");

  s.inodes = false;
  s.uuid = true;
  output_is (&s,
    "Filesystem                          "
      " 1K-blocks       Used  Available  Use%\n"
    "debian.img:/dev/sda1                "
      "    102400      51200      46080   50%\n"
    "debian.img:/dev/sda2                "
      "      4000          4       3996    1%\n"
    UUID ":/dev/vg/lv_root\n"
    "                                    "
      "      2000        247       1653   13%\n"
    UUID ":btrfsvol:/dev/sda3/root\n"
    "                                    "
      "  10485760    2725760    7600000   26%\n"
    "twenty-six-characters-abcd:/dev/sda1"
      "         0          0          0    0%\n"
    "twenty-seven-characters-abc:/dev/sda1\n"
    "                                    "
      "      2000        253       1700   13%\n"
    "my \"odd\", guest:/dev/sda1           "
      "    102400      51200      46080   50%\n",
    "text --uuid: UUID replaces the name where there is one");
}

/* A hair over 50% of a big filesystem: upstream's float says 50%. */
static void
test_float_percent (void)
{
  struct df_settings s = { .format = FORMAT_TEXT };
  struct df_row r = row ("/dev/sda1", "ext4", 4096, 100000000, 49999999,
                         49999999, 100, 50);
  struct df_guest big = {
    .name = "big.img", .rows = { .ptr = &r, .len = 1, .cap = 1 },
  };
  CLEANUP_FREE char *text = output_of (&s, &big, 1);
  CLEANUP_FREE char *csv = NULL;

  is_text (text,
    "Filesystem                          "
      " 1K-blocks       Used  Available  Use%\n"
    "big.img:/dev/sda1                   "
      " 400000000  200000004  199999996   50%\n",
    "text: Use% from a float, like upstream");
  s.format = FORMAT_CSV;
  csv = output_of (&s, &big, 1);
  is_text (csv,
    "VirtualMachine,Filesystem,1K-blocks,Used,Available,Use%\n"
    "big.img,/dev/sda1,400000000,200000004,199999996,50.0\n",
    "CSV: the same row");
}

static void
test_csv (void)
{
  struct df_settings s = { .format = FORMAT_CSV };

  output_is (&s,
    "VirtualMachine,Filesystem,1K-blocks,Used,Available,Use%\n"
    "debian.img,/dev/sda1,102400,51200,46080,50.0\n"
    "debian.img,/dev/sda2,4000,4,3996,0.1\n"
    "a-guest-with-a-rather-long-name,/dev/vg/lv_root,2000,247,1653,12.4\n"
    "a-guest-with-a-rather-long-name,btrfsvol:/dev/sda3/root,"
    "10485760,2725760,7600000,26.0\n"
    "twenty-six-characters-abcd,/dev/sda1,0,0,0,0.0\n"
    "twenty-seven-characters-abc,/dev/sda1,2000,253,1700,12.6\n"
    "\"my \"\"odd\"\", guest\",/dev/sda1,102400,51200,46080,50.0\n",
    "CSV: quoting only where needed, percent as %.1f");

  s.inodes = true;
  output_is (&s,
    "VirtualMachine,Filesystem,Inodes,IUsed,IFree,IUse%\n"
    "debian.img,/dev/sda1,6400,11,6389,0.2\n"
    "debian.img,/dev/sda2,64,3,61,4.7\n"
    "a-guest-with-a-rather-long-name,/dev/vg/lv_root,500,250,250,50.0\n"
    "a-guest-with-a-rather-long-name,btrfsvol:/dev/sda3/root,0,0,0,0.0\n"
    "twenty-six-characters-abcd,/dev/sda1,0,0,0,0.0\n"
    "twenty-seven-characters-abc,/dev/sda1,100,99,1,99.0\n"
    "\"my \"\"odd\"\", guest\",/dev/sda1,6400,11,6389,0.2\n",
    "CSV -i: inode columns");

  s.inodes = false;
  s.uuid = true;
  output_is (&s,
    "VirtualMachine,Filesystem,1K-blocks,Used,Available,Use%\n"
    "debian.img,/dev/sda1,102400,51200,46080,50.0\n"
    "debian.img,/dev/sda2,4000,4,3996,0.1\n"
    UUID ",/dev/vg/lv_root,2000,247,1653,12.4\n"
    UUID ",btrfsvol:/dev/sda3/root,10485760,2725760,7600000,26.0\n"
    "twenty-six-characters-abcd,/dev/sda1,0,0,0,0.0\n"
    "twenty-seven-characters-abc,/dev/sda1,2000,253,1700,12.6\n"
    "\"my \"\"odd\"\", guest\",/dev/sda1,102400,51200,46080,50.0\n",
    "CSV --uuid");
}

static void
csv_field_is (const char *field, const char *expected)
{
  char *buf = NULL;
  size_t size = 0;
  FILE *fp = open_memstream (&buf, &size);
  CLEANUP_FREE char *what = xasprintf ("CSV field [%s]", field);

  df_write_csv_field (fp, field);
  fclose (fp);
  is_text (buf, expected, what);
  free (buf);
}

static void
test_csv_fields (void)
{
  csv_field_is ("plain", "plain");
  csv_field_is ("", "");
  csv_field_is ("/dev/sda1", "/dev/sda1");
  csv_field_is ("a b", "\"a b\"");
  csv_field_is ("a,b", "\"a,b\"");
  csv_field_is ("a\nb", "\"a\nb\"");
  csv_field_is ("say \"x\"", "\"say \"\"x\"\"\"");
  csv_field_is ("\"", "\"\"\"\"");
  /* Upstream quotes only space, quote, comma and newline. */
  csv_field_is ("tab\there", "tab\there");
}

/* Feed JSON to python3's parser; true if it parses, or if there is no
 * python3 to ask (the exact-string tests still hold).
 */
static bool
json_parses (const char *json)
{
  FILE *pp = popen ("python3 -m json.tool >/dev/null 2>&1", "w");
  int status;

  if (pp == NULL)
    return true;
  fputs (json, pp);
  status = pclose (pp);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 127) {
    printf ("# python3 not found, JSON not parsed\n");
    return true;
  }
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
test_json (void)
{
  struct df_settings s = { .format = FORMAT_JSON };
  struct df_guest odd[2] = {
    { .name = "tab\there \"q\"\\",
      .rows = { .ptr = &rows_debian[1], .len = 1, .cap = 1 } },
    { .name = "a-guest-with-a-rather-long-name", .uuid = UUID,
      .rows = { .ptr = &rows_long[1], .len = 1, .cap = 1 } },
  };
  CLEANUP_FREE char *none = output_of (&s, guests, 0);
  CLEANUP_FREE char *empty = output_of (&s, &guests[5], 1);
  CLEANUP_FREE char *two = output_of (&s, odd, 2);
  CLEANUP_FREE char *all = NULL;

  is_text (none, "[]\n", "JSON: no guests is an empty array");
  is_text (empty, "[]\n", "JSON: a guest without filesystems adds nothing");
  is_text (two,
    "[\n"
    "  {\"guest\": \"tab\\there \\\"q\\\"\\\\\", \"fi"
      "lesystem\": \"/dev/sda2\", "
    "\"type\": \"xfs\", \"block_size\": 4096, \"size\": 4096000, "
    "\"used\": 4096, \"available\": 4091904, \"use_percent\": 0.1, "
    "\"inodes\": 64, \"inodes_used\": 3, \"inodes_free\": 61, "
    "\"inodes_use_percent\": 4.7},\n"
    "  {\"guest\": \"a-guest-with-a-rather-long-name\", \"uuid\": \""
    UUID "\", \"filesystem\": \"btrfsvol:/dev/sda3/root\", "
    "\"type\": \"btrfs\", \"block_size\": 4096, \"size\": 10737418240, "
    "\"used\": 2791178240, \"available\": 7782400000, "
    "\"use_percent\": 26.0, \"inodes\": 0, \"inodes_used\": 0, "
    "\"inodes_free\": 0, \"inodes_use_percent\": null}\n"
    "]\n",
    "JSON: bytes, escaped names, null for missing inode counts");
  ok (json_parses (two), "JSON: two guests parse");

  /* -h and -i do not change JSON (sizes are always bytes). */
  s.human = s.inodes = true;
  all = output_of (&s, guests, 6);
  ok (json_parses (all), "JSON: every test guest parses");
  s.human = s.inodes = false;
  {
    CLEANUP_FREE char *plain = output_of (&s, guests, 6);

    is_text (all, plain, "JSON: same with and without -h -i");
  }
  /* The header resets the state, so a second document is well formed. */
  {
    CLEANUP_FREE char *again = output_of (&s, odd, 2);

    is_text (again, two, "JSON: a second document is the same");
  }
}

static void
name_is (size_t index, const char *expected)
{
  CLEANUP_FREE char *got = gk_device_name (index);
  CLEANUP_FREE char *what = xasprintf ("device name %zu is %s",
                                       index, expected);

  is_text (got, expected, what);
}

static void
index_is (const char *dev, ssize_t expected)
{
  ssize_t got = gk_device_index (dev, NULL);

  if (!ok (got == expected, "device index of %s is %zd", dev, expected))
    printf ("#   got: %zd\n", got);
}

static void
rename_is (const char *dev, size_t first, const char *expected)
{
  CLEANUP_FREE char *got = df_rename_device (dev, first);
  CLEANUP_FREE char *what = xasprintf ("%s (first disk %zu) is %s",
                                       dev, first, expected);

  is_text (got, expected, what);
}

static void
test_devices (void)
{
  bool round_trip = true;

  name_is (0, "/dev/sda");
  name_is (1, "/dev/sdb");
  name_is (25, "/dev/sdz");
  name_is (26, "/dev/sdaa");
  name_is (27, "/dev/sdab");
  name_is (51, "/dev/sdaz");
  name_is (52, "/dev/sdba");
  name_is (701, "/dev/sdzz");
  name_is (702, "/dev/sdaaa");

  index_is ("/dev/sda", 0);
  index_is ("/dev/sdc3", 2);
  index_is ("/dev/sdz", 25);
  index_is ("/dev/sdaa", 26);
  index_is ("/dev/sdab12", 27);
  index_is ("/dev/sdzz", 701);
  index_is ("/dev/vda", -1);
  index_is ("/dev/sd", -1);
  index_is ("/dev/sdA", -1);
  index_is ("/dev/sda-x", -1);
  index_is ("/dev/vg/lv_root", -1);
  index_is ("/dev/mapper/luks-1234", -1);
  index_is ("sda", -1);

  for (size_t i = 0; i < 2000; ++i) {
    CLEANUP_FREE char *name = gk_device_name (i);

    if (gk_device_index (name, NULL) != (ssize_t) i) {
      printf ("#   %zu -> %s -> %zd\n", i, name, gk_device_index (name, NULL));
      round_trip = false;
      break;
    }
  }
  ok (round_trip, "device names and indexes round-trip for 0..1999");

  rename_is ("/dev/sdc3", 2, "/dev/sda3");
  rename_is ("/dev/sdc", 2, "/dev/sda");
  rename_is ("/dev/sdd1", 2, "/dev/sdb1");
  rename_is ("/dev/sda1", 0, "/dev/sda1");
  rename_is ("/dev/sdab1", 26, "/dev/sdb1");
  rename_is ("/dev/sdab1", 1, "/dev/sdaa1");
  rename_is ("/dev/sdz2", 0, "/dev/sdz2");
  rename_is ("btrfsvol:/dev/sdd2/root", 2, "btrfsvol:/dev/sdb2/root");
  rename_is ("btrfsvol:/dev/vg/lv/home", 2, "btrfsvol:/dev/vg/lv/home");
  rename_is ("/dev/vg/lv_root", 2, "/dev/vg/lv_root");
  rename_is ("/dev/mapper/luks-1234", 3, "/dev/mapper/luks-1234");
  rename_is ("/dev/md127", 1, "/dev/md127");
  /* Not this guest's disk: left alone rather than given a bogus name. */
  rename_is ("/dev/sda1", 2, "/dev/sda1");
}

static int
compare_names (const void *a, const void *b)
{
  return df_compare_list_order (*(const char *const *) a,
                                *(const char *const *) b);
}

static void
test_list_order (void)
{
  /* list_filesystems's order, shuffled. */
  const char *expected[] = {
    "/dev/sdb", "/dev/sdaa", "/dev/sda1", "/dev/sda2", "/dev/sda10",
    "/dev/sdb1", "/dev/sdz3", "/dev/sdaa1", "/dev/md0", "/dev/md2",
    "/dev/md10", "/dev/sdx/lv", "/dev/vg/home", "/dev/vg/root",
    "/dev/mapper/cryptsda10", "/dev/mapper/cryptsda2", NULL
  };
  const size_t order[] = { 9, 15, 2, 13, 0, 7, 4, 11, 1, 14, 3, 6, 10, 5,
                           12, 8 };
  const char *shuffled[16];
  bool sorted = true;

  for (size_t i = 0; i < 16; ++i)
    shuffled[i] = expected[order[i]];
  qsort (shuffled, 16, sizeof shuffled[0], compare_names);
  for (size_t i = 0; i < 16; ++i)
    if (strcmp (shuffled[i], expected[i]) != 0) {
      printf ("#   %zu: %s, expected %s\n", i, shuffled[i], expected[i]);
      sorted = false;
    }
  ok (sorted, "devices sort in list_filesystems's order");
  ok (df_compare_list_order ("/dev/sda1", "/dev/sda1") == 0,
      "a device is equal to itself");
}

int
main (void)
{
  make_guests ();
  test_text ();
  test_float_percent ();
  test_csv ();
  test_csv_fields ();
  test_json ();
  test_devices ();
  test_list_order ();

  return tap_done ();
}
