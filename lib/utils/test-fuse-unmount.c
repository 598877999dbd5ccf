/* guestkit: unit tests for lib/utils/fuse-unmount.c, printed as TAP.
 *
 * Without a FUSE mount of its own (the tests of guestunmount and
 * guestmount-all make real ones): canonical paths, /proc/self/mountinfo
 * read for what is mounted where, and the unmount refused for anything
 * but a FUSE mount, at once, retries or not.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "utils/tap.h"
#include "utils/fuse-unmount.h"

int
main (void)
{
  const char *none = "/proc/guestkit-no-such-dir";
  const struct gk_unmount_retries many = {
    .retries = 5, .delay_ms = 1000, .backoff = true, .detach = true,
  };
  char *errmsg = (char *) "unset", *p;
  time_t start;

  p = gk_mountpoint_canonical ("/proc/self/../self/..//");
  is_str (p, "/proc", "canonical: .. and // resolved");
  free (p);
  p = gk_mountpoint_canonical ("/proc/../proc/guestkit-no-such-dir");
  is_str (p, none, "canonical: a leaf that cannot be stat'ed");
  free (p);
  ok (gk_mountpoint_canonical ("/guestkit-no/such-dir") == NULL,
      "canonical: no parent directory");
  p = gk_mountpoint_canonical ("/proc/..");
  ok (p != NULL, "canonical: .. that exists is resolved");
  free (p);

  ok (gk_fuse_mounted ("/proc") == 2, "/proc is mounted, not FUSE");
  ok (gk_fuse_mounted ("/proc/self") == 0, "/proc/self is not a mount");
  ok (gk_fuse_mounted (none) == 0, "a missing path is not a mount");

  ok (gk_fuse_unmount (none, false, &errmsg) == GK_UNMOUNT_NOT_MOUNTED &&
      errmsg == NULL, "unmount: not mounted");
  ok (gk_fuse_unmount ("/proc", true, &errmsg) == GK_UNMOUNT_FAILED,
      "unmount: /proc is refused, even lazily");
  is_str (errmsg, "not a FUSE filesystem: not unmounting it",
          "unmount: why /proc is refused");
  free (errmsg);

  /* Neither is busy: no retry, no wait. */
  start = time (NULL);
  ok (gk_fuse_unmount_retrying (none, &many, &errmsg) ==
      GK_UNMOUNT_NOT_MOUNTED && errmsg == NULL,
      "retrying: not mounted");
  ok (gk_fuse_unmount_retrying ("/proc", &many, &errmsg) ==
      GK_UNMOUNT_FAILED, "retrying: /proc is refused");
  is_str (errmsg, "not a FUSE filesystem: not unmounting it",
          "retrying: why /proc is refused");
  free (errmsg);
  ok (time (NULL) - start < 2, "retrying: only a busy mount waits");
  return tap_done ();
}
