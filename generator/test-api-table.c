/* guestkit: unit tests of the generated libguestfs API table, as TAP.
 *
 * The table is parsed from guestfs.h by a script; this test is compiled
 * against the same guestfs.h, so the compiler checks the header's side:
 * function signatures and struct member types through _Generic (whose
 * operand is not evaluated, so nothing links against libguestfs),
 * optional-argument bits through the GUESTFS_*_BITMASK macros, field
 * order through offsetof.  Each check then compares the table with it.
 */
#include <config.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Deprecated calls appear below in _Generic, which is not a use. */
#define GUESTFS_NO_WARN_DEPRECATED 1
#include <guestfs.h>

#include "utils/tap.h"
#include "api-table.h"

/* The kind of an argument, from its C type in the header. */
#define ARG_KIND(expr) _Generic ((expr),                        \
    int: GK_API_ARG_INT,                                        \
    int64_t: GK_API_ARG_INT64,                                  \
    const char *: GK_API_ARG_STRING,                            \
    char *const *: GK_API_ARG_STRING_LIST)

/* The kind of a struct field, from its C type in the header (a char
 * array decays to char *: UUIDs are checked by their size instead).
 */
#define FIELD_KIND(expr) _Generic ((expr),                      \
    char *: GK_API_FIELD_STRING,                                \
    char: GK_API_FIELD_CHAR,                                    \
    int32_t: GK_API_FIELD_INT32,                                \
    uint32_t: GK_API_FIELD_UINT32,                              \
    int64_t: GK_API_FIELD_INT64,                                \
    uint64_t: GK_API_FIELD_UINT64,                              \
    float: GK_API_FIELD_OPTPERCENT)

/* Whether the header declares guestfs_NAME with function type T. */
#define HAS_TYPE(name, T) _Generic (&guestfs_##name, T *: true, default: false)

static const struct gk_api_action *
find (const char *name)
{
  const struct gk_api_action *a = gk_api_find (name);

  if (!ok (a != NULL, "%s is in the table", name))
    return NULL;
  return a;
}

static bool
arg_is (const struct gk_api_action *a, size_t i, const char *name,
        enum gk_api_arg_kind kind)
{
  bool r = i < a->nr_args && strcmp (a->args[i].name, name) == 0 &&
    a->args[i].kind == kind;

  ok (r, "%s: argument %zu is %s %s", a->name, i + 1,
      gk_api_arg_kind_name (kind), name);
  if (!r && i < a->nr_args)
    printf ("#   got: %s %s\n", gk_api_arg_kind_name (a->args[i].kind),
            a->args[i].name);
  return r;
}

static bool
ret_is (const struct gk_api_action *a, enum gk_api_ret ret)
{
  bool r = a->ret == ret;

  ok (r, "%s returns %s", a->name, gk_api_ret_name (ret));
  if (!r)
    printf ("#   got: %s\n", gk_api_ret_name (a->ret));
  return r;
}

/* The optional argument NAME of action A: its bit is the header's
 * GUESTFS_A_NAME, its flag GUESTFS_A_NAME_BITMASK, its kind that of the
 * member of struct guestfs_A_argv.
 */
static void
check_optarg (const struct gk_api_action *a, const char *name,
              unsigned index, uint64_t bitmask, enum gk_api_arg_kind kind)
{
  const struct gk_api_optarg *o = NULL;

  for (size_t i = 0; i < a->nr_optargs; ++i)
    if (strcmp (a->optargs[i].name, name) == 0)
      o = &a->optargs[i];
  if (!ok (o != NULL, "%s has the optional argument %s", a->name, name))
    return;
  if (!ok (o->bit == index && (UINT64_C (1) << o->bit) == bitmask &&
           o->kind == kind,
           "%s: %s is bit %u (mask 0x%llx), %s", a->name, name, index,
           (unsigned long long) bitmask, gk_api_arg_kind_name (kind)))
    printf ("#   got: bit %u, %s\n", o->bit, gk_api_arg_kind_name (o->kind));
}

