/* guestfish: the shell over the whole libguestfs API.
 *
 * How the files share the work:
 *   main.c      options, the handle, then one of three modes: commands
 *               on the command line, a script (-f or stdin), or the
 *               interactive shell
 *   shell.c     reading lines (readline on a terminal), running one
 *               line: !shell, <!include, | pipes, -cmd, script errors
 *   parse.c     the syntax: words, quotes, ~, : chains (pure)
 *   builtins.c  the commands that are guestfish's own (help, echo, lcd,
 *               glob, quit...)
 *   run.c       every libguestfs action through the generated table
 *               (cmds.h); args.c converts the words, print.c prints
 *   filein.c    FileIn arguments: "-" and -<<END here-documents
 *   copy.c      copy-in, copy-out (a host tar on a pipe)
 *   editors.c   edit, more, display, hexedit: a guest file handed to a
 *               host program through a temporary file
 *   events.c    event, delete-event, list-events: shell scripts run on
 *               libguestfs events
 *   reopen.c    reopen: a new handle with the old one's settings
 *   json-print.c  --json: results as JSON values
 *   mounts.c    -i and -m
 *   interactive.c  readline, completion, history, the prompt
 *   remote.c    --listen (a background server) and --remote; the
 *               bytes on its socket in remote-proto.c
 */
#ifndef GUESTKIT_FISH_FISH_H
#define GUESTKIT_FISH_FISH_H

#include <stdbool.h>
#include <stdio.h>
#include <guestfs.h>

#include "options/options.h"
#include "cmds.h"

struct fish_state {
  guestfs_h *g;
  struct gk_options opts;        /* -a -d -c --format --key ... */
  bool read_only;                /* --ro */
  bool interactive;              /* reading a terminal, errors not fatal */
  bool interactive_startup;      /* will be: -i says what it mounted */
  bool pipe_error;               /* --pipe-error */
  bool progress_bars;            /* attached to the handle */
  bool json;                     /* --json */
  bool no_dest_paths;
  const char *script;            /* -f FILE, for "FILE:LINE: " */
  long lineno;                   /* line of the script being run */
  bool exit_requested;           /* quit */
  FILE *input;                   /* where commands are read from */
};
extern struct fish_state fish;

/* One error line on stderr: "FILE:LINE: error: MSG" in a script (-f),
 * else "guestfish: error: MSG".
 */
extern void fish_error (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));

/* run.c */
extern const struct fish_cmd *fish_find_cmd (const char *name);
/* The number of words the command takes (its arguments, less Key). */
extern size_t fish_nr_words (const struct fish_cmd *cmd);
/* Run CMD with its words (NULL-terminated, after the name).  Returns 0,
 * or -1 after an error was printed.
 */
extern int fish_run_action (const struct fish_cmd *cmd, char *const *words);

/* print.c: print R (and free it).  Returns -1 if R says the call
 * failed (libguestfs printed why).
 */
/* print.c: the integer field of kind KIND at P, in decimal (the same
 * in text and JSON output).
 */
extern void fish_print_integer_field (enum gk_api_field_kind kind,
                                      const char *p);
extern int fish_print_result (const struct fish_cmd *cmd,
                              union fish_result *r, size_t size);

/* json-print.c: the same as fish_print_result, as one JSON value on a
 * line (--json).
 */
extern int fish_print_json (const struct fish_cmd *cmd,
                            union fish_result *r, size_t size);

/* filein.c: the file a FileIn word names: "-" is stdin, "-<<END" the
 * lines that follow (from the script or the terminal) up to END, in a
 * temporary file removed by fish_file_in_done.  NULL with *ERRMSG.
 */
extern const char *fish_file_in (const char *word, char **errmsg);
extern void fish_file_in_done (void);

/* copy.c: copy-in HOSTPATH... GUESTDIR, copy-out GUESTPATH... HOSTDIR
 * (ARGS after the command's name).  0 or -1.
 */
extern int fish_copy_in (char *const *args);
extern int fish_copy_out (char *const *args);

/* editors.c: edit (vi, emacs), more (less), display, hexedit; WORDS
 * starts with the command's name.  0 or -1.
 */
extern int fish_edit (char *const *words);
extern int fish_more (char *const *words);
extern int fish_display (char *const *words);
extern int fish_hexedit (char *const *words);

/* events.c: event NAME EVENTS SCRIPT, delete-event NAME, list-events.
 * The handlers belong to guestfish, not to one handle: reopen moves
 * them to the new handle with fish_events_attach.  fish_events_free
 * once the last handle is closed.
 */
extern int fish_event (char *const *words);
extern int fish_delete_event (char *const *words);
extern int fish_list_events (char *const *words);
extern void fish_events_attach (guestfs_h *g);
extern void fish_events_free (void);

/* reopen.c: close the handle and make a new, empty one with the same
 * settings.  0 or -1.
 */
extern int fish_reopen (char *const *words);

/* builtins.c: run WORDS[0] if it is one of guestfish's own commands.
 * Returns 0 or -1 (error printed), or 1 if it is not one.
 */
extern int fish_run_builtin (char *const *words);
/* 0 if WORDS (the name, then its arguments) has MIN to MAX arguments,
 * else -1 after an error.
 */
extern int fish_check_argc (char *const *words, size_t min, size_t max);
/* help (NAME NULL), help --list, help NAME.  Returns 0 or -1. */
extern int fish_help (const char *name);
/* The action an alias stands for ("run" is "launch"), or NULL. */
extern const char *fish_alias_target (const char *name);
/* For completion: guestfish's own command names and the aliases,
 * NULL-terminated.
 */
extern const char *const *fish_builtin_names (void);
extern const char *const *fish_alias_names (void);

/* shell.c */
/* Run one parsed command (a COMMAND line: words, tolerate, pipe).
 * Returns 0 or -1.
 */
extern int fish_execute_words (char *const *words, const char *pipe);
/* Run one parsed line (parse.h): a command, !shell or <!include.
 * A "-cmd" that fails returns 0.
 */
struct fish_line;
extern int fish_run_line (struct fish_line *line);
/* Read and run lines from FP until EOF or quit.  Returns 0, or -1 if
 * a command failed in a script (which stops it).
 */
extern int fish_run_script (FILE *fp, const char *name);
extern int fish_run_interactive (void);
/* Launch if not yet launched (for -i, -m). */
extern int fish_launch (void);

#endif /* GUESTKIT_FISH_FISH_H */
