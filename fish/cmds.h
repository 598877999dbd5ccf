/* guestfish: the command table, generated at build time.
 *
 * cmds.c is written by generator/gen-fish-cmds from the installed
 * Guestfs-1.0.gir, cross-checked with the guestfs.h table
 * (generator/api-table.h), plus fish/api-exceptions for what the .gir
 * cannot tell.  One entry per libguestfs action a shell can call, with
 * guestfish's kind for each argument and return value, the offsets the
 * generic dispatcher (run.c) needs to fill the optional-argument struct,
 * and a thunk that calls the C function.  This header is hand-written:
 * it holds the types only.
 */
#ifndef GUESTKIT_FISH_CMDS_H
#define GUESTKIT_FISH_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <guestfs.h>

#include "api-table.h"

/* How guestfish reads an argument from its words. */
enum fish_arg_type {
  FISH_ARG_STRING,       /* any text (.gir utf8) */
  FISH_ARG_PATH,         /* a device, mountable or guest path (.gir
                            filename): completed with guest paths */
  FISH_ARG_OPTSTRING,    /* text that may be absent: "" passes NULL */
  FISH_ARG_STRING_LIST,  /* 'a b c', split like a shell */
  FISH_ARG_BOOL,         /* true|false and their spellings */
  FISH_ARG_INT,          /* 31-bit signed, size suffixes */
  FISH_ARG_INT64,
  FISH_ARG_FILE_IN,      /* a host file, "-" for stdin */
  FISH_ARG_FILE_OUT,     /* a host file, "-" for stdout */
  FISH_ARG_KEY,          /* a passphrase: not a word, read from the tty
                            or from stdin (--keys-from-stdin) */
  FISH_ARG_BUFFER_IN,    /* bytes (the word as given) */
};

/* What the action returns, as guestfish prints it. */
enum fish_ret_type {
  FISH_RET_ERR,          /* nothing */
  FISH_RET_INT,
  FISH_RET_BOOL,         /* true|false */
  FISH_RET_INT64,
  FISH_RET_CONST_STRING,
  FISH_RET_CONST_OPTSTRING, /* may be NULL without an error */
  FISH_RET_STRING,
  FISH_RET_STRING_LIST,  /* one per line */
  FISH_RET_HASHTABLE,    /* key: value */
  FISH_RET_STRUCT,
  FISH_RET_STRUCT_LIST,
  FISH_RET_BUFFER_OUT,   /* raw bytes to stdout */
};

/* One converted argument, as the thunk passes it to libguestfs. */
union fish_value {
  const char *s;
  char *const *sl;
  int i;
  int64_t i64;
  struct { const char *ptr; size_t len; } buf;
};

/* What the thunk got back; which member is set depends on the type. */
union fish_result {
  int i;
  int64_t i64;
  const char *cs;
  char *s;
  char **sl;
  void *p;                 /* struct guestfs_S or guestfs_S_list */
};

struct fish_arg {
  const char *name;
  enum fish_arg_type type;
};

struct fish_optarg {
  const char *name;
  enum fish_arg_type type;  /* STRING, STRING_LIST, BOOL, INT, INT64 */
  uint64_t bitmask;         /* its GUESTFS_..._BITMASK */
  size_t offset;            /* in struct guestfs_NAME_argv */
};

/* A field of struct guestfs_S, where the generic printer finds it. */
struct fish_field {
  const char *name;
  enum gk_api_field_kind kind;
  size_t offset;
  size_t len_offset;        /* BUFFER: the uint32_t NAME_len */
};

struct fish_struct {
  const char *name;
  const struct fish_field *fields;
  size_t nr_fields;
  size_t size;              /* sizeof (struct guestfs_S) */
  void (*free) (void *);    /* guestfs_free_S */
  void (*free_list) (void *); /* guestfs_free_S_list */
};

typedef void (*fish_call_fn) (guestfs_h *g, const union fish_value *args,
                              const void *optargs, union fish_result *r,
                              size_t *size_r);

struct fish_cmd {
  const char *name;         /* guestfish's name: "add-drive" */
  const struct gk_api_action *api; /* the C action called (add_drive_opts) */
  enum fish_ret_type ret;
  const struct fish_struct *ret_struct;
  const struct fish_arg *args;
  size_t nr_args;
  const struct fish_optarg *optargs;
  size_t nr_optargs;
  size_t optargs_size;      /* sizeof (struct guestfs_NAME_argv), or 0 */
  fish_call_fn call;
  int output_base;          /* an int result: 10, or 8 or 16 */
};

/* Sorted by name (strcmp order). */
extern const struct fish_cmd fish_cmds[];
extern const size_t fish_nr_cmds;
extern const struct fish_struct fish_structs[];
extern const size_t fish_nr_structs;
/* The .gir the table was generated from. */
extern const char fish_cmds_source[];

/* Names of the kinds, for help and messages (cmds-names.c). */
extern const char *fish_arg_type_name (enum fish_arg_type type);
extern const char *fish_ret_type_name (enum fish_ret_type type);

#endif /* GUESTKIT_FISH_CMDS_H */
