/* guestfish: printing what an action returned, by its kind, in
 * upstream's formats: true/false, numbers, one string per line,
 * "key: value" for hashtables, "field: value" for structs (a list of
 * structs as "[N] = {" blocks), and buffers raw to stdout.  Structs are
 * printed from the generated field table, so a new struct in a future
 * libguestfs needs no code here.
 */
#include <config.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "utils/string-list.h"
#include "fish.h"

void
fish_print_integer_field (enum gk_api_field_kind kind, const char *p)
{
  switch (kind) {
  case GK_API_FIELD_INT32: {
    int32_t v;
    memcpy (&v, p, sizeof v);
    printf ("%" PRIi32, v);
    break;
  }
  case GK_API_FIELD_UINT32: {
    uint32_t v;
    memcpy (&v, p, sizeof v);
    printf ("%" PRIu32, v);
    break;
  }
  case GK_API_FIELD_INT64: {
    int64_t v;
    memcpy (&v, p, sizeof v);
    printf ("%" PRIi64, v);
    break;
  }
  case GK_API_FIELD_UINT64: {
    uint64_t v;
    memcpy (&v, p, sizeof v);
    printf ("%" PRIu64, v);
    break;
  }
  default:
    break;
  }
}

static void
print_field (const struct fish_field *f, const char *base,
             const char *indent)
{
  const char *p = base + f->offset;

  printf ("%s%s: ", indent, f->name);
  switch (f->kind) {
  case GK_API_FIELD_STRING: {
    const char *s;
    memcpy (&s, p, sizeof s);
    printf ("%s", s);
    break;
  }
  case GK_API_FIELD_BUFFER: {
    const char *s;
    uint32_t len;
    memcpy (&s, p, sizeof s);
    memcpy (&len, base + f->len_offset, sizeof len);
    for (uint32_t i = 0; i < len; ++i) {
      unsigned char c = s[i];
      if (isprint (c))
        putchar (c);
      else
        printf ("\\x%02x", c);
    }
    break;
  }
  case GK_API_FIELD_UUID:
    fwrite (p, 1, 32, stdout);
    break;
  case GK_API_FIELD_CHAR:
    putchar (*p);
    break;
  case GK_API_FIELD_INT32:
  case GK_API_FIELD_UINT32:
  case GK_API_FIELD_INT64:
  case GK_API_FIELD_UINT64:
    fish_print_integer_field (f->kind, p);
    break;
  case GK_API_FIELD_OPTPERCENT: {
    float v;
    memcpy (&v, p, sizeof v);
    if (v >= 0)
      printf ("%g %%", (double) v);
    break;
  }
  }
  putchar ('\n');
}

static void
print_struct (const struct fish_struct *s, const void *p, const char *indent)
{
  for (size_t i = 0; i < s->nr_fields; ++i)
    print_field (&s->fields[i], p, indent);
}

/* Every struct guestfs_S_list has this layout. */
struct any_list {
  uint32_t len;
  void *val;
};

static void
print_struct_list (const struct fish_struct *s, const void *list)
{
  const struct any_list *l = list;
  const char *val = l->val;

  for (uint32_t i = 0; i < l->len; ++i) {
    printf ("[%" PRIu32 "] = {\n", i);
    print_struct (s, val + i * s->size, "  ");
    printf ("}\n");
  }
}

int
fish_print_result (const struct fish_cmd *cmd, union fish_result *r,
                   size_t size)
{
  if (fish.json)
    return fish_print_json (cmd, r, size);
  switch (cmd->ret) {
  case FISH_RET_ERR:
    return r->i == -1 ? -1 : 0;
  case FISH_RET_INT:
    if (r->i == -1)
      return -1;
    if (cmd->output_base == 8)
      printf ("%s%o\n", r->i ? "0" : "", (unsigned) r->i);
    else if (cmd->output_base == 16)
      printf ("0x%x\n", (unsigned) r->i);
    else
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
    printf ("%s\n", r->cs);
    return 0;
  case FISH_RET_CONST_OPTSTRING:
    printf ("%s\n", r->cs ? r->cs : "(null)");
    return 0;
  case FISH_RET_STRING:
    if (r->s == NULL)
      return -1;
    printf ("%s\n", r->s);
    free (r->s);
    return 0;
  case FISH_RET_STRING_LIST:
  case FISH_RET_HASHTABLE:
    if (r->sl == NULL)
      return -1;
    for (size_t i = 0; r->sl[i]; ++i) {
      if (cmd->ret == FISH_RET_HASHTABLE) {
        printf ("%s: %s\n", r->sl[i], r->sl[i + 1] ? r->sl[i + 1] : "");
        if (r->sl[i + 1] == NULL)
          break;
        i++;
      }
      else
        printf ("%s\n", r->sl[i]);
    }
    gk_free_string_list (r->sl);
    return 0;
  case FISH_RET_STRUCT:
    if (r->p == NULL)
      return -1;
    print_struct (cmd->ret_struct, r->p, "");
    cmd->ret_struct->free (r->p);
    return 0;
  case FISH_RET_STRUCT_LIST:
    if (r->p == NULL)
      return -1;
    print_struct_list (cmd->ret_struct, r->p);
    cmd->ret_struct->free_list (r->p);
    return 0;
  case FISH_RET_BUFFER_OUT:
    if (r->s == NULL)
      return -1;
    if (fwrite (r->s, 1, size, stdout) != size) {
      free (r->s);
      return -1;
    }
    free (r->s);
    return 0;
  }
  return -1;
}
