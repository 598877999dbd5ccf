/* guestkit test harness: launch the libguestfs appliance once and shut
 * it down, to time the fixed cost every appliance-using tool pays.
 *
 * Usage: launch-once
 *
 * The only disk is /dev/null, read-only, so nothing is read or written
 * and the time measured is the appliance's alone.  Exit 0 on success.
 * Benchmarks use it as a reference instead of an upstream program.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "images/mkimage-common.h"

int
main (int argc, char *argv[])
{
  MK_CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;

  (void) argv;
  if (argc != 1) {
    fprintf (stderr, "usage: launch-once\n");
    exit (EXIT_FAILURE);
  }
  CHECK_PTR (g = guestfs_create ());
  CHECK (guestfs_add_drive_opts (g, "/dev/null",
                                 GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                                 GUESTFS_ADD_DRIVE_OPTS_READONLY, 1, -1));
  CHECK (guestfs_launch (g));
  CHECK (guestfs_shutdown (g));
  exit (EXIT_SUCCESS);
}
