/* guestkit: parsing and printing sizes (see sizes.h for the grammar). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/sizes.h"
#include "utils/string-list.h"

/* The multiplier for a unit suffix, or 0 if SUFFIX is not one.  A bare
 * number is bytes.  "K", "KiB" and "k" all mean 1024: these tools have
 * always used powers of 1024.
 */
static uint64_t
unit_multiplier (const char *suffix)
{
  static const char units[] = "KMGTPE";
  const char *u;
  uint64_t m = 1;

  if (*suffix == '\0' || STREQ (suffix, "b"))
    return 1;
  u = strchr (units, toupper ((unsigned char) suffix[0]));
  if (u == NULL)
    return 0;
  if (suffix[1] != '\0' && STRNEQ (suffix + 1, "iB"))
    return 0;
  for (const char *p = units; p <= u; ++p)
    m *= 1024;
  return m;
}

/* Parse "NUMBER[UNIT]" where NUMBER may have a fractional part. */
static int
parse_unsigned_size (const char *str, double *bytes_r)
{
  char *end;
  double v;
  uint64_t m;

  if (!isdigit ((unsigned char) *str) && *str != '.')
    return -1;
  errno = 0;
  v = strtod (str, &end);
  if (errno || end == str || !isfinite (v) || v < 0)
    return -1;
  /* strtod accepts hex and exponents; sizes are plain decimals. */
  for (const char *p = str; p < end; ++p)
    if (!isdigit ((unsigned char) *p) && *p != '.')
      return -1;
  m = unit_multiplier (end);
  if (m == 0)
    return -1;
  v *= (double) m;
  if (v >= 9.2e18)
    return -1;
  *bytes_r = v;
  return 0;
}

int
gk_parse_size (const char *str, uint64_t *bytes_r)
{
  double v;

  if (parse_unsigned_size (str, &v) == -1)
    return -1;
  *bytes_r = (uint64_t) llround (v);
  return 0;
}

/* "N%" in upstream's tenths of a percent: trunc (10 * N), computed in
 * floating point as upstream does (Int64.of_float (10. *. N)), so that
 * "33.33%" is 333 and "0.7%" is 7.
 */
static int
parse_percent (const char *str, int64_t *permille_r)
{
  size_t len = strlen (str);
  char *end;
  double v;

  if (len < 2 || str[len-1] != '%' ||
      (!isdigit ((unsigned char) str[0]) && str[0] != '.'))
    return -1;
  errno = 0;
  v = strtod (str, &end);
  if (errno || end != str + len - 1 || !isfinite (v) || v < 0)
    return -1;
  for (const char *p = str; p < end; ++p)
    if (!isdigit ((unsigned char) *p) && *p != '.')
      return -1;
  v *= 10.0;
  if (v >= 9.2e18)
    return -1;
  *permille_r = (int64_t) v;
  return 0;
}

int
gk_parse_resize (const char *str, struct gk_resize_spec *spec)
{
  int sign = 0;
  int64_t permille;
  double v;

  if (*str == '+' || *str == '-') {
    sign = *str == '+' ? 1 : -1;
    str++;
  }
  if (parse_percent (str, &permille) == 0) {
    spec->kind = sign ? GK_RESIZE_RELATIVE_PERCENT : GK_RESIZE_PERCENT;
    spec->permille = sign < 0 ? -permille : permille;
    spec->bytes = 0;
    return 0;
  }
  if (parse_unsigned_size (str, &v) == 0) {
    /* Truncated, as upstream's Int64.of_float. */
    spec->kind = sign ? GK_RESIZE_RELATIVE : GK_RESIZE_ABSOLUTE;
    spec->bytes = (int64_t) v * (sign ? sign : 1);
    spec->permille = 0;
    return 0;
  }
  return -1;
}

/* OLD * PERMILLE / 1000, truncated, exactly and without overflow: with
 * OLD = 1000q + r and PERMILLE = 1000a + b (r, b < 1000), it is
 * q * PERMILLE + r * a + r * b / 1000.  Returns -1 above INT64_MAX.
 */
static int
permille_of (uint64_t old, uint64_t permille, uint64_t *r)
{
  uint64_t q = old / 1000, rem = old % 1000;
  uint64_t a = permille / 1000, b = permille % 1000, v;

  if (permille > (uint64_t) INT64_MAX ||
      (permille != 0 && q > (uint64_t) INT64_MAX / permille))
    return -1;
  /* q * permille <= INT64_MAX, and the rest is below PERMILLE. */
  v = q * permille + rem * a + rem * b / 1000;
  if (v > (uint64_t) INT64_MAX)
    return -1;
  *r = v;
  return 0;
}

