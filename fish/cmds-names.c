/* guestfish: names of the argument and return kinds (cmds.h), as help
 * shows them in a command's synopsis.
 */
#include <config.h>

#include "cmds.h"

const char *
fish_arg_type_name (enum fish_arg_type type)
{
  switch (type) {
  case FISH_ARG_STRING: return "string";
  case FISH_ARG_PATH: return "path";
  case FISH_ARG_OPTSTRING: return "string|\"\"";
  case FISH_ARG_STRING_LIST: return "'list ...'";
  case FISH_ARG_BOOL: return "true|false";
  case FISH_ARG_INT: return "int";
  case FISH_ARG_INT64: return "int64";
  case FISH_ARG_FILE_IN: return "hostfile|-";
  case FISH_ARG_FILE_OUT: return "hostfile|-";
  case FISH_ARG_KEY: return "key";
  case FISH_ARG_BUFFER_IN: return "bytes";
  }
  return "?";
}

const char *
fish_ret_type_name (enum fish_ret_type type)
{
  switch (type) {
  case FISH_RET_ERR: return "nothing";
  case FISH_RET_INT: return "int";
  case FISH_RET_BOOL: return "true|false";
  case FISH_RET_INT64: return "int64";
  case FISH_RET_CONST_STRING: return "string";
  case FISH_RET_CONST_OPTSTRING: return "string or nothing";
  case FISH_RET_STRING: return "string";
  case FISH_RET_STRING_LIST: return "list of strings";
  case FISH_RET_HASHTABLE: return "key: value pairs";
  case FISH_RET_STRUCT: return "struct";
  case FISH_RET_STRUCT_LIST: return "list of structs";
  case FISH_RET_BUFFER_OUT: return "bytes";
  }
  return "?";
}
