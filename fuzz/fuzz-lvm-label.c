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

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct gk_mem_disk *m;
  struct gk_lvm_label label;
  struct gk_lvm_vg *vg = NULL;
  char *errmsg = NULL;

  gk_ondisk_fuzzing = true;
  if (size > 16 << 20)
    return 0;
  m = fuzz_disk (data, size, PV_SIZE);
  if (gk_lvm_read_pv (gk_mem_pread_fn, m, 0, m->size, &label, &vg,
                      &errmsg) == 0) {
    FUZZ_CHECK (errmsg == NULL);
    FUZZ_CHECK (strlen (label.pv_id) == 38);
    if (vg) {
      fuzz_walk_vg (vg);
      (void) gk_lvm_find_pv (vg, label.pv_id);
      gk_lvm_vg_free (vg);
    }
  }
  else
    FUZZ_CHECK (errmsg != NULL && vg == NULL);
  free (errmsg);
  fuzz_disk_free (m);
  return 0;
}
