/* guestkit fuzz target: partition tables (lib/ondisk/ptable.c, mbr.c,
 * gpt.c), built twice: fuzz-mbr (sector 0 is made an MBR disk: no
 * protective entry) and fuzz-gpt (-DFUZZ_GPT: entry 1 is made
 * protective, so the GPT reader runs).  The input is the whole disk.
 *
 * Beyond "no crash, no leak, no read past the disk": a table that reads
 * back is well formed, and if it can be written to a disk of the same
 * size, what is written reads back equal.
 */
#include <config.h>

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "ondisk/ptable.h"
#include "utils/string-list.h"

static void
check_table (const struct gk_ptable *t, uint64_t disk_size)
{
  FUZZ_CHECK (t->sector_size == 512 || t->sector_size == 4096);
  FUZZ_CHECK (t->first_usable <= t->last_usable);
  FUZZ_CHECK (t->last_usable <= disk_size);
  for (size_t i = 0; i < t->parts.len; ++i) {
    const struct gk_partition *p = &t->parts.ptr[i];

    FUZZ_CHECK (p->size > 0 && p->start % t->sector_size == 0 &&
                p->size % t->sector_size == 0);
    FUZZ_CHECK (p->start <= disk_size && p->size <= disk_size - p->start);
    FUZZ_CHECK (p->name != NULL && fuzz_valid_utf8 (p->name));
    FUZZ_CHECK (i == 0 || t->parts.ptr[i - 1].num < p->num);
  }
}

static bool
same_partition (const struct gk_partition *a, const struct gk_partition *b)
{
  return a->num == b->num && a->start == b->start && a->size == b->size &&
    a->mbr_id == b->mbr_id && a->bootable == b->bootable &&
    a->extended == b->extended && a->logical == b->logical &&
    /* The writer puts the first EBR at the start of the extended
     * partition, as Linux expects, wherever the first data entry was.
     */
    (!a->logical || a->num == 5 || a->ebr_gap == b->ebr_gap) &&
    memcmp (a->type_guid, b->type_guid, 16) == 0 &&
    memcmp (a->part_guid, b->part_guid, 16) == 0 &&
    a->attributes == b->attributes && STREQ (a->name, b->name);
}

static void
print_partition (const char *what, const struct gk_partition *p)
{
  fprintf (stderr, "%s: num %d start %" PRIu64 " size %" PRIu64
           " id 0x%02x%s%s%s ebr_gap %" PRIu64 " attrs 0x%" PRIx64
           " name \"%s\"\n", what, p->num, p->start, p->size, p->mbr_id,
           p->bootable ? " bootable" : "", p->extended ? " extended" : "",
           p->logical ? " logical" : "", p->ebr_gap, p->attributes,
           p->name);
}

static void
round_trip (const struct gk_ptable *t, uint64_t disk_size)
{
  struct fuzz_disk *d = fuzz_disk (NULL, 0, disk_size, 0);
  struct gk_ptable *t2 = NULL;
  char *errmsg = NULL;

  if (gk_ptable_write (t, disk_size, fuzz_pwrite_fn, d, &errmsg) == 0) {
    FUZZ_CHECK (errmsg == NULL);
    if (gk_ptable_read (fuzz_pread_fn, d, disk_size, &t2, &errmsg) != 0) {
      fprintf (stderr, "written table does not read back: %s\n", errmsg);
      FUZZ_CHECK (!"the written table reads back");
    }
    FUZZ_CHECK (t2->type == t->type && t2->sector_size == t->sector_size &&
                t2->mbr_signature == t->mbr_signature &&
                memcmp (t2->disk_guid, t->disk_guid, 16) == 0 &&
                t2->parts.len == t->parts.len);
    for (size_t i = 0; i < t->parts.len; ++i)
      if (!same_partition (&t->parts.ptr[i], &t2->parts.ptr[i])) {
        print_partition ("read", &t->parts.ptr[i]);
        print_partition ("written and read back", &t2->parts.ptr[i]);
        FUZZ_CHECK (!"the written table reads back equal");
      }
    gk_ptable_free (t2);
  }
  else
    FUZZ_CHECK (errmsg != NULL);
  free (errmsg);
  fuzz_disk_free (d);
}

/* Read the table, request FAIL_AT failing; the requests made. */
static unsigned
run (const uint8_t *data, size_t size, unsigned fail_at)
{
  struct fuzz_disk *d = fuzz_disk (data, size, 0, fail_at);
  struct gk_ptable *t = NULL;
  char *errmsg = NULL;
  unsigned requests;
  int r;

  if (d->m.size >= 512) {
    uint8_t *e = d->m.data + 446;
#ifdef FUZZ_GPT
    e[4] = 0xee;
#else
    for (int i = 0; i < 4; ++i)
      if (e[16 * i + 4] == 0xee)
        e[16 * i + 4] = 0x83;
#endif
    d->m.data[510] = 0x55;
    d->m.data[511] = 0xaa;
  }

  r = gk_ptable_read (fuzz_pread_fn, d, d->m.size, &t, &errmsg);
  fuzz_check_failure (d, r, errmsg);
  if (r == 0) {
    FUZZ_CHECK (t != NULL && errmsg == NULL);
#ifdef FUZZ_GPT
    FUZZ_CHECK (t->type == GK_PTABLE_GPT);
#else
    FUZZ_CHECK (t->type == GK_PTABLE_MBR);
#endif
    check_table (t, d->m.size);
    {
      struct gk_ptable *c = gk_ptable_copy (t);
      gk_ptable_free (c);
    }
    if (fail_at == 0)
      round_trip (t, d->m.size);
    gk_ptable_free (t);
  }
  else
    FUZZ_CHECK (t == NULL && errmsg != NULL);
  free (errmsg);
  requests = d->requests;
  fuzz_disk_free (d);
  return requests;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  return fuzz_disk_with_failures (data, size, run);
}
