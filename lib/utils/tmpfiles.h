/* guestkit: temporary files and partial outputs that must not survive.
 *
 * Registered paths are removed at exit, on gk_error, and on SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT (the handler then re-raises the signal so
 * the exit status tells the caller what happened).
 */
#ifndef GUESTKIT_TMPFILES_H
#define GUESTKIT_TMPFILES_H

/* Install the exit and signal handlers (gk_init_program does this). */
extern void gk_tmpfiles_init (void);

/* Remove PATH (a file, or a directory tree) when the program ends.
 */
extern void gk_tmpfile_register (const char *path);

/* Create a private temporary directory under $TMPDIR (or /var/tmp for
 * LARGE data) that is removed at exit.  Returns its path (do not free).
 */
extern const char *gk_tmpdir (void);

/* Remove everything now (used by the exit paths). */
extern void gk_tmpfiles_cleanup (void);

#endif /* GUESTKIT_TMPFILES_H */
