/* guestkit: JSON string output. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "utils/json.h"

/* The length of the well-formed UTF-8 sequence at P (at most LEN
 * bytes), or 0 if it is not one: overlong forms, surrogates and code
 * points above U+10FFFF are refused, as JSON parsers do.
 */
static size_t
utf8_sequence (const unsigned char *p, size_t len)
{
  size_t n;
  unsigned min, cp;

  if (p[0] < 0xc2 || p[0] > 0xf4)
    return 0;
  if (p[0] < 0xe0) { n = 2; min = 0x80; cp = p[0] & 0x1f; }
  else if (p[0] < 0xf0) { n = 3; min = 0x800; cp = p[0] & 0x0f; }
  else { n = 4; min = 0x10000; cp = p[0] & 0x07; }
  if (len < n)
    return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return n;
}

void
gk_json_write_buffer (FILE *fp, const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *) s;

  fputc ('"', fp);
  for (size_t i = 0; i < len; ++i) {
    size_t n;

    switch (p[i]) {
    case '"':  fputs ("\\\"", fp); break;
    case '\\': fputs ("\\\\", fp); break;
    case '\b': fputs ("\\b", fp); break;
    case '\f': fputs ("\\f", fp); break;
    case '\n': fputs ("\\n", fp); break;
    case '\r': fputs ("\\r", fp); break;
    case '\t': fputs ("\\t", fp); break;
    default:
      if (p[i] < 0x20 || p[i] == 0x7f)
        fprintf (fp, "\\u%04x", p[i]);
      else if (p[i] < 0x80)
        fputc (p[i], fp);
      else if ((n = utf8_sequence (&p[i], len - i)) > 0) {
        fwrite (&p[i], 1, n, fp);
        i += n - 1;
      }
      else
        fprintf (fp, "\\u%04x", p[i]);
    }
  }
  fputc ('"', fp);
}

void
gk_json_write_string (FILE *fp, const char *s)
{
  gk_json_write_buffer (fp, s, strlen (s));
}
