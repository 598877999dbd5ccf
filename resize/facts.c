/* virt-resize: --machine-readable with no disks lists what this
 * virt-resize can do, in upstream's words, so scripts written for
 * upstream keep working.
 */
#include <config.h>

#include <stdlib.h>

#include "appliance/fs-features.h"
#include "utils/machine-readable.h"
#include "resize.h"

void
print_machine_readable_facts (void)
{
  static const char *const facts[] = {
    "virt-resize", "ntfsresize-force", "32bitok", "128-sector-alignment",
    "alignment", "align-first", "infile-uri", NULL
  };
  struct gk_features f;

  for (size_t i = 0; facts[i]; ++i)
    gk_machine_readable_printf ("%s\n", facts[i]);

  /* Which filesystems can be grown is only known by asking the
   * appliance; the answer is cached for planning later runs.
   */
  gk_features_launch_probe (&f);
  if (f.ntfs)
    gk_machine_readable_printf ("ntfs\n");
  if (f.btrfs)
    gk_machine_readable_printf ("btrfs\n");
  if (f.xfs)
    gk_machine_readable_printf ("xfs\n");
  if (f.f2fs)
    gk_machine_readable_printf ("f2fs\n");
  exit (EXIT_SUCCESS);
}
