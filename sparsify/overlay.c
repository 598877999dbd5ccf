/* virt-sparsify: the one appliance launch of copy mode.
 *
 * The appliance sees only the qcow2 overlay, read-write with discard
 * passed through: its writes and discards land in the overlay, and the
 * source (the overlay's backing file) is never opened for writing.
 */
#include <config.h>

#include <stdlib.h>

#include "appliance/events.h"
#include "appliance/handle.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/tmpfiles.h"
#include "sparsify.h"

void
sparsify_overlay (const struct sparsify_options *o, const struct overlay *ov)
{
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = NULL;
  struct host_release host = { .complete = false };
  struct release_result r = { .host = &host };
  int pid;

  if (release_on_host (ov->path, o, &host) == -1)
    exit (EXIT_FAILURE);
  g = gk_handle_create ();

  guestfs_push_error_handler (g, NULL, NULL);
  if (!gk_quiet)
    gk_progress_attach (g);
  gk_message ("Examine source disk");
  /* libguestfs's temporary files inside ours: an interruption ends the
   * program at once (utils/tmpfiles.h) and removes ours.
   */
  guestfs_set_tmpdir (g, gk_tmpdir ());
  /* cache=unsafe: the overlay is thrown away if anything fails, so
   * flushes through the emulated disk would only cost time.
   */
  if (guestfs_add_drive_opts (g, ov->path,
                              GUESTFS_ADD_DRIVE_OPTS_FORMAT, "qcow2",
                              GUESTFS_ADD_DRIVE_OPTS_CACHEMODE, "unsafe",
                              GUESTFS_ADD_DRIVE_OPTS_DISCARD, "enable",
                              -1) == -1)
    gk_error ("%s: %s", ov->path, guestfs_last_error (g));
  if (gk_launch (g) == -1)
    exit (EXIT_FAILURE);
  /* An interruption ends the program at once: the appliance must not
   * outlive it (libguestfs's own watchdog did not stop it here).
   */
  pid = guestfs_get_pid (g);
  if (pid > 0)
    gk_interrupt_add_child (pid, -1);
  if (release_free_space (g, o, false, NULL, NULL, &r) == -1)
    exit (EXIT_FAILURE);
  /* libguestfs reaps it now. */
  if (pid > 0)
    gk_interrupt_remove_child (pid);
  /* Its autosync writes out what the guest's kernel still holds: the
   * overlay is complete once it returns.
   */
  gk_guestfs_check (g, guestfs_shutdown (g), "shutdown");
  host_release_free (&host);
}
