/* guestkit: small answers remembered between runs (the KVM probe, the
 * appliance's features) in files under a shared directory such as
 * /var/tmp.
 *
 * Such a directory is writable by everybody, so a file is written under
 * a name nobody can guess and renamed into place (never through a link
 * someone planted), and read only if this user owns it and nobody else
 * may write it: another user's file could say anything.
 */
#ifndef GUESTKIT_UTILS_CACHE_FILE_H
#define GUESTKIT_UTILS_CACHE_FILE_H

/* The whole file (at most 4 KiB), or NULL if it is missing, not ours,
 * writable by others, or unreadable.  The caller frees it.
 */
extern char *gk_cache_file_read (const char *path);

/* Replace PATH with CONTENTS atomically.  Failure is silent: a cache
 * that cannot be written only costs the next run a probe.
 */
extern void gk_cache_file_write (const char *path, const char *contents);

#endif /* GUESTKIT_UTILS_CACHE_FILE_H */
