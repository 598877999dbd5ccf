/* guestkit: a small JSON reader for qemu-img's output (see qemu-json.h).
 *
 * qemu-img's JSON is trusted no more than any other text: depth is
 * bounded, strings are checked for NULs and bad escapes, and numbers
 * that do not fit int64_t are kept as non-integers.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diskio/qemu-json.h"
#include "utils/alloc.h"

#define MAX_DEPTH 64

struct parser {
  const char *p;
  char *err;
};

static int parse_value (struct parser *ps, struct gk_json *v, int depth);

static int
fail (struct parser *ps, const char *what)
{
  if (ps->err == NULL)
    ps->err = xasprintf ("invalid JSON: %s", what);
  return -1;
}

static void
skip_space (struct parser *ps)
{
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
         *ps->p == '\r')
    ps->p++;
}

static int
hex4 (const char *p, unsigned *out)
{
  unsigned v = 0;

  for (int i = 0; i < 4; ++i) {
    char c = p[i];

    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else return -1;
  }
  *out = v;
  return 0;
}

static size_t
put_utf8 (char *out, unsigned cp)
{
  if (cp < 0x80) {
    out[0] = cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = 0xc0 | (cp >> 6);
    out[1] = 0x80 | (cp & 0x3f);
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = 0xe0 | (cp >> 12);
    out[1] = 0x80 | ((cp >> 6) & 0x3f);
    out[2] = 0x80 | (cp & 0x3f);
    return 3;
  }
  out[0] = 0xf0 | (cp >> 18);
  out[1] = 0x80 | ((cp >> 12) & 0x3f);
  out[2] = 0x80 | ((cp >> 6) & 0x3f);
  out[3] = 0x80 | (cp & 0x3f);
  return 4;
}

/* At the opening quote; the result has no NUL inside. */
static char *
parse_string (struct parser *ps)
{
  const char *p = ps->p + 1;
  size_t cap = 0, len = 0;
  char *out;

  /* The decoded string is never longer than the text. */
  for (const char *q = p; *q && *q != '"'; ++q) {
    if (*q == '\\' && q[1])
      q++;
    cap++;
  }
  out = xmalloc (cap * 2 + 5);
  for (;;) {
    unsigned char c = *p;

    if (c == '\0') {
      free (out);
      fail (ps, "unterminated string");
      return NULL;
    }
    if (c == '"')
      break;
    if (c < 0x20) {
      free (out);
      fail (ps, "control character in a string");
      return NULL;
    }
    if (c != '\\') {
      out[len++] = c;
      p++;
      continue;
    }
    p++;
    switch (*p) {
    case '"': out[len++] = '"'; break;
    case '\\': out[len++] = '\\'; break;
    case '/': out[len++] = '/'; break;
    case 'b': out[len++] = '\b'; break;
    case 'f': out[len++] = '\f'; break;
    case 'n': out[len++] = '\n'; break;
    case 'r': out[len++] = '\r'; break;
    case 't': out[len++] = '\t'; break;
    case 'u': {
      unsigned cp, lo;

      if (hex4 (p + 1, &cp) == -1)
        goto bad_escape;
      p += 4;
      if (cp >= 0xd800 && cp < 0xdc00) {
        if (p[1] != '\\' || p[2] != 'u' || hex4 (p + 3, &lo) == -1 ||
            lo < 0xdc00 || lo >= 0xe000)
          goto bad_escape;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        p += 6;
      }
      else if (cp >= 0xdc00 && cp < 0xe000)
        goto bad_escape;
      if (cp == 0)
        goto bad_escape;        /* C strings cannot hold it */
      len += put_utf8 (out + len, cp);
      break;
    }
    default:
    bad_escape:
      free (out);
      fail (ps, "bad escape in a string");
      return NULL;
    }
    p++;
  }
  out[len] = '\0';
  ps->p = p + 1;
  return out;
}

static int
parse_number (struct parser *ps, struct gk_json *v)
{
  const char *start = ps->p;
  const char *p = start;
  bool integer = true;
  char *end;

  if (*p == '-')
    p++;
  if (*p < '0' || *p > '9')
    return fail (ps, "unexpected character");
  while (*p >= '0' && *p <= '9')
    p++;
  if (*p == '.') {
    integer = false;
    p++;
    while (*p >= '0' && *p <= '9')
      p++;
  }
  if (*p == 'e' || *p == 'E') {
    integer = false;
    p++;
    if (*p == '+' || *p == '-')
      p++;
    while (*p >= '0' && *p <= '9')
      p++;
  }
  v->type = GK_JSON_NUMBER;
  if (integer) {
    errno = 0;
    v->integer = strtoimax (start, &end, 10);
    v->is_integer = errno == 0 && end == p;
  }
  ps->p = p;
  return 0;
}

