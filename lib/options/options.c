/* guestkit: -a, -d, -c, --format, --blocksize, --key and friends. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "options/options.h"
#include "options/uri.h"
#include "utils/cleanups.h"
#include "utils/alloc.h"
#include "utils/messages.h"
#include "utils/string-list.h"

static bool
looks_like_uri (const char *arg)
{
  const char *p = strstr (arg, "://");

  if (p == NULL || p == arg)
    return false;
  for (const char *q = arg; q < p; ++q)
    if (!isalnum ((unsigned char) *q) && *q != '+')
      return false;
  return true;
}

void
gk_drive_init (struct gk_drive *d, const char *arg, const char *format,
               const char *what)
{
  *d = (struct gk_drive) { .arg = xstrdup (arg) };
  if (looks_like_uri (arg)) {
    const char *why = NULL;

    if (gk_parse_drive_uri (arg, d, &why) == -1)
      gk_error ("%s%s: %s", what, arg, why);
  }
  else {
    d->type = GK_DRIVE_FILE;
    d->path = xstrdup (arg);
  }
  d->format = format ? xstrdup (format) : NULL;
}

void
gk_option_add (struct gk_options *opts, const char *arg)
{
  struct gk_drive d;

  if (*arg == '\0')
    gk_error ("-a: the disk name is empty");
  gk_drive_init (&d, arg, opts->format, "-a ");
  d.blocksize = opts->blocksize;
  opts->format_consumed = true;
  opts->blocksize_consumed = true;
  gk_drive_list_append (&opts->drives, d);
}

void
gk_option_domain (struct gk_options *opts, const char *arg)
{
  struct gk_drive d = { .type = GK_DRIVE_DOMAIN, .arg = xstrdup (arg) };

  if (*arg == '\0')
    gk_error ("-d: the domain name is empty");
  gk_drive_list_append (&opts->drives, d);
}

char *
gk_format_name (const char *option, const char *arg)
{
  if (arg == NULL || *arg == '\0' || STREQ (arg, "auto"))
    return NULL;
  for (const char *p = arg; *p; ++p)
    if (!isalnum ((unsigned char) *p) && *p != '_' && *p != '-')
      gk_error ("%s: invalid format name ‘%s’", option, arg);
  return xstrdup (arg);
}

void
gk_option_format (struct gk_options *opts, const char *arg)
{
  free (opts->format);
  opts->format = gk_format_name ("--format", arg);
  opts->format_consumed = false;
}

void
gk_option_blocksize (struct gk_options *opts, const char *arg)
{
  opts->blocksize = 0;
  if (arg) {
    long v = gk_parse_long_option ("--blocksize", arg, 0, INT_MAX);

    if (v != 512 && v != 4096)
      gk_error ("--blocksize: the block size must be 512 or 4096, not %s",
                arg);
    opts->blocksize = (int) v;
  }
  opts->blocksize_consumed = false;
}

void
gk_option_connect (struct gk_options *opts, const char *arg)
{
  free (opts->libvirt_uri);
  opts->libvirt_uri = xstrdup (arg);
}

/* ID:key:STRING, ID:file:FILENAME, ID:clevis.  ID may itself contain no
 * colon (device names and UUIDs do not), so the first colon ends it.
 */
