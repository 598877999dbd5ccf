/* virt-df: free space of the filesystems of disk images and guests. */
#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appliance/facts.h"
#include "diskio/image.h"
#include "options/common.h"
#include "options/options.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/vector.h"
#include "df.h"

/* virt-df's own long options; the shared ones are GK_OPT_*. */
enum {
  CSV_OPTION = GK_OPT_TOOL_FIRST,
  JSON_OPTION,
  ONE_PER_GUEST_OPTION,
  PER_DISK_OPTION,
  UUID_OPTION,
};

static const char short_options[] = "a:c:d:hiP:qvVx";
static const struct option long_options[] = {
  /* Shared (options/common.h): the standard options, the drive options
   * (-a --blocksize -c -d --format) and the LUKS keys.
   */
  GK_LONGOPT_STANDARD, GK_LONGOPT_ADD, GK_LONGOPT_BLOCKSIZE,
  GK_LONGOPT_CONNECT, GK_LONGOPT_DOMAIN, GK_LONGOPT_FORMAT, GK_LONGOPT_KEYS,
  /* virt-df's own. */
  { "csv",              no_argument,       NULL, CSV_OPTION },
  { "human-readable",   no_argument,       NULL, 'h' },
  { "inodes",           no_argument,       NULL, 'i' },
  { "json",             no_argument,       NULL, JSON_OPTION },
  { "one-per-guest",    no_argument,       NULL, ONE_PER_GUEST_OPTION },
  { "per-disk",         no_argument,       NULL, PER_DISK_OPTION },
  { "uuid",             no_argument,       NULL, UUID_OPTION },
  GK_LONGOPT_END
};

static void __attribute__ ((noreturn))
usage (int status)
{
  if (status != EXIT_SUCCESS)
    gk_try_help ();
  printf ("%s: display free space on virtual filesystems\n"
          "\n"
          "Usage:\n"
          "  %s [--options] -d domname\n"
          "  %s [--options] -a disk.img [-a disk.img ...]\n"
          "  %s [--options] --per-disk disk.img [disk.img ...]\n"
          "  %s [--options]                 (every libvirt domain)\n"
          "\n"
          "Options:\n"
          "  -a|--add image       Add image\n"
          "  --blocksize[=512|4096]  Set sector size of the disk for -a\n"
          "  -c|--connect uri     Specify libvirt URI for -d option\n"
          "  --csv                Output as Comma-Separated Values\n"
          "  -d|--domain guest    Add disks from libvirt guest\n"
          "  --echo-keys          Don't turn off echo for passphrases\n"
          "  --format[=raw|..]    Force disk format for -a option\n"
          "  --help               Display brief help\n"
          "  -h|--human-readable  Human-readable sizes in output\n"
          "  -i|--inodes          Display inodes\n"
          "  --json               Output as JSON (sizes in bytes)\n"
          "  --key selector       Specify a LUKS key\n"
          "  --keys-from-stdin    Read passphrases from stdin\n"
          "  --machine-readable[=stream:stdout|stream:stderr|fd:N|file:PATH]\n"
          "                       Print facts, or log messages as JSON\n"
          "  --one-per-guest      Give every guest its own appliance\n"
          "  -P nr_threads        Run at most this many appliances at once\n"
          "  --per-disk           Each disk is a separate guest\n"
          "  -q|--quiet           No notices about the host "
          "(e.g. KVM fallback)\n"
          "  --uuid               Print UUIDs instead of domain names\n"
          "  -v|--verbose         Verbose messages\n"
          "  -V|--version         Display version and exit\n"
          "  -x                   Trace libguestfs API calls\n"
          "For more information, see the manpage %s(1).\n",
          gk_program_name, gk_program_name, gk_program_name,
          gk_program_name, gk_program_name, gk_program_name);
  exit (status);
}

