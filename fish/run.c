/* guestfish: running a libguestfs action from its words, through the
 * generated table (cmds.h).
 *
 * One dispatcher for every action: the words are checked against the
 * table's argument list and converted by kind (args.h), the optional
 * arguments go into a zeroed struct guestfs_NAME_argv at the offsets
 * the table gives, the generated thunk makes the call, and print.c
 * prints the result by its kind.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options/keys.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "args.h"
#include "fish.h"

static int
compare_cmd (const void *key, const void *elem)
{
  const struct fish_cmd *cmd = elem;

  return strcmp (key, cmd->name);
}

const struct fish_cmd *
fish_find_cmd (const char *name)
{
  CLEANUP_FREE char *dashed = xstrdup (name);
  const struct fish_cmd *cmd;

  /* Both add_drive and add-drive, as upstream. */
  for (char *c = dashed; *c; c++)
    if (*c == '_')
      *c = '-';
  cmd = bsearch (dashed, fish_cmds, fish_nr_cmds, sizeof fish_cmds[0],
                 compare_cmd);
  if (cmd)
    return cmd;
  /* The C name of an action that gained optional arguments:
   * add-drive-opts is add-drive.
   */
  for (size_t i = 0; i < fish_nr_cmds; ++i) {
    CLEANUP_FREE char *cname = xstrdup (fish_cmds[i].api->name);

    for (char *c = cname; *c; c++)
      if (*c == '_')
        *c = '-';
    if (STREQ (cname, dashed))
      return &fish_cmds[i];
  }
  return NULL;
}

size_t
fish_nr_words (const struct fish_cmd *cmd)
{
  size_t n = 0;

  for (size_t i = 0; i < cmd->nr_args; ++i)
    n += cmd->args[i].type != FISH_ARG_KEY;
  return n;
}

/* What the converted arguments own. */
struct converted {
  union fish_value vals[32];
  char **lists[32];
  size_t nr_lists;
  char *keys[8];
  size_t nr_keys;
  void *optargs;
};

static void
free_converted (struct converted *c)
{
  for (size_t i = 0; i < c->nr_lists; ++i)
    gk_free_string_list (c->lists[i]);
  for (size_t i = 0; i < c->nr_keys; ++i) {
    memset (c->keys[i], 0, strlen (c->keys[i]));
    free (c->keys[i]);
  }
  free (c->optargs);
}

/* Convert WORD for an argument of TYPE into *V.  Returns 0, or -1
 * with *ERRMSG.
 */
static int
convert (struct converted *c, enum fish_arg_type type, const char *word,
         union fish_value *v, char **errmsg)
{
  switch (type) {
  case FISH_ARG_STRING:
  case FISH_ARG_PATH:
    v->s = word;
    return 0;
  case FISH_ARG_OPTSTRING:
    v->s = *word ? word : NULL;
    return 0;
  case FISH_ARG_FILE_IN:
    v->s = fish_file_in (word, errmsg);
    return v->s ? 0 : -1;
  case FISH_ARG_FILE_OUT:
    if (STREQ (word, "-")) {
      fflush (stdout);
      v->s = "/dev/stdout";
    }
    else
      v->s = word;
    return 0;
  case FISH_ARG_STRING_LIST: {
    char **list = fish_parse_string_list (word, errmsg);

    if (list == NULL)
      return -1;
    c->lists[c->nr_lists++] = list;
    v->sl = list;
    return 0;
  }
  case FISH_ARG_BOOL:
    return fish_parse_bool (word, &v->i, errmsg);
  case FISH_ARG_INT:
    return fish_parse_int (word, &v->i, errmsg);
  case FISH_ARG_INT64:
    return fish_parse_int64 (word, &v->i64, errmsg);
  case FISH_ARG_BUFFER_IN:
    v->buf.ptr = word;
    v->buf.len = strlen (word);
    return 0;
  case FISH_ARG_KEY:
    break;
  }
  abort ();
}

/* A passphrase for a Key argument: from --key, --keys-from-stdin or
 * the terminal, as for -i (options/keys.h).
 */
static char *
read_key (const struct fish_cmd *cmd, const union fish_value *vals,
          char **errmsg)
{
  const char *device = cmd->nr_args > 0 && cmd->args[0].type ==
    FISH_ARG_PATH ? vals[0].s : cmd->name;
  char **keys = gk_keys_for_device (&fish.opts, device, NULL);
  char *key;

  if (keys[0] == NULL) {
    free (keys);
    *errmsg = xasprintf ("no key for %s: give --key, or --keys-from-stdin",
                         device);
    return NULL;
  }
  key = keys[0];
  for (size_t i = 1; keys[i]; ++i)
    free (keys[i]);
  free (keys);
  return key;
}

