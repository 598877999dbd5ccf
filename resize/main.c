/* virt-resize: copy a disk image into a bigger or smaller target,
 * resizing partitions, logical volumes and their contents.
 */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appliance/facts.h"
#include "appliance/fs-features.h"
#include "options/common.h"
#include "diskio/format.h"
#include "diskio/image.h"
#include "diskio/output.h"
#include "diskio/qcow2-check.h"
#include "diskio/same-image.h"
#include "libvirt/domain-xml.h"
#include "libvirt/domains.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "resize.h"

static void __attribute__ ((noreturn))
usage (int status)
{
  if (status != EXIT_SUCCESS)
    gk_try_help ();
  printf ("%s: resize a virtual machine disk\n"
          "\n"
          "Usage:\n"
          "  %s [--options] indisk outdisk\n"
          "  %s [--options] -d domain outdisk\n"
          "\n"
          "Options:\n"
          "  --align-first never|always|auto  Align first partition "
          "(default: auto)\n"
          "  --alignment sectors  Set partition alignment "
          "(default: 128 sectors)\n"
          "  -c|--connect uri     Specify libvirt URI for -d option\n"
          "  --colors|--colours   Use ANSI colour sequences even if not tty\n"
          "  -d|--domain guest    Resize the disk of this (shut off) "
          "libvirt guest\n"
          "  --debug              Same as --verbose\n"
          "  --delete part        Delete partition\n"
          "  --echo-keys          Don't turn off echo for passphrases\n"
          "  -n|--dry-run         Don't perform changes\n"
          "  --expand part        Expand partition\n"
          "  --format format      Format of input disk\n"
          "  --help               Display brief help\n"
          "  --ignore part        Ignore partition\n"
          "  --key selector       LUKS key, to grow what an encrypted "
          "partition holds\n"
          "  --keys-from-stdin    Read passphrases from stdin\n"
          "  --lv-expand lv       Expand logical volume\n"
          "  --machine-readable[=stream:stdout|stream:stderr|fd:N|file:PATH]\n"
          "                       Make output machine readable\n"
          "  --no-copy-boot-loader  Don't copy boot loader\n"
          "  --no-expand-content  Don't expand content\n"
          "  --no-extra-partition  Don't create extra partition\n"
          "  --no-sparse          Turn off sparse copying\n"
          "  --ntfsresize-force   Force ntfsresize\n"
          "  --output-format format  Format of output disk\n"
          "  -q|--quiet           Don't print progress messages\n"
          "  --resize part=size   Resize partition\n"
          "  --resize-force part=size  Forcefully resize partition\n"
          "  --shrink part        Shrink partition\n"
          "  --unknown-filesystems ignore|warn|error\n"
          "                       Behaviour on expand unknown filesystems "
          "(default: warn)\n"
          "  -v|--verbose         Verbose messages\n"
          "  -V|--version         Display version and exit\n"
          "  --wrap               Wrap log messages even if not tty\n"
          "  -x                   Trace libguestfs API calls\n"
          "For more information, see the manpage %s(1).\n",
          gk_program_name, gk_program_name, gk_program_name,
          gk_program_name);
  exit (status);
}

/* virt-resize's own long options; the shared ones are GK_OPT_*. */
enum {
  ALIGN_FIRST_OPTION = GK_OPT_TOOL_FIRST,
  ALIGNMENT_OPTION,
  DEBUG_OPTION,
  DELETE_OPTION,
  EXPAND_OPTION,
  IGNORE_OPTION,
  LV_EXPAND_OPTION,
  NO_COPY_BOOT_LOADER_OPTION,
  NO_EXPAND_CONTENT_OPTION,
  NO_EXTRA_PARTITION_OPTION,
  NO_SPARSE_OPTION,
  NTFSRESIZE_FORCE_OPTION,
  OUTPUT_FORMAT_OPTION,
  RESIZE_OPTION,
  RESIZE_FORCE_OPTION,
  SHRINK_OPTION,
  UNKNOWN_FILESYSTEMS_OPTION,
};

