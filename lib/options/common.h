/* guestkit: the options every tool shares, handled in one place.
 *
 * Each tool keeps its own short_options string and long_options[] table
 * naming every option it accepts (so main.c reads like the man page):
 * the shared ones by the GK_LONGOPT_* rows below, its own written out
 * and numbered from GK_OPT_TOOL_FIRST.  Its switch handles its own
 * options; everything else goes to gk_common_option from `default:`:
 *
 *   default: gk_common_option (&cmdline, c, optarg);
 *
 * --long-options prints the table sorted, as the man page lists them.
 */
#ifndef GUESTKIT_OPTIONS_COMMON_H
#define GUESTKIT_OPTIONS_COMMON_H

#include <getopt.h>
#include <limits.h>

#include "options/options.h"

enum gk_common_long_option {
  GK_OPT_BLOCKSIZE = CHAR_MAX + 1,  /* --blocksize[=512|4096] */
  GK_OPT_COLOR,                     /* --color --colors --colour --colours */
  GK_OPT_ECHO_KEYS,                 /* --echo-keys */
  GK_OPT_FORMAT,                    /* --format[=FMT] */
  GK_OPT_HELP,                      /* --help */
  GK_OPT_KEY,                       /* --key SELECTOR */
  GK_OPT_KEYS_FROM_STDIN,           /* --keys-from-stdin */
  GK_OPT_LONG_OPTIONS,              /* --long-options */
  GK_OPT_MACHINE_READABLE,          /* --machine-readable[=CHANNEL] */
  GK_OPT_SHORT_OPTIONS,             /* --short-options */
  GK_OPT_WRAP,                      /* --wrap */
  GK_OPT_TOOL_FIRST,                /* a tool's own options start here */
};

/* Rows of a long_options[] table, one macro an option as the man pages
 * name them.
 */
#define GK_LONGOPT_ADD       { "add", required_argument, NULL, 'a' }
#define GK_LONGOPT_BLOCKSIZE \
  { "blocksize", optional_argument, NULL, GK_OPT_BLOCKSIZE }
#define GK_LONGOPT_COLORS                                     \
  { "color", no_argument, NULL, GK_OPT_COLOR },               \
  { "colors", no_argument, NULL, GK_OPT_COLOR },              \
  { "colour", no_argument, NULL, GK_OPT_COLOR },              \
  { "colours", no_argument, NULL, GK_OPT_COLOR }
#define GK_LONGOPT_CONNECT   { "connect", required_argument, NULL, 'c' }
#define GK_LONGOPT_DOMAIN    { "domain", required_argument, NULL, 'd' }
#define GK_LONGOPT_ECHO_KEYS \
  { "echo-keys", no_argument, NULL, GK_OPT_ECHO_KEYS }
/* --format[=FMT] (tools with -a; virt-resize's takes a required one). */
#define GK_LONGOPT_FORMAT    \
  { "format", optional_argument, NULL, GK_OPT_FORMAT }
#define GK_LONGOPT_HELP      { "help", no_argument, NULL, GK_OPT_HELP }
#define GK_LONGOPT_KEY       { "key", required_argument, NULL, GK_OPT_KEY }
#define GK_LONGOPT_KEYS_FROM_STDIN \
  { "keys-from-stdin", no_argument, NULL, GK_OPT_KEYS_FROM_STDIN }
#define GK_LONGOPT_LONG_OPTIONS \
  { "long-options", no_argument, NULL, GK_OPT_LONG_OPTIONS }
#define GK_LONGOPT_MACHINE_READABLE \
  { "machine-readable", optional_argument, NULL, GK_OPT_MACHINE_READABLE }
#define GK_LONGOPT_QUIET     { "quiet", no_argument, NULL, 'q' }
#define GK_LONGOPT_SHORT_OPTIONS \
  { "short-options", no_argument, NULL, GK_OPT_SHORT_OPTIONS }
#define GK_LONGOPT_VERBOSE   { "verbose", no_argument, NULL, 'v' }
#define GK_LONGOPT_VERSION   { "version", no_argument, NULL, 'V' }
#define GK_LONGOPT_WRAP      { "wrap", no_argument, NULL, GK_OPT_WRAP }
#define GK_LONGOPT_END       { NULL, 0, NULL, 0 }

/* The options of every tool: --colo[u]r[s] --help --long-options
 * --machine-readable --quiet --short-options --verbose --version.
 */
#define GK_LONGOPT_STANDARD                                          \
  GK_LONGOPT_COLORS, GK_LONGOPT_HELP, GK_LONGOPT_LONG_OPTIONS,       \
  GK_LONGOPT_MACHINE_READABLE, GK_LONGOPT_QUIET,                     \
  GK_LONGOPT_SHORT_OPTIONS, GK_LONGOPT_VERBOSE, GK_LONGOPT_VERSION
/* The LUKS key options: --echo-keys --key --keys-from-stdin. */
#define GK_LONGOPT_KEYS                                              \
  GK_LONGOPT_ECHO_KEYS, GK_LONGOPT_KEY, GK_LONGOPT_KEYS_FROM_STDIN

struct gk_cmdline {
  const char *short_options;
  const struct option *long_options;
  /* Where -a, -c, -d, --format, --blocksize and the key options go. */
  struct gk_options *opts;
  /* The tool's --help (EXIT_SUCCESS) and "try --help" (EXIT_FAILURE). */
  void (*usage) (int status) __attribute__ ((noreturn));
};

/* Handle C, an option getopt_long returned that the tool's own switch
 * did not: -a -c -d -q -v -V -x and the GK_OPT_* options above.
 * Anything else (getopt's '?') is a usage error.
 */
extern void gk_common_option (const struct gk_cmdline *cmdline, int c,
                              const char *arg);

#endif /* GUESTKIT_OPTIONS_COMMON_H */
