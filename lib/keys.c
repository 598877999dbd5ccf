/* guestkit: opening LUKS devices with the user's keys. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cleanups.h"
#include "gk-strings.h"
#include "keys.h"
#include "messages.h"
#include "vector.h"

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

/* A device-mapper name for DEVICE: "/dev/sda2" -> "cryptsda2". */
static char *
map_name (const char *device)
{
  const char *base = STRPREFIX (device, "/dev/") ? device + 5 : device;
  char *name = xasprintf ("crypt%s", base);

  for (char *p = name; *p; ++p)
    if (*p == '/')
      *p = '-';
  return name;
}

static int
try_open (guestfs_h *g, const struct gk_options *opts, const char *device)
{
  CLEANUP_FREE char *type = NULL;
  CLEANUP_FREE char *uuid = NULL;
  CLEANUP_FREE char *mapname = NULL;
  CLEANUP_FREE_STRING_LIST char **keys = NULL;

  guestfs_push_error_handler (g, NULL, NULL);
  type = guestfs_vfs_type (g, device);
  guestfs_pop_error_handler (g);
  if (type == NULL || STRNEQ (type, "crypto_LUKS"))
    return 0;

  guestfs_push_error_handler (g, NULL, NULL);
  uuid = guestfs_luks_uuid (g, device);
  guestfs_pop_error_handler (g);
  keys = gk_keys_for_device (opts, device, uuid);
  if (keys[0] == NULL) {
    gk_warning ("%s is encrypted and no key was given for it (use --key "
                "%s:key:PASSPHRASE or --keys-from-stdin): skipping it",
                device, device);
    return 0;
  }
  mapname = map_name (device);
  for (size_t i = 0; keys[i]; ++i) {
    int r;

    guestfs_push_error_handler (g, NULL, NULL);
    r = guestfs_cryptsetup_open (g, device, keys[i], mapname, -1);
    guestfs_pop_error_handler (g);
    explicit_bzero (keys[i], strlen (keys[i]));
    if (r == 0)
      return 1;
  }
  gk_warning ("could not open the encrypted device %s: none of the keys "
              "given for it is correct", device);
  return 0;
}

static int
open_all (guestfs_h *g, const struct gk_options *opts, char **devices)
{
  int opened = 0;

  for (size_t i = 0; devices && devices[i]; ++i) {
    int r = try_open (g, opts, devices[i]);

    if (r == -1)
      return -1;
    opened += r;
  }
  return opened;
}

int
gk_decrypt_luks (guestfs_h *g, const struct gk_options *opts)
{
  CLEANUP_FREE_STRING_LIST char **devices = guestfs_list_devices (g);
  CLEANUP_FREE_STRING_LIST char **partitions = guestfs_list_partitions (g);
  CLEANUP_FREE_STRING_LIST char **lvs = NULL;
  int opened = 0, r;

  if (devices == NULL || partitions == NULL)
    return -1;
  if ((r = open_all (g, opts, devices)) == -1)
    return -1;
  opened += r;
  if ((r = open_all (g, opts, partitions)) == -1)
    return -1;
  opened += r;
  /* LVM inside LUKS shows up only after a rescan; LUKS inside LVM is
   * found by looking at the LVs.
   */
  if (opened > 0 && guestfs_lvm_scan (g, 1) == -1)
    return -1;
  lvs = guestfs_lvs (g);
  if (lvs && (r = open_all (g, opts, lvs)) > 0) {
    opened += r;
    if (guestfs_lvm_scan (g, 1) == -1)
      return -1;
  }
  return opened;
}
