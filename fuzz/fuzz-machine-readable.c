/* guestkit fuzz target: the --machine-readable selector
 * (lib/utils/machine-readable.c).
 */
#include <config.h>

#include "fuzz.h"
#include "utils/machine-readable.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *arg = fuzz_string (data, size);
  struct gk_machine_readable_spec spec;
  char *errmsg = NULL;

  if (gk_machine_readable_parse (arg, &spec, &errmsg) == 0) {
    FUZZ_CHECK (errmsg == NULL);
    FUZZ_CHECK (spec.dest != GK_MR_FD || (spec.fd >= 0 && spec.fd <= 65535));
    FUZZ_CHECK ((spec.dest == GK_MR_FILE) == (spec.file != NULL));
    FUZZ_CHECK (spec.file == NULL || *spec.file != '\0');
    free (spec.file);
  }
  else
    FUZZ_CHECK (errmsg != NULL);
  free (errmsg);
  free (arg);
  return 0;
}
