/* guestkit: unit tests for lib/sizes.c, printed as TAP.
 *
 * Sizes are what users type (--resize, --blocksize) and read (summaries,
 * virt-df -h), so every case here is a string a user would see.
 */
#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/tap.h"
#include "utils/cleanups.h"
#include "utils/sizes.h"
#include "utils/string-list.h"

#define KiB ((uint64_t) 1024)
#define MiB (KiB * 1024)
#define GiB (MiB * 1024)
#define TiB (GiB * 1024)

static void
size_is (const char *str, uint64_t expected)
{
  uint64_t v = 0;
  int r = gk_parse_size (str, &v);

  if (!ok (r == 0 && v == expected, "size \"%s\" is %" PRIu64,
           str, expected))
    printf ("#   got: r=%d, %" PRIu64 "\n", r, v);
}

static void
size_bad (const char *str)
{
  uint64_t v = 12345;
  int r = gk_parse_size (str, &v);

  if (!ok (r == -1 && v == 12345, "size \"%s\" is rejected", str))
    printf ("#   got: r=%d, %" PRIu64 "\n", r, v);
}

static void
test_parse_size (void)
{
  size_is ("10G", 10 * GiB);
  size_is ("512M", 512 * MiB);
  size_is ("1.5G", 3 * GiB / 2);
  size_is ("4096", 4096);
  size_is ("1K", 1024);
  size_is ("1KiB", 1024);
  size_is ("1k", 1024);
  size_is ("100b", 100);
  size_is ("2T", 2 * TiB);
  size_is ("0", 0);

  size_bad ("");
  size_bad ("G");
  size_bad ("-1G");
  size_bad ("+1G");
  size_bad ("1X");
  size_bad ("1.2.3G");
  size_bad ("0x10");
  size_bad ("1e3");
  size_bad (" 1G");
  size_bad ("1G ");
  size_bad ("1GG");
  size_bad ("1%");
  size_bad ("nan");
  size_bad ("inf");
  size_bad ("99999999E");
}

static void
resize_is (const char *str, enum gk_resize_kind kind, int64_t bytes,
           int64_t permille)
{
  struct gk_resize_spec spec = { .kind = -1 };
  int r = gk_parse_resize (str, &spec);
  bool good = r == 0 && spec.kind == kind;

  if (good && (kind == GK_RESIZE_ABSOLUTE || kind == GK_RESIZE_RELATIVE))
    good = spec.bytes == bytes;
  else if (good)
    good = spec.permille == permille;
  if (!ok (good, "resize \"%s\" parses", str))
    printf ("#   got: r=%d kind=%d bytes=%" PRIi64 " permille=%" PRIi64
            "\n", r, (int) spec.kind, spec.bytes, spec.permille);
}

static void
resize_bad (const char *str)
{
  struct gk_resize_spec spec;

  ok (gk_parse_resize (str, &spec) == -1, "resize \"%s\" is rejected", str);
}

/* Apply STR to OLD_SIZE; EXPECTED == -1 means the result is refused. */
static void
apply_is (const char *str, uint64_t old_size, int64_t expected)
{
  struct gk_resize_spec spec;
  uint64_t new_size = 0;
  int r;

  if (gk_parse_resize (str, &spec) == -1) {
    ok (false, "resize \"%s\" parses before applying", str);
    return;
  }
  r = gk_resize_apply (&spec, old_size, &new_size);
  if (expected == -1) {
    if (!ok (r == -1, "resize \"%s\" of %" PRIu64 " is refused",
             str, old_size))
      printf ("#   got: %" PRIu64 "\n", new_size);
  }
  else if (!ok (r == 0 && new_size == (uint64_t) expected,
                "resize \"%s\" of %" PRIu64 " is %" PRIi64,
                str, old_size, expected))
    printf ("#   got: r=%d, %" PRIu64 "\n", r, new_size);
}

