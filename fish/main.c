/* guestfish: the shell over the whole libguestfs API.  See fish.h for
 * how the files share the work.
 *
 * The pipeline: options -> a handle (nothing launched yet, so the
 * prompt comes at once) -> the disks, checked on the host -> -i / -m
 * (launch, mount) -> commands from the command line, a script, or the
 * terminal -> in read-write mode, a clean shutdown whose failure is the
 * exit status.  With --listen, everything after the disks happens in a
 * background server (remote.c); with --remote, there is no handle here
 * and every command goes to that server.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appliance/drives.h"
#include "appliance/events.h"
#include "appliance/handle.h"
#include "libvirt/domains.h"
#include "options/common.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/vector.h"
#include "fish.h"
#include "mounts.h"
#include "parse.h"
#include "prep.h"
#include "remote.h"

/* guestfish's own long options; the shared ones are GK_OPT_*. */
enum {
  CSH_OPTION = GK_OPT_TOOL_FIRST,
  JSON_OPTION,
  LISTEN_OPTION,
  LIVE_OPTION,
  NETWORK_OPTION,
  NO_DEST_PATHS_OPTION,
  NO_PROGRESS_BARS_OPTION,
  PIPE_ERROR_OPTION,
  PROGRESS_BARS_OPTION,
  REMOTE_OPTION,
  SELINUX_OPTION,
};

static const char short_options[] = "a:c:d:Df:h::im:nN:rvVwx";
static const struct option long_options[] = {
  /* Shared (options/common.h). */
  GK_LONGOPT_ADD, GK_LONGOPT_BLOCKSIZE, GK_LONGOPT_CONNECT,
  GK_LONGOPT_DOMAIN, GK_LONGOPT_FORMAT, GK_LONGOPT_HELP, GK_LONGOPT_KEYS,
  GK_LONGOPT_LONG_OPTIONS, GK_LONGOPT_MACHINE_READABLE,
  GK_LONGOPT_SHORT_OPTIONS, GK_LONGOPT_VERBOSE, GK_LONGOPT_VERSION,
  /* guestfish's own (upstream's names). */
  { "cmd-help",         optional_argument, NULL, 'h' },
  { "csh",              no_argument,       NULL, CSH_OPTION },
  { "file",             required_argument, NULL, 'f' },
  { "inspector",        no_argument,       NULL, 'i' },
  { "json",             no_argument,       NULL, JSON_OPTION },
  { "listen",           no_argument,       NULL, LISTEN_OPTION },
  { "live",             no_argument,       NULL, LIVE_OPTION },
  { "mount",            required_argument, NULL, 'm' },
  { "network",          no_argument,       NULL, NETWORK_OPTION },
  { "new",              required_argument, NULL, 'N' },
  { "no-dest-paths",    no_argument,       NULL, NO_DEST_PATHS_OPTION },
  { "no-progress-bars", no_argument,       NULL, NO_PROGRESS_BARS_OPTION },
  { "no-sync",          no_argument,       NULL, 'n' },
  { "pipe-error",       no_argument,       NULL, PIPE_ERROR_OPTION },
  { "progress-bars",    no_argument,       NULL, PROGRESS_BARS_OPTION },
  { "remote",           optional_argument, NULL, REMOTE_OPTION },
  { "ro",               no_argument,       NULL, 'r' },
  { "rw",               no_argument,       NULL, 'w' },
  { "selinux",          no_argument,       NULL, SELINUX_OPTION },
  { "trace",            no_argument,       NULL, 'x' },
  GK_LONGOPT_END
};

struct settings {
  bool inspector, no_sync, network;
  bool listen, csh, remote;     /* --listen, --csh, --remote[=PID] */
  const char *remote_pid;       /* the =PID, or NULL: $GUESTFISH_PID */
  int progress_bars;            /* -1: on a terminal without commands */
  const char *file;             /* -f */
  string_vector mps;            /* -m */
  struct fish_prep preps[26];   /* -N */
  size_t nr_preps;
  /* Where each -N goes among -a and -d, as upstream (command-line
   * order): how many of them came before it; then the index of its
   * disk in the appliance, once added.
   */
  size_t prep_after[26], prep_disk[26];
};

