/* guestfish: the commands that are guestfish's own, not libguestfs
 * actions (fish.h), and the short aliases of some actions.
 *
 * Help shows what the generated table knows: each command's typed
 * synopsis, its optional arguments, what it returns and whether it is
 * deprecated.  The prose of libguestfs's manual is not copied here:
 * "man" opens it.
 */
#include <config.h>

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "appliance/handle.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/json.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/vector.h"
#include "args.h"
#include "fish.h"

/* Upstream's short names for some actions. */
static const struct { const char *alias, *target; } aliases[] = {
  { "add", "add-drive" },
  { "add-ro", "add-drive-ro" },
  { "append", "set-append" },
  { "attach-method", "set-attach-method" },
  { "autosync", "set-autosync" },
  { "backend", "set-backend" },
  { "cachedir", "set-cachedir" },
  { "direct", "set-direct" },
  { "domain", "add-domain" },
  { "hv", "set-hv" },
  { "identifier", "set-identifier" },
  { "memsize", "set-memsize" },
  { "network", "set-network" },
  { "path", "set-path" },
  { "pgroup", "set-pgroup" },
  { "program", "set-program" },
  { "qemu", "set-qemu" },
  { "recovery-proc", "set-recovery-proc" },
  { "scratch", "add-drive-scratch" },
  { "selinux", "set-selinux" },
  { "smp", "set-smp" },
  { "tmpdir", "set-tmpdir" },
  { "trace", "set-trace" },
  { "verbose", "set-verbose" },
};
#define NR_ALIASES (sizeof aliases / sizeof aliases[0])

const char *
fish_alias_target (const char *name)
{
  for (size_t i = 0; i < NR_ALIASES; ++i)
    if (STREQ (aliases[i].alias, name))
      return aliases[i].target;
  return NULL;
}

const char *const *
fish_alias_names (void)
{
  static const char *names[NR_ALIASES + 1];

  for (size_t i = 0; i < NR_ALIASES; ++i)
    names[i] = aliases[i].alias;
  return names;
}

/* ---- help ---- */

static void
print_synopsis (const struct fish_cmd *cmd)
{
  printf ("%s", cmd->name);
  for (size_t i = 0; i < cmd->nr_args; ++i)
    if (cmd->args[i].type != FISH_ARG_KEY)
      printf (" %s", cmd->args[i].name);
  for (size_t i = 0; i < cmd->nr_optargs; ++i)
    printf (" [%s:%s]", cmd->optargs[i].name,
            fish_arg_type_name (cmd->optargs[i].type));
  putchar ('\n');
}

static void
help_command (const struct fish_cmd *cmd, const char *alias)
{
  print_synopsis (cmd);
  if (alias)
    printf ("\n  (%s is an alias of %s)\n", alias, cmd->name);
  if (cmd->nr_args)
    printf ("\n");
  for (size_t i = 0; i < cmd->nr_args; ++i) {
    const struct fish_arg *a = &cmd->args[i];

    if (a->type == FISH_ARG_KEY)
      printf ("  %-20s a passphrase, asked for (not a word)\n", a->name);
    else
      printf ("  %-20s %s\n", a->name, fish_arg_type_name (a->type));
  }
  printf ("\n  returns: %s", fish_ret_type_name (cmd->ret));
  if (cmd->ret_struct)
    printf (" (%s)", cmd->ret_struct->name);
  putchar ('\n');
  if (cmd->api->deprecated) {
    CLEANUP_FREE char *by = cmd->api->replaced_by ?
      xstrdup (cmd->api->replaced_by) : NULL;

    for (char *c = by; c && *c; c++)
      if (*c == '_')
        *c = '-';
    printf ("  deprecated%s%s\n", by ? ": use " : "", by ? by : "");
  }
  printf ("  C function: guestfs_%s (see \"man guestfs\")\n",
          cmd->api->name);
}