#define CHECK_OPTARG(a, action, ACTION, opt, OPT)                       \
  check_optarg ((a), #opt, GUESTFS_##ACTION##_##OPT,                    \
                GUESTFS_##ACTION##_##OPT##_BITMASK,                     \
                ARG_KIND (((struct guestfs_##action##_argv *) 0)->opt))

/* A field as the header has it. */
struct header_field {
  const char *name;
  size_t offset;
  int kind;                     /* enum gk_api_field_kind, or -1 */
};

#define MEMBER(S, f) (((struct guestfs_##S *) 0)->f)
#define FIELD(S, f)                                             \
  { #f, offsetof (struct guestfs_##S, f), FIELD_KIND (MEMBER (S, f)) }
#define UUID_FIELD(S, f)                                        \
  { #f, offsetof (struct guestfs_##S, f),                       \
    sizeof MEMBER (S, f) == 32 ? GK_API_FIELD_UUID : -1 }
#define BUFFER_FIELD(S, f)                                      \
  { #f, offsetof (struct guestfs_##S, f),                       \
    FIELD_KIND (MEMBER (S, f##_len)) == GK_API_FIELD_UINT32 &&  \
    FIELD_KIND (MEMBER (S, f)) == GK_API_FIELD_STRING ?         \
    GK_API_FIELD_BUFFER : -1 }

/* The table's struct NAME has the fields EXPECTED, in the header's
 * order (increasing offsets), with the header's kinds.
 */
static void
check_struct (const char *name, const struct header_field *expected,
              size_t n)
{
  const struct gk_api_struct *s = gk_api_find_struct (name);
  bool same;

  if (!ok (s != NULL, "struct %s is in the table", name))
    return;
  for (size_t i = 1; i < n; ++i)
    if (expected[i].offset <= expected[i - 1].offset)
      ok (false, "struct guestfs_%s: test lists %s before %s", name,
          expected[i - 1].name, expected[i].name);
  same = s->nr_fields == n;
  for (size_t i = 0; same && i < n; ++i)
    same = strcmp (s->fields[i].name, expected[i].name) == 0 &&
      (int) s->fields[i].kind == expected[i].kind;
  ok (same, "struct %s has the header's %zu fields, kinds and order",
      name, n);
  if (!same)
    for (size_t i = 0; i < s->nr_fields; ++i)
      printf ("#   got: %s %s (%s)\n", s->fields[i].ctype, s->fields[i].name,
              gk_api_field_kind_name (s->fields[i].kind));
}

#define CHECK_STRUCT(name, ...) do {                                    \
    const struct header_field f_[] = { __VA_ARGS__ };                   \
    check_struct (name, f_, sizeof f_ / sizeof f_[0]);                  \
  } while (0)

/* Properties every entry must have. */
static void
test_whole_table (void)
{
  size_t sorted = 0, have = 0, links = 0, optargs = 0, deprecated = 0;
  size_t bits_ok = 0, structs_ok = 0, found = 0;

  ok (gk_api_nr_actions > 500 && gk_api_nr_actions < 5000,
      "%zu actions (a sane count, > 500)", gk_api_nr_actions);
  ok (gk_api_nr_structs >= 20 && gk_api_nr_structs < 500,
      "%zu structs", gk_api_nr_structs);

  for (size_t i = 0; i < gk_api_nr_actions; ++i) {
    const struct gk_api_action *a = &gk_api_actions[i];
    char macro[256];
    uint64_t seen = 0;
    bool bits = a->has_optargs == (a->nr_optargs > 0) &&
      (a->nr_args > 0) == (a->args != NULL);

    if (i == 0 || strcmp (gk_api_actions[i - 1].name, a->name) < 0)
      sorted++;
    if (gk_api_find (a->name) == a)
      found++;

    /* GUESTFS_HAVE_NAME, NAME in upper case. */
    snprintf (macro, sizeof macro, "GUESTFS_HAVE_%s", a->name);
    for (char *p = macro; *p; ++p)
      if (*p >= 'a' && *p <= 'z')
        *p -= 'a' - 'A';
    if (a->have_macro && strcmp (a->have_macro, macro) == 0)
      have++;

    for (size_t j = 0; j < a->nr_optargs; ++j) {
      unsigned bit = a->optargs[j].bit;

      if (bit >= 64 || (seen & (UINT64_C (1) << bit)) ||
          (j > 0 && bit <= a->optargs[j - 1].bit))
        bits = false;
      else
        seen |= UINT64_C (1) << bit;
    }
    if (bits)
      bits_ok++;

    if ((a->ret == GK_API_RET_STRUCT || a->ret == GK_API_RET_STRUCT_LIST) ==
        (a->ret_struct != NULL) &&
        (a->ret != GK_API_RET_STRUCT_LIST || a->ret_struct->has_list))
      structs_ok++;

    /* NAME and NAME_opts point at each other. */
    if (a->plain_name) {
      const struct gk_api_action *p = gk_api_find (a->plain_name);

      if (p && p->opts_name && strcmp (p->opts_name, a->name) == 0 &&
          a->has_optargs && !p->has_optargs)
        links++;
    }
    optargs += a->has_optargs;
    deprecated += a->deprecated;
    /* The replacement is an action, or a private one (get_direct is
     * "replaced by" internal_get_console_socket).
     */
    if (a->replaced_by &&
        (!a->deprecated ||
         (!gk_api_find (a->replaced_by) &&
          strncmp (a->replaced_by, "internal_", 9) != 0)))
      ok (false, "%s is replaced by %s, an action", a->name, a->replaced_by);
  }
  ok (sorted == gk_api_nr_actions, "actions are sorted, no name twice");
  ok (found == gk_api_nr_actions, "gk_api_find finds every action");
  ok (have == gk_api_nr_actions, "every action has GUESTFS_HAVE_NAME");
  ok (bits_ok == gk_api_nr_actions,
      "optional arguments: distinct bits < 64, in order; counts agree");
  ok (structs_ok == gk_api_nr_actions,
      "struct returns, and only they, name a struct (with a list type)");
  ok (links >= 10, "%zu actions have a NAME and a NAME_opts form", links);
  ok (optargs >= 40 && optargs < gk_api_nr_actions / 2,
      "%zu actions have optional arguments", optargs);
  ok (deprecated >= 40 && deprecated < gk_api_nr_actions / 2,
      "%zu actions are deprecated", deprecated);
  ok (gk_api_find ("no_such_action") == NULL &&
      gk_api_find ("mount_va") == NULL &&
      gk_api_find ("add_drive_opts_argv") == NULL &&
      gk_api_find ("internal_autosync") == NULL,
      "no unknown, _va, _argv or private (GUESTFS_PRIVATE) entries");
  ok (gk_api_find_struct ("statvfs_list") == NULL &&
      gk_api_find_struct ("internal_mountable") == NULL,
      "no _list or private structs");
}

static void
test_mount (void)
{
  typedef int mount_fn (guestfs_h *, const char *, const char *);
  const struct gk_api_action *a = find ("mount");

  if (!a)
    return;
  ok (HAS_TYPE (mount, mount_fn), "header: guestfs_mount (g, str, str)");
  /* The header types RErr as int, like RInt and RBool. */
  ret_is (a, GK_API_RET_INT);
  ok (a->nr_args == 2, "mount has 2 arguments");
  arg_is (a, 0, "mountable", GK_API_ARG_STRING);
  arg_is (a, 1, "mountpoint", GK_API_ARG_STRING);
  ok (!a->has_optargs && a->nr_optargs == 0 && a->optargs == NULL,
      "mount has no optional arguments");
  ok (!a->deprecated && a->replaced_by == NULL, "mount is not deprecated");
#ifdef GUESTFS_HAVE_MOUNT
  is_str (a->have_macro, "GUESTFS_HAVE_MOUNT", "mount's have_macro");
#else
  ok (false, "the header defines GUESTFS_HAVE_MOUNT");
#endif
  ok (a->plain_name == NULL && a->opts_name == NULL, "mount has no _opts");
}

static void
test_statvfs (void)
{
  typedef struct guestfs_statvfs *statvfs_fn (guestfs_h *, const char *);
  const struct gk_api_action *a = find ("statvfs");

  if (!a)
    return;
  ok (HAS_TYPE (statvfs, statvfs_fn), "header: guestfs_statvfs (g, str)");
  ret_is (a, GK_API_RET_STRUCT);
  ok (a->ret_struct && strcmp (a->ret_struct->name, "statvfs") == 0,
      "statvfs returns struct statvfs");
  arg_is (a, 0, "path", GK_API_ARG_STRING);
  CHECK_STRUCT ("statvfs",
                FIELD (statvfs, bsize), FIELD (statvfs, frsize),
                FIELD (statvfs, blocks), FIELD (statvfs, bfree),
                FIELD (statvfs, bavail), FIELD (statvfs, files),
                FIELD (statvfs, ffree), FIELD (statvfs, favail),
                FIELD (statvfs, fsid), FIELD (statvfs, flag),
                FIELD (statvfs, namemax));
  ok (a->ret_struct && a->ret_struct->nr_fields * sizeof (int64_t) ==
      sizeof (struct guestfs_statvfs),
      "struct statvfs: the table's fields fill sizeof (struct "
      "guestfs_statvfs)");
}

/* Struct returns with each kind of field: a list of structs (dirent,
 * with a char), a buffer (xattr), UUIDs and percentages (lvm_lv).
 */
static void
test_struct_fields (void)
{
  typedef struct guestfs_dirent_list *readdir_fn (guestfs_h *, const char *);
  const struct gk_api_action *a = find ("readdir");

  if (a) {
    ok (HAS_TYPE (readdir, readdir_fn), "header: guestfs_readdir (g, str)");
    ret_is (a, GK_API_RET_STRUCT_LIST);
    ok (a->ret_struct && strcmp (a->ret_struct->name, "dirent") == 0 &&
        a->ret_struct->has_list, "readdir returns struct dirent_list");
  }
  CHECK_STRUCT ("dirent", FIELD (dirent, ino), FIELD (dirent, ftyp),
                FIELD (dirent, name));
  CHECK_STRUCT ("xattr", FIELD (xattr, attrname),
                BUFFER_FIELD (xattr, attrval));
  CHECK_STRUCT ("lvm_lv",
                FIELD (lvm_lv, lv_name), UUID_FIELD (lvm_lv, lv_uuid),
                FIELD (lvm_lv, lv_attr), FIELD (lvm_lv, lv_major),
                FIELD (lvm_lv, lv_minor), FIELD (lvm_lv, lv_kernel_major),
                FIELD (lvm_lv, lv_kernel_minor), FIELD (lvm_lv, lv_size),
                FIELD (lvm_lv, seg_count), FIELD (lvm_lv, origin),
                FIELD (lvm_lv, snap_percent), FIELD (lvm_lv, copy_percent),
                FIELD (lvm_lv, move_pv), FIELD (lvm_lv, lv_tags),
                FIELD (lvm_lv, mirror_log), FIELD (lvm_lv, modules));
}

static void
test_add_drive (void)
{
  typedef int add_drive_fn (guestfs_h *, const char *);
  typedef int add_drive_opts_fn (guestfs_h *, const char *, ...);
  const struct gk_api_action *a = find ("add_drive_opts");
  const struct gk_api_action *p = find ("add_drive");

  if (!a || !p)
    return;
  ok (HAS_TYPE (add_drive_opts, add_drive_opts_fn),
      "header: guestfs_add_drive_opts (g, str, ...)");
  ok (HAS_TYPE (add_drive, add_drive_fn),
      "header: guestfs_add_drive (g, str)");
  ret_is (a, GK_API_RET_INT);
  ok (a->nr_args == 1, "add_drive_opts has 1 positional argument");
  arg_is (a, 0, "filename", GK_API_ARG_STRING);
  ok (a->has_optargs, "add_drive_opts has optional arguments");
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, readonly, READONLY);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, format, FORMAT);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, iface, IFACE);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, name, NAME);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, label, LABEL);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, protocol, PROTOCOL);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, server, SERVER);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, username, USERNAME);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, secret, SECRET);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, cachemode, CACHEMODE);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, discard, DISCARD);
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, copyonread, COPYONREAD);
#ifdef GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK
  CHECK_OPTARG (a, add_drive_opts, ADD_DRIVE_OPTS, blocksize, BLOCKSIZE);
