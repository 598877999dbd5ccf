/* guestfish --json: each action's result as one JSON value on a line of
 * its own, for scripts: true/false, numbers (an int printed in octal
 * or hex by default is a plain number here), strings (null for an
 * absent optional string), arrays of strings, an object for a
 * hashtable, an object with typed fields for a struct, an array of them
 * for a struct list, and a string for a buffer.  An action that returns
 * nothing prints nothing.  Strings are written with
 * gk_json_write_buffer, so guest bytes that are not UTF-8 still make
 * valid JSON.  Errors are not results: they stay on stderr.
 */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/json.h"
#include "utils/string-list.h"
#include "fish.h"

static void
json_field (const struct fish_field *f, const char *base)
{
  const char *p = base + f->offset;

  gk_json_write_string (stdout, f->name);
  putchar (':');
  switch (f->kind) {
  case GK_API_FIELD_STRING: {
    const char *s;
    memcpy (&s, p, sizeof s);
    gk_json_write_string (stdout, s ? s : "");
    break;
  }
  case GK_API_FIELD_BUFFER: {
    const char *s;
    uint32_t len;
    memcpy (&s, p, sizeof s);
    memcpy (&len, base + f->len_offset, sizeof len);
    gk_json_write_buffer (stdout, s, s ? len : 0);
    break;
  }
  case GK_API_FIELD_UUID:
    gk_json_write_buffer (stdout, p, 32);
    break;
  case GK_API_FIELD_CHAR:
    gk_json_write_buffer (stdout, p, 1);
    break;
  case GK_API_FIELD_INT32:
  case GK_API_FIELD_UINT32:
  case GK_API_FIELD_INT64:
  case GK_API_FIELD_UINT64:
    fish_print_integer_field (f->kind, p);   /* a JSON number as it is */
    break;
  case GK_API_FIELD_OPTPERCENT: {
    float v;
    memcpy (&v, p, sizeof v);
    /* -1 means "not known" in libguestfs. */
    if (v >= 0 && isfinite (v))
      printf ("%g", (double) v);
    else
      fputs ("null", stdout);
    break;
  }
  }
}

static void
json_struct (const struct fish_struct *s, const char *p)
{
  putchar ('{');
  for (size_t i = 0; i < s->nr_fields; ++i) {
    if (i > 0)
      putchar (',');
    json_field (&s->fields[i], p);
  }
  putchar ('}');
}

/* Every struct guestfs_S_list has this layout. */
struct any_list {
  uint32_t len;
  void *val;
};

static void
json_string_list (char *const *sl, bool hashtable)
{
  putchar (hashtable ? '{' : '[');
  for (size_t i = 0; sl[i]; ++i) {
    if (i > 0)
      putchar (',');
    gk_json_write_string (stdout, sl[i]);
    if (hashtable) {
      putchar (':');
      gk_json_write_string (stdout, sl[i + 1] ? sl[i + 1] : "");
      if (sl[i + 1] == NULL)
        break;
      i++;
    }
  }
  putchar (hashtable ? '}' : ']');
}

int
fish_print_json (const struct fish_cmd *cmd, union fish_result *r,
                 size_t size)
{
  switch (cmd->ret) {
  case FISH_RET_ERR:
    return r->i == -1 ? -1 : 0;
  case FISH_RET_INT:
    if (r->i == -1)
      return -1;
    printf ("%d\n", r->i);
    return 0;
  case FISH_RET_BOOL:
    if (r->i == -1)
      return -1;
    printf ("%s\n", r->i ? "true" : "false");
    return 0;
  case FISH_RET_INT64:
    if (r->i64 == -1)
      return -1;
    printf ("%" PRIi64 "\n", r->i64);
    return 0;
  case FISH_RET_CONST_STRING:
    if (r->cs == NULL)
      return -1;
    gk_json_write_string (stdout, r->cs);
    putchar ('\n');
    return 0;
  case FISH_RET_CONST_OPTSTRING:
    if (r->cs)
      gk_json_write_string (stdout, r->cs);
    else
      fputs ("null", stdout);
    putchar ('\n');
    return 0;
  case FISH_RET_STRING:
    if (r->s == NULL)
      return -1;
    gk_json_write_string (stdout, r->s);
    putchar ('\n');
    free (r->s);
    return 0;
  case FISH_RET_STRING_LIST:
  case FISH_RET_HASHTABLE:
    if (r->sl == NULL)
      return -1;
    json_string_list (r->sl, cmd->ret == FISH_RET_HASHTABLE);
    putchar ('\n');
    gk_free_string_list (r->sl);
    return 0;
  case FISH_RET_STRUCT:
    if (r->p == NULL)
      return -1;
    json_struct (cmd->ret_struct, r->p);
    putchar ('\n');
    cmd->ret_struct->free (r->p);
    return 0;
  case FISH_RET_STRUCT_LIST: {
    const struct any_list *l = r->p;

    if (l == NULL)
      return -1;
    putchar ('[');
    for (uint32_t i = 0; i < l->len; ++i) {
      if (i > 0)
        putchar (',');
      json_struct (cmd->ret_struct,
                   (const char *) l->val + i * cmd->ret_struct->size);
    }
    printf ("]\n");
    cmd->ret_struct->free_list (r->p);
    return 0;
  }
  case FISH_RET_BUFFER_OUT:
    if (r->s == NULL)
      return -1;
    gk_json_write_buffer (stdout, r->s, size);
    putchar ('\n');
    free (r->s);
    return 0;
  }
  return -1;
}
