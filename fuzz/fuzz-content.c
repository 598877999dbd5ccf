/* guestkit fuzz target: superblock probes (lib/ondisk/content.c): ext,
 * xfs, btrfs, f2fs, ntfs, vfat, swap, LVM PV, LUKS.  The input is the
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

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct gk_mem_disk *m;
  struct gk_content c;
  char *errmsg = NULL;

  gk_ondisk_fuzzing = true;
  if (size > 16 << 20)
    return 0;
  m = fuzz_disk (data, size, PARTITION_SIZE);
  if (gk_content_probe (gk_mem_pread_fn, m, 0, m->size, &c, &errmsg) == 0) {
    FUZZ_CHECK (errmsg == NULL);
    check_content (&c);
    if (c.kind == GK_CONTENT_SWAP &&
        gk_swap_resize (gk_mem_pread_fn, gk_mem_pwrite_fn, m, 0, m->size,
                        &errmsg) == 0) {
      uint32_t ps = c.block_size;

      FUZZ_CHECK (errmsg == NULL);
      FUZZ_CHECK (gk_content_probe (gk_mem_pread_fn, m, 0, m->size, &c,
                                    &errmsg) == 0);
      FUZZ_CHECK (c.kind == GK_CONTENT_SWAP && c.block_size == ps &&
                  c.size == m->size / ps * ps);
    }
  }
  else
    FUZZ_CHECK (errmsg != NULL);
  free (errmsg);
  fuzz_disk_free (m);
  return 0;
}
