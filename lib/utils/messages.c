/* guestkit: messages, warnings and errors in the upstream formats.
 *
 * Warnings go to stderr (upstream prints them on stdout, which breaks
 * scripts that parse a tool's output, e.g. virt-df --csv).  A progress
 * bar on the terminal gets its newline first: no message starts on the
 * line of a bar.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/progress.h"
#include "utils/tmpfiles.h"

const char *gk_program_name = "guestkit";
bool gk_quiet;
int gk_verbose;
bool gk_trace;
bool gk_colors;
bool gk_wrap;

static struct timespec start_time;

void
gk_init_program (const char *program_name)
{
  gk_program_name = program_name;
  clock_gettime (CLOCK_MONOTONIC, &start_time);
  /* Colours only when a person is watching.  --color forces them. */
  gk_colors = isatty (STDOUT_FILENO) && isatty (STDERR_FILENO)
    && getenv ("NO_COLOR") == NULL;
  gk_wrap = isatty (STDOUT_FILENO);
  gk_tmpfiles_init ();
}

double
gk_elapsed_seconds (void)
{
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start_time.tv_sec)
    + (now.tv_nsec - start_time.tv_nsec) / 1e9;
}

enum colour { GREEN = 32, MAGENTA = 35, BLUE = 34, RED = 31 };

static void
colour_on (FILE *fp, enum colour c)
{
  if (gk_colors)
    fprintf (fp, "\033[1;%dm", (int) c);
}

static void
colour_off (FILE *fp)
{
  if (gk_colors)
    fputs ("\033[0m", fp);
}

/* Print TEXT to FP, wrapped at 76 columns when wrapping is on, the
 * cursor being at column COL (after a "PROG: warning: " prefix, say).
 * Continuation lines are not indented, as upstream.
 */
static void
print_wrapped (FILE *fp, const char *text, size_t col)
{
  const char *p = text;

  if (!gk_wrap) {
    fputs (text, fp);
    return;
  }
  while (*p) {
    size_t wordlen = strcspn (p, " \n");

    if (col > 0 && col + wordlen > 76) {
      fputc ('\n', fp);
      col = 0;
    }
    fwrite (p, 1, wordlen, fp);
    col += wordlen;
    p += wordlen;
    if (*p == '\n') {
      fputc ('\n', fp);
      col = 0;
      p++;
    }
    else if (*p == ' ') {
      /* Keep runs of spaces (upstream puts two after a full stop). */
      while (*p == ' ') {
        if (col > 0 && col < 76) {
          fputc (' ', fp);
          col++;
        }
        p++;
      }
    }
  }
}

void
gk_message (const char *fs, ...)
{
  va_list args;
  CLEANUP_FREE char *msg = NULL;

  va_start (args, fs);
  if (vasprintf (&msg, fs, args) == -1)
    msg = NULL;
  va_end (args);
  if (msg == NULL)
    return;

  gk_log_as_json ("message", msg);
  if (gk_quiet)
    return;
  gk_progress_end_line ();
  colour_on (stdout, GREEN);
  print_wrapped (stdout, msg, printf ("[%6.1f] ", gk_elapsed_seconds ()));
  colour_off (stdout);
  putchar ('\n');
  fflush (stdout);
}

void
gk_info (const char *fs, ...)
{
  va_list args;
  CLEANUP_FREE char *msg = NULL;

  va_start (args, fs);
  if (vasprintf (&msg, fs, args) == -1)
    msg = NULL;
  va_end (args);
  if (msg == NULL)
    return;

  gk_log_as_json ("info", msg);
  gk_progress_end_line ();
  colour_on (stdout, MAGENTA);
  print_wrapped (stdout, msg, printf ("%s: ", gk_program_name));
  colour_off (stdout);
  putchar ('\n');
  fflush (stdout);
}

static void
vwarning_or_error (const char *type, enum colour c, const char *fs,
                   va_list args, const char *suffix)
{
  CLEANUP_FREE char *msg = NULL;
  CLEANUP_FREE char *full = NULL;

  if (vasprintf (&msg, fs, args) == -1)
    return;
  if (suffix) {
    full = xasprintf ("%s: %s", msg, suffix);
    free (msg);
    msg = full;
    full = NULL;
  }
  gk_log_as_json (type, msg);
  gk_progress_end_line ();
  fflush (stdout);
  colour_on (stderr, c);
  print_wrapped (stderr, msg,
                 fprintf (stderr, "%s: %s: ", gk_program_name, type));
  colour_off (stderr);
  fputc ('\n', stderr);
  fflush (stderr);
}

void
gk_warning (const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  vwarning_or_error ("warning", BLUE, fs, args, NULL);
  va_end (args);
}

void
gk_debug (const char *fs, ...)
{
  va_list args;

  if (!gk_verbose)
    return;
  gk_progress_end_line ();
  va_start (args, fs);
  fprintf (stderr, "%s: debug: ", gk_program_name);
  vfprintf (stderr, fs, args);
  fputc ('\n', stderr);
  va_end (args);
}

void
gk_error (const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  vwarning_or_error ("error", RED, fs, args, NULL);
  va_end (args);
  exit (EXIT_FAILURE);
}

void
gk_error_noexit (const char *fs, ...)
{
  va_list args;

  va_start (args, fs);
  vwarning_or_error ("error", RED, fs, args, NULL);
  va_end (args);
}

void
gk_error_errno (const char *fs, ...)
{
  va_list args;
  int err = errno;

  va_start (args, fs);
  vwarning_or_error ("error", RED, fs, args, strerror (err));
  va_end (args);
  exit (EXIT_FAILURE);
}

void
gk_try_help (void)
{
  fprintf (stderr, "Try ‘%s --help’ or consult %s(1) for more information.\n",
           gk_program_name, gk_program_name);
  exit (EXIT_FAILURE);
}