static void __attribute__ ((noreturn))
usage (int status)
{
  if (status != EXIT_SUCCESS)
    gk_try_help ();
  printf ("%s: the shell over the libguestfs API, to look into and "
          "change disk images\n"
          "\n"
          "Usage:\n"
          "  %s [--options] [command args ...] [: command args ...]\n"
          "\n"
          "Options:\n"
          "  -a|--add image       Add image (a file or a URI)\n"
          "  --blocksize[=512|4096]  Set sector size of the disk for -a\n"
          "  -c|--connect uri     Specify libvirt URI for -d option\n"
          "  --csh                With --listen, print a csh command\n"
          "  -d|--domain guest    Add disks from libvirt guest\n"
          "  -D                   The same as --no-dest-paths\n"
          "  --echo-keys          Don't turn off echo for passphrases\n"
          "  -f|--file file       Read commands from file\n"
          "  --format[=raw|..]    Force disk format for -a option\n"
          "  -h|--cmd-help [cmd]  List the commands, or help on one\n"
          "  --help               Display brief help\n"
          "  -i|--inspector       Inspect and mount the guest's disks\n"
          "  --json               Print each command's result as JSON\n"
          "  --key selector       Specify a LUKS key\n"
          "  --keys-from-stdin    Read passphrases from stdin\n"
          "  --listen             Serve commands in the background\n"
          "  -m|--mount dev[:mnt[:opts[:fstype]]]  Mount dev on mnt\n"
          "  --machine-readable   Print the facts of this program\n"
          "  -n|--no-sync         Do not sync the disks when exiting\n"
          "  -N|--new [file=]type Make a prepared disk (-N list)\n"
          "  --network            Give the appliance a network\n"
          "  --no-dest-paths      Don't complete guest paths\n"
          "  --no-progress-bars   No progress bars\n"
          "  --pipe-error         Fail if a | host command fails\n"
          "  --progress-bars      Progress bars even when not interactive\n"
          "  -r|--ro              Read-only\n"
          "  --remote[=pid]       Send commands to a --listen guestfish\n"
          "  -v|--verbose         Verbose messages\n"
          "  -V|--version         Display version and exit\n"
          "  -w|--rw              Read-write (the default)\n"
          "  -x|--trace           Echo each command before running it\n"
          "For more information, see the manpage %s(1).\n",
          gk_program_name, gk_program_name, gk_program_name);
  exit (status);
}

static void
parse_options (int argc, char *argv[], struct settings *s)
{
  const struct gk_cmdline cmdline = {
    short_options, long_options, &fish.opts, usage
  };
  CLEANUP_FREE char *stop_at_command = xasprintf ("+%s", short_options);
  char *errmsg = NULL;
  int c;

  /* Options come before the commands: "-cmd" after them is a command
   * whose failure is tolerated, not an option.
   */
  while ((c = getopt_long (argc, argv, stop_at_command, long_options,
                           NULL)) != -1) {
    switch (c) {
    case 'D':
    case NO_DEST_PATHS_OPTION: fish.no_dest_paths = true; break;
    case 'f':
      if (s->file)
        gk_error ("only one -f parameter can be given");
      s->file = optarg;
      break;
    case 'h':
      /* -h CMD or -h with the command as the next word. */
      if (optarg == NULL && optind < argc && argv[optind][0] != '-')
        optarg = argv[optind++];
      exit (fish_help (optarg ? optarg : "--list") == 0 ? EXIT_SUCCESS
            : EXIT_FAILURE);
    case 'i': s->inspector = true; break;
    case 'm':
      if (fish_check_mount_option (optarg, &errmsg) == -1)
        gk_error ("%s", errmsg);
      string_vector_append (&s->mps, optarg);
      break;
    case 'n': s->no_sync = true; break;
    case 'N':
      if (STREQ (optarg, "list") || STREQ (optarg, "help")) {
        fish_prep_list ();
        exit (EXIT_SUCCESS);
      }
      if (s->nr_preps == sizeof s->preps / sizeof s->preps[0])
        gk_error ("-N: too many prepared disks");
      if (fish_prep_parse (optarg, s->nr_preps + 1, &s->preps[s->nr_preps],
                           &errmsg) == -1)
        gk_error ("%s", errmsg);
      s->prep_after[s->nr_preps] = fish.opts.drives.len;
      s->nr_preps++;
      break;
    case 'r': fish.read_only = true; break;
    case 'w': fish.read_only = false; break;
    case CSH_OPTION: s->csh = true; break;
    case JSON_OPTION: fish.json = true; break;
    case LISTEN_OPTION: s->listen = true; break;
    case LIVE_OPTION:
      gk_error ("--live is not supported (libguestfs removed it in 1.48)");
    case NETWORK_OPTION: s->network = true; break;
    case NO_PROGRESS_BARS_OPTION: s->progress_bars = 0; break;
    case PIPE_ERROR_OPTION: fish.pipe_error = true; break;
    case PROGRESS_BARS_OPTION: s->progress_bars = 1; break;
    case REMOTE_OPTION:
      s->remote = true;
      s->remote_pid = optarg;
      break;
    case SELINUX_OPTION:
      gk_warning ("--selinux does nothing (as in libguestfs since 1.34)");
      break;
    default: gk_common_option (&cmdline, c, optarg);
    }
  }
  gk_options_check_consumed (&fish.opts);
  string_vector_append (&s->mps, NULL);

  if (gk_machine_readable && fish.opts.drives.len == 0 && optind == argc
      && s->file == NULL) {
    static const char *const facts[] = {
      "guestfish", "inspector", "mount", "ro", "rw", "file", "pipe-error",
      "keys-from-stdin", "key", "blocksize", "network", "no-sync",
      "help-list", "new", "json", NULL
    };
    for (size_t i = 0; facts[i]; ++i)
      gk_machine_readable_printf ("%s\n", facts[i]);
    exit (EXIT_SUCCESS);
  }
  if (s->file && optind < argc)
    gk_error ("-f and commands on the command line cannot be used "
              "together");
  if (fish.opts.libvirt_uri) {
    bool domain = false;

    for (size_t i = 0; i < fish.opts.drives.len; ++i)
      domain |= fish.opts.drives.ptr[i].type == GK_DRIVE_DOMAIN;
    if (!domain)
      gk_error ("-c/--connect is only used with -d");
  }
  if (s->listen && s->remote)
    gk_error ("--listen and --remote cannot be used together");
  if (s->csh && !s->listen)
    gk_error ("--csh is only used with --listen");
  if (s->listen && (optind < argc || s->file))
    gk_error ("--listen takes no commands (send them with --remote)");
  if (s->remote && (fish.opts.drives.len > 0 || s->inspector ||
                    s->mps.len > 1 || s->nr_preps > 0))
    gk_error ("--remote: -a, -d, -i, -m and -N cannot be used (give them "
              "to guestfish --listen)");
  if ((s->inspector || s->mps.len > 1) && fish.opts.drives.len == 0 &&
      s->nr_preps == 0)
    gk_error ("%s needs disks: give -a or -d", s->inspector ? "-i" : "-m");
}