static int
parse_array (struct parser *ps, struct gk_json *v, int depth)
{
  size_t cap = 0;

  v->type = GK_JSON_ARRAY;
  ps->p++;
  skip_space (ps);
  if (*ps->p == ']') {
    ps->p++;
    return 0;
  }
  for (;;) {
    if (v->len == cap) {
      cap = cap ? cap * 2 : 4;
      v->items = xrealloc (v->items, cap * sizeof *v->items);
    }
    memset (&v->items[v->len], 0, sizeof v->items[0]);
    v->len++;
    if (parse_value (ps, &v->items[v->len - 1], depth + 1) == -1)
      return -1;
    skip_space (ps);
    if (*ps->p == ',') {
      ps->p++;
      continue;
    }
    if (*ps->p == ']') {
      ps->p++;
      return 0;
    }
    return fail (ps, "expected ‘,’ or ‘]’");
  }
}

static int
parse_object (struct parser *ps, struct gk_json *v, int depth)
{
  size_t cap = 0;

  v->type = GK_JSON_OBJECT;
  ps->p++;
  skip_space (ps);
  if (*ps->p == '}') {
    ps->p++;
    return 0;
  }
  for (;;) {
    char *key;

    skip_space (ps);
    if (*ps->p != '"')
      return fail (ps, "expected a member name");
    key = parse_string (ps);
    if (key == NULL)
      return -1;
    if (v->len == cap) {
      cap = cap ? cap * 2 : 8;
      v->items = xrealloc (v->items, cap * sizeof *v->items);
      v->keys = xrealloc (v->keys, cap * sizeof *v->keys);
    }
    memset (&v->items[v->len], 0, sizeof v->items[0]);
    v->keys[v->len] = key;
    v->len++;
    skip_space (ps);
    if (*ps->p != ':')
      return fail (ps, "expected ‘:’");
    ps->p++;
    if (parse_value (ps, &v->items[v->len - 1], depth + 1) == -1)
      return -1;
    skip_space (ps);
    if (*ps->p == ',') {
      ps->p++;
      continue;
    }
    if (*ps->p == '}') {
      ps->p++;
      return 0;
    }
    return fail (ps, "expected ‘,’ or ‘}’");
  }
}

static int
parse_value (struct parser *ps, struct gk_json *v, int depth)
{
  if (depth > MAX_DEPTH)
    return fail (ps, "nested too deeply");
  skip_space (ps);
  switch (*ps->p) {
  case '{': return parse_object (ps, v, depth);
  case '[': return parse_array (ps, v, depth);
  case '"':
    v->type = GK_JSON_STRING;
    v->string = parse_string (ps);
    return v->string ? 0 : -1;
  case 't':
    if (strncmp (ps->p, "true", 4) != 0)
      break;
    v->type = GK_JSON_BOOL;
    v->boolean = true;
    ps->p += 4;
    return 0;
  case 'f':
    if (strncmp (ps->p, "false", 5) != 0)
      break;
    v->type = GK_JSON_BOOL;
    ps->p += 5;
    return 0;
  case 'n':
    if (strncmp (ps->p, "null", 4) != 0)
      break;
    v->type = GK_JSON_NULL;
    ps->p += 4;
    return 0;
  case '\0':
    return fail (ps, "unexpected end");
  default:
    return parse_number (ps, v);
  }
  return fail (ps, "unexpected character");
}

static void
free_contents (struct gk_json *v)
{
  free (v->string);
  for (size_t i = 0; i < v->len; ++i) {
    free_contents (&v->items[i]);
    if (v->keys)
      free (v->keys[i]);
  }
  free (v->items);
  free (v->keys);
}

void
gk_json_free (struct gk_json *v)
{
  if (v == NULL)
    return;
  free_contents (v);
  free (v);
}

struct gk_json *
gk_json_parse (const char *text, char **errmsg)
{
  struct parser ps = { .p = text };
  struct gk_json *v = xcalloc (1, sizeof *v);

  *errmsg = NULL;
  if (parse_value (&ps, v, 0) == 0) {
    skip_space (&ps);
    if (*ps.p != '\0')
      fail (&ps, "text after the value");
  }
  if (ps.err) {
    gk_json_free (v);
    *errmsg = ps.err;
    return NULL;
  }
  return v;
}

const struct gk_json *
gk_json_member (const struct gk_json *v, const char *key)
{
  if (v == NULL || v->type != GK_JSON_OBJECT)
    return NULL;
  for (size_t i = 0; i < v->len; ++i)
    if (strcmp (v->keys[i], key) == 0)
      return &v->items[i];
  return NULL;
}

const char *
gk_json_string (const struct gk_json *v, const char *key)
{
  const struct gk_json *m = gk_json_member (v, key);

  return m && m->type == GK_JSON_STRING ? m->string : NULL;
}

bool
gk_json_int (const struct gk_json *v, const char *key, int64_t *out)
{
  const struct gk_json *m = gk_json_member (v, key);

  if (m == NULL || m->type != GK_JSON_NUMBER || !m->is_integer)
    return false;
  *out = m->integer;
  return true;
}

bool
gk_json_bool (const struct gk_json *v, const char *key, bool def)
{
  const struct gk_json *m = gk_json_member (v, key);

  return m && m->type == GK_JSON_BOOL ? m->boolean : def;
}
