/* guestkit: the libguestfs API as a table, generated at build time.
 *
 * api-table.c is written by gen-api-table from the <guestfs.h> installed
 * on the build machine (configure's GUESTFS_H): one entry per public
 * action, with its return kind, its positional arguments, its optional
 * arguments and their bitmask bits, whether it is deprecated and its
 * GUESTFS_HAVE_* macro; and the structs the actions return, with their
 * fields.  This header is hand-written: it holds the types only.
 *
 * The header says less than libguestfs's own generator knows: where two
 * kinds look the same in C, the table has one kind and says so below
 * (README, "What the header cannot tell").
 */
#ifndef GUESTKIT_API_TABLE_H
#define GUESTKIT_API_TABLE_H

#include <stdbool.h>
#include <stddef.h>

/* What an action returns, by its C return type. */
enum gk_api_ret {
  GK_API_RET_INT,          /* int: RErr (0 or -1), RInt or RBool (a truth
                              value or -1): the header cannot tell which */
  GK_API_RET_INT64,        /* int64_t, -1 on error */
  GK_API_RET_CONST_STRING, /* const char *, owned by the handle: RConstString
                              or RConstOptString (may be NULL without an
                              error): the header cannot tell which */
  GK_API_RET_STRING,       /* char *, the caller frees it */
  GK_API_RET_STRING_LIST,  /* char **, NULL-terminated: RStringList or
                              RHashtable (keys and values alternate): the
                              header cannot tell which */
  GK_API_RET_STRUCT,       /* struct guestfs_S *: ret_struct is S */
  GK_API_RET_STRUCT_LIST,  /* struct guestfs_S_list *: ret_struct is S */
  GK_API_RET_BUFFER_OUT,   /* char * with its length in size_t *size_r */
};

/* The C kind of a positional or optional argument. */
enum gk_api_arg_kind {
  GK_API_ARG_STRING,       /* const char *: String of any subkind (Device,
                              Pathname, FileIn, FileOut, Key...) or
                              OptString: the header cannot tell which */
  GK_API_ARG_STRING_LIST,  /* char *const *, NULL-terminated */
  GK_API_ARG_INT,          /* int: Int or Bool: the header cannot tell */
  GK_API_ARG_INT64,        /* int64_t */
  GK_API_ARG_BUFFER_IN,    /* const char *NAME, size_t NAME_size (one
                              entry for the pair) */
  GK_API_ARG_POINTER,      /* void * (add_libvirt_dom's virDomainPtr):
                              not something a shell can pass */
};

struct gk_api_arg {
  const char *name;              /* the parameter's name in guestfs.h */
  enum gk_api_arg_kind kind;
};

struct gk_api_optarg {
  const char *name;              /* field of struct guestfs_NAME_argv */
  enum gk_api_arg_kind kind;     /* STRING, STRING_LIST, INT or INT64 */
  unsigned bit;                  /* its flag is UINT64_C(1) << bit */
};

/* The C kind of a struct field. */
enum gk_api_field_kind {
  GK_API_FIELD_STRING,           /* char *, NUL-terminated */
  GK_API_FIELD_BUFFER,           /* char *NAME with uint32_t NAME_len before
                                    it (one entry for the pair) */
  GK_API_FIELD_UUID,             /* char NAME[32], not NUL-terminated */
  GK_API_FIELD_CHAR,             /* char */
  GK_API_FIELD_INT32,            /* int32_t */
  GK_API_FIELD_UINT32,           /* uint32_t */
  GK_API_FIELD_INT64,            /* int64_t */
  GK_API_FIELD_UINT64,           /* uint64_t */
  GK_API_FIELD_OPTPERCENT,       /* float, 0 to 100, or -1 for none */
};

struct gk_api_field {
  const char *name;              /* member of struct guestfs_S */
  const char *ctype;             /* its C type as guestfs.h spells it */
  enum gk_api_field_kind kind;
};

/* A public struct: struct guestfs_NAME, and guestfs_NAME_list if
 * has_list.
 */
struct gk_api_struct {
  const char *name;
  const struct gk_api_field *fields;
  size_t nr_fields;
  bool has_list;
};

/* One public action: the C function guestfs_NAME.  An action with
 * optional arguments is one entry, though the header declares it three
 * times (guestfs_NAME, guestfs_NAME_va, guestfs_NAME_argv).
 */
struct gk_api_action {
  const char *name;
  enum gk_api_ret ret;
  const struct gk_api_struct *ret_struct; /* RET_STRUCT(_LIST), else NULL */
  const struct gk_api_arg *args;
  size_t nr_args;
  const struct gk_api_optarg *optargs;    /* in bit order */
  size_t nr_optargs;
  bool has_optargs;              /* variadic, with _va and _argv forms */
  /* NAME_opts and NAME: an action that gained optional arguments keeps
   * its old form without them under the old name.  On NAME_opts,
   * plain_name is NAME; on NAME, opts_name is NAME_opts.  Else NULL.
   */
  const char *plain_name;
  const char *opts_name;
  bool deprecated;
  const char *replaced_by;       /* the action to use instead, or NULL */
  const char *have_macro;        /* "GUESTFS_HAVE_NAME", or NULL if none */
};

/* Sorted by name (strcmp order). */
extern const struct gk_api_action gk_api_actions[];
extern const size_t gk_api_nr_actions;
extern const struct gk_api_struct gk_api_structs[];
extern const size_t gk_api_nr_structs;

/* The guestfs.h the table was generated from. */
extern const char gk_api_source[];

/* Look an action or a struct up by its C name ("mount", "statvfs");
 * NULL if there is none.  (api-lookup.c)
 */
extern const struct gk_api_action *gk_api_find (const char *name);
extern const struct gk_api_struct *gk_api_find_struct (const char *name);

/* Short names of the kinds, for messages and help texts. */
extern const char *gk_api_ret_name (enum gk_api_ret ret);
extern const char *gk_api_arg_kind_name (enum gk_api_arg_kind kind);
extern const char *gk_api_field_kind_name (enum gk_api_field_kind kind);

#endif /* GUESTKIT_API_TABLE_H */