static const struct {
  const char *name, *synopsis, *what;
} builtins[] = {
  { "alloc", "alloc filename size", "create a disk of SIZE and add it" },
  { "allocate", "allocate filename size", "the same as alloc" },
  { "copy-in", "copy-in hostpath... guestdir", "copy host files or "
    "trees into a guest directory" },
  { "copy-out", "copy-out guestpath... hostdir", "copy guest files or "
    "trees into a host directory" },
  { "delete-event", "delete-event name", "remove the event handlers "
    "called name" },
  { "display", "display filename", "show a guest image with "
    "$GUESTFISH_DISPLAY_IMAGE" },
  { "echo", "echo [words...]", "print the words" },
  { "edit", "edit filename", "edit a guest file with $EDITOR (written "
    "back if changed)" },
  { "emacs", "emacs filename", "edit a guest file with emacs" },
  { "event", "event name eventset script", "run a host script on "
    "libguestfs events ($EVENT, $1...)" },
  { "exit", "exit", "leave guestfish" },
  { "glob", "glob command args...", "run command once per match of the "
    "guest path patterns in args" },
  { "help", "help [command|--list]", "help on a command, or the list of "
    "commands" },
  { "hexedit", "hexedit filename|device [max | start max]", "edit the "
    "bytes of a guest file or device with $HEXEDITOR" },
  { "launch", "launch", "start the appliance (also: run)" },
  { "lcd", "lcd directory", "change the host's current directory" },
  { "less", "less filename", "view a guest file with less" },
  { "list-events", "list-events", "the event handlers" },
  { "man", "man", "the guestfish manual" },
  { "manual", "manual", "the same as man" },
  { "more", "more filename", "view a guest file with $PAGER" },
  { "not", "not command args...", "run command, succeed if it fails" },
  { "q", "q", "leave guestfish" },
  { "quit", "quit", "leave guestfish" },
  { "reopen", "reopen", "a new, empty handle with the same settings" },
  { "run", "run", "start the appliance (also: launch)" },
  { "setenv", "setenv name value", "set a host environment variable" },
  { "sparse", "sparse filename size", "create a sparse disk of SIZE and "
    "add it" },
  { "supported", "supported", "which optional groups the appliance has" },
  { "time", "time command args...", "run command and print how long it "
    "took" },
  { "unsetenv", "unsetenv name", "remove a host environment variable" },
  { "vi", "vi filename", "edit a guest file with vi" },
};
#define NR_BUILTINS (sizeof builtins / sizeof builtins[0])

const char *const *
fish_builtin_names (void)
{
  static const char *names[NR_BUILTINS + 1];

  for (size_t i = 0; i < NR_BUILTINS; ++i)
    names[i] = builtins[i].name;
  return names;
}

static void
help_list (void)
{
  for (size_t i = 0; i < NR_BUILTINS; ++i)
    printf ("%-24s %s\n", builtins[i].name, builtins[i].what);
  for (size_t i = 0; i < fish_nr_cmds; ++i) {
    const struct fish_cmd *cmd = &fish_cmds[i];

    printf ("%-24s", cmd->name);
    for (size_t j = 0; j < cmd->nr_args; ++j)
      if (cmd->args[j].type != FISH_ARG_KEY)
        printf (" %s", cmd->args[j].name);
    if (cmd->nr_optargs)
      printf (" [...]");
    if (cmd->api->deprecated)
      printf (" (deprecated)");
    putchar ('\n');
  }
  for (size_t i = 0; i < NR_ALIASES; ++i)
    printf ("%-24s alias of %s\n", aliases[i].alias, aliases[i].target);
}

int
fish_help (const char *name)
{
  const struct fish_cmd *cmd;
  const char *target;

  if (name == NULL) {
    printf ("guestfish: a shell over the libguestfs API\n"
            "\n"
            "  help --list         every command, with its arguments\n"
            "  help COMMAND        a command's arguments and what it "
            "returns\n"
            "  man                 the manual\n"
            "  quit                leave the shell\n"
            "\n"
            "Arguments are words; quote them ('...' or \"...\") when "
            "they hold spaces.\n"
            "Optional arguments are written name:value after the "
            "others.\n");
    return 0;
  }
  if (STREQ (name, "--list") || STREQ (name, "-l")) {
    help_list ();
    return 0;
  }
  for (size_t i = 0; i < NR_BUILTINS; ++i)
    if (STREQ (builtins[i].name, name)) {
      printf ("%s\n\n  %s\n", builtins[i].synopsis, builtins[i].what);
      return 0;
    }
  target = fish_alias_target (name);
  cmd = fish_find_cmd (target ? target : name);
  if (cmd == NULL) {
    fish_error ("%s: unknown command (help --list lists them)", name);
    return -1;
  }
  help_command (cmd, target ? name : NULL);
  return 0;
}

