/* guestkit: parsing and printing sizes.
 *
 * Units are powers of 1024 as in the upstream tools: b (bytes), K, M, G,
 * T, P, E.  A bare number is bytes.  Resize specifications add a sign for
 * relative changes and '%' for percentages ("+10%", "-500M", "50%").
 */
#ifndef GUESTKIT_SIZES_H
#define GUESTKIT_SIZES_H

#include <stdint.h>

/* Absolute size such as "10G", "512M", "1.5G", "4096".  Returns 0, or -1
 * if STR is not a size (nothing is printed).
 */
extern int gk_parse_size (const char *str, uint64_t *bytes_r);

enum gk_resize_kind {
  GK_RESIZE_ABSOLUTE,     /* "10G" */
  GK_RESIZE_RELATIVE,     /* "+1G", "-500M" (bytes carries the sign) */
  GK_RESIZE_PERCENT,      /* "50%": the new size is 50% of the old */
  GK_RESIZE_RELATIVE_PERCENT, /* "+10%", "-10%" */
};

struct gk_resize_spec {
  enum gk_resize_kind kind;
  int64_t bytes;          /* ABSOLUTE, RELATIVE */
  int64_t permille;       /* PERCENT, RELATIVE_PERCENT (signed) */
};

/* Returns 0, or -1 if STR is malformed.  As upstream's parse_resize:
 * a size with a fraction of a byte is truncated ("1.1M" is 1153433),
 * and a percentage is kept in tenths of a percent, truncated ("33.33%"
 * is 333, "0.05%" is 0).
 */
extern int gk_parse_resize (const char *str, struct gk_resize_spec *spec_r);

/* The new size for a resize spec.  Percentages are upstream's integer
 * arithmetic: OLD * PERMILLE / 1000, truncated ("+10%" adds that to
 * OLD, "-10%" takes it away).  Returns 0, or -1 when the result would be
 * negative or overflow.
 */
extern int gk_resize_apply (const struct gk_resize_spec *spec,
                            uint64_t old_size, uint64_t *new_size_r);

/* Upstream's human_size: "512", "32.0K", "5.0G".  Caller frees. */
extern char *gk_human_size (int64_t bytes);

/* df -h style (round to nearest, autoscale, base 1024, one decimal below
 * 10): "0", "512", "1.0K", "484M", "7.4G".  Writes into BUF (>= 32 bytes)
 * and returns it.
 */
extern char *gk_human_size_df (uint64_t bytes, char *buf);

#endif /* GUESTKIT_SIZES_H */
