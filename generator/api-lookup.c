/* guestkit: lookups in the generated libguestfs API table (api-table.h).
 *
 * Hand-written: api-table.c holds only data, sorted by name, so an
 * action or a struct is found by binary search.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "api-table.h"

static int
compare_action (const void *key, const void *elem)
{
  const struct gk_api_action *action = elem;

  return strcmp (key, action->name);
}

const struct gk_api_action *
gk_api_find (const char *name)
{
  return bsearch (name, gk_api_actions, gk_api_nr_actions,
                  sizeof gk_api_actions[0], compare_action);
}

static int
compare_struct (const void *key, const void *elem)
{
  const struct gk_api_struct *s = elem;

  return strcmp (key, s->name);
}

const struct gk_api_struct *
gk_api_find_struct (const char *name)
{
  return bsearch (name, gk_api_structs, gk_api_nr_structs,
                  sizeof gk_api_structs[0], compare_struct);
}

const char *
gk_api_ret_name (enum gk_api_ret ret)
{
  switch (ret) {
  case GK_API_RET_INT: return "int";
  case GK_API_RET_INT64: return "int64";
  case GK_API_RET_CONST_STRING: return "const string";
  case GK_API_RET_STRING: return "string";
  case GK_API_RET_STRING_LIST: return "string list";
  case GK_API_RET_STRUCT: return "struct";
  case GK_API_RET_STRUCT_LIST: return "struct list";
  case GK_API_RET_BUFFER_OUT: return "buffer out";
  }
  return "?";
}

const char *
gk_api_arg_kind_name (enum gk_api_arg_kind kind)
{
  switch (kind) {
  case GK_API_ARG_STRING: return "string";
  case GK_API_ARG_STRING_LIST: return "string list";
  case GK_API_ARG_INT: return "int";
  case GK_API_ARG_INT64: return "int64";
  case GK_API_ARG_BUFFER_IN: return "buffer in";
  case GK_API_ARG_POINTER: return "pointer";
  }
  return "?";
}

const char *
gk_api_field_kind_name (enum gk_api_field_kind kind)
{
  switch (kind) {
  case GK_API_FIELD_STRING: return "string";
  case GK_API_FIELD_BUFFER: return "buffer";
  case GK_API_FIELD_UUID: return "uuid";
  case GK_API_FIELD_CHAR: return "char";
  case GK_API_FIELD_INT32: return "int32";
  case GK_API_FIELD_UINT32: return "uint32";
  case GK_API_FIELD_INT64: return "int64";
  case GK_API_FIELD_UINT64: return "uint64";
  case GK_API_FIELD_OPTPERCENT: return "optpercent";
  }
  return "?";
}
