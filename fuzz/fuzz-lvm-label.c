/* guestkit fuzz target: LVM PV labels and metadata areas
 * (lib/ondisk/lvm-label.c, then the text parser).  The input is the
 * start of a PV of at least 1 MiB, where LVM's first metadata area
 * ends (the rest reads as zeroes).
 */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "fuzz-lvm.h"
#include "ondisk/lvm-label.h"

#define PV_SIZE (1 << 20)

/* Read the PV, request FAIL_AT failing; the requests made.  A failed
 * read of one metadata area is not an error when another is good.
 */
static unsigned
run (const uint8_t *data, size_t size, unsigned fail_at)
{
  struct fuzz_disk *d = fuzz_disk (data, size, PV_SIZE, fail_at);
  struct gk_lvm_label label;
  struct gk_lvm_vg *vg = NULL;
  char *errmsg = NULL;
  unsigned requests;

  if (gk_lvm_read_pv (fuzz_pread_fn, d, 0, d->m.size, &label, &vg,
                      &errmsg) == 0) {
    FUZZ_CHECK (errmsg == NULL);
    FUZZ_CHECK (strlen (label.pv_id) == 38);
    if (vg) {
      fuzz_walk_vg (vg);
      (void) gk_lvm_find_pv (vg, label.pv_id);
      gk_lvm_vg_free (vg);
    }
  }
  else {
    FUZZ_CHECK (errmsg != NULL && vg == NULL);
    /* The label itself is the first read: nothing else can explain. */
    if (fail_at == 1)
      fuzz_check_failure (d, -1, errmsg);
  }
  free (errmsg);
  requests = d->requests;
  fuzz_disk_free (d);
  return requests;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
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
