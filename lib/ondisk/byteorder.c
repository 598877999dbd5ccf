/* guestkit: CRC-32 and UTF-16 conversions (see byteorder.h). */
#include <config.h>

#include <string.h>

#include "ondisk/byteorder.h"
#include "utils/alloc.h"

uint32_t
gk_crc32_update (uint32_t crc, const uint8_t *buf, size_t len)
{
  /* Bitwise: the tables and headers checksummed here are a few KiB. */
  while (len--) {
    crc ^= *buf++;
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return crc;
}

char *
gk_utf16le_to_utf8 (const uint8_t *p, size_t units)
{
  char *out = xmalloc (units * 3 + 1);
  size_t o = 0;

  for (size_t i = 0; i < units; ++i) {
    uint32_t c = gk_le16 (p + 2 * i);
    if (c == 0)
      break;
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < units) {
      uint32_t c2 = gk_le16 (p + 2 * (i + 1));
      if (c2 >= 0xdc00 && c2 < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
        i++;
      }
      else
        c = 0xfffd;
    }
    else if (c >= 0xd800 && c < 0xe000)
      c = 0xfffd;               /* lone surrogate */

    if (c < 0x80)
      out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    }
    else if (c < 0x10000) {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
    else {
      /* 4 bytes for 2 units: still within units * 3. */
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 0x3f);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  out[o] = '\0';
  return out;
}

int
gk_utf8_to_utf16le (const char *name, uint8_t *p, size_t units)
{
  const uint8_t *s = (const uint8_t *) name;
  size_t u = 0;

  memset (p, 0, units * 2);
  while (*s) {
    uint32_t c;
    int extra;

    if (*s < 0x80) { c = *s; extra = 0; }
    else if ((*s & 0xe0) == 0xc0) { c = *s & 0x1f; extra = 1; }
    else if ((*s & 0xf0) == 0xe0) { c = *s & 0x0f; extra = 2; }
    else if ((*s & 0xf8) == 0xf0) { c = *s & 0x07; extra = 3; }
    else return -1;
    s++;
    for (int k = 0; k < extra; ++k, ++s) {
      if ((*s & 0xc0) != 0x80)
        return -1;
      c = (c << 6) | (*s & 0x3f);
    }
    if (c >= 0x10000) {
      if (u + 2 > units)
        return -1;
      c -= 0x10000;
      gk_put_le16 (p + 2 * u++, 0xd800 + (c >> 10));
      gk_put_le16 (p + 2 * u++, 0xdc00 + (c & 0x3ff));
    }
    else {
      if (u + 1 > units)
        return -1;
      gk_put_le16 (p + 2 * u++, c);
    }
  }
  return 0;
}
