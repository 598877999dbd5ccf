/* guestkit: writing JSON text.  Only what the tools emit: strings with
 * every control character escaped, so any output is valid JSON.
 */
#ifndef GUESTKIT_JSON_H
#define GUESTKIT_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Write S as a quoted JSON string. */
extern void gk_json_write_string (FILE *fp, const char *s);

/* Write the LEN bytes at P as a quoted JSON string.  Guest data need
 * not be UTF-8: well-formed UTF-8 sequences are written as they are,
 * any other byte (and NUL) as \u00XX, its Latin-1 reading, so the
 * output is always valid JSON.
 */
extern void gk_json_write_buffer (FILE *fp, const char *p, size_t len);

#endif /* GUESTKIT_JSON_H */
