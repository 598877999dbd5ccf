/* guestkit: allocation that cannot fail.
 *
 * Out of memory is not a condition these tools can recover from, so the
 * x* allocators report it once and exit.
 */
#ifndef GUESTKIT_UTILS_ALLOC_H
#define GUESTKIT_UTILS_ALLOC_H

#include <stddef.h>

extern void *xmalloc (size_t n);
extern void *xcalloc (size_t n, size_t s);
extern void *xrealloc (void *p, size_t n);
extern char *xstrdup (const char *s);
extern char *xstrndup (const char *s, size_t n);
extern char *xasprintf (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2)));

#endif /* GUESTKIT_UTILS_ALLOC_H */