static void
test_parse_resize (void)
{
  /* Percentages in upstream's tenths of a percent, truncated. */
  resize_is ("+10%", GK_RESIZE_RELATIVE_PERCENT, 0, 100);
  resize_is ("-10%", GK_RESIZE_RELATIVE_PERCENT, 0, -100);
  resize_is ("50%", GK_RESIZE_PERCENT, 0, 500);
  resize_is ("12.5%", GK_RESIZE_PERCENT, 0, 125);
  resize_is ("33.33%", GK_RESIZE_PERCENT, 0, 333);
  resize_is ("-33.39%", GK_RESIZE_RELATIVE_PERCENT, 0, -333);
  resize_is ("0.05%", GK_RESIZE_PERCENT, 0, 0);
  /* 10 * 0.7 is 7.000000000000001 in floating point, as upstream. */
  resize_is ("0.7%", GK_RESIZE_PERCENT, 0, 7);
  resize_is (".5%", GK_RESIZE_PERCENT, 0, 5);
  resize_is ("+1G", GK_RESIZE_RELATIVE, (int64_t) GiB, 0);
  resize_is ("-500M", GK_RESIZE_RELATIVE, -(int64_t) (500 * MiB), 0);
  resize_is ("10G", GK_RESIZE_ABSOLUTE, (int64_t) (10 * GiB), 0);
  resize_is ("4096", GK_RESIZE_ABSOLUTE, 4096, 0);
  /* A fraction of a byte is truncated (upstream's Int64.of_float):
   * 1.1M is 1153433.6 bytes.
   */
  resize_is ("1.1M", GK_RESIZE_ABSOLUTE, 1153433, 0);
  resize_is ("-1.1M", GK_RESIZE_RELATIVE, -1153433, 0);

  resize_bad ("");
  resize_bad ("+");
  resize_bad ("-");
  resize_bad ("%");
  resize_bad ("+%");
  resize_bad ("10%%");
  resize_bad ("+-1G");
  resize_bad ("--1G");
  resize_bad ("1G%");
  resize_bad ("abc");
  resize_bad ("x%");
  resize_bad ("+ 1G");
  resize_bad ("-0x10%");
  resize_bad (".%");
  resize_bad ("1.2.3%");
  resize_bad ("1e3%");
  resize_bad ("999999999999999999%");

  apply_is ("10G", 5 * GiB, (int64_t) (10 * GiB));
  apply_is ("+1G", 5 * GiB, (int64_t) (6 * GiB));
  apply_is ("-500M", GiB, (int64_t) (524 * MiB));
  apply_is ("+10%", 1000, 1100);
  apply_is ("-10%", 1000, 900);
  apply_is ("50%", 10 * GiB, (int64_t) (5 * GiB));
  apply_is ("200%", 1000, 2000);
  apply_is ("-100%", 1000, 0);
  apply_is ("-2G", GiB, -1);
  apply_is ("-200%", 1000, -1);
  /* Upstream: OLD * trunc (10 * N) / 1000, truncated. */
  apply_is ("33.33%", 512 * MiB, 178778013);
  apply_is ("0.1%", 512 * MiB, 536870);
  apply_is ("+0.1%", 512 * MiB, 512 * MiB + 536870);
  apply_is ("-0.1%", 512 * MiB, 512 * MiB - 536870);
  apply_is ("+10%", 512 * MiB + 5, 590558008);
  apply_is ("-10%", 999, 900);
  apply_is ("0.05%", 512 * MiB, 0);
  apply_is ("0.1%", 999, 0);
  /* Exact at the limits: UINT64_MAX * 500 / 1000 is INT64_MAX.5. */
  apply_is ("50%", UINT64_MAX, INT64_MAX);
  apply_is ("100%", (uint64_t) INT64_MAX, INT64_MAX);
  apply_is ("100%", (uint64_t) INT64_MAX + 1, -1);
  apply_is ("100.1%", (uint64_t) INT64_MAX, -1);
  apply_is ("+0%", (uint64_t) INT64_MAX, INT64_MAX);
  apply_is ("+0.1%", (uint64_t) INT64_MAX, -1);
  apply_is ("-0.1%", UINT64_MAX, -1);
  apply_is ("-50%", UINT64_MAX - 1, INT64_MAX);
  apply_is ("-50%", UINT64_MAX, -1);
  apply_is ("900000000000000000%", 1000, 9000000000000000000);
  apply_is ("900000000000000000%", 1001, 9009000000000000000);
  apply_is ("900000000000000000%", 1100, -1);
  apply_is ("900000000000000000%", 0, 0);
  apply_is ("+900000000000000000%", 1000, 9000000000000001000);
  apply_is ("+900000000000000000%", 1025, -1);

  /* Huge partitions (issue 8): relative sizes were added as signed
   * 64-bit numbers, which overflowed (undefined behaviour) for sizes
   * of 2^63 bytes and more.
   */
  apply_is ("-100P", (UINT64_C (1) << 63) + 5,
            (int64_t) ((UINT64_C (1) << 63) + 5 - 100 * (UINT64_C (1) << 50)));
  apply_is ("-1", UINT64_MAX, -1);
  apply_is ("+1", (uint64_t) INT64_MAX, -1);
  apply_is ("+0", (uint64_t) INT64_MAX, INT64_MAX);
  apply_is ("+7E", UINT64_C (2) << 60, -1);
  apply_is ("-1G", (UINT64_C (1) << 63) + GiB, -1);
}

