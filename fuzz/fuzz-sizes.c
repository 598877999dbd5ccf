/* guestkit fuzz target: sizes (lib/utils/sizes.c): --resize sizes,
 * relative and percentage resizes applied to any partition size, and
 * the two ways of printing a size.  The first 8 bytes of the input are
 * a size, the rest the text.
 */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "ondisk/byteorder.h"
#include "utils/sizes.h"

static void
check_apply (const struct gk_resize_spec *spec, uint64_t old_size)
{
  uint64_t new_size;

  if (gk_resize_apply (spec, old_size, &new_size) == -1)
    return;
  FUZZ_CHECK (new_size <= (uint64_t) INT64_MAX);
  if (spec->kind == GK_RESIZE_RELATIVE)
    FUZZ_CHECK ((__int128) new_size ==
                (__int128) old_size + (__int128) spec->bytes);
  if (spec->kind == GK_RESIZE_ABSOLUTE)
    FUZZ_CHECK (new_size == (uint64_t) spec->bytes);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  uint8_t num[8] = { 0 };
  char *str, buf[32];
  uint64_t n, bytes;
  struct gk_resize_spec spec;

  memcpy (num, data, size < 8 ? size : 8);
  n = gk_le64 (num);
  str = fuzz_string (data + (size < 8 ? size : 8), size < 8 ? 0 : size - 8);

  if (gk_parse_size (str, &bytes) == 0)
    FUZZ_CHECK (bytes <= (uint64_t) INT64_MAX);
  if (gk_parse_resize (str, &spec) == 0) {
    static const uint64_t olds[] = {
      0, 1, 512, UINT64_C (1) << 30, UINT64_C (1) << 62,
      (uint64_t) INT64_MAX, (UINT64_C (1) << 63) + 5, UINT64_MAX,
    };
    for (size_t i = 0; i < sizeof olds / sizeof olds[0]; ++i)
      check_apply (&spec, olds[i]);
    check_apply (&spec, n);
  }
  free (str);

  str = gk_human_size ((int64_t) n);
  FUZZ_CHECK (strlen (str) < 32);
  free (str);
  FUZZ_CHECK (strlen (gk_human_size_df (n, buf)) < sizeof buf);
  return 0;
}
