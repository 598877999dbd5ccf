/* guestkit: on-disk integer fields, checksums and UTF-16 strings.
 *
 * Partition tables, superblocks and LVM labels store fixed-endian
 * fields at any alignment, checksum them with CRC-32 and name things in
 * UTF-16LE.  Every parser in lib/ reads them the same way from here.
 */

#ifndef GUESTKIT_BYTEORDER_H
#define GUESTKIT_BYTEORDER_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t
gk_le16 (const uint8_t *p)
{
  return p[0] | (uint16_t) p[1] << 8;
}

static inline uint32_t
gk_le32 (const uint8_t *p)
{
  return gk_le16 (p) | (uint32_t) gk_le16 (p + 2) << 16;
}

static inline uint64_t
gk_le64 (const uint8_t *p)
{
  return gk_le32 (p) | (uint64_t) gk_le32 (p + 4) << 32;
}

static inline uint32_t
gk_be32 (const uint8_t *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | p[2] << 8 | p[3];
}

static inline uint64_t
gk_be64 (const uint8_t *p)
{
  return (uint64_t) gk_be32 (p) << 32 | gk_be32 (p + 4);
}

static inline void
gk_put_le16 (uint8_t *p, uint16_t v)
{
  p[0] = v;
  p[1] = v >> 8;
}

static inline void
gk_put_le32 (uint8_t *p, uint32_t v)
{
  gk_put_le16 (p, v);
  gk_put_le16 (p + 2, v >> 16);
}

static inline void
gk_put_le64 (uint8_t *p, uint64_t v)
{
  gk_put_le32 (p, v);
  gk_put_le32 (p + 4, v >> 32);
}

/* The reflected CRC-32 (polynomial 0xedb88320) without the initial and
 * final inversions, so each format adds its own: GPT (and zlib) use
 * ~gk_crc32_update (0xffffffff, ...), LVM starts from 0xf597a6cf and
 * does not invert.
 */
extern uint32_t gk_crc32_update (uint32_t crc, const uint8_t *buf,
                                 size_t len);

/* UTF-16LE (at most UNITS code units, stopping at a NUL) to a new UTF-8
 * string.  Unpaired surrogates become U+FFFD.  Caller frees.
 */
extern char *gk_utf16le_to_utf8 (const uint8_t *p, size_t units);

/* UTF-8 to UTF-16LE in UNITS code units, zero-padded.  Returns -1 if
 * STR is not valid UTF-8 or does not fit.
 */
extern int gk_utf8_to_utf16le (const char *str, uint8_t *p, size_t units);

#endif /* GUESTKIT_BYTEORDER_H */
