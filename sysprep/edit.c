/* virt-sysprep: --edit FILE:s/REGEX/REPLACEMENT/FLAGS.
 *
 * Upstream runs a Perl expression on each line; we have no Perl, so
 * the substitution is PCRE2's, which reads Perl's regexes: applied to
 * each line (with its newline, as perl -p does, so ^ and $ are the
 * line's), replacement with $1, ${name} and \n-style escapes.  Flags:
 * g (every match), i, m, s, x.  Any delimiter may replace '/'.
 */
#include <config.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "sysprep.h"

struct edit_expr {
  pcre2_code *re;
  char *replacement;
  bool global;
};

/* The part of S up to the unescaped delimiter D, with "\D" turned into
 * "D" (other escapes are left for PCRE2).  *END points past D.
 */
static char *
take_part (const char *s, char d, const char **end)
{
  char *out = xmalloc (strlen (s) + 1), *o = out;

  for (; *s && *s != d; ++s) {
    if (*s == '\\' && s[1] == d) {
      *o++ = d;
      ++s;
    }
    else if (*s == '\\' && s[1]) {
      *o++ = *s++;
      *o++ = *s;
    }
    else
      *o++ = *s;
  }
  *o = '\0';
  if (*s != d) {
    free (out);
    return NULL;
  }
  *end = s + 1;
  return out;
}

struct edit_expr *
edit_compile (const char *expr, char **errmsg)
{
  CLEANUP_FREE char *regex = NULL;
  const char *p;
  uint32_t options = 0;
  int errcode;
  PCRE2_SIZE erroffset;
  struct edit_expr *e;
  char d;

  if (expr[0] != 's' || expr[1] == '\0' || expr[1] == '\\' ||
      (expr[1] >= 'a' && expr[1] <= 'z') || expr[1] == ' ') {
    *errmsg = xasprintf ("expression ‘%s’: expecting s/REGEX/REPLACEMENT/"
                         "FLAGS", expr);
    return NULL;
  }
  d = expr[1];
  regex = take_part (expr + 2, d, &p);
  if (regex == NULL) {
    *errmsg = xasprintf ("expression ‘%s’: the regex is not terminated by "
                         "‘%c’", expr, d);
    return NULL;
  }
  e = xcalloc (1, sizeof *e);
  e->replacement = take_part (p, d, &p);
  if (e->replacement == NULL) {
    *errmsg = xasprintf ("expression ‘%s’: the replacement is not "
                         "terminated by ‘%c’", expr, d);
    edit_free (e);
    return NULL;
  }
  for (; *p; ++p) {
    switch (*p) {
    case 'g': e->global = true; break;
    case 'i': options |= PCRE2_CASELESS; break;
    case 'm': options |= PCRE2_MULTILINE; break;
    case 's': options |= PCRE2_DOTALL; break;
    case 'x': options |= PCRE2_EXTENDED; break;
    default:
      *errmsg = xasprintf ("expression ‘%s’: unknown flag ‘%c’", expr, *p);
      edit_free (e);
      return NULL;
    }
  }
  e->re = pcre2_compile ((PCRE2_SPTR) regex, PCRE2_ZERO_TERMINATED, options,
                         &errcode, &erroffset, NULL);
  if (e->re == NULL) {
    PCRE2_UCHAR msg[256];

    pcre2_get_error_message (errcode, msg, sizeof msg);
    *errmsg = xasprintf ("expression ‘%s’: bad regex at offset %zu: %s",
                         expr, (size_t) erroffset, (char *) msg);
    edit_free (e);
    return NULL;
  }
  return e;
}

void
edit_free (struct edit_expr *e)
{
  if (e == NULL)
    return;
  pcre2_code_free (e->re);
  free (e->replacement);
  free (e);
}

/* One line through pcre2_substitute, appended to OUT. */
static int
substitute_line (const struct edit_expr *e, const char *line, size_t len,
                 char **out, size_t *outlen, size_t *cap, char **errmsg)
{
  uint32_t options = PCRE2_SUBSTITUTE_EXTENDED |
    PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
    (e->global ? PCRE2_SUBSTITUTE_GLOBAL : 0);
  PCRE2_SIZE n = len * 2 + strlen (e->replacement) + 64;
  int rc;

  for (;;) {
    if (*outlen + n + 1 > *cap) {
      *cap = (*outlen + n + 1) * 2;
      *out = xrealloc (*out, *cap);
    }
    PCRE2_SIZE avail = *cap - *outlen;
    rc = pcre2_substitute (e->re, (PCRE2_SPTR) line, len, 0, options, NULL,
                           NULL, (PCRE2_SPTR) e->replacement,
                           PCRE2_ZERO_TERMINATED,
                           (PCRE2_UCHAR *) *out + *outlen, &avail);
    if (rc == PCRE2_ERROR_NOMEMORY) {
      n = avail;                /* the length it needs */
      continue;
    }
    if (rc < 0) {
      PCRE2_UCHAR msg[256];

      pcre2_get_error_message (rc, msg, sizeof msg);
      *errmsg = xasprintf ("substitution failed: %s", (char *) msg);
      return -1;
    }
    *outlen += avail;
    return 0;
  }
}

char *
edit_apply (const struct edit_expr *e, const char *in, size_t len,
            size_t *outlen, char **errmsg)
{
  size_t cap = len + 64;
  char *out = xmalloc (cap);

  *outlen = 0;
  for (size_t pos = 0; pos < len; ) {
    const char *nl = memchr (in + pos, '\n', len - pos);
    size_t n = nl ? (size_t) (nl - (in + pos)) + 1 : len - pos;

    if (substitute_line (e, in + pos, n, &out, outlen, &cap, errmsg) == -1) {
      free (out);
      return NULL;
    }
    pos += n;
  }
  out[*outlen] = '\0';
  return out;
}