#endif
  is_str (a->plain_name, "add_drive", "add_drive_opts's plain_name");
  is_str (p->opts_name, "add_drive_opts", "add_drive's opts_name");
  ok (!p->has_optargs && p->nr_args == 1,
      "add_drive has the same argument and no optional ones");
}

static void
test_mkfs (void)
{
  const struct gk_api_action *a = find ("mkfs_opts");
  const struct gk_api_action *p = find ("mkfs");

  if (!a || !p)
    return;
  arg_is (a, 0, "fstype", GK_API_ARG_STRING);
  arg_is (a, 1, "device", GK_API_ARG_STRING);
  CHECK_OPTARG (a, mkfs_opts, MKFS_OPTS, blocksize, BLOCKSIZE);
  CHECK_OPTARG (a, mkfs_opts, MKFS_OPTS, features, FEATURES);
  CHECK_OPTARG (a, mkfs_opts, MKFS_OPTS, inode, INODE);
  CHECK_OPTARG (a, mkfs_opts, MKFS_OPTS, sectorsize, SECTORSIZE);
  CHECK_OPTARG (a, mkfs_opts, MKFS_OPTS, label, LABEL);
  is_str (a->plain_name, "mkfs", "mkfs_opts's plain_name");
  is_str (p->opts_name, "mkfs_opts", "mkfs's opts_name");

  /* An action with optional arguments and no _opts name, one of them
   * an int64.
   */
  a = find ("add_drive_scratch");
  if (a) {
    arg_is (a, 0, "size", GK_API_ARG_INT64);
    CHECK_OPTARG (a, add_drive_scratch, ADD_DRIVE_SCRATCH, name, NAME);
    ok (a->plain_name == NULL, "add_drive_scratch has no plain form");
  }
  a = find ("compress_out");
  if (a)
    CHECK_OPTARG (a, compress_out, COMPRESS_OUT, level, LEVEL);
}