static const char short_options[] = "c:d:nqvVx";
static const struct option long_options[] = {
  /* Shared with other tools (options/common.h): -c -d, the LUKS keys,
   * and every tool's standard options, plus --wrap.
   */
  GK_LONGOPT_STANDARD, GK_LONGOPT_CONNECT, GK_LONGOPT_DOMAIN,
  GK_LONGOPT_KEYS, GK_LONGOPT_WRAP,
  /* virt-resize's own. */
  { "align-first",         required_argument, NULL, ALIGN_FIRST_OPTION },
  { "alignment",           required_argument, NULL, ALIGNMENT_OPTION },
  { "debug",               no_argument,       NULL, DEBUG_OPTION },
  { "delete",              required_argument, NULL, DELETE_OPTION },
  { "dry-run",             no_argument,       NULL, 'n' },
  { "dryrun",              no_argument,       NULL, 'n' },
  { "expand",              required_argument, NULL, EXPAND_OPTION },
  { "format",              required_argument, NULL, GK_OPT_FORMAT },
  { "ignore",              required_argument, NULL, IGNORE_OPTION },
  { "lv-expand",           required_argument, NULL, LV_EXPAND_OPTION },
  { "LV-expand",           required_argument, NULL, LV_EXPAND_OPTION },
  { "lvexpand",            required_argument, NULL, LV_EXPAND_OPTION },
  { "LVexpand",            required_argument, NULL, LV_EXPAND_OPTION },
  { "no-copy-boot-loader", no_argument,       NULL,
    NO_COPY_BOOT_LOADER_OPTION },
  { "no-expand-content",   no_argument,       NULL, NO_EXPAND_CONTENT_OPTION },
  { "no-extra-partition",  no_argument,       NULL,
    NO_EXTRA_PARTITION_OPTION },
  { "no-sparse",           no_argument,       NULL, NO_SPARSE_OPTION },
  { "ntfsresize-force",    no_argument,       NULL, NTFSRESIZE_FORCE_OPTION },
  { "output-format",       required_argument, NULL, OUTPUT_FORMAT_OPTION },
  { "resize",              required_argument, NULL, RESIZE_OPTION },
  { "resize-force",        required_argument, NULL, RESIZE_FORCE_OPTION },
  { "shrink",              required_argument, NULL, SHRINK_OPTION },
  { "unknown-filesystems", required_argument, NULL,
    UNKNOWN_FILESYSTEMS_OPTION },
  GK_LONGOPT_END
};

static void
set_once (const char **var, const char *option, const char *arg)
{
  if (STREQ (arg, ""))
    gk_error ("empty %s option", option);
  if (*var)
    gk_error ("%s option given more than once", option);
  *var = arg;
}

static void
parse_options (int argc, char *argv[], struct resize_options *o,
               struct gk_options *opts)
{
  const struct gk_cmdline cmdline = {
    short_options, long_options, opts, usage
  };
  int c;
  long alignment = 128;
  const char *align_first = "auto", *unknown_fs = "warn";

  for (;;) {
    c = getopt_long (argc, argv, short_options, long_options, NULL);
    if (c == -1)
      break;
    switch (c) {
    case 'n': o->dry_run = true; break;
    case DEBUG_OPTION: gk_verbose++; break;
    case ALIGN_FIRST_OPTION: align_first = optarg; break;
    case ALIGNMENT_OPTION:
      alignment = gk_parse_long_option ("--alignment", optarg,
                                        LONG_MIN, LONG_MAX);
      break;
    case DELETE_OPTION: string_vector_append (&o->deletes, optarg); break;
    case EXPAND_OPTION: set_once (&o->expand, "--expand", optarg); break;
    case IGNORE_OPTION: string_vector_append (&o->ignores, optarg); break;
    case LV_EXPAND_OPTION:
      string_vector_append (&o->lv_expands, optarg);
      break;
    case NO_COPY_BOOT_LOADER_OPTION: o->copy_boot_loader = false; break;
    case NO_EXPAND_CONTENT_OPTION: o->expand_content = false; break;
    case NO_EXTRA_PARTITION_OPTION: o->extra_partition = false; break;
    case NO_SPARSE_OPTION: o->sparse = false; break;
    case NTFSRESIZE_FORCE_OPTION: o->ntfsresize_force = true; break;
    case OUTPUT_FORMAT_OPTION:
      o->output_format = gk_format_name ("--output-format", optarg);
      break;
    case RESIZE_OPTION: string_vector_append (&o->resizes, optarg); break;
    case RESIZE_FORCE_OPTION:
      string_vector_append (&o->resizes_force, optarg);
      break;
    case SHRINK_OPTION: set_once (&o->shrink, "--shrink", optarg); break;
    case UNKNOWN_FILESYSTEMS_OPTION: unknown_fs = optarg; break;
    default: gk_common_option (&cmdline, c, optarg);
    }
  }

  if (alignment < 1)
    gk_error ("alignment cannot be < 1");
  o->alignment = alignment;

  if (STREQ (align_first, "auto"))
    o->align_first = ALIGN_FIRST_AUTO;
  else if (STREQ (align_first, "never"))
    o->align_first = ALIGN_FIRST_NEVER;
  else if (STREQ (align_first, "always"))
    o->align_first = ALIGN_FIRST_ALWAYS;
  else
    gk_error ("unknown --align-first option: use never|always|auto");

