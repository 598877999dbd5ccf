/* guestfish: turning words into typed arguments.
 *
 * Pure: each returns 0, or -1 with *ERRMSG saying what is wrong with
 * the word (the caller adds "COMMAND: ARGUMENT: " and prints it).
 */
#ifndef GUESTKIT_FISH_ARGS_H
#define GUESTKIT_FISH_ARGS_H

#include <stdint.h>

/* true|false, and upstream's other spellings: 1/0, yes/no, y/n, on/off,
 * t/f, in any case.
 */
extern int fish_parse_bool (const char *word, int *r, char **errmsg);

/* An integer in decimal, 0x hex or 0 octal, with an optional size
 * suffix: k K M G T P E Z Y (powers of 1024), the same followed by iB
 * (1024) or B (1000).  Lower case is refused, except k.
 */
extern int fish_parse_int64 (const char *word, int64_t *r, char **errmsg);

/* The same, in the range of libguestfs's Int (32-bit signed). */
extern int fish_parse_int (const char *word, int *r, char **errmsg);

/* A string list: words separated by spaces; "double" or 'single'
 * quotes keep spaces inside one element.  Returns the NULL-terminated
 * list, or NULL with *ERRMSG.
 */
extern char **fish_parse_string_list (const char *word, char **errmsg);

#endif /* GUESTKIT_FISH_ARGS_H */