int
gk_parse_key_selector (const char *selector, struct gk_key *key,
                       char **errmsg)
{
  const char *colon, *type, *value;

  *key = (struct gk_key) { 0 };
  *errmsg = NULL;
  colon = strchr (selector, ':');
  if (colon == NULL || colon == selector) {
    *errmsg = xasprintf ("selector ‘%s’: missing ID", selector);
    return -1;
  }
  type = colon + 1;
  if (*type == '\0') {
    *errmsg = xasprintf ("selector ‘%s’: missing TYPE", selector);
    return -1;
  }
  if (STREQ (type, "clevis")) {
    *errmsg = xasprintf ("selector ‘%s’: clevis keys need network-bound "
                         "decryption, which %s does not support",
                         selector, gk_program_name);
    return -1;
  }
  value = strchr (type, ':');
  if (value == NULL) {
    *errmsg = xasprintf ("selector ‘%s’: missing KEY_STRING or FILENAME",
                         selector);
    return -1;
  }
  value++;
  if (STREQLEN (type, "key:", 4))
    key->type = GK_KEY_STRING;
  else if (STREQLEN (type, "file:", 5)) {
    key->type = GK_KEY_FILE;
    if (*value == '\0') {
      *errmsg = xasprintf ("selector ‘%s’: missing FILENAME", selector);
      return -1;
    }
  }
  else {
    *errmsg = xasprintf ("selector ‘%s’: unknown TYPE (expected key, file "
                         "or clevis)", selector);
    return -1;
  }
  key->id = xstrndup (selector, colon - selector);
  key->value = xstrdup (value);
  return 0;
}

void
gk_option_key (struct gk_options *opts, const char *selector)
{
  struct gk_key key;
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_parse_key_selector (selector, &key, &errmsg) == -1)
    gk_error ("%s", errmsg);
  gk_key_list_append (&opts->keys, key);
}

void
gk_options_check_consumed (const struct gk_options *opts)
{
  if (!opts->format_consumed)
    gk_error ("--format parameter must appear before -a parameter");
  if (!opts->blocksize_consumed)
    gk_error ("--blocksize parameter must appear before -a parameter");
}

void
gk_drive_free (struct gk_drive *d)
{
  free (d->arg);
  free (d->format);
  free (d->protocol);
  gk_free_string_list (d->servers);
  free (d->path);
  free (d->username);
}

void
gk_options_free (struct gk_options *opts)
{
  for (size_t i = 0; i < opts->drives.len; ++i)
    gk_drive_free (&opts->drives.ptr[i]);
  free (opts->drives.ptr);
  for (size_t i = 0; i < opts->keys.len; ++i) {
    free (opts->keys.ptr[i].id);
    /* Don't leave passphrases lying around in freed memory. */
    if (opts->keys.ptr[i].value) {
      explicit_bzero (opts->keys.ptr[i].value,
                      strlen (opts->keys.ptr[i].value));
      free (opts->keys.ptr[i].value);
    }
  }
  free (opts->keys.ptr);
  free (opts->format);
  free (opts->libvirt_uri);
}

/* Man-page order: case-insensitive, spellings that differ only in case
 * in table order.
 */
static int
compare_options (const void *a, const void *b)
{
  const struct option *const *x = a, *const *y = b;
  int r = strcasecmp ((*x)->name, (*y)->name);

  return r ? r : (*x < *y ? -1 : *x > *y);
}

void
gk_display_long_options (const struct option *long_options)
{
  size_t n = 0;

  while (long_options[n].name)
    n++;
  CLEANUP_FREE const struct option **sorted = xcalloc (n, sizeof *sorted);
  for (size_t i = 0; i < n; ++i)
    sorted[i] = &long_options[i];
  qsort (sorted, n, sizeof *sorted, compare_options);
  for (size_t i = 0; i < n; ++i)
    printf ("--%s\n", sorted[i]->name);
  exit (EXIT_SUCCESS);
}

void
gk_display_short_options (const char *short_options)
{
  for (; *short_options; ++short_options) {
    if (*short_options == ':' || *short_options == '+')
      continue;
    printf ("-%c\n", *short_options);
  }
  exit (EXIT_SUCCESS);
}

long
gk_parse_long_option (const char *option, const char *arg, long min, long max)
{
  char *end;
  long v;

  errno = 0;
  v = strtol (arg, &end, 10);
  if (end == arg || *end != '\0' || isspace ((unsigned char) *arg))
    gk_error ("%s: ‘%s’ is not a numeric value", option, arg);
  if (errno == ERANGE || v < min || v > max)
    gk_error ("%s: %s: integer out of range", option, arg);
  return v;
}

void
gk_print_version (void)
{
  printf ("%s %s\n", gk_program_name, PACKAGE_VERSION);
  exit (EXIT_SUCCESS);
}
