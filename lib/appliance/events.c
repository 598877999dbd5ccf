/* guestkit: libguestfs progress events drive the progress bar. */
#include <config.h>

#include <stdint.h>

#include <guestfs.h>

#include "appliance/events.h"
#include "utils/machine-readable.h"
#include "utils/progress.h"

/* ARRAY is { proc_nr, serial, position, total }.  The launch reports
 * itself with proc_nr 0 in twelfths ("9/12", when it takes over five
 * seconds): a bar on a terminal, ended when it is complete, but not a
 * machine-readable progress line, which a program reads as bytes.
 */
static void
progress_event (guestfs_h *g, void *opaque, uint64_t event, int event_handle,
                int flags, const char *buf, size_t buf_len,
                const uint64_t *array, size_t array_len)
{
  if (event == GUESTFS_EVENT_ENTER) {
    gk_progress_reset ();
    return;
  }
  if (array_len < 4)
    return;
  if (array[0] == 0) {
    if (gk_machine_readable)
      return;
    /* Its last step ends the bar: what follows is not part of it. */
    gk_progress_update (array[2], array[3]);
    if (array[2] >= array[3])
      gk_progress_finish ();
    return;
  }
  gk_progress_update (array[2], array[3]);
}

void
gk_progress_attach (guestfs_h *g)
{
  if (!gk_progress_enabled ())
    return;
  guestfs_set_event_callback (g, progress_event,
                              GUESTFS_EVENT_PROGRESS | GUESTFS_EVENT_ENTER,
                              0, NULL);
}
