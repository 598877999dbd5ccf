/* guestkit: the options every tool shares, handled in one place.
 *
 * Each tool keeps its own short_options string and long_options[] table,
 * with a row for every option it accepts (so main.c reads like the man
 * page), using these values for the shared long-only options and
 * numbering its own from GK_OPT_TOOL_FIRST.  Its switch handles its own
 * options; everything else goes to gk_common_option from `default:`:
 *
 *   default: gk_common_option (&cmdline, c, optarg);
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
