/* guestkit: the options every tool shares (see common.h). */
#include <config.h>

#include <stdlib.h>

#include "options/common.h"
#include "options/options.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"

void
gk_common_option (const struct gk_cmdline *cmdline, int c, const char *arg)
{
  struct gk_options *opts = cmdline->opts;

  switch (c) {
  case 'a': gk_option_add (opts, arg); break;
  case 'c': gk_option_connect (opts, arg); break;
  case 'd': gk_option_domain (opts, arg); break;
  case 'q': gk_quiet = true; break;
  case 'v': gk_verbose++; break;
  case 'V': gk_print_version ();
  case 'x': gk_trace = true; break;
  case GK_OPT_BLOCKSIZE: gk_option_blocksize (opts, arg); break;
  case GK_OPT_COLOR: gk_colors = true; break;
  case GK_OPT_ECHO_KEYS: opts->echo_keys = true; break;
  case GK_OPT_FORMAT: gk_option_format (opts, arg); break;
  case GK_OPT_HELP: cmdline->usage (EXIT_SUCCESS);
  case GK_OPT_KEY: gk_option_key (opts, arg); break;
  case GK_OPT_KEYS_FROM_STDIN: opts->keys_from_stdin = true; break;
  case GK_OPT_LONG_OPTIONS: gk_display_long_options (cmdline->long_options);
  case GK_OPT_MACHINE_READABLE: gk_machine_readable_set (arg); break;
  case GK_OPT_SHORT_OPTIONS:
    gk_display_short_options (cmdline->short_options);
  case GK_OPT_WRAP: gk_wrap = true; break;
  default: cmdline->usage (EXIT_FAILURE);
  }
}
