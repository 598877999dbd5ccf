/* guestkit: the options every tool shares.
 *
 * A tool's main.c keeps its own long_options[] table and switch; for the
 * shared options it calls the helpers here, so -a/--format/--blocksize/
 * -d/-c/--key behave identically everywhere.
 */
#ifndef GUESTKIT_OPTIONS_OPTIONS_H
#define GUESTKIT_OPTIONS_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "utils/vector.h"

enum gk_drive_type {
  GK_DRIVE_FILE,            /* -a FILE (a path on this host) */
  GK_DRIVE_URI,             /* -a nbd://..., ssh://... */
  GK_DRIVE_DOMAIN,          /* -d NAME|UUID */
};

struct gk_drive {
  enum gk_drive_type type;
  char *arg;                /* as written on the command line */
  char *format;             /* --format in force, NULL = autodetect */
  int blocksize;            /* --blocksize in force, 0 = default */
  /* GK_DRIVE_URI: */
  char *protocol;           /* "nbd", "ssh", "http", ... */
  char **servers;           /* NULL-terminated, "host[:port]" or "unix:PATH" */
  char *path;               /* export name / remote path */
  char *username;
  const char *cachemode;    /* NULL = libguestfs' default */
};
DEFINE_VECTOR_TYPE (gk_drive_list, struct gk_drive);

enum gk_key_type { GK_KEY_STRING, GK_KEY_FILE, GK_KEY_CLEVIS };

struct gk_key {
  char *id;                 /* device name, LUKS UUID, or "all" */
  enum gk_key_type type;
  char *value;              /* the passphrase, or the key file path */
};
DEFINE_VECTOR_TYPE (gk_key_list, struct gk_key);

struct gk_options {
  gk_drive_list drives;
  char *format;             /* current --format (NULL = auto) */
  bool format_consumed;
  int blocksize;            /* current --blocksize */
  bool blocksize_consumed;
  char *libvirt_uri;        /* -c */
  bool read_only;           /* --ro (tools that offer --ro/--rw) */
  gk_key_list keys;         /* --key */
  bool keys_from_stdin;     /* --keys-from-stdin */
  bool echo_keys;           /* --echo-keys */
};

#define GK_OPTIONS_INIT { .drives = empty_vector, .keys = empty_vector, \
                          .format_consumed = true,                     \
                          .blocksize_consumed = true }

/* -a FILE|URI: adds a drive with the current --format and --blocksize. */
extern void gk_option_add (struct gk_options *opts, const char *arg);
/* A drive for ARG (a path or a URI) in FORMAT (NULL = detect), as -a
 * would make it.  Exits with "WHATARG: why" if ARG is a bad URI.
 */
extern void gk_drive_init (struct gk_drive *d, const char *arg,
                           const char *format, const char *what);

/* What gk_drive_init allocated (not D itself). */
extern void gk_drive_free (struct gk_drive *d);

/* -d NAME|UUID */
extern void gk_option_domain (struct gk_options *opts, const char *arg);
/* --format[=FMT]; NULL or "" or "auto" means autodetect. */
extern void gk_option_format (struct gk_options *opts, const char *arg);
/* --blocksize[=512|4096]; NULL means the default. */
extern void gk_option_blocksize (struct gk_options *opts, const char *arg);
/* A format name from option OPTION: NULL for NULL, "" or "auto"
 * (autodetect), else a copy of ARG after checking it is a plain name.
 */
extern char *gk_format_name (const char *option, const char *arg);
/* -c URI */
extern void gk_option_connect (struct gk_options *opts, const char *arg);
/* --key SELECTOR: ID:key:STRING, ID:file:FILENAME or ID:clevis. */
extern void gk_option_key (struct gk_options *opts, const char *selector);
/* The parser gk_option_key uses: fills KEY (caller frees its id and
 * value) and returns 0, or -1 with *ERRMSG (caller frees).  Nothing is
 * printed.
 */
extern int gk_parse_key_selector (const char *selector, struct gk_key *key,
                                  char **errmsg);

/* After parsing: "--format parameter must appear before -a parameter"
 * and the same for --blocksize.
 */
extern void gk_options_check_consumed (const struct gk_options *opts);

extern void gk_options_free (struct gk_options *opts);

/* --long-options / --short-options: one option per line, exit 0. */
extern void gk_display_long_options (const struct option *long_options)
  __attribute__ ((noreturn));
extern void gk_display_short_options (const char *short_options)
  __attribute__ ((noreturn));

/* Parse an integer option value, or gk_error "'X' is not a numeric
 * value" / "integer out of range".
 */
extern long gk_parse_long_option (const char *option, const char *arg,
                                  long min, long max);

/* --version: "PROG VERSION", exit 0. */
extern void gk_print_version (void) __attribute__ ((noreturn));

#endif /* GUESTKIT_OPTIONS_OPTIONS_H */