/* ---- the other builtins ---- */

int
fish_check_argc (char *const *words, size_t min, size_t max)
{
  size_t n = gk_count_strings (words) - 1;

  if (n >= min && n <= max)
    return 0;
  if (min == max)
    fish_error ("%s: %zu argument%s expected, %zu given", words[0], min,
                min == 1 ? "" : "s", n);
  else if (max != SIZE_MAX)
    fish_error ("%s: %zu to %zu arguments expected, %zu given", words[0],
                min, max, n);
  else
    fish_error ("%s: at least %zu argument%s expected, %zu given",
                words[0], min, min == 1 ? "" : "s", n);
  return -1;
}

static int
builtin_echo (char *const *words)
{
  for (size_t i = 1; words[i]; ++i)
    printf ("%s%s", i > 1 ? " " : "", words[i]);
  putchar ('\n');
  return 0;
}

static int
builtin_lcd (char *const *words)
{
  if (fish_check_argc (words, 1, 1) == -1)
    return -1;
  if (chdir (words[1]) == -1) {
    fish_error ("lcd: %s: %s", words[1], strerror (errno));
    return -1;
  }
  return 0;
}

/* glob CMD ARGS: each argument that is a pattern is expanded in the
 * guest (glob-expand); CMD runs once per combination, as upstream.
 */
static int
glob_run (char *const *words, size_t i, string_vector *cur)
{
  CLEANUP_FREE_STRING_LIST char **matches = NULL;
  int r = 0;

  if (words[i] == NULL) {
    string_vector_append (cur, NULL);
    r = fish_execute_words (cur->ptr, NULL);
    cur->len--;
    return r;
  }
  if (words[i][0] == '/' && strpbrk (words[i], "*?[")) {
    matches = guestfs_glob_expand (fish.g, words[i]);
    if (matches == NULL)
      return -1;
  }
  if (matches == NULL || matches[0] == NULL) {
    /* Not a pattern, or no match: the word as it is (as a shell). */
    string_vector_append (cur, words[i]);
    r = glob_run (words, i + 1, cur);
    cur->len--;
    return r;
  }
  for (size_t j = 0; matches[j]; ++j) {
    string_vector_append (cur, matches[j]);
    if (glob_run (words, i + 1, cur) == -1)
      r = -1;
    cur->len--;
  }
  return r;
}

static int
builtin_glob (char *const *words)
{
  string_vector cur = empty_vector;
  int r;

  if (fish_check_argc (words, 1, SIZE_MAX) == -1)
    return -1;
  string_vector_append (&cur, words[1]);
  r = glob_run (words, 2, &cur);
  free (cur.ptr);
  return r;
}

static int
builtin_time (char *const *words)
{
  struct timeval start, end;
  int r;

  if (fish_check_argc (words, 1, SIZE_MAX) == -1)
    return -1;
  gettimeofday (&start, NULL);
  r = fish_execute_words (&words[1], NULL);
  gettimeofday (&end, NULL);
  {
    long us = (end.tv_sec - start.tv_sec) * 1000000L +
      (end.tv_usec - start.tv_usec);
    printf ("elapsed time: %ld.%02ld seconds\n", us / 1000000,
            (us / 10000) % 100);
  }
  return r;
}

static int
builtin_not (char *const *words)
{
  if (fish_check_argc (words, 1, SIZE_MAX) == -1)
    return -1;
  if (fish_execute_words (&words[1], NULL) == 0) {
    fish_error ("not: %s succeeded", words[1]);
    return -1;
  }
  return 0;
}

/* sparse / alloc FILE SIZE: make the file on the host and add it. */
static int
builtin_alloc (char *const *words, bool sparse)
{
  struct guestfs_add_drive_opts_argv ad = {
    .bitmask = GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK, .format = "raw",
  };
  struct guestfs_disk_create_argv dc = {
    .bitmask = GUESTFS_DISK_CREATE_PREALLOCATION_BITMASK,
    .preallocation = sparse ? "sparse" : "full",
  };
  char *errmsg = NULL;
  int64_t size;

  if (fish_check_argc (words, 2, 2) == -1)
    return -1;
  if (fish_parse_int64 (words[2], &size, &errmsg) == -1 || size <= 0) {
    fish_error ("%s: size: %s", words[0],
                errmsg ? errmsg : "must be more than 0");
    free (errmsg);
    return -1;
  }
  if (guestfs_disk_create_argv (fish.g, words[1], "raw", size, &dc) == -1)
    return -1;
  return guestfs_add_drive_opts_argv (fish.g, words[1], &ad);
}