  if (STREQ (unknown_fs, "ignore"))
    o->unknown_fs = UNKNOWN_FS_IGNORE;
  else if (STREQ (unknown_fs, "warn"))
    o->unknown_fs = UNKNOWN_FS_WARN;
  else if (STREQ (unknown_fs, "error"))
    o->unknown_fs = UNKNOWN_FS_ERROR;
  else
    gk_error ("unknown --unknown-filesystems: use ignore|warn|error");

  /* -d names the source domain (upstream's -d was a deprecated
   * --debug); one source only.
   */
  if (opts->drives.len > 1)
    gk_error ("-d option given more than once");
  if (opts->drives.len == 1)
    o->domain = opts->drives.ptr[0].arg;
  o->libvirt_uri = opts->libvirt_uri;
  o->format = opts->format;
  o->opts = opts;               /* --key, for LUKS content */

  if (o->expand && o->shrink)
    gk_error ("you cannot use options --expand and --shrink together");

  /* qemu's own words would be "Unknown driver 'bogus'", about the disk. */
  if (o->format && !gk_image_format_known (o->format))
    gk_error ("--format %s: unknown disk format", o->format);
  if (o->output_format && !gk_image_format_known (o->output_format))
    gk_error ("--output-format %s: unknown disk format", o->output_format);
}

/* What upstream's -d (--debug) would have taken for its disks: a file,
 * a device or a URI.
 */
static bool
looks_like_disk (const char *arg)
{
  struct stat st;

  return strstr (arg, "://") || stat (arg, &st) == 0;
}

/* A format given for a local image must be the image's: --output-format
 * raw on a qcow2 target would overwrite the qcow2 with a raw disk (and
 * be reported as "too small"), --format qcow2 on a raw source read as
 * "not in qcow2 format".  Both directions are refused: a disk image
 * does not start with another format's header by chance.
 */
static void
check_given_format (const char *option, const char *path, const char *format,
                    const char *what)
{
  CLEANUP_FREE char *detected = NULL;
  struct stat st;

  /* Not a file: opening it says what it is. */
  if (format == NULL || strstr (path, "://") || stat (path, &st) == -1 ||
      S_ISDIR (st.st_mode))
    return;
  detected = gk_image_detect_format (path);
  if (detected == NULL)
    exit (EXIT_FAILURE);
  if (STRNEQ (detected, format))
    gk_error ("%s: %s %s was given, but the %s is %s", path, option, format,
              what, detected);
}

/* -d DOMAIN: the source is the domain's (first) disk.  Writing a disk a
 * running guest uses would corrupt it, and even reading it gives a
 * torn copy, so a running domain is refused.
 */
static void
use_domain_disk (struct resize_options *o, struct gk_domain *dom)
{
  CLEANUP_FREE char *errmsg = NULL;
  const struct gk_domain_disk *disk;

  if (gk_libvirt_get_domain (o->libvirt_uri, o->domain, true, dom,
                             &errmsg) == -1) {
    if (looks_like_disk (o->domain))
      gk_error ("-d %s: this is a disk, not a libvirt domain: -d names the "
                "guest whose disk is resized (upstream's -d meant --debug: "
                "use -v for debugging messages, and give INDISK OUTDISK)",
                o->domain);
    gk_error ("%s", errmsg);
  }
  if (dom->active)
    gk_error ("domain ‘%s’ is running: shut it down first "
              "(virsh shutdown %s), then run virt-resize again",
              dom->name, dom->name);
  if (dom->disks.len == 0)
    gk_error ("domain ‘%s’ has no disks", dom->name);
  disk = &dom->disks.ptr[0];
  if (disk->source != GK_DISK_FILE &&
      disk->source != GK_DISK_BLOCK)
    gk_error ("domain ‘%s’: the first disk is not a local file or device; "
              "give its path or URI instead of -d", dom->name);
  if (dom->disks.len > 1)
    gk_info ("domain ‘%s’ has %zu disks: resizing the first one, %s",
             dom->name, dom->disks.len, disk->path);
  o->infile = disk->path;
  if (o->format == NULL)
    o->format = disk->format;
}

