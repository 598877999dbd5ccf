/* guestkit: the LUKS keys a user gives (--key, --keys-from-stdin, or
 * asked on the terminal).
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
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

/* The keys asked for so far, by LUKS UUID: a device is asked for once
 * per run even when a tool looks at it in two appliances (virt-df
 * reruns a guest alone when it cannot share), where it may not even
 * have the same name.  Appliances run in parallel threads, and only
 * one of them may read the terminal at a time.
 */
struct asked_key {
  char *uuid;
  char *key;
};
DEFINE_VECTOR_TYPE (asked_key_vector, struct asked_key);
static asked_key_vector asked;
static pthread_mutex_t asked_lock = PTHREAD_MUTEX_INITIALIZER;

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

/* The key for DEVICE, read from the user unless it was already read
 * for the LUKS volume with this UUID.
 */
static char *
asked_key (const struct gk_options *opts, const char *device,
           const char *uuid)
{
  char *key = NULL;

  pthread_mutex_lock (&asked_lock);
  for (size_t i = 0; uuid && *uuid && i < asked.len && !key; ++i)
    if (STREQ (asked.ptr[i].uuid, uuid))
      key = xstrdup (asked.ptr[i].key);
  if (key == NULL) {
    key = read_key_interactively (opts, device);
    if (uuid && *uuid)
      asked_key_vector_append (&asked, (struct asked_key) {
          xstrdup (uuid), xstrdup (key) });
  }
  pthread_mutex_unlock (&asked_lock);
  return key;
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
    key_vector_append (&keys, asked_key (opts, device, uuid));
  key_vector_append (&keys, NULL);
  return keys.ptr;
}
