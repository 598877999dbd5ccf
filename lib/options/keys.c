/* guestkit: the LUKS keys a user gives (--key, --keys-from-stdin, or
 * asked on the terminal).
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "options/keys.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/vector.h"

DEFINE_VECTOR_TYPE (key_vector, char *);

/* The first line of FILENAME (a key file holds one passphrase). */
static char *
read_key_file (const char *filename)
{
  CLEANUP_FCLOSE FILE *fp = fopen (filename, "r");
  char *line = NULL;
  size_t n = 0;
  ssize_t len;

  if (fp == NULL)
    gk_error_errno ("--key: %s", filename);
  len = getline (&line, &n, fp);
  if (len == -1)
    gk_error ("--key: %s: the key file is empty", filename);
  if (len > 0 && line[len-1] == '\n')
    line[len-1] = '\0';
  return line;
}

/* Ask on the terminal (or read a line from stdin with
 * --keys-from-stdin).  Echo is off unless --echo-keys.
 */
static char *
read_key_interactively (const struct gk_options *opts, const char *device)
{
  char *line = NULL;
  size_t n = 0;
  ssize_t len;
  struct termios saved, noecho;
  bool tty = !opts->keys_from_stdin && isatty (STDIN_FILENO);
  bool restore = false;

  if (tty) {
    printf ("Enter key or passphrase (\"%s\"): ", device);
    fflush (stdout);
    if (!opts->echo_keys && tcgetattr (STDIN_FILENO, &saved) == 0) {
      noecho = saved;
      noecho.c_lflag &= ~ECHO;
      restore = tcsetattr (STDIN_FILENO, TCSAFLUSH, &noecho) == 0;
    }
  }
  len = getline (&line, &n, stdin);
  if (restore) {
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
    putchar ('\n');
  }
  if (len == -1)
    gk_error ("could not read the key for %s from standard input", device);
  if (len > 0 && line[len-1] == '\n')
    line[len-1] = '\0';
  return line;
}

char **
gk_keys_for_device (const struct gk_options *opts, const char *device,
                    const char *uuid)
{
  key_vector keys = empty_vector;

  for (size_t i = 0; i < opts->keys.len; ++i) {
    const struct gk_key *k = &opts->keys.ptr[i];

    if (STREQ (k->id, "all") || STREQ (k->id, device)
        || (uuid && STREQ (k->id, uuid))) {
      if (k->type == GK_KEY_FILE)
        key_vector_append (&keys, read_key_file (k->value));
      else
        key_vector_append (&keys, xstrdup (k->value));
    }
  }
  /* Nobody to ask: the caller skips the device with a warning. */
  if (keys.len == 0 && (opts->keys_from_stdin || isatty (STDIN_FILENO)))
    key_vector_append (&keys, read_key_interactively (opts, device));
  key_vector_append (&keys, NULL);
  return keys.ptr;
}
