/* guestmount-all: what its files share.
 *
 *   main.c       guestmount-all's options and its pipeline: check the
 *                mountpoint and the disks on the host, launch, mount in
 *                the appliance, serve through FUSE (appliance/fuse.h),
 *                sync on the way out
 *   mounts.c     what is mounted inside the appliance: every filesystem
 *                under /dev/..., the guest's own tree (-i), or -m
 *   daemon.c     becoming a daemon only once the mount is ready
 *                (--pid-file, --fd), and signals turned into an unmount
 *   fuse-help.c  --fuse-help, from the libfuse libguestfs uses
 *
 * guestunmount.c is guestunmount, alone.  Is a path a FUSE mount, and
 * unmounting it, is utils/fuse-unmount.h (both tools and virt-sysprep's
 * --script use it).
 */
#ifndef GUESTKIT_MOUNT_FS_H
#define GUESTKIT_MOUNT_FS_H

#include <stdbool.h>
#include <guestfs.h>

#include "options/options.h"
#include "utils/vector.h"

/* mounts.c.  Each returns the number of filesystems mounted (at least
 * one), or -1 after reporting.  READ_ONLY mounts them read-only.
 */

/* Every filesystem at the path of its device: /dev/sda1, /dev/vg/lv;
 * btrfs volumes at their top level, so /dev/sda3/@home is the
 * subvolume @home.  Swap and unknown content are listed once and
 * skipped; a filesystem that does not mount is reported and skipped.
 * LUKS devices are opened here with the keys of OPTS.
 */
extern int mount_every_filesystem (guestfs_h *g,
                                   const struct gk_options *opts,
                                   bool read_only);
/* -i: the guest's own tree, from inspection (fstab order). */
extern int mount_guest_tree (guestfs_h *g, bool read_only);
/* -m DEV[:MNT[:OPTS[:FSTYPE]]], in the order given. */
extern int mount_by_hand (guestfs_h *g, const string_vector *mps,
                          bool read_only);
/* Checks the syntax of one -m argument (exits on error). */
extern void check_mount_option (const char *arg);

/* daemon.c */

/* Unless --no-fork: fork; the parent waits until the child is ready
 * (exit 0) or ends (its exit status) and never returns.  Returns in the
 * child (or at once with --no-fork).
 */
extern void daemon_start (bool no_fork);
/* The mount is ready: write PID_FILE (removed at exit), one byte to
 * READY_FD and close it, then let the parent go and leave the terminal.
 */
extern void daemon_ready (const char *pid_file, int ready_fd);
/* From now on SIGINT, SIGTERM, SIGHUP and SIGQUIT unmount MOUNTPOINT
 * (the FUSE loop then ends and the program exits normally, after
 * syncing).  Call before the mount exists, after the launch.
 */
extern void daemon_unmount_on_signals (const char *mountpoint);

/* fuse-help.c: libfuse's own help for -o, exits. */
extern void fuse_help (void) __attribute__ ((noreturn));

#endif /* GUESTKIT_MOUNT_FS_H */
