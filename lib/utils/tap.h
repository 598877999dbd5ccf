/* guestkit: TAP helpers shared by the C unit tests (lib/test-*.c,
 * df/test-df-output.c).
 *
 * Each test prints "ok N - ..." or "not ok N - ..." as it goes, with
 * "#   got: ..." diagnostics after a failure, and calls tap_done at the
 * end, which prints the "1..N" plan (TAP allows it last, so the count
 * need not be kept by hand) and gives main's exit status.
 *
 * Only test programs include this: the functions are static, so each
 * test gets its own counters, and marked unused so a test need not use
 * them all.
 */
#ifndef GUESTKIT_TAP_H
#define GUESTKIT_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_number;
static int failures;

/* One test result; returns COND so callers can add diagnostics. */
static bool __attribute__ ((unused, format (printf, 2, 3)))
ok (bool cond, const char *fs, ...)
{
  va_list args;

  printf ("%sok %d - ", cond ? "" : "not ", ++test_number);
  va_start (args, fs);
  vprintf (fs, args);
  va_end (args);
  putchar ('\n');
  if (!cond)
    failures++;
  return cond;
}

/* Equal strings, both NULL counting as equal; says what differed. */
static bool __attribute__ ((unused))
is_str (const char *got, const char *expected, const char *what)
{
  bool eq = (got == NULL && expected == NULL) ||
    (got && expected && strcmp (got, expected) == 0);

  ok (eq, "%s is %s", what, expected ? expected : "NULL");
  if (!eq)
    printf ("#   got: %s\n", got ? got : "NULL");
  return eq;
}

/* Show a multi-line string as TAP comments. */
static void __attribute__ ((unused))
diag (const char *label, const char *s)
{
  bool ends_in_newline = *s && s[strlen (s) - 1] == '\n';

  printf ("#   %s:\n#     ", label);
  for (; *s; ++s) {
    putchar (*s);
    if (*s == '\n' && s[1])
      fputs ("#     ", stdout);
  }
  if (!ends_in_newline)
    putchar ('\n');
}

/* Equal multi-line text (neither may be NULL); on a difference shows
 * both whole, since a table is easier to compare than one line of it.
 */
static bool __attribute__ ((unused))
is_text (const char *got, const char *expected, const char *what)
{
  bool eq = strcmp (got, expected) == 0;

  ok (eq, "%s", what);
  if (!eq) {
    diag ("expected", expected);
    diag ("got", got);
  }
  return eq;
}

/* Print the plan; returns the exit status for main. */
static int __attribute__ ((unused))
tap_done (void)
{
  printf ("1..%d\n", test_number);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* GUESTKIT_TAP_H */
