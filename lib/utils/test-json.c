/* guestkit: unit tests for lib/utils/json.c, printed as TAP.
 *
 * Whatever bytes a guest holds, the text written must be one valid JSON
 * string that reads back as the same characters where they were UTF-8.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/tap.h"
#include "utils/json.h"

static void
buffer_is (const char *p, size_t len, const char *expected,
           const char *what)
{
  char *out = NULL;
  size_t size = 0;
  FILE *fp = open_memstream (&out, &size);

  gk_json_write_buffer (fp, p, len);
  fclose (fp);
  is_str (out, expected, what);
  free (out);
}

int
main (void)
{
  buffer_is ("plain", 5, "\"plain\"", "ASCII");
  buffer_is ("a\"b\\c\n\t", 7, "\"a\\\"b\\\\c\\n\\t\"", "escapes");
  buffer_is ("a\0b", 3, "\"a\\u0000b\"", "a NUL inside a buffer");
  buffer_is ("\x01\x7f", 2, "\"\\u0001\\u007f\"", "control characters");
  buffer_is ("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"", "UTF-8 kept");
  buffer_is ("\xf0\x9f\x90\x9f", 4, "\"\xf0\x9f\x90\x9f\"",
             "a 4-byte UTF-8 sequence kept");
  buffer_is ("\xff\xfe", 2, "\"\\u00ff\\u00fe\"", "invalid bytes");
  buffer_is ("\xc3", 1, "\"\\u00c3\"", "a truncated sequence");
  buffer_is ("\xc0\xaf", 2, "\"\\u00c0\\u00af\"", "an overlong form");
  buffer_is ("\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"",
             "a surrogate");
  buffer_is ("\xc3(", 2, "\"\\u00c3(\"", "a lead byte then ASCII");
  {
    char *out = NULL;
    size_t size = 0;
    FILE *fp = open_memstream (&out, &size);

    gk_json_write_string (fp, "x\xe2\x82\xac");
    fclose (fp);
    is_str (out, "\"x\xe2\x82\xac\"", "gk_json_write_string");
    free (out);
  }
  return tap_done ();
}
