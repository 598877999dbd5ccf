/* guestkit: string comparison macros and allocation that cannot fail.
 *
 * Out of memory is not a condition these tools can recover from, so the
 * x* allocators report it once and exit.
 */
#ifndef GUESTKIT_STRINGS_H
#define GUESTKIT_STRINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define STREQ(a,b)       (strcmp ((a),(b)) == 0)
#define STRNEQ(a,b)      (strcmp ((a),(b)) != 0)
#define STRCASEEQ(a,b)   (strcasecmp ((a),(b)) == 0)
#define STREQLEN(a,b,n)  (strncmp ((a),(b),(n)) == 0)
#define STRPREFIX(a,b)   (strncmp ((a),(b),strlen ((b))) == 0)

extern void *xmalloc (size_t n);
extern void *xcalloc (size_t n, size_t s);
extern void *xrealloc (void *p, size_t n);
extern char *xstrdup (const char *s);
extern char *xstrndup (const char *s, size_t n);
extern char *xasprintf (const char *fmt, ...)
  __attribute__ ((format (printf, 1, 2)));

/* NULL-terminated string lists, as libguestfs returns them. */
extern size_t gk_count_strings (char *const *argv);
extern void gk_free_string_list (char **argv);
extern char **gk_copy_string_list (char *const *argv);
extern bool gk_string_list_contains (char *const *argv, const char *s);
extern char *gk_join_strings (const char *sep, char *const *argv);
/* Split on one separator character; empty fields are kept. */
extern char **gk_split_string (char sep, const char *str);

/* true if STR ends with SUFFIX. */
extern bool gk_str_has_suffix (const char *str, const char *suffix);

#endif /* GUESTKIT_STRINGS_H */