static int
builtin_supported (void)
{
  CLEANUP_FREE_STRING_LIST char **groups =
    guestfs_available_all_groups (fish.g);

  if (groups == NULL)
    return -1;
  /* --json: one object, group: true|false. */
  if (fish.json)
    putchar ('{');
  for (size_t i = 0; groups[i]; ++i) {
    const char *one[] = { groups[i], NULL };
    int r;

    guestfs_push_error_handler (fish.g, NULL, NULL);
    r = guestfs_available (fish.g, (char **) one);
    guestfs_pop_error_handler (fish.g);
    if (fish.json) {
      printf ("%s", i > 0 ? "," : "");
      gk_json_write_string (stdout, groups[i]);
      printf (":%s", r == 0 ? "true" : "false");
    }
    else
      printf ("%20s %s\n", groups[i], r == 0 ? "yes" : "no");
  }
  if (fish.json)
    printf ("}\n");
  return 0;
}

int
fish_run_builtin (char *const *words)
{
  const char *name = words[0];

  if (STREQ (name, "help") || STREQ (name, "-h"))
    return fish_check_argc (words, 0, 1) == -1 ? -1 : fish_help (words[1]);
  if (STREQ (name, "quit") || STREQ (name, "exit") || STREQ (name, "q")) {
    if (fish_check_argc (words, 0, 0) == -1)
      return -1;
    fish.exit_requested = true;
    return 0;
  }
  if (STREQ (name, "echo"))
    return builtin_echo (words);
  if (STREQ (name, "copy-in"))
    return fish_copy_in (&words[1]);
  if (STREQ (name, "copy-out"))
    return fish_copy_out (&words[1]);
  if (STREQ (name, "lcd"))
    return builtin_lcd (words);
  if (STREQ (name, "glob"))
    return builtin_glob (words);
  if (STREQ (name, "time"))
    return builtin_time (words);
  if (STREQ (name, "not"))
    return builtin_not (words);
  if (STREQ (name, "run") || STREQ (name, "launch"))
    return fish_check_argc (words, 0, 0) == -1 ? -1 : fish_launch ();
  if (STREQ (name, "sparse"))
    return builtin_alloc (words, true);
  if (STREQ (name, "alloc") || STREQ (name, "allocate"))
    return builtin_alloc (words, false);
  if (STREQ (name, "supported"))
    return fish_check_argc (words, 0, 0) == -1 ? -1 : builtin_supported ();
  if (STREQ (name, "setenv")) {
    if (fish_check_argc (words, 2, 2) == -1)
      return -1;
    return setenv (words[1], words[2], 1) == 0 ? 0 : -1;
  }
  if (STREQ (name, "unsetenv")) {
    if (fish_check_argc (words, 1, 1) == -1)
      return -1;
    return unsetenv (words[1]) == 0 ? 0 : -1;
  }
  if (STREQ (name, "man") || STREQ (name, "manual")) {
    int status;

    if (fish_check_argc (words, 0, 0) == -1)
      return -1;
    fflush (stdout);
    status = system ("man 1 guestfish");
    return status == 0 ? 0 : -1;
  }
  if (STREQ (name, "edit") || STREQ (name, "vi") || STREQ (name, "emacs"))
    return fish_edit (words);
  if (STREQ (name, "more") || STREQ (name, "less"))
    return fish_more (words);
  if (STREQ (name, "display"))
    return fish_display (words);
  if (STREQ (name, "hexedit"))
    return fish_hexedit (words);
  if (STREQ (name, "event"))
    return fish_event (words);
  if (STREQ (name, "delete-event"))
    return fish_delete_event (words);
  if (STREQ (name, "list-events"))
    return fish_list_events (words);
  if (STREQ (name, "reopen"))
    return fish_reopen (words);
  return 1;
}
