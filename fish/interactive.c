/* guestfish: the interactive shell: GNU readline, the history in
 * ~/.guestfish, the banner, the prompt ("><fs> " or $GUESTFISH_PS1)
 * and Tab completion (command names and aliases first, then guest paths
 * once the appliance runs, host files otherwise).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "fish.h"
#include "parse.h"

static char *history_file;

/* $GUESTFISH_PS1 with its escapes: \[ \] (readline's invisible
 * markers), \a \e \n \r, \NNN octal, \xNN hex, \\.
 */
static char *
prompt_string (void)
{
  const char *ps1 = getenv ("GUESTFISH_PS1");
  char *out, *o;

  if (ps1 == NULL)
    return xstrdup ("><fs> ");
  out = o = xmalloc (strlen (ps1) + 1);
  for (const char *p = ps1; *p; p++) {
    if (*p != '\\' || p[1] == '\0') {
      *o++ = *p;
      continue;
    }
    switch (*++p) {
    case '[': *o++ = RL_PROMPT_START_IGNORE; break;
    case ']': *o++ = RL_PROMPT_END_IGNORE; break;
    case 'a': *o++ = '\a'; break;
    case 'e': *o++ = '\033'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 'x': {
      unsigned v = 0;
      int n = 0;
      while (n < 2 && strchr ("0123456789abcdefABCDEF", p[1]) && p[1]) {
        char c = *++p;
        v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        n++;
      }
      *o++ = (char) v;
      break;
    }
    case '0' ... '7': {
      unsigned v = *p - '0';
      for (int n = 0; n < 2 && p[1] >= '0' && p[1] <= '7'; n++)
        v = v * 8 + (*++p - '0');
      *o++ = (char) v;
      break;
    }
    default: *o++ = *p; break;
    }
  }
  *o = '\0';
  return out;
}

/* ---- completion ---- */

static char **
guest_paths (const char *text)
{
  string_vector v = empty_vector;
  CLEANUP_FREE char *dir = NULL;
  const char *slash;

  if (fish.no_dest_paths || fish.g == NULL ||
      guestfs_is_ready (fish.g) != 1)
    return NULL;
  guestfs_push_error_handler (fish.g, NULL, NULL);
  if (STRPREFIX (text, "/dev/") || strlen (text) < 5) {
    char **(*lists[]) (guestfs_h *) = {
      guestfs_list_devices, guestfs_list_partitions, guestfs_lvs,
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; ++i) {
      char **l = lists[i] (fish.g);
      for (size_t j = 0; l && l[j]; ++j)
        string_vector_append (&v, l[j]);
      free (l);
    }
  }
  slash = strrchr (text, '/');
  if (text[0] == '/' && slash) {
    struct guestfs_dirent_list *ents;

    dir = xstrndup (text, slash - text + 1);
    ents = guestfs_readdir (fish.g, dir);
    for (uint32_t i = 0; ents && i < ents->len; ++i) {
      const char *name = ents->val[i].name;
      if (STREQ (name, ".") || STREQ (name, ".."))
        continue;
      string_vector_append (&v, xasprintf ("%s%s%s", dir, name,
                                           ents->val[i].ftyp == 'd' ?
                                           "/" : ""));
    }
    if (ents)
      guestfs_free_dirent_list (ents);
  }
  guestfs_pop_error_handler (fish.g);
  string_vector_append (&v, NULL);
  return v.ptr;
}

static char **candidates;
static size_t candidate_index;

static char *
next_candidate (const char *text, int state)
{
  size_t len = strlen (text);

  if (state == 0)
    candidate_index = 0;
  while (candidates && candidates[candidate_index]) {
    const char *c = candidates[candidate_index++];
    if (strncmp (c, text, len) == 0)
      return xstrdup (c);
  }
  return NULL;
}

static void
set_command_candidates (void)
{
  const char *const *b = fish_builtin_names ();
  const char *const *a = fish_alias_names ();
  string_vector v = empty_vector;

  for (size_t i = 0; b[i]; ++i)
    string_vector_append (&v, xstrdup (b[i]));
  for (size_t i = 0; a[i]; ++i)
    string_vector_append (&v, xstrdup (a[i]));
  for (size_t i = 0; i < fish_nr_cmds; ++i)
    string_vector_append (&v, xstrdup (fish_cmds[i].name));
  string_vector_append (&v, NULL);
  candidates = v.ptr;
}

/* Candidates for the optional arguments of CMD: "name:" for each one
 * not given yet, or, once TEXT is "name:" of a boolean, its values.
 */
static char **
optarg_candidates (const struct fish_cmd *cmd, const char *text,
                   const char *given)
{
  string_vector v = empty_vector;
  const char *colon = strchr (text, ':');

  for (size_t i = 0; i < cmd->nr_optargs; ++i) {
    const struct fish_optarg *o = &cmd->optargs[i];
    size_t len = strlen (o->name);

    if (colon) {
      if ((size_t) (colon - text) == len &&
          STREQLEN (text, o->name, len) && o->type == FISH_ARG_BOOL) {
        string_vector_append (&v, xasprintf ("%s:true", o->name));
        string_vector_append (&v, xasprintf ("%s:false", o->name));
      }
      continue;
    }
    for (const char *g = strstr (given, o->name); g; g = strstr (g + 1,
                                                                o->name))
      if ((g == given || g[-1] == ' ') && g[len] == ':')
        goto next;              /* given already */
    string_vector_append (&v, xasprintf ("%s:", o->name));
  next: ;
  }
  string_vector_append (&v, NULL);
  return v.ptr;
}

