/* guestfish: words into typed arguments (args.h). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utils/alloc.h"
#include "utils/vector.h"
#include "args.h"

int
fish_parse_bool (const char *word, int *r, char **errmsg)
{
  static const char *const yes[] = { "1", "true", "t", "yes", "y", "on" };
  static const char *const no[] = { "0", "false", "f", "no", "n", "off" };

  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; ++i) {
    if (strcasecmp (word, yes[i]) == 0) {
      *r = 1;
      return 0;
    }
    if (strcasecmp (word, no[i]) == 0) {
      *r = 0;
      return 0;
    }
  }
  *errmsg = xasprintf ("‘%s’ is not a boolean: use true or false", word);
  return -1;
}

/* The multiplier of a size suffix, 0 if SUFFIX is not one. */
static uint64_t
suffix_multiplier (const char *suffix)
{
  static const char units[] = "KMGTPEZY";
  const char *u;
  uint64_t base = 1024, m = 1;

  if (*suffix == '\0')
    return 1;
  /* Upper case, except k (as upstream: 1m is not a size). */
  u = strchr (units, suffix[0] == 'k' ? 'K' : suffix[0]);
  if (u == NULL)
    return 0;
  if (strcmp (suffix + 1, "B") == 0)
    base = 1000;
  else if (strcmp (suffix + 1, "iB") != 0 && suffix[1] != '\0')
    return 0;
  for (const char *p = units; p <= u; ++p) {
    if (m > UINT64_MAX / base)
      return UINT64_MAX;        /* overflows whatever it multiplies */
    m *= base;
  }
  return m;
}

int
fish_parse_int64 (const char *word, int64_t *r, char **errmsg)
{
  char *end;
  long long v;
  uint64_t m;

  errno = 0;
  v = strtoll (word, &end, 0);
  if (end == word || isspace ((unsigned char) *word)) {
    *errmsg = xasprintf ("‘%s’ is not a number", word);
    return -1;
  }
  m = suffix_multiplier (end);
  if (m == 0) {
    *errmsg = xasprintf ("‘%s’ is not a number (bad suffix ‘%s’)", word,
                         end);
    return -1;
  }
  if (errno == ERANGE ||
      (m > 1 && (m > INT64_MAX ||
                 (v > 0 && (uint64_t) v > INT64_MAX / m) ||
                 (v < 0 && v < INT64_MIN / (int64_t) m)))) {
    *errmsg = xasprintf ("‘%s’ is out of range", word);
    return -1;
  }
  *r = (int64_t) v * (int64_t) m;
  return 0;
}

int
fish_parse_int (const char *word, int *r, char **errmsg)
{
  int64_t v;

  if (fish_parse_int64 (word, &v, errmsg) == -1)
    return -1;
  if (v < INT32_MIN || v > INT32_MAX) {
    *errmsg = xasprintf ("‘%s’ is out of range", word);
    return -1;
  }
  *r = (int) v;
  return 0;
}

char **
fish_parse_string_list (const char *word, char **errmsg)
{
  string_vector list = empty_vector;
  const char *p = word;

  for (;;) {
    string_vector_reserve (&list, 1);
    while (isspace ((unsigned char) *p))
      p++;
    if (*p == '\0')
      break;
    if (*p == '"' || *p == '\'') {
      const char *end = strchr (p + 1, *p);

      if (end == NULL) {
        *errmsg = xasprintf ("unterminated %s quote in the list ‘%s’",
                             *p == '"' ? "double" : "single", word);
        for (size_t i = 0; i < list.len; ++i)
          free (list.ptr[i]);
        free (list.ptr);
        return NULL;
      }
      string_vector_append (&list, xstrndup (p + 1, end - p - 1));
      p = end + 1;
    }
    else {
      size_t n = strcspn (p, " \t\n\r\v\f");

      string_vector_append (&list, xstrndup (p, n));
      p += n;
    }
  }
  string_vector_append (&list, NULL);
  return list.ptr;
}