/* libguestfs's errors, as upstream prints them, with the script's
 * "FILE:LINE: " in front.
 */
static void
error_handler (guestfs_h *g, void *data, const char *msg)
{
  (void) g;
  (void) data;
  fflush (stdout);
  if (fish.script)
    fprintf (stderr, "%s:%ld: ", fish.script, fish.lineno);
  /* One line: libguestfs adds advice on lines of its own. */
  fputs ("libguestfs: error: ", stderr);
  for (const char *p = msg; *p; p++)
    fputc (*p == '\n' ? ' ' : *p, stderr);
  fputc ('\n', stderr);
}

/* The -N disks that come before the AFTER-th -a/-d: made and added;
 * *N counts the appliance's disks.
 */
static void
add_preps (struct settings *s, size_t after, size_t *n)
{
  for (size_t i = 0; i < s->nr_preps; ++i)
    if (s->prep_after[i] == after) {
      if (fish_prep_create (&s->preps[i]) == -1)
        exit (EXIT_FAILURE);
      s->prep_disk[i] = (*n)++;
    }
}

/* -a, -d and -N disks, in command-line order. */
static void
add_disks (struct settings *s)
{
  size_t n = 0;

  for (size_t i = 0; i < fish.opts.drives.len; ++i) {
    const struct gk_drive *d = &fish.opts.drives.ptr[i];

    add_preps (s, i, &n);
    if (d->type == GK_DRIVE_DOMAIN) {
      struct gk_domain dom;
      CLEANUP_FREE char *errmsg = NULL;
      int r;

      if (gk_libvirt_get_domain (fish.opts.libvirt_uri, d->arg, true, &dom,
                                 &errmsg) == -1)
        gk_error ("%s", errmsg);
      r = gk_add_domain (fish.g, &dom, fish.read_only);
      if (r == 0)
        gk_error ("domain ‘%s’ has no disks", dom.name);
      gk_domain_free (&dom);
      if (r == -1)
        exit (EXIT_FAILURE);
      n += r;
    }
    else if (gk_add_drive (fish.g, d, fish.read_only) == -1)
      exit (EXIT_FAILURE);
    else
      n++;
  }
  add_preps (s, fish.opts.drives.len, &n);
}