/* The command of the line whose word at START is being completed, and
 * how many of its arguments come before that word (*ARG_INDEX: words
 * split at blanks, enough to count); *GIVEN is the line up to START.
 */
static const struct fish_cmd *
line_command (int start, size_t *arg_index, char **given)
{
  CLEANUP_FREE char *line = xstrndup (rl_line_buffer, start);
  CLEANUP_FREE char *name = NULL;
  size_t words = 0;

  for (const char *p = line; *p; ) {
    size_t len;

    p += strspn (p, " \t");
    len = strcspn (p, " \t");
    if (len == 0)
      break;
    if (words++ == 0)
      name = xstrndup (p[0] == '-' ? p + 1 : p, p[0] == '-' ? len - 1 : len);
    p += len;
  }
  if (name == NULL)
    return NULL;
  *arg_index = words - 1;
  *given = xstrdup (line);
  return fish_find_cmd (name);
}

static char **
complete (const char *text, int start, int end)
{
  char **matches;
  int i = 0;
  const struct fish_cmd *cmd;
  size_t arg = 0;
  CLEANUP_FREE char *given = NULL;
  enum fish_arg_type type = FISH_ARG_PATH;

  (void) end;
  while (i < start && (rl_line_buffer[i] == ' ' || rl_line_buffer[i] == '-'))
    i++;
  gk_free_string_list (candidates);
  candidates = NULL;
  if (i == start) {
    /* The first word: a command. */
    set_command_candidates ();
    rl_attempted_completion_over = 1;
    matches = rl_completion_matches (text, next_candidate);
    return matches;
  }
  cmd = line_command (start, &arg, &given);
  if (cmd && arg >= cmd->nr_args && cmd->nr_optargs > 0) {
    /* After the arguments: the optional ones by name, "name:" kept
     * open for its value.
     */
    candidates = optarg_candidates (cmd, text, given);
    rl_attempted_completion_over = 1;
    matches = rl_completion_matches (text, next_candidate);
    if (matches && matches[1] == NULL && gk_str_has_suffix (matches[0], ":"))
      rl_completion_suppress_append = 1;
    return matches;
  }
  if (cmd && arg < cmd->nr_args)
    type = cmd->args[arg].type;
  if (type == FISH_ARG_FILE_IN || type == FISH_ARG_FILE_OUT)
    return NULL;                /* readline's host file names */
  if (type == FISH_ARG_BOOL) {
    string_vector v = empty_vector;

    string_vector_append (&v, xstrdup ("true"));
    string_vector_append (&v, xstrdup ("false"));
    string_vector_append (&v, NULL);
    candidates = v.ptr;
  }
  else
    candidates = guest_paths (text);
  if (candidates == NULL)
    return NULL;                /* readline's host file names */
  rl_attempted_completion_over = 1;
  matches = rl_completion_matches (text, next_candidate);
  /* A directory is completed further, not followed by a space. */
  if (matches && matches[1] == NULL && gk_str_has_suffix (matches[0], "/"))
    rl_completion_suppress_append = 1;
  return matches;
}

/* ---- the loop ---- */

static void
banner (void)
{
  printf ("\n"
          "Welcome to guestfish, the shell for looking into and changing\n"
          "virtual machine disk images.\n"
          "\n"
          "Type: ‘help’ for help on commands\n"
          "      ‘man’ to read the manual\n"
          "      ‘quit’ to quit the shell\n"
          "\n");
}

int
fish_run_interactive (void)
{
  CLEANUP_FREE char *prompt = prompt_string ();
  const char *home = getenv ("HOME");

  rl_readline_name = "guestfish";
  rl_attempted_completion_function = complete;
  rl_variable_bind ("completion-ignore-case", "on");
  using_history ();
  if (home) {
    history_file = xasprintf ("%s/.guestfish", home);
    read_history (history_file);
  }
  banner ();
  fish.interactive = true;
  fish.script = NULL;
  while (!fish.exit_requested) {
    CLEANUP_FREE char *line = readline (prompt);
    struct fish_line l;
    char *errmsg = NULL;

    if (line == NULL) {         /* Ctrl-D */
      putchar ('\n');
      break;
    }
    /* Kept without the blank that Tab left at its end. */
    for (size_t n = strlen (line); n > 0 && line[n - 1] == ' '; n--)
      line[n - 1] = '\0';
    if (*line)
      add_history (line);
    if (fish_parse_line (line, &l, &errmsg) == -1) {
      fish_error ("%s", errmsg);
      free (errmsg);
      continue;
    }
    fish.input = stdin;
    fish_run_line (&l);
    fish_line_free (&l);
  }
  if (history_file) {
    stifle_history (500);
    write_history (history_file);
    free (history_file);
  }
  gk_free_string_list (candidates);
  candidates = NULL;
  return 0;
}