static void
human_size_is (int64_t bytes, const char *expected)
{
  CLEANUP_FREE char *s = gk_human_size (bytes);

  if (!ok (STREQ (s, expected), "human_size %" PRIi64 " is %s",
           bytes, expected))
    printf ("#   got: %s\n", s);
}

/* Upstream's human_size: truncating each level before the next. */
static void
test_human_size (void)
{
  human_size_is (0, "0");
  human_size_is (512, "512");
  human_size_is (1023, "1023");
  human_size_is (1024, "1.0K");
  human_size_is (32 * 1024, "32.0K");
  human_size_is (1536 * 1024, "1.5M");
  human_size_is ((int64_t) (5 * GiB), "5.0G");
  human_size_is ((int64_t) (2 * TiB), "2048.0G");
  human_size_is (-512, "-512");
  human_size_is (-1024, "-1.0K");
  human_size_is (-(int64_t) (3 * GiB / 2), "-1.5G");
  human_size_is (INT64_MIN, "-8589934592.0G");
}

static void
human_readable_is (uint64_t bytes, const char *expected)
{
  char buf[64];

  gk_human_size_df (bytes, buf);
  if (!ok (STREQ (buf, expected), "human_readable %" PRIu64 " is %s",
           bytes, expected))
    printf ("#   got: %s\n", buf);
}

/* df -h style (gnulib human_readable, round to nearest), as upstream
 * virt-df -h prints its columns.
 */
static void
test_human_readable (void)
{
  human_readable_is (0, "0");
  human_readable_is (1, "1");
  human_readable_is (1023, "1023");
  human_readable_is (1024, "1.0K");
  human_readable_is (1536, "1.5K");
  human_readable_is (10 * KiB, "10K");
  human_readable_is (484 * MiB, "484M");
  human_readable_is (7 * GiB + 4 * GiB / 10, "7.4G");
  /* 1023.6K is nearer 1.0M than 1023K. */
  human_readable_is (1023 * KiB + 614, "1.0M");
  human_readable_is (1023 * KiB + 400, "1023K");
  /* 9.96K rounds to 10K, and then loses its decimal. */
  human_readable_is (9 * KiB + 983, "10K");
  /* Exact ties go to the even digit, like gnulib. */
  human_readable_is (1280, "1.2K");
  human_readable_is (1792, "1.8K");
  human_readable_is (1280 * KiB, "1.2M");
  human_readable_is (10 * KiB + 512, "10K");
  human_readable_is (11 * KiB + 512, "12K");
  /* Just above a tie rounds up. */
  human_readable_is (1281, "1.3K");
  human_readable_is (10 * KiB + 513, "11K");
  human_readable_is (1000 * GiB, "1000G");
  human_readable_is (TiB, "1.0T");
  human_readable_is (UINT64_MAX, "16E");
}

int
main (void)
{
  test_parse_size ();
  test_parse_resize ();
  test_human_size ();
  test_human_readable ();

  return tap_done ();
}
