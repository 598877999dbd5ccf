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

/* Read the PV, request FAIL_AT failing; the requests made.  A damaged
 * metadata area is not an error when another is good; a failed read
 * is.
 */
static unsigned
run (const uint8_t *data, size_t size, unsigned fail_at)
{
  struct fuzz_disk *d = fuzz_disk (data, size, PV_SIZE, fail_at);
  struct gk_lvm_label label;
  struct gk_lvm_vg *vg = NULL;
  char *errmsg = NULL;
  unsigned requests;
  int r;

  r = gk_lvm_read_pv (fuzz_pread_fn, d, 0, d->m.size, &label, &vg,
                      &errmsg);
  /* A failed read is an error whatever else is good. */
  fuzz_check_failure (d, r, errmsg);
  if (r == 0) {
    FUZZ_CHECK (errmsg == NULL);
    FUZZ_CHECK (strlen (label.pv_id) == 38);
    if (vg) {
      const struct gk_lvm_pv *pv = gk_lvm_find_pv (vg, label.pv_id);

      fuzz_walk_vg (vg);
      /* The PV's size holds its extents (saturating). */
      if (pv && vg->extent_size &&
          pv->pe_count <= UINT64_MAX / vg->extent_size &&
          pv->pe_start <= UINT64_MAX - pv->pe_count * vg->extent_size)
        FUZZ_CHECK (label.pv_size >=
                    pv->pe_start + pv->pe_count * vg->extent_size);
      if (pv && pv->dev_size)
        FUZZ_CHECK (label.pv_size >= pv->dev_size);
      gk_lvm_vg_free (vg);
    }
    else
      FUZZ_CHECK (label.pv_size >= label.device_size);
  }
  else
    FUZZ_CHECK (errmsg != NULL && vg == NULL);
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
