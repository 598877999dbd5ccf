/* guestkit: a handle's mounted tree served through FUSE (see fuse.h).
 */
#include <config.h>

#include <string.h>

#include "utils/messages.h"
#include "appliance/fuse.h"

int
gk_fuse_serve (guestfs_h *g, const struct gk_fuse_serve *s)
{
  struct guestfs_mount_local_argv args = {
    .bitmask = GUESTFS_MOUNT_LOCAL_READONLY_BITMASK,
    .readonly = s->readonly,
  };

  if (s->options) {
    args.bitmask |= GUESTFS_MOUNT_LOCAL_OPTIONS_BITMASK;
    args.options = s->options;
  }
  if (s->cachetimeout >= 0) {
    args.bitmask |= GUESTFS_MOUNT_LOCAL_CACHETIMEOUT_BITMASK;
    args.cachetimeout = s->cachetimeout;
  }
  if (s->debugcalls) {
    args.bitmask |= GUESTFS_MOUNT_LOCAL_DEBUGCALLS_BITMASK;
    args.debugcalls = 1;
  }
  if (guestfs_mount_local_argv (g, s->dir, &args) == -1) {
    const char *err = guestfs_last_error (g);

    /* libfuse may add its usage: the first line says it. */
    gk_error_noexit ("cannot mount %s with FUSE: %.*s", s->what,
                     err ? (int) strcspn (err, "\n") : 13,
                     err ? err : "unknown error");
    return -1;
  }
  if (s->ready)
    s->ready (s->opaque);
  /* Each failed request of the FUSE loop is an errno for the caller,
   * not a message.
   */
  if (guestfs_mount_local_run (g) == -1) {
    gk_error_noexit ("serving %s failed: %s", s->serving,
                     guestfs_last_error (g));
    return -1;
  }
  return 0;
}
