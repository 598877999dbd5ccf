/* guestkit: string comparison macros and NULL-terminated string lists
 * (the shape libguestfs returns).  Allocation goes through alloc.h, so
 * these never fail.
 */
#ifndef GUESTKIT_UTILS_STRING_LIST_H
#define GUESTKIT_UTILS_STRING_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "utils/alloc.h"

#define STREQ(a,b)       (strcmp ((a),(b)) == 0)
#define STRNEQ(a,b)      (strcmp ((a),(b)) != 0)
#define STRCASEEQ(a,b)   (strcasecmp ((a),(b)) == 0)
#define STREQLEN(a,b,n)  (strncmp ((a),(b),(n)) == 0)
#define STRPREFIX(a,b)   (strncmp ((a),(b),strlen ((b))) == 0)

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

/* MSG with every run of white space turned into one space, trimmed
 * (library messages may span lines or end in a newline).
 */
extern char *gk_one_line (const char *msg);

#endif /* GUESTKIT_UTILS_STRING_LIST_H */
