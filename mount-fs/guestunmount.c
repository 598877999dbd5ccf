/* guestunmount: unmount a FUSE filesystem (guestmount-all's, or any),
 * retrying while it is busy.
 *
 * Exit status, as upstream's: 0 unmounted, 1 an error, 2 still busy
 * after the retries, 3 not mounted.  A dead mount left by a killed
 * process is unmounted like a live one.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options/common.h"
#include "options/options.h"
#include "utils/cleanups.h"
#include "utils/fuse-unmount.h"
#include "utils/messages.h"

enum {
  FD_OPTION = GK_OPT_TOOL_FIRST,
  NO_RETRY_OPTION,
  RETRY_OPTION,
};

static const char short_options[] = "qvV";
static const struct option long_options[] = {
  GK_LONGOPT_HELP, GK_LONGOPT_LONG_OPTIONS, GK_LONGOPT_QUIET,
  GK_LONGOPT_SHORT_OPTIONS, GK_LONGOPT_VERBOSE, GK_LONGOPT_VERSION,
  { "fd",        required_argument, NULL, FD_OPTION },
  { "no-retry",  no_argument,       NULL, NO_RETRY_OPTION },
  { "retry",     required_argument, NULL, RETRY_OPTION },
  GK_LONGOPT_END
};

static void __attribute__ ((noreturn))
usage (int status)
{
  if (status != EXIT_SUCCESS)
    gk_try_help ();
  printf ("%s: unmount a FUSE filesystem\n"
          "\n"
          "Usage:\n"
          "  %s [--options] mountpoint\n"
          "\n"
          "Options:\n"
          "  --fd=FD              Wait until FD (a pipe) is closed, then "
          "unmount\n"
          "  --help               Display brief help\n"
          "  --no-retry           Do not retry when the mount is busy\n"
          "  -q|--quiet           No error messages (the exit status "
          "says it)\n"
          "  --retry=N            Retry N times when busy "
          "(default: 5)\n"
          "  -v|--verbose         Verbose messages\n"
          "  -V|--version         Display version and exit\n"
          "Exit status: 0 unmounted, 1 error, 2 busy after the retries, "
          "3 not mounted.\n"
          "For more information, see the manpage %s(1).\n",
          gk_program_name, gk_program_name, gk_program_name);
  exit (status);
}

/* --fd: the caller holds the other end; its closing is the signal. */
static void
wait_for_hangup (int fd)
{
  struct pollfd pfd = { .fd = fd, .events = POLLIN };

  for (;;) {
    pfd.revents = 0;
    if (poll (&pfd, 1, -1) == -1) {
      if (errno == EINTR)
        continue;
      gk_error_errno ("poll");
    }
    if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
      return;
    if (pfd.revents & POLLIN) {
      char buf[256];
      ssize_t r = read (fd, buf, sizeof buf);

      if (r == 0 || (r == -1 && errno != EINTR && errno != EAGAIN))
        return;
    }
  }
}

/* gk_error_* cannot say nothing with -q: this can. */
static void __attribute__ ((noreturn, format (printf, 3, 4)))
fail (int status, bool quiet, const char *fs, ...)
{
  if (!quiet) {
    va_list args;
    char *msg;

    va_start (args, fs);
    if (vasprintf (&msg, fs, args) == -1)
      msg = NULL;
    va_end (args);
    gk_error_noexit ("%s", msg ? msg : fs);
    free (msg);
  }
  exit (status);
}

int
main (int argc, char *argv[])
{
  struct gk_options opts = GK_OPTIONS_INIT;
  const struct gk_cmdline cmdline = {
    short_options, long_options, &opts, usage
  };
  CLEANUP_FREE char *cpath = NULL;
  long retries = 5;
  int fd = -1, c;

  gk_init_program ("guestunmount");

  while ((c = getopt_long (argc, argv, short_options, long_options,
                           NULL)) != -1) {
    switch (c) {
    case FD_OPTION:
      fd = (int) gk_parse_long_option ("--fd", optarg, 0, INT_MAX);
      if (fcntl (fd, F_GETFD) == -1)
        gk_error ("--fd %d: %s", fd, strerror (errno));
      break;
    case NO_RETRY_OPTION: retries = 0; break;
    case RETRY_OPTION:
      retries = gk_parse_long_option ("--retry", optarg, 0, 1000);
      break;
    default: gk_common_option (&cmdline, c, optarg);
    }
  }
  if (optind != argc - 1) {
    if (optind >= argc)
      gk_error ("give the mountpoint to unmount; see %s --help",
                gk_program_name);
    gk_error ("extra parameter on the command line: ‘%s’", argv[optind + 1]);
  }

  cpath = gk_mountpoint_canonical (argv[optind]);
  if (cpath == NULL)
    fail (errno == ENOENT ? 3 : 1, gk_quiet, "%s: %s", argv[optind],
          strerror (errno));

  if (fd >= 0) {
    wait_for_hangup (fd);
    close (fd);
  }

  {
    /* 1, 2, 4... seconds: a file manager closing its files, a shell
     * leaving the directory.
     */
    const struct gk_unmount_retries how = {
      .retries = (unsigned) retries, .delay_ms = 1000, .backoff = true,
    };
    CLEANUP_FREE char *errmsg = NULL;

    switch (gk_fuse_unmount_retrying (cpath, &how, &errmsg)) {
    case GK_UNMOUNT_OK:
      gk_debug ("%s unmounted", cpath);
      exit (EXIT_SUCCESS);
    case GK_UNMOUNT_NOT_MOUNTED:
      fail (3, gk_quiet, "%s is not mounted", argv[optind]);
    case GK_UNMOUNT_FAILED:
      fail (EXIT_FAILURE, gk_quiet, "cannot unmount %s: %s", argv[optind],
            errmsg);
    case GK_UNMOUNT_BUSY:
      break;
    }
  }
  fail (2, gk_quiet, "cannot unmount %s: it is busy (a process has a "
        "file or its working directory under it)%s", argv[optind],
        retries > 0 ? ", tried again for a while" : "");
}
