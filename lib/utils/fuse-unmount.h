/* guestkit: is a path a FUSE mount, and unmounting it (retrying while
 * it is busy).
 *
 * Used by guestunmount, by guestmount-all when a signal asks it to
 * stop, and by virt-sysprep's script operation when its scripts are
 * done.  The kernel's table (/proc/self/mountinfo) is the truth, so a
 * dead mount whose process was killed ("Transport endpoint is not
 * connected": stat fails on it) is still found and removed.  root
 * unmounts with umount2 directly; anybody else through fusermount3 or
 * fusermount, the setuid helper FUSE provides for that.
 *
 * Nothing here prints but gk_debug: the reason of a failure comes back
 * in *ERRMSG, because the caller decides what the user sees
 * (guestunmount -q: nothing).
 */
#ifndef GUESTKIT_FUSE_UNMOUNT_H
#define GUESTKIT_FUSE_UNMOUNT_H

#include <stdbool.h>

enum gk_unmount_result {
  GK_UNMOUNT_OK,
  GK_UNMOUNT_BUSY,              /* files are open under it */
  GK_UNMOUNT_NOT_MOUNTED,
  GK_UNMOUNT_FAILED,            /* any other reason (in *errmsg) */
};

/* PATH as /proc/self/mountinfo names it: absolute, no symlinks, found
 * even when PATH is a dead FUSE mount ("Transport endpoint is not
 * connected").  NULL with errno if its directory cannot be resolved.
 */
extern char *gk_mountpoint_canonical (const char *path);

/* 1 if the canonical path CPATH is a FUSE mount now, 0 if not, 2 if
 * something else is mounted there.
 */
extern int gk_fuse_mounted (const char *cpath);

/* One unmount attempt of the FUSE mount at canonical CPATH; LAZY
 * detaches it even while files are open.  On GK_UNMOUNT_FAILED,
 * *ERRMSG (caller frees) says why.
 */
extern enum gk_unmount_result gk_fuse_unmount (const char *cpath, bool lazy,
                                               char **errmsg);

/* How gk_fuse_unmount_retrying waits for a busy mount. */
struct gk_unmount_retries {
  unsigned retries;             /* attempts after the first, while busy */
  unsigned delay_ms;            /* before the first retry */
  bool backoff;                 /* the delay doubles each time, to 64 s */
  bool detach;                  /* busy after them all: detach it (lazy) */
};

/* Unmounts the FUSE mount at canonical CPATH, trying again while it is
 * busy as HOW says (each wait said with gk_debug).  GK_UNMOUNT_BUSY
 * means still busy after the retries (never with HOW->detach).  On
 * GK_UNMOUNT_FAILED, *ERRMSG (caller frees) says why; else it is NULL.
 */
extern enum gk_unmount_result
gk_fuse_unmount_retrying (const char *cpath,
                          const struct gk_unmount_retries *how,
                          char **errmsg);

#endif /* GUESTKIT_FUSE_UNMOUNT_H */
