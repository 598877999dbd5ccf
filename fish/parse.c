/* guestfish: the command-line syntax (parse.h).
 *
 * Words are separated by whitespace.  'single quotes' take everything
 * up to the next quote literally; "double quotes" take C's escapes
 * (\a \b \f \n \r \t \v \" \' \? \\, \ooo octal, \xhh hex).  A quoted
 * word must end where its quote ends: "a"b is an error, as upstream.
 * A word starting with | ends the command: the rest of the line is a
 * host command its output is piped to.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/string-list.h"
#include "utils/vector.h"
#include "parse.h"

char *
fish_expand_tilde (const char *word)
{
  const char *rest, *home = NULL;

  if (word[0] != '~')
    return xstrdup (word);
  rest = strchr (word, '/');
  if (rest == NULL)
    rest = word + strlen (word);
  if (rest == word + 1) {
    home = getenv ("HOME");
    if (home == NULL || *home == '\0') {
      struct passwd *pw = getpwuid (getuid ());
      home = pw ? pw->pw_dir : NULL;
    }
  }
  else {
    char *user = xstrndup (word + 1, rest - word - 1);
    struct passwd *pw = getpwnam (user);

    free (user);
    home = pw ? pw->pw_dir : NULL;
  }
  if (home == NULL)
    return xstrdup (word);
  return xasprintf ("%s%s", home, rest);
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The double-quoted word starting after the quote at *P; *P is left
 * after the closing quote.
 */
static char *
double_quoted (const char **p, char **errmsg)
{
  const char *s = *p;
  char *out = xmalloc (strlen (s) + 1), *o = out;

  for (;;) {
    char c = *s++;

    if (c == '\0') {
      free (out);
      *errmsg = xstrdup ("unterminated double quote");
      return NULL;
    }
    if (c == '"')
      break;
    if (c != '\\') {
      *o++ = c;
      continue;
    }
    c = *s++;
    switch (c) {
    case 'a': *o++ = '\a'; break;
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 't': *o++ = '\t'; break;
    case 'v': *o++ = '\v'; break;
    case '"': case '\'': case '?': case '\\': *o++ = c; break;
    case '0' ... '7': {
      int v = c - '0';
      for (int i = 0; i < 2 && *s >= '0' && *s <= '7'; ++i)
        v = v * 8 + (*s++ - '0');
      if (v > 0xff || v == 0)
        goto bad;
      *o++ = (char) v;
      break;
    }
    case 'x':
      if (hexval (s[0]) < 0 || hexval (s[1]) < 0 ||
          hexval (s[0]) * 16 + hexval (s[1]) == 0)
        goto bad;
      *o++ = (char) (hexval (s[0]) * 16 + hexval (s[1]));
      s += 2;
      break;
    default:
    bad:
      free (out);
      *errmsg = xasprintf ("invalid escape sequence in double-quoted "
                           "string: \\%c", c ? c : ' ');
      return NULL;
    }
  }
  *o = '\0';
  *p = s;
  return out;
}

int
fish_parse_line (const char *line, struct fish_line *out, char **errmsg)
{
  const char *p = line;
  string_vector words = empty_vector;

  memset (out, 0, sizeof *out);
  while (isspace ((unsigned char) *p))
    p++;
  if (*p == '\0' || *p == '#') {
    out->kind = FISH_LINE_EMPTY;
    return 0;
  }
  if (*p == '!') {
    out->kind = FISH_LINE_SHELL;
    out->shell = xstrdup (p + 1);
    return 0;
  }
  if (p[0] == '<' && p[1] == '!') {
    out->kind = FISH_LINE_INCLUDE;
    out->shell = xstrdup (p + 2);
    return 0;
  }
  out->kind = FISH_LINE_COMMAND;
  if (*p == '-') {
    out->tolerate = true;
    p++;
  }
  while (*p) {
    char *word;

    if (*p == '|') {
      out->pipe = xstrdup (p + 1);
      break;
    }
    if (*p == '"' || *p == '\'') {
      if (*p == '"') {
        p++;
        word = double_quoted (&p, errmsg);
        if (word == NULL)
          goto error;
      }
      else {
        const char *end = strchr (p + 1, '\'');

        if (end == NULL) {
          *errmsg = xstrdup ("unterminated single quote");
          goto error;
        }
        word = xstrndup (p + 1, end - p - 1);
        p = end + 1;
      }
      if (*p && !isspace ((unsigned char) *p)) {
        free (word);
        *errmsg = xstrdup ("command arguments not separated by "
                           "whitespace");
        goto error;
      }
    }
    else {
      size_t n = strcspn (p, " \t\n\r\v\f");
      char *raw = xstrndup (p, n);

      p += n;
      word = fish_expand_tilde (raw);
      free (raw);
    }
    string_vector_append (&words, word);
    while (isspace ((unsigned char) *p))
      p++;
  }
  if (words.len == 0 || words.ptr[0][0] == '\0') {
    *errmsg = xstrdup (out->tolerate && words.len == 0 ? "empty command "
                       "after -" : "empty command");
    goto error;
  }
  string_vector_append (&words, NULL);
  out->words = words.ptr;
  return 0;

 error:
  for (size_t i = 0; i < words.len; ++i)
    free (words.ptr[i]);
  free (words.ptr);
  free (out->pipe);
  out->pipe = NULL;
  return -1;
}

void
fish_line_free (struct fish_line *line)
{
  gk_free_string_list (line->words);
  free (line->pipe);
  free (line->shell);
  memset (line, 0, sizeof *line);
}

struct fish_line *
fish_split_argv (int argc, char *const *argv, size_t *nr, char **errmsg)
{
  struct fish_line *lines = NULL;
  size_t n = 0;
  int i = 0;

  while (i < argc) {
    string_vector words = empty_vector;
    bool tolerate = false;

    for (; i < argc && STRNEQ (argv[i], ":"); ++i) {
      const char *w = argv[i];

      if (words.len == 0 && w[0] == '-' && w[1]) {
        tolerate = true;
        w++;
      }
      string_vector_append (&words, xstrdup (w));
    }
    if (words.len == 0) {
      *errmsg = xstrdup ("empty command on command line");
      for (size_t j = 0; j < n; ++j)
        fish_line_free (&lines[j]);
      free (lines);
      free (words.ptr);
      return NULL;
    }
    string_vector_append (&words, NULL);
    lines = xrealloc (lines, (n + 1) * sizeof *lines);
    lines[n++] = (struct fish_line) {
      .kind = FISH_LINE_COMMAND, .words = words.ptr, .tolerate = tolerate,
    };
    if (i < argc)
      i++;                      /* the ":" */
    if (i == argc && STREQ (argv[i - 1], ":")) {
      *errmsg = xstrdup ("empty command on command line");
      for (size_t j = 0; j < n; ++j)
        fish_line_free (&lines[j]);
      free (lines);
      return NULL;
    }
  }
  *nr = n;
  return lines;
}
