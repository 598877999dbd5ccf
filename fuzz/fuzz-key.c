/* guestkit fuzz target: the --key selector (lib/options/options.c). */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "options/options.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *arg = fuzz_string (data, size);
  struct gk_key key;
  char *errmsg = NULL;

  if (gk_parse_key_selector (arg, &key, &errmsg) == 0) {
    FUZZ_CHECK (errmsg == NULL);
    FUZZ_CHECK (key.id && *key.id && strchr (key.id, ':') == NULL);
    FUZZ_CHECK (key.value != NULL);
    FUZZ_CHECK (key.type == GK_KEY_STRING ||
                (key.type == GK_KEY_FILE && *key.value));
    free (key.id);
    free (key.value);
  }
  else
    FUZZ_CHECK (errmsg != NULL);
  free (errmsg);
  free (arg);
  return 0;
}