int
main (int argc, char *argv[])
{
  struct gk_options opts = GK_OPTIONS_INIT;
  struct df_settings s = { .format = FORMAT_TEXT, .opts = &opts };
  const struct gk_cmdline cmdline = {
    short_options, long_options, &opts, usage
  };
  df_guest_list guests = empty_vector;
  bool csv = false, json = false, per_disk = false;
  int c, r;

  gk_init_program ("virt-df");

  while ((c = getopt_long (argc, argv, short_options, long_options,
                           NULL)) != -1) {
    switch (c) {
    case 'h': s.human = true; break;
    case 'i': s.inodes = true; break;
    case 'P':
      s.max_threads = (size_t) gk_parse_long_option ("-P", optarg, 0, 1024);
      break;
    case CSV_OPTION: csv = true; break;
    case JSON_OPTION: json = true; break;
    case ONE_PER_GUEST_OPTION: s.one_per_guest = true; break;
    case PER_DISK_OPTION: per_disk = true; break;
    case UUID_OPTION: s.uuid = true; break;
    default: gk_common_option (&cmdline, c, optarg);
    }
  }

  /* Old style: virt-df [--options] disk.img|domname ...  A bare word
   * that names a file (or has a slash) is a disk, otherwise a domain.
   */
  if (opts.drives.len == 0) {
    for (; optind < argc; ++optind) {
      if (strchr (argv[optind], '/') || access (argv[optind], F_OK) == 0)
        gk_option_add (&opts, argv[optind]);
      else
        gk_option_domain (&opts, argv[optind]);
    }
  }
  else if (optind < argc)
    gk_error ("extra parameter on the command line: ‘%s’", argv[optind]);
  gk_options_check_consumed (&opts);
  /* libguestfs would say "--format bogus was given, but the image is
   * raw", qemu "Unknown driver".
   */
  for (size_t i = 0; i < opts.drives.len; ++i) {
    const char *format = opts.drives.ptr[i].format;

    if (format && !gk_image_format_known (format))
      gk_error ("--format %s: unknown disk format", format);
  }

  if (gk_machine_readable && opts.drives.len == 0)
    gk_print_facts ((const char *const[]) {
        gk_program_name, "csv", "json", "human-readable", "inodes", "uuid",
        "per-disk", "blocksize", "key", NULL
      }, (const char *const[]) { "btrfs", "xfs", "ntfs", "f2fs", NULL });

  if (csv && s.human)
    gk_error ("you cannot use -h and --csv options together.");
  if (json && s.human)
    gk_error ("you cannot use -h and --json options together.");
  if (csv && json)
    gk_error ("you cannot use --csv and --json options together.");
  s.format = csv ? FORMAT_CSV : json ? FORMAT_JSON : FORMAT_TEXT;
  if (s.uuid) {
    for (size_t i = 0; i < opts.drives.len; ++i)
      if (opts.drives.ptr[i].type != GK_DRIVE_DOMAIN)
        gk_error ("--uuid can only be used with libvirt domains "
                  "(-d, or no disk arguments), not with -a");
  }

  if (opts.drives.len == 0)
    df_add_all_domains (&guests, &opts);
  else
    df_make_guests (&guests, &opts, per_disk);

  r = df_run (&guests, &s);

  /* When every guest failed there is no table, only the errors already
   * printed: a lone title would read as "no filesystems".  Upstream
   * prints nothing either.  JSON is always valid JSON: "[]".
   */
  if (r == -1 && df_all_failed (&guests) && s.format != FORMAT_JSON) {
    df_free_guests (&guests);
    gk_options_free (&opts);
    return EXIT_FAILURE;
  }

  df_print_header (stdout, &s);
  for (size_t i = 0; i < guests.len; ++i)
    df_print_guest (stdout, &guests.ptr[i], &s);
  df_print_footer (stdout, &s);
  if (fflush (stdout) == EOF || ferror (stdout))
    gk_error_errno ("write error on standard output");

  df_free_guests (&guests);
  gk_options_free (&opts);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