static int
convert_optargs (struct converted *c, const struct fish_cmd *cmd,
                 char *const *words, size_t n, char **errmsg)
{
  uint64_t *bitmask;

  c->optargs = xcalloc (1, cmd->optargs_size);
  bitmask = c->optargs;         /* the first member of every _argv */
  for (size_t i = 0; i < n; ++i) {
    const char *colon = strchr (words[i], ':');
    const struct fish_optarg *o = NULL;
    union fish_value v;
    CLEANUP_FREE char *name =
      colon ? xstrndup (words[i], colon - words[i]) : NULL;

    for (size_t j = 0; name && j < cmd->nr_optargs; ++j)
      if (STREQ (cmd->optargs[j].name, name))
        o = &cmd->optargs[j];
    if (o == NULL) {
      *errmsg = xasprintf ("%s: ‘%s’ is not an optional argument of this "
                           "command (see help %s)", cmd->name, words[i],
                           cmd->name);
      return -1;
    }
    if (*bitmask & o->bitmask) {
      *errmsg = xasprintf ("%s: %s: optional argument given twice",
                           cmd->name, name);
      return -1;
    }
    if (convert (c, o->type, colon + 1, &v, errmsg) == -1) {
      char *m = xasprintf ("%s: %s: %s", cmd->name, name, *errmsg);
      free (*errmsg);
      *errmsg = m;
      return -1;
    }
    *bitmask |= o->bitmask;
    switch (o->type) {
    case FISH_ARG_BOOL:
    case FISH_ARG_INT:
      memcpy ((char *) c->optargs + o->offset, &v.i, sizeof v.i);
      break;
    case FISH_ARG_INT64:
      memcpy ((char *) c->optargs + o->offset, &v.i64, sizeof v.i64);
      break;
    case FISH_ARG_STRING_LIST:
      memcpy ((char *) c->optargs + o->offset, &v.sl, sizeof v.sl);
      break;
    default:
      memcpy ((char *) c->optargs + o->offset, &v.s, sizeof v.s);
      break;
    }
  }
  return 0;
}

int
fish_run_action (const struct fish_cmd *cmd, char *const *words)
{
  size_t argc = gk_count_strings (words), nwords = fish_nr_words (cmd);
  struct converted c = { .nr_lists = 0 };
  union fish_result r = { .p = NULL };
  size_t size = 0, w = 0;
  char *errmsg = NULL;
  int ret = -1;

  if (argc < nwords || argc > nwords + cmd->nr_optargs) {
    if (cmd->nr_optargs)
      fish_error ("%s: %zu to %zu arguments expected, %zu given "
                  "(see help %s)", cmd->name, nwords,
                  nwords + cmd->nr_optargs, argc, cmd->name);
    else
      fish_error ("%s: %zu argument%s expected, %zu given (see help %s)",
                  cmd->name, nwords, nwords == 1 ? "" : "s", argc,
                  cmd->name);
    return -1;
  }
  for (size_t i = 0; i < cmd->nr_args; ++i) {
    if (cmd->args[i].type == FISH_ARG_KEY)
      continue;
    if (convert (&c, cmd->args[i].type, words[w++], &c.vals[i],
                 &errmsg) == -1) {
      fish_error ("%s: %s: %s", cmd->name, cmd->args[i].name, errmsg);
      goto out;
    }
  }
  /* Passphrases last, so a typo in the other words costs no typing. */
  for (size_t i = 0; i < cmd->nr_args; ++i) {
    if (cmd->args[i].type != FISH_ARG_KEY)
      continue;
    c.keys[c.nr_keys] = read_key (cmd, c.vals, &errmsg);
    if (c.keys[c.nr_keys] == NULL) {
      fish_error ("%s: %s", cmd->name, errmsg);
      goto out;
    }
    c.vals[i].s = c.keys[c.nr_keys++];
  }
  if (cmd->optargs_size &&
      convert_optargs (&c, cmd, &words[nwords], argc - nwords,
                       &errmsg) == -1) {
    fish_error ("%s", errmsg);
    goto out;
  }

  cmd->call (fish.g, c.vals, c.optargs, &r, &size);
  ret = fish_print_result (cmd, &r, size);

 out:
  free (errmsg);
  free_converted (&c);
  fish_file_in_done ();
  return ret;
}