int
gk_resize_apply (const struct gk_resize_spec *spec, uint64_t old_size,
                 uint64_t *new_size_r)
{
  uint64_t part;

  switch (spec->kind) {
  case GK_RESIZE_ABSOLUTE:
    if (spec->bytes < 0)
      return -1;
    *new_size_r = (uint64_t) spec->bytes;
    return 0;
  case GK_RESIZE_RELATIVE:
    /* Exact, in unsigned arithmetic: OLD_SIZE may be any 64-bit size
     * (a huge partition), and a signed sum could overflow.
     */
    if (spec->bytes >= 0) {
      if (old_size > (uint64_t) INT64_MAX - (uint64_t) spec->bytes)
        return -1;
      *new_size_r = old_size + (uint64_t) spec->bytes;
    }
    else {
      uint64_t shrink = -(uint64_t) spec->bytes;
      if (shrink > old_size || old_size - shrink > (uint64_t) INT64_MAX)
        return -1;
      *new_size_r = old_size - shrink;
    }
    return 0;
  case GK_RESIZE_PERCENT:
    if (spec->permille < 0)
      return -1;
    return permille_of (old_size, spec->permille, new_size_r);
  case GK_RESIZE_RELATIVE_PERCENT:
    /* "+N%" adds the truncated share, "-N%" takes it away. */
    if (permille_of (old_size, spec->permille < 0 ?
                     -(uint64_t) spec->permille : (uint64_t) spec->permille,
                     &part) == -1)
      return -1;
    if (spec->permille >= 0) {
      if (old_size > (uint64_t) INT64_MAX - part)
        return -1;
      *new_size_r = old_size + part;
    }
    else {
      if (part > old_size || old_size - part > (uint64_t) INT64_MAX)
        return -1;
      *new_size_r = old_size - part;
    }
    return 0;
  }
  return -1;
}

/* Upstream computes each level from the truncated previous level, so
 * 1536K prints as "1.5M"; keep that so summaries match byte for byte.
 */
char *
gk_human_size (int64_t bytes)
{
  const char *sign = bytes < 0 ? "-" : "";
  uint64_t i = bytes < 0 ? -(uint64_t) bytes : (uint64_t) bytes;
  static const char units[] = "KMG";

  if (i < 1024)
    return xasprintf ("%s%" PRIu64, sign, i);
  for (size_t u = 0; ; ++u) {
    double f = (double) i / 1024.0;

    i /= 1024;
    if (i < 1024 || u == sizeof units - 2)
      return xasprintf ("%s%.1f%c", sign, f, units[u]);
  }
}

/* Like gnulib's human_readable with round-to-nearest, autoscale and base
 * 1024, which upstream virt-df uses: exact integer arithmetic, ties
 * rounded to even ("1.25M" is "1.2M", "10.5K" is "10K"), one decimal
 * below 10, and a value that rounds up to 1024 moves to the next unit.
 */
char *
gk_human_size_df (uint64_t bytes, char *buf)
{
  static const char units[] = "KMGTPE";
  uint64_t amount = bytes;
  /* What the divisions dropped: TENTHS is the first decimal digit, and
   * REST says whether the remainder after it is zero (0), below half (1),
   * exactly half (2) or above half (3) of a tenth.
   */
  unsigned tenths = 0, rest = 0;
  int power = 0;

  while (amount >= 1024 && power < 6) {
    unsigned r10 = (unsigned) (amount % 1024) * 10 + tenths;
    unsigned r2 = (r10 % 1024) * 2 + (rest >> 1);

    amount /= 1024;
    tenths = r10 / 1024;
    rest = r2 < 1024 ? (r2 + rest) != 0 : 2 + (1024 < r2 + rest);
    power++;
  }
  if (power == 0) {
    sprintf (buf, "%" PRIu64, bytes);
    return buf;
  }
  if (amount < 10) {
    if (2 < rest + (tenths & 1)) {
      tenths++;
      if (tenths == 10) {
        amount++;
        tenths = 0;
      }
    }
    if (amount < 10) {
      sprintf (buf, "%" PRIu64 ".%u%c", amount, tenths, units[power-1]);
      return buf;
    }
    rest = 0;
  }
  if (5 < tenths + (0 < rest + (amount & 1))) {
    amount++;
    /* 1023.6K is "1.0M", not "1024K". */
    if (amount == 1024 && power < 6) {
      sprintf (buf, "1.0%c", units[power]);
      return buf;
    }
  }
  sprintf (buf, "%" PRIu64 "%c", amount, units[power-1]);
  return buf;
}
