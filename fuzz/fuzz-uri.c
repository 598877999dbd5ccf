/* guestkit fuzz target: the URIs -a accepts (lib/options/uri.c). */
#include <config.h>

#include <string.h>

#include "fuzz.h"
#include "options/uri.h"
#include "utils/string-list.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *arg = fuzz_string (data, size);
  struct gk_drive d = { 0 };
  const char *why = NULL;

  if (gk_parse_drive_uri (arg, &d, &why) == 0) {
    FUZZ_CHECK (d.path != NULL);
    if (d.type == GK_DRIVE_URI)
      FUZZ_CHECK (d.protocol != NULL && d.servers != NULL &&
                  d.servers[0] != NULL);
  }
  else
    FUZZ_CHECK (why != NULL);
  /* What gk_options_free frees for a drive, whatever the result. */
  free (d.arg);
  free (d.format);
  free (d.protocol);
  gk_free_string_list (d.servers);
  free (d.path);
  free (d.username);
  free (arg);
  return 0;
}
