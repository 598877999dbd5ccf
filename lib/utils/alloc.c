/* guestkit: allocation that cannot fail.
 *
 * Out of memory is not a condition these tools can recover from, so the
 * x* allocators report it once and exit.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/messages.h"

static void __attribute__ ((noreturn))
out_of_memory (void)
{
  gk_error ("out of memory");
}

void *
xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);

  if (p == NULL)
    out_of_memory ();
  return p;
}

void *
xcalloc (size_t n, size_t s)
{
  void *p = calloc (n ? n : 1, s ? s : 1);

  if (p == NULL)
    out_of_memory ();
  return p;
}

void *
xrealloc (void *p, size_t n)
{
  p = realloc (p, n ? n : 1);
  if (p == NULL)
    out_of_memory ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *r = strdup (s);

  if (r == NULL)
    out_of_memory ();
  return r;
}

char *
xstrndup (const char *s, size_t n)
{
  char *r = strndup (s, n);

  if (r == NULL)
    out_of_memory ();
  return r;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list args;
  char *r;
  int n;

  va_start (args, fmt);
  n = vasprintf (&r, fmt, args);
  va_end (args);
  if (n == -1)
    out_of_memory ();
  return r;
}
