/* guestkit: string helpers and allocation that cannot fail. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gk-strings.h"
#include "messages.h"
#include "vector.h"

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

void *
gk_vector_grow (void *ptr, size_t *cap, size_t need, size_t elem_size)
{
  size_t newcap = *cap ? *cap : 8;

  while (newcap < need)
    newcap *= 2;
  ptr = xrealloc (ptr, newcap * elem_size);
  *cap = newcap;
  return ptr;
}

size_t
gk_count_strings (char *const *argv)
{
  size_t n = 0;

  if (argv)
    while (argv[n])
      n++;
  return n;
}

void
gk_free_string_list (char **argv)
{
  if (argv == NULL)
    return;
  for (size_t i = 0; argv[i]; ++i)
    free (argv[i]);
  free (argv);
}

char **
gk_copy_string_list (char *const *argv)
{
  size_t n = gk_count_strings (argv);
  char **r = xmalloc ((n + 1) * sizeof (char *));

  for (size_t i = 0; i < n; ++i)
    r[i] = xstrdup (argv[i]);
  r[n] = NULL;
  return r;
}

bool
gk_string_list_contains (char *const *argv, const char *s)
{
  for (size_t i = 0; argv && argv[i]; ++i)
    if (STREQ (argv[i], s))
      return true;
  return false;
}

char *
gk_join_strings (const char *sep, char *const *argv)
{
  size_t seplen = strlen (sep), len = 0, n = gk_count_strings (argv);
  char *r, *p;

  for (size_t i = 0; i < n; ++i)
    len += strlen (argv[i]) + (i > 0 ? seplen : 0);
  p = r = xmalloc (len + 1);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0)
      p = stpcpy (p, sep);
    p = stpcpy (p, argv[i]);
  }
  *p = '\0';
  return r;
}

DEFINE_VECTOR_TYPE (string_vector, char *);

char **
gk_split_string (char sep, const char *str)
{
  string_vector v = empty_vector;
  const char *p = str, *q;

  for (;;) {
    q = strchr (p, sep);
    if (q == NULL) {
      string_vector_append (&v, xstrdup (p));
      break;
    }
    string_vector_append (&v, xstrndup (p, q - p));
    p = q + 1;
  }
  string_vector_append (&v, NULL);
  return v.ptr;
}

bool
gk_str_has_suffix (const char *str, const char *suffix)
{
  size_t a = strlen (str), b = strlen (suffix);

  return a >= b && STREQ (str + a - b, suffix);
}
