/* guestkit: writing JSON text.  Only what the tools emit: strings with
 * every control character escaped, so any output is valid JSON.
 */
#ifndef GUESTKIT_JSON_H
#define GUESTKIT_JSON_H

#include <stdio.h>

/* Write S as a quoted JSON string. */
extern void gk_json_write_string (FILE *fp, const char *s);

#endif /* GUESTKIT_JSON_H */
