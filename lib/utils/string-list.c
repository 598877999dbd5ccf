/* guestkit: NULL-terminated string lists and small string helpers. */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diskio/copy.h"
#include "utils/alloc.h"
#include "utils/string-list.h"
#include "utils/vector.h"

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

/* MSG with every run of white space (libvirt and libxml2 messages may
 * span lines or end in a newline) turned into one space, trimmed.
 */
char *
gk_one_line (const char *msg)
{
  char *r = xmalloc (strlen (msg) + 1), *q = r;
  bool space = false;

  for (const char *p = msg; *p; ++p) {
    if (isspace ((unsigned char) *p))
      space = q > r;
    else {
      if (space)
        *q++ = ' ';
      space = false;
      *q++ = *p;
    }
  }
  *q = '\0';
  return r;
}
