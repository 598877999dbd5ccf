/* guestkit fuzz target: superblock probes (lib/ondisk/content.c): ext,
 * xfs, btrfs, f2fs, ntfs, vfat, swap, LVM PV, LUKS, and the MD member
 * check.  The input is the
 * start of a partition of at least 256 KiB (the rest reads as zeroes).
 * A swap area found is also resized and probed again.
 */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "ondisk/content.h"
#include "utils/string-list.h"

#define PARTITION_SIZE (256 * 1024)

static void
check_content (const struct gk_content *c)
{
  char uuid[64];

  FUZZ_CHECK (memchr (c->type, '\0', sizeof c->type) != NULL);
  FUZZ_CHECK (memchr (c->label, '\0', sizeof c->label) != NULL);
  FUZZ_CHECK ((c->kind == GK_CONTENT_UNKNOWN) == STREQ (c->type, "unknown"));
  if (STREQ (c->type, "ntfs") || STREQ (c->type, "f2fs"))
    FUZZ_CHECK (fuzz_valid_utf8 (c->label));
  FUZZ_CHECK (gk_content_uuid_string (c, uuid, sizeof uuid) < 37);
}

/* Probe, request FAIL_AT failing; the requests made. */
static unsigned
run (const uint8_t *data, size_t size, unsigned fail_at)
{
  struct fuzz_disk *d = fuzz_disk (data, size, PARTITION_SIZE, fail_at);
  struct gk_content c;
  char *errmsg = NULL;
  unsigned requests;
  int r;

  r = gk_content_probe (fuzz_pread_fn, d, 0, d->m.size, &c, &errmsg);
  fuzz_check_failure (d, r, errmsg);
  if (r == 0) {
    FUZZ_CHECK (errmsg == NULL);
    check_content (&c);
    if (c.kind == GK_CONTENT_SWAP) {
      uint32_t ps = c.block_size;

      r = gk_swap_resize (fuzz_pread_fn, fuzz_pwrite_fn, d, 0, d->m.size,
                          &errmsg);
      fuzz_check_failure (d, r, errmsg);
      FUZZ_CHECK ((r == -1) == (errmsg != NULL));
      if (r == 0) {
        r = gk_content_probe (fuzz_pread_fn, d, 0, d->m.size, &c, &errmsg);
        fuzz_check_failure (d, r, errmsg);
        if (r == 0)
          FUZZ_CHECK (c.kind == GK_CONTENT_SWAP && c.block_size == ps &&
                      c.size == d->m.size / ps * ps);
      }
    }
  }
  else
    FUZZ_CHECK (errmsg != NULL);
  free (errmsg);
  errmsg = NULL;
  {
    unsigned before = d->requests;   /* the failing one may be past */
    bool member = false;

    r = gk_content_md_member (fuzz_pread_fn, d, 0, d->m.size, &member,
                              &errmsg);
    if (d->fail_at > before)
      fuzz_check_failure (d, r, errmsg);
    else
      FUZZ_CHECK (r == 0);
    FUZZ_CHECK ((r == -1) == (errmsg != NULL));
    FUZZ_CHECK (r == 0 || !member);
    free (errmsg);
  }
  requests = d->requests;
  fuzz_disk_free (d);
  return requests;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return fuzz_disk_with_failures (data, size, run);
}
