/* guestkit: the --machine-readable fact list (see facts.h). */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>

#include "appliance/facts.h"
#include "appliance/fs-features.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/string-list.h"

static bool
has_feature (const struct gk_features *f, const char *name)
{
  if (STREQ (name, "ntfs")) return f->ntfs;
  if (STREQ (name, "btrfs")) return f->btrfs;
  if (STREQ (name, "xfs")) return f->xfs;
  if (STREQ (name, "f2fs")) return f->f2fs;
  gk_error ("internal error: unknown appliance feature ‘%s’", name);
}

void
gk_print_facts (const char *const *facts, const char *const *features)
{
  struct gk_features f;

  for (size_t i = 0; facts[i]; ++i)
    gk_machine_readable_printf ("%s\n", facts[i]);

  /* Asked of an appliance once, then remembered for as long as the
   * appliance's files do not change (fs-features.c): scripts that read
   * the fact list before each run do not pay a launch every time.
   */
  gk_features_cached (&f);
  if (!f.known)
    gk_features_launch_probe (&f);
  for (size_t i = 0; features[i]; ++i)
    if (has_feature (&f, features[i]))
      gk_machine_readable_printf ("%s\n", features[i]);
  exit (EXIT_SUCCESS);
}
