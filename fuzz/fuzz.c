/* guestkit fuzz targets: shared helpers (see fuzz.h). */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "utils/alloc.h"

struct fuzz_disk *
fuzz_disk (const uint8_t *data, size_t len, size_t size, unsigned fail_at)
{
  struct fuzz_disk *d = xcalloc (1, sizeof *d);

  if (size < len)
    size = len;
  d->m.data = xcalloc (1, size);
  d->m.size = size;
  if (len)
    memcpy (d->m.data, data, len);
  d->fail_at = fail_at;
  return d;
}

void
fuzz_disk_free (struct fuzz_disk *d)
{
  FUZZ_CHECK (d->m.out_of_range == 0);
  free (d->m.data);
  free (d);
}

int
fuzz_pread_fn (void *opaque, void *buf, size_t count, uint64_t offset,
               char **errmsg)
{
  struct fuzz_disk *d = opaque;

  if (++d->requests == d->fail_at) {
    *errmsg = xstrdup (FUZZ_IO_ERROR);
    return -1;
  }
  return gk_mem_pread_fn (&d->m, buf, count, offset, errmsg);
}

int
fuzz_pwrite_fn (void *opaque, const void *buf, size_t count,
                uint64_t offset, char **errmsg)
{
  struct fuzz_disk *d = opaque;

  if (++d->requests == d->fail_at) {
    *errmsg = xstrdup (FUZZ_IO_ERROR);
    return -1;
  }
  return gk_mem_pwrite_fn (&d->m, buf, count, offset, errmsg);
}

void
fuzz_check_failure (const struct fuzz_disk *d, int r, const char *errmsg)
{
  if (d->fail_at == 0 || d->requests < d->fail_at)
    return;
  FUZZ_CHECK (r == -1);
  FUZZ_CHECK (errmsg != NULL && strstr (errmsg, FUZZ_IO_ERROR) != NULL);
}

char *
fuzz_string (const uint8_t *data, size_t len)
{
  char *s = xmalloc (len + 1);

  if (len)
    memcpy (s, data, len);
  s[len] = '\0';
  return s;
}

int
fuzz_valid_utf8 (const char *str)
{
  const uint8_t *s = (const uint8_t *) str;

  if (s == NULL)
    return 1;
  while (*s) {
    int extra;
    uint32_t c;

    if (*s < 0x80) { s++; continue; }
    else if ((*s & 0xe0) == 0xc0) { c = *s & 0x1f; extra = 1; }
    else if ((*s & 0xf0) == 0xe0) { c = *s & 0x0f; extra = 2; }
    else if ((*s & 0xf8) == 0xf0) { c = *s & 0x07; extra = 3; }
    else return 0;
    s++;
    for (int i = 0; i < extra; ++i, ++s) {
      if ((*s & 0xc0) != 0x80)
        return 0;
      c = c << 6 | (*s & 0x3f);
    }
    if ((extra == 1 && c < 0x80) || (extra == 2 && c < 0x800) ||
        (extra == 3 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c < 0xe000))
      return 0;
  }
  return 1;
}

int
fuzz_disk_with_failures (const uint8_t *data, size_t size,
                         fuzz_disk_run_fn run)
{
  unsigned n;

  gk_ondisk_fuzzing = true;
  if (size > 16 << 20)
    return 0;
  n = run (data, size, 0);
  for (unsigned k = 1; k <= n && k <= FUZZ_MAX_FAILURES; ++k)
    run (data, size, k);
  return 0;
}
