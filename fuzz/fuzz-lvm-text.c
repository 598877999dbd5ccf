/* guestkit fuzz target: the LVM VG metadata text on its own
 * (lib/ondisk/lvm-metadata.c).  The input is the text, not
 * NUL-terminated, so a read past it is seen by ASan.
 */
#include <config.h>

#include "fuzz.h"
#include "fuzz-lvm.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  struct gk_lvm_vg *vg = NULL;
  char *errmsg = NULL;

  if (gk_lvm_parse_metadata ((const char *) data, size, &vg,
                             &errmsg) == 0) {
    FUZZ_CHECK (vg != NULL && errmsg == NULL);
    fuzz_walk_vg (vg);
    gk_lvm_vg_free (vg);
  }
  else {
    FUZZ_CHECK (vg == NULL && errmsg != NULL);
    /* Guest text in a message a terminal shows: printable only. */
    for (const char *p = errmsg; *p; ++p)
      FUZZ_CHECK (*p >= 0x20 && *p < 0x7f);
  }
  free (errmsg);
  return 0;
}
