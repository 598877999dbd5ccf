/* guestkit test harness: launch the appliance once the way the tools
 * do (lib/appliance: gk_handle_create and gk_launch, with the launch
 * settings they choose), and shut it down.
 *
 * Usage: launch-lib
 *
 * The counterpart of launch-once, which uses libguestfs's defaults:
 * bench/launch times the two side by side.  Exit 0 on success.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "appliance/handle.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/tmpfiles.h"

int
main (int argc, char *argv[])
{
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;

  (void) argv;
  gk_init_program ("launch-lib");
  if (argc != 1)
    gk_error ("usage: launch-lib");
  g = gk_handle_create ();
  gk_guestfs_check (g, guestfs_add_drive_opts (g, "/dev/null",
                                               GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                               "raw",
                                               GUESTFS_ADD_DRIVE_OPTS_READONLY,
                                               1, -1), "add_drive");
  if (gk_launch (g) == -1)
    exit (EXIT_FAILURE);
  gk_guestfs_check (g, guestfs_shutdown (g), "shutdown");
  exit (EXIT_SUCCESS);
}
