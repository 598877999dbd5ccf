/* guestkit: a handle's mounted tree served on the host through FUSE
 * (libguestfs's mount-local), by guestmount-all for the user and by
 * virt-sysprep for its --script.  Unmounting it is utils/fuse-unmount.
 */
#ifndef GUESTKIT_APPLIANCE_FUSE_H
#define GUESTKIT_APPLIANCE_FUSE_H

#include <stdbool.h>
#include <guestfs.h>

struct gk_fuse_serve {
  const char *dir;              /* the mountpoint, canonical */
  const char *what;             /* "cannot mount WHAT with FUSE" */
  const char *serving;          /* "serving SERVING failed" */
  bool readonly;
  const char *options;          /* FUSE -o options, NULL: none */
  int cachetimeout;             /* seconds, -1: libguestfs's default */
  bool debugcalls;              /* every FUSE request in the debug log */
  /* Called once the tree is mounted, before the loop serves it: what
   * uses it may start now (a ready byte to a waiting parent, a child
   * that runs scripts in it).  NULL: nothing.
   */
  void (*ready) (void *opaque);
  void *opaque;
};

/* Mounts what is mounted in G's appliance at S->dir and serves it
 * until it is unmounted (gk_fuse_unmount and friends, from any
 * process).  Returns 0, or -1 after reporting (one line).
 */
extern int gk_fuse_serve (guestfs_h *g, const struct gk_fuse_serve *s);

#endif /* GUESTKIT_APPLIANCE_FUSE_H */
