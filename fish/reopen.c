/* guestfish: reopen (fish.h).  The handle is closed and a new one made
 * with the settings guestfish gave the old one, as upstream: the error
 * handler, verbose, trace, autosync, the appliance path, pgroup, the
 * network and the progress bars, plus what every guestkit handle gets
 * (gk_handle_create).  The new handle is empty, as upstream's: disks
 * are added again, and the appliance starts again on "run".  The event
 * handlers move to it; the old handle's close event runs them first.
 */
#include <config.h>

#include "appliance/events.h"
#include "appliance/handle.h"
#include "fish.h"

int
fish_reopen (char *const *words)
{
  guestfs_error_handler_cb cb;
  void *cb_data;
  guestfs_h *g2;
  const char *path;
  int r;

  if (fish_check_argc (words, 0, 0) == -1)
    return -1;
  /* The new handle first: if it cannot be made, the old one stays. */
  g2 = gk_handle_create ();
  cb = guestfs_get_error_handler (fish.g, &cb_data);
  guestfs_set_error_handler (g2, cb, cb_data);
  if ((r = guestfs_get_verbose (fish.g)) >= 0)
    guestfs_set_verbose (g2, r);
  if ((r = guestfs_get_autosync (fish.g)) >= 0)
    guestfs_set_autosync (g2, r);
  if ((path = guestfs_get_path (fish.g)) != NULL)
    guestfs_set_path (g2, path);
  if ((r = guestfs_get_pgroup (fish.g)) >= 0)
    guestfs_set_pgroup (g2, r);
  if ((r = guestfs_get_network (fish.g)) >= 0)
    guestfs_set_network (g2, r);
  if (fish.progress_bars)
    gk_progress_attach (g2);
  /* Last, so the copying is not traced twice. */
  if ((r = guestfs_get_trace (fish.g)) >= 0)
    guestfs_set_trace (g2, r);

  guestfs_close (fish.g);
  fish.g = g2;
  fish_events_attach (g2);
  return 0;
}