/* -N: laid out once the appliance runs. */
static void
prepare_disks (const struct settings *s)
{
  CLEANUP_FREE_STRING_LIST char **devices = NULL;

  devices = guestfs_list_devices (fish.g);
  if (devices == NULL)
    exit (EXIT_FAILURE);
  for (size_t i = 0; i < s->nr_preps; ++i) {
    if (s->prep_disk[i] >= gk_count_strings (devices))
      gk_error ("-N %s: the disk is not in the appliance",
                s->preps[i].filename);
    if (fish_prep_run (&s->preps[i], devices[s->prep_disk[i]]) == -1)
      exit (EXIT_FAILURE);
  }
}

int
fish_launch (void)
{
  if (guestfs_is_config (fish.g) != 1) {
    fish_error ("the appliance is already running");
    return -1;
  }
  return gk_launch (fish.g);
}

/* The handle, the disks (-a, -d, -N), then -i and -m, which launch.
 * --listen forks first: the launch belongs to the server.
 */
static void
open_handle (struct settings *s)
{
  fish.g = gk_handle_create ();
  guestfs_set_error_handler (fish.g, error_handler, NULL);
  if (!s->no_sync)
    guestfs_set_autosync (fish.g, 1);
  if (s->network)
    guestfs_set_network (fish.g, 1);
  if (s->progress_bars == 1 ||
      (s->progress_bars == -1 && fish.interactive_startup)) {
    gk_progress_attach (fish.g);
    fish.progress_bars = true;
  }
  add_disks (s);
  if (s->listen)
    fish_remote_listen (s->csh);
  if (s->inspector || s->mps.len > 1 || s->nr_preps > 0) {
    if (fish_launch () == -1)
      exit (EXIT_FAILURE);
    prepare_disks (s);
    if (s->inspector && fish_inspect_and_mount () == -1)
      exit (EXIT_FAILURE);
    if (fish_mount_by_hand (s->mps.ptr) == -1)
      exit (EXIT_FAILURE);
  }
}

/* Commands given after the options, separated by ":".  The first
 * failure ends the run, unless the command was written -cmd.
 */
static int
run_command_line (int argc, char *const *argv)
{
  CLEANUP_FREE char *errmsg = NULL;
  struct fish_line *lines;
  size_t n;
  int ret = 0;

  lines = fish_split_argv (argc, argv, &n, &errmsg);
  if (lines == NULL) {
    fish_error ("%s", errmsg);
    return -1;
  }
  for (size_t i = 0; i < n; ++i) {
    if (ret == 0 && !fish.exit_requested &&
        fish_run_line (&lines[i]) == -1)
      ret = -1;
    fish_line_free (&lines[i]);
  }
  free (lines);
  return ret;
}

int
main (int argc, char *argv[])
{
  struct settings s = { .progress_bars = -1, .mps = empty_vector };
  bool command_line;
  int ret;

  gk_init_program ("guestfish");
  fish.opts = (struct gk_options) GK_OPTIONS_INIT;
  parse_options (argc, argv, &s);
  command_line = optind < argc;
  fish.interactive_startup = !s.listen && !command_line && s.file == NULL &&
    isatty (STDIN_FILENO);

  if (s.remote)
    /* No handle here: every command goes to the listener. */
    fish_remote_client_setup (s.remote_pid);
  else
    open_handle (&s);

  if (s.listen)
    ret = fish_remote_serve ();
  else if (command_line)
    ret = run_command_line (argc - optind, &argv[optind]);
  else if (s.file) {
    CLEANUP_FCLOSE FILE *fp = fopen (s.file, "r");

    if (fp == NULL)
      gk_error_errno ("%s", s.file);
    ret = fish_run_script (fp, s.file);
  }
  else if (fish.interactive_startup)
    ret = fish_run_interactive ();
  else
    ret = fish_run_script (stdin, NULL);

  /* In read-write mode the disks are synced and the appliance stopped
   * here: a failure means the changes may not be on the disk.
   */
  fish.script = NULL;
  if (fish.g) {
    if (guestfs_shutdown (fish.g) == -1)
      ret = -1;
    guestfs_close (fish.g);
  }
  fish_events_free ();
  free (s.mps.ptr);
  for (size_t i = 0; i < s.nr_preps; ++i)
    fish_prep_free (&s.preps[i]);
  gk_options_free (&fish.opts);
  return ret == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