int
main (int argc, char *argv[])
{
  struct resize_options o = {
    .alignment = 128,
    .copy_boot_loader = true,
    .expand_content = true,
    .extra_partition = true,
    .sparse = true,
    .unknown_fs = UNKNOWN_FS_WARN,
  };
  struct gk_options opts = GK_OPTIONS_INIT;
  struct gk_domain dom = { 0 };
  struct source src = { 0 };
  struct plan plan = { 0 };
  struct gk_features features;
  struct gk_image *dst, *copy_from;
  int nr_args;

  gk_init_program ("virt-resize");
  parse_options (argc, argv, &o, &opts);
  /* Upstream's words; the target is named once it is being written. */
  gk_interrupt_message ("interrupted");

  nr_args = argc - optind;
  if (nr_args == 0 && gk_machine_readable && !o.domain)
    gk_print_facts ((const char *const[]) {
        "virt-resize", "ntfsresize-force", "32bitok", "128-sector-alignment",
        "alignment", "align-first", "infile-uri", NULL
      }, (const char *const[]) { "ntfs", "btrfs", "xfs", "f2fs", NULL });

  if (o.domain) {
    if (nr_args == 2)
      gk_error ("-d %s: two disks follow, but -d names the guest whose "
                "disk is resized and only OUTDISK follows it (upstream's "
                "-d meant --debug: use -v for debugging messages)",
                o.domain);
    if (nr_args != 1)
      gk_error ("usage is: %s [--options] -d domain outdisk",
                gk_program_name);
    use_domain_disk (&o, &dom);
    o.outfile = argv[optind];
  }
  else {
    if (nr_args != 2)
      gk_error ("usage is: %s [--options] indisk outdisk", gk_program_name);
    o.infile = argv[optind];
    o.outfile = argv[optind + 1];
  }
  if (o.libvirt_uri && !o.domain)
    gk_error ("-c/--connect is only used with -d");
  /* Before anything is read or written: the target is not the source
   * under another name (or a file the source reads through), and no
   * one else writes it.  --dry-run writes nothing.
   */
  if (opts.format)
    check_given_format ("--format", o.infile, o.format, "image");
  check_given_format ("--output-format", o.outfile, o.output_format,
                      "target");
  if (gk_image_same_file_check (o.infile, o.format, o.outfile) == -1)
    exit (EXIT_FAILURE);
  if (!o.dry_run && gk_output_claim (o.outfile) == -1)
    exit (EXIT_FAILURE);

  gk_message ("Examining %s", o.infile);
  source_open (&src, &o);

  /* The target is opened read-only until the plan is known to work:
   * --dry-run and every planning error leave it untouched.
   */
  dst = gk_image_open (o.outfile, o.output_format, false);
  if (dst == NULL)
    exit (EXIT_FAILURE);
  if (gk_image_size (dst) < MAX_BOOTLOADER)
    gk_error ("%s: file is too small to be a disk image (%" PRIu64
              " bytes)", o.outfile, gk_image_size (dst));
  if (STREQ (gk_image_format (dst), "qcow2") &&
      strstr (o.outfile, "://") == NULL &&
      gk_check_qcow2 (o.outfile, o.outfile) == -1)
    exit (EXIT_FAILURE);
  plan.target_size = gk_image_size (dst);
  if (o.output_format == NULL)
    o.output_format = xstrdup (gk_image_format (dst));
  gk_image_close (dst);

  /* As upstream before its launch: optional filesystems are assumed
   * growable unless an earlier launch showed the appliance lacks them.
   */
  gk_features_cached (&features);
  plan_make (&src, &o, &features, &plan);
  layout_target (&src, &o, &plan);
  summary_print (&src, &o, &plan);
  if (o.dry_run)
    exit (EXIT_SUCCESS);

  /* Content that must shrink is shrunk on an overlay of the source
   * (one appliance launch); the source itself is never written.
   */
  copy_from = src.disk;
  if (plan.needs_shrink) {
    gk_message ("Launching the appliance");
    copy_from = shrink_contents (&src, &o);
  }

  /* From here until it is complete, an interruption (INT, TERM, HUP)
   * stops our qemu-nbd processes, leaves the target without a valid
   * partition table (write.c), says so and exits 1.
   */
  gk_interrupt_message ("interrupted: %s is incomplete", o.outfile);
  dst = gk_image_open (o.outfile, o.output_format, true);
  if (dst == NULL)
    exit (EXIT_FAILURE);
  write_target (&src, copy_from, dst, &o, &plan);
  if (copy_from != src.disk && gk_image_close (copy_from) == -1)
    exit (EXIT_FAILURE);
  source_close (&src);
  write_table (&src, dst, &o, &plan);

  if (plan.needs_grow) {
    gk_message ("Launching the appliance");
    expand_contents (&src, &o, &plan, o.output_format);
  }
  gk_output_forget_interrupt ();
  gk_interrupt_message ("interrupted");

  if (!gk_quiet) {
    putchar ('\n');
    gk_info ("Resize operation completed with no errors.  Before deleting "
             "the old disk, carefully check that the resized disk boots "
             "and works correctly.");
  }
  gk_domain_free (&dom);
  exit (EXIT_SUCCESS);
}
