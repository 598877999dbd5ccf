/* guestfish: reading lines and running them (fish.h).
 *
 * In a script (-f FILE, or commands on stdin) the first failing command
 * ends the run, unless it was written "-cmd"; on a terminal errors are
 * reported and the shell goes on, as upstream.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "fish.h"
#include "parse.h"
#include "remote.h"

struct fish_state fish;

void
fish_error (const char *fs, ...)
{
  va_list args;

  fflush (stdout);
  if (fish.script)
    fprintf (stderr, "%s:%ld: error: ", fish.script, fish.lineno);
  else
    fprintf (stderr, "%s: error: ", gk_program_name);
  va_start (args, fs);
  vfprintf (stderr, fs, args);
  va_end (args);
  fputc ('\n', stderr);
}

/* The words after the name, for a command or a builtin. */
static int
dispatch (char *const *words)
{
  const char *name = words[0];
  const struct fish_cmd *cmd;
  int r;

  /* --remote: everything, builtins too, runs in the listener. */
  if (fish_remote_pid)
    return fish_remote_run (words);
  r = fish_run_builtin (words);
  if (r != 1)
    return r;
  if (fish_alias_target (name))
    name = fish_alias_target (name);
  cmd = fish_find_cmd (name);
  if (cmd == NULL) {
    fish_error ("%s: unknown command (help --list lists them)", words[0]);
    return -1;
  }
  return fish_run_action (cmd, &words[1]);
}

/* cmd ... | host-command: the command's stdout goes to the host
 * command's stdin.
 */
static int
dispatch_piped (char *const *words, const char *pipe)
{
  int saved, r, status;
  FILE *pp;

  fflush (stdout);
  pp = popen (pipe, "w");
  if (pp == NULL) {
    fish_error ("%s: %s", pipe, strerror (errno));
    return -1;
  }
  saved = dup (STDOUT_FILENO);
  if (saved == -1 || dup2 (fileno (pp), STDOUT_FILENO) == -1) {
    fish_error ("pipe: %s", strerror (errno));
    pclose (pp);
    if (saved != -1)
      close (saved);
    return -1;
  }
  /* The host command may stop reading early (| head). */
  signal (SIGPIPE, SIG_IGN);
  r = dispatch (words);
  if (fflush (stdout) == EOF && fish.pipe_error) {
    fish_error ("writing to the pipe ‘%s’: %s", pipe, strerror (errno));
    r = -1;
  }
  clearerr (stdout);
  dup2 (saved, STDOUT_FILENO);
  close (saved);
  status = pclose (pp);
  signal (SIGPIPE, SIG_DFL);
  if (status == -1 || !WIFEXITED (status) || WEXITSTATUS (status) != 0) {
    if (fish.pipe_error && r == 0) {
      fish_error ("the pipe ‘%s’ failed", pipe);
      r = -1;
    }
  }
  return r;
}

int
fish_execute_words (char *const *words, const char *pipe)
{
  return pipe ? dispatch_piped (words, pipe) : dispatch (words);
}

static int run_lines (FILE *fp, bool count_lines);

int
fish_run_line (struct fish_line *l)
{
  int r, status;

  switch (l->kind) {
  case FISH_LINE_EMPTY:
    return 0;
  case FISH_LINE_SHELL:
    fflush (stdout);
    status = system (l->shell);
    if (status == -1 || !WIFEXITED (status) || WEXITSTATUS (status) != 0) {
      fish_error ("!%s: the command failed", l->shell);
      return -1;
    }
    return 0;
  case FISH_LINE_INCLUDE: {
    FILE *pp;

    fflush (stdout);
    pp = popen (l->shell, "r");
    if (pp == NULL) {
      fish_error ("<!%s: %s", l->shell, strerror (errno));
      return -1;
    }
    /* Its lines are reported as the line of the <! that made them. */
    r = run_lines (pp, false);
    status = pclose (pp);
    if (r == 0 && (status == -1 || !WIFEXITED (status) ||
                   WEXITSTATUS (status) != 0)) {
      fish_error ("<!%s: the command failed", l->shell);
      r = -1;
    }
    return r;
  }
  case FISH_LINE_COMMAND:
    r = fish_execute_words (l->words, l->pipe);
    return l->tolerate ? 0 : r;
  }
  return -1;
}

/* Run the lines of FP.  Outside an interactive session the first error
 * ends it.
 */
static int
run_lines (FILE *fp, bool count_lines)
{
  CLEANUP_FREE char *buf = NULL;
  size_t n = 0;
  ssize_t len;
  FILE *saved_input = fish.input;
  int ret = 0;

  fish.input = fp;
  while (!fish.exit_requested && (len = getline (&buf, &n, fp)) != -1) {
    struct fish_line line;
    char *errmsg = NULL;
    int r;

    if (count_lines)
      fish.lineno++;
    if (len > 0 && buf[len - 1] == '\n')
      buf[len - 1] = '\0';
    if (fish_parse_line (buf, &line, &errmsg) == -1) {
      fish_error ("%s", errmsg);
      free (errmsg);
      r = -1;
    }
    else {
      r = fish_run_line (&line);
      fish_line_free (&line);
    }
    if (r == -1 && !fish.interactive) {
      ret = -1;
      break;
    }
  }
  fish.input = saved_input;
  return ret;
}

int
fish_run_script (FILE *fp, const char *name)
{
  fish.script = name;
  fish.lineno = 0;
  return run_lines (fp, true);
}
