/* guestfish: -i and -m (mounts.c). */
#ifndef GUESTKIT_FISH_MOUNTS_H
#define GUESTKIT_FISH_MOUNTS_H

/* Is ARG of -m well formed?  Pure: 0, or -1 with *ERRMSG. */
extern int fish_check_mount_option (const char *arg, char **errmsg);

/* After the launch: mount each of MPS (-m arguments).  0 or -1 (the
 * error printed).
 */
extern int fish_mount_by_hand (char *const *mps);

/* After the launch: open LUKS devices, inspect, mount the one guest as
 * it mounts itself; on a terminal say what was mounted.  0 or -1.
 */
extern int fish_inspect_and_mount (void);

#endif /* GUESTKIT_FISH_MOUNTS_H */