static void
test_returns (void)
{
  typedef char *pread_fn (guestfs_h *, const char *, int, int64_t, size_t *);
  typedef int pwrite_fn (guestfs_h *, const char *, const char *, size_t,
                         int64_t);
  typedef char **list_filesystems_fn (guestfs_h *);
  typedef int64_t filesize_fn (guestfs_h *, const char *);
  typedef const char *get_path_fn (guestfs_h *);
  typedef char *cat_fn (guestfs_h *, const char *);
  const struct gk_api_action *a;

  if ((a = find ("pread")) != NULL) {
    ok (HAS_TYPE (pread, pread_fn),
        "header: guestfs_pread (g, str, int, int64, size_t *size_r)");
    ret_is (a, GK_API_RET_BUFFER_OUT);
    ok (a->nr_args == 3, "pread has 3 arguments (size_r is the return)");
    arg_is (a, 0, "path", GK_API_ARG_STRING);
    arg_is (a, 1, "count", GK_API_ARG_INT);
    arg_is (a, 2, "offset", GK_API_ARG_INT64);
  }
  if ((a = find ("pwrite")) != NULL) {
    ok (HAS_TYPE (pwrite, pwrite_fn),
        "header: guestfs_pwrite (g, str, str, size_t, int64)");
    ok (a->nr_args == 3, "pwrite has 3 arguments (a buffer is one)");
    arg_is (a, 1, "content", GK_API_ARG_BUFFER_IN);
    arg_is (a, 2, "offset", GK_API_ARG_INT64);
  }
  if ((a = find ("list_filesystems")) != NULL) {
    ok (HAS_TYPE (list_filesystems, list_filesystems_fn),
        "header: char **guestfs_list_filesystems (g)");
    /* A hashtable upstream: the header cannot tell. */
    ret_is (a, GK_API_RET_STRING_LIST);
    ok (a->nr_args == 0 && a->args == NULL, "list_filesystems has no args");
  }
  if ((a = find ("filesize")) != NULL) {
    ok (HAS_TYPE (filesize, filesize_fn), "header: int64_t guestfs_filesize");
    ret_is (a, GK_API_RET_INT64);
  }
  if ((a = find ("get_path")) != NULL) {
    ok (HAS_TYPE (get_path, get_path_fn),
        "header: const char *guestfs_get_path");
    ret_is (a, GK_API_RET_CONST_STRING);
  }
  if ((a = find ("cat")) != NULL) {
    ok (HAS_TYPE (cat, cat_fn), "header: char *guestfs_cat");
    ret_is (a, GK_API_RET_STRING);
  }
  if ((a = find ("add_libvirt_dom")) != NULL)
    arg_is (a, 0, "dom", GK_API_ARG_POINTER);
  if ((a = find ("sfdisk")) != NULL)
    arg_is (a, 4, "lines", GK_API_ARG_STRING_LIST);
}

static void
test_deprecated (void)
{
  const struct gk_api_action *a;

  if ((a = find ("add_cdrom")) != NULL) {
    ok (a->deprecated, "add_cdrom is deprecated");
    is_str (a->replaced_by, "add_drive_ro", "add_cdrom's replacement");
  }
  if ((a = find ("blockdev_setbsz")) != NULL)
    ok (a->deprecated && a->replaced_by == NULL,
        "blockdev_setbsz is deprecated with no replacement");
  if ((a = find ("add_drive_ro")) != NULL)
    ok (!a->deprecated, "add_drive_ro is not deprecated");
}

int
main (void)
{
  is_str (gk_api_source, GUESTFS_H_PATH,
          "the table comes from configure's GUESTFS_H");
  test_whole_table ();
  test_mount ();
  test_statvfs ();
  test_struct_fields ();
  test_add_drive ();
  test_mkfs ();
  test_returns ();
  test_deprecated ();
  return tap_done ();
}
