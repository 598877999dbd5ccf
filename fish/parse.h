/* guestfish: splitting what the user typed into commands and words.
 *
 * Pure: nothing here runs a command or prints.  A parse error comes
 * back as -1 with *ERRMSG (the caller frees it and prints it once, with
 * its own "FILE:LINE: " prefix in a script).
 */
#ifndef GUESTKIT_FISH_PARSE_H
#define GUESTKIT_FISH_PARSE_H

#include <stdbool.h>

enum fish_line_kind {
  FISH_LINE_EMPTY,         /* blank or a # comment */
  FISH_LINE_COMMAND,       /* words[0] is the command */
  FISH_LINE_SHELL,         /* !command: run by the host's shell */
  FISH_LINE_INCLUDE,       /* <!command: its output is read as commands */
};

struct fish_line {
  enum fish_line_kind kind;
  char **words;            /* COMMAND: NULL-terminated, words[0] the name
                              without its "-" */
  bool tolerate;           /* "-cmd": a failure is not fatal */
  char *pipe;              /* COMMAND: "cmd ... | host-command", or NULL */
  char *shell;             /* SHELL, INCLUDE: the host command */
};

/* Parse one line (without its newline).  Unquoted words that start with
 * ~ are expanded to the home directory.  Returns 0, or -1 with *ERRMSG.
 */
extern int fish_parse_line (const char *line, struct fish_line *out,
                            char **errmsg);
extern void fish_line_free (struct fish_line *line);

/* "~" and "~/x" become $HOME and $HOME/x, "~user/x" that user's home;
 * anything else (or an unknown user) a copy of WORD.
 */
extern char *fish_expand_tilde (const char *word);

/* Commands given on guestfish's own command line, separated by ":"
 * words: ARGV[0..ARGC) becomes *NR lines (each a FISH_LINE_COMMAND).
 * Returns the array, or NULL with *ERRMSG ("empty command ...").
 */
extern struct fish_line *fish_split_argv (int argc, char *const *argv,
                                          size_t *nr, char **errmsg);

#endif /* GUESTKIT_FISH_PARSE_H */
