/* Unit tests of appliance/drives.c that need no appliance: refusals
 * that happen before anything reaches qemu.
 */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <guestfs.h>

#include "appliance/drives.h"
#include "libvirt/domains.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/tap.h"

/* Tools never write to a running guest's disks: adding them read-write
 * is refused before anything reaches libguestfs.
 */
static void
test_running_domain_write_refused (const char *node_uri)
{
  struct gk_domain dom = { 0 };
  CLEANUP_FREE char *errmsg = NULL;
  guestfs_h *g;

  if (!ok (gk_libvirt_get_domain (node_uri, "db", true, &dom, &errmsg) == 0
           && dom.active, "the running test domain 'db' is found"))
    return;
  g = guestfs_create ();
  if (!ok (g != NULL, "a libguestfs handle"))
    return;
  ok (gk_add_domain (g, &dom, false) == -1,
      "adding a running domain read-write is refused");
  guestfs_close (g);
  gk_domain_free (&dom);
}

int
main (void)
{
  const char *srcdir = getenv ("srcdir");
  CLEANUP_FREE char *file =
    xasprintf ("%s/../libvirt/test-data/libvirt-test-node.xml",
               srcdir ? srcdir : ".");
  CLEANUP_FREE char *node_uri = NULL;
  char abs[PATH_MAX];

  if (realpath (file, abs) == NULL) {
    printf ("Bail out! %s: not found\n", file);
    exit (EXIT_FAILURE);
  }
  node_uri = xasprintf ("test://%s", abs);
  test_running_domain_write_refused (node_uri);
  return tap_done ();
}
