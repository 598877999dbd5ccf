/* guestkit: temporary files, child processes and partial outputs that
 * must not survive the program, and what an interruption does.
 *
 * Registered paths are removed at exit, on gk_error, and on SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT; registered children still running are
 * stopped first.  On those signals the handler also zeroes the
 * registered output ranges (see
 * below), then either re-raises the signal (the default: the exit
 * status tells the caller what happened) or, once a tool has set an
 * interruption message, prints "PROG: error: MESSAGE" and exits 1.
 *
 * The handler only calls async-signal-safe functions, on tables
 * allocated up front.  A signal that was ignored when the program
 * started (nohup) stays ignored.
 */
#ifndef GUESTKIT_TMPFILES_H
#define GUESTKIT_TMPFILES_H

#include <stdint.h>
#include <sys/types.h>

/* Install the exit and signal handlers (gk_init_program does this). */
extern void gk_tmpfiles_init (void);

/* Remove PATH (a file, or a directory tree) when the program ends.
 * Safe to call from several threads.
 */
extern void gk_tmpfile_register (const char *path);

/* Create a private temporary directory under $TMPDIR (or /var/tmp for
 * LARGE data) that is removed at exit.  Returns its path (do not free).
 */
extern const char *gk_tmpdir (void);

/* A forked child that carries the program on while its parent leaves
 * with _exit (a daemon made once its work is ready) takes over what was
 * registered: from now on it stops the children and removes the files
 * at exit and on signals.
 */
extern void gk_tmpfiles_adopt (void);

/* Remove everything now (used by the exit paths). */
extern void gk_tmpfiles_cleanup (void);

/* Interruption.
 *
 * gk_interrupt_message: what an interruption says from now on, printf
 * style ("interrupted: %s is incomplete"); the program then exits 1
 * instead of dying by the signal.  NULL goes back to the default.
 * Formatted here, so the handler only writes it.
 */
extern void gk_interrupt_message (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));

/* A child to stop on interruption (or at exit), before anything else
 * is done:
 * FD (our end of a connection to it, or -1) is closed, then the child
 * gets SIGTERM and is reaped (SIGKILL if it is still there after five
 * seconds).  A qemu-nbd serving an output so exits, and no write of it
 * lands after the output was made invalid.  Remove it before reaping
 * it yourself.
 */
extern void gk_interrupt_add_child (pid_t pid, int fd);
extern void gk_interrupt_remove_child (pid_t pid);

/* On interruption, once the children are stopped, write LEN zero bytes
 * at OFFSET of FD (open for writing, kept open by the caller) and sync
 * it: how a tool makes a partly written output look invalid.  At most
 * 16 ranges; gk_interrupt_clear_zero forgets them all.
 */
extern void gk_interrupt_add_zero (int fd, uint64_t offset, uint64_t len);
extern void gk_interrupt_clear_zero (void);

/* Hold back the signals above around a step that must not be cut in
 * two (writing a partition table and registering how to undo it);
 * one that arrives meanwhile is handled by gk_interrupt_release.
 * Not nested; for the main thread of a program without other threads
 * at that moment.
 */
extern void gk_interrupt_hold (void);
extern void gk_interrupt_release (void);

#endif /* GUESTKIT_TMPFILES_H */
