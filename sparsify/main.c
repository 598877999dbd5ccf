/* virt-sparsify: make a virtual machine disk image sparse.
 *
 * Copy mode writes a sparse copy of INDISK to OUTDISK and never writes
 * INDISK; --in-place releases the free space of the disks themselves.
 * See sparsify.h for how the files share the work.
 */
#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appliance/facts.h"
#include "appliance/handle.h"
#include "diskio/format.h"
#include "diskio/output.h"
#include "diskio/same-image.h"
#include "libvirt/domains.h"
#include "options/common.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/sizes.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "sparsify.h"

static void __attribute__ ((noreturn))
usage (int status)
{
  if (status != EXIT_SUCCESS)
    gk_try_help ();
  printf ("%s: make a virtual machine disk sparse\n"
          "\n"
          "Usage:\n"
          "  %s [--options] indisk outdisk\n"
          "  %s [--options] -d domain outdisk\n"
          "  %s [--options] --in-place disk [disk...]\n"
          "\n"
          "Options:\n"
          "  -c|--connect uri     Specify libvirt URI for -d option\n"
          "  --check-tmpdir ignore|continue|warn|fail\n"
          "                       Check there is enough space in $TMPDIR\n"
          "  --colors|--colours   Use ANSI colour sequences even if not tty\n"
          "  --compress[=zlib|zstd]  Compressed output format\n"
          "  --convert format     Format of output disk (default: same as "
          "input)\n"
          "  -d|--domain guest    Sparsify the disk(s) of this (shut off) "
          "libvirt guest\n"
          "  --dry-run            With --in-place: say what would be "
          "released, change nothing\n"
          "  --echo-keys          Don't turn off echo for passphrases\n"
          "  --format format      Format of input disk\n"
          "  --help               Display brief help\n"
          "  --ignore fs|vg       Ignore filesystem or volume group\n"
          "  --in-place           Modify the disk in place\n"
          "  --key selector       A LUKS key\n"
          "  --keys-from-stdin    Read passphrases from stdin\n"
          "  --machine-readable[=stream:stdout|stream:stderr|fd:N|file:PATH]\n"
          "                       Make output machine readable\n"
          "  -o option            Add qemu-img options\n"
          "  -q|--quiet           Don't print progress messages\n"
          "  --tmp dir|block|prebuilt:file  Location of temporary overlay\n"
          "  -v|--verbose         Verbose messages\n"
          "  -V|--version         Display version and exit\n"
          "  --wrap               Wrap log messages even if not tty\n"
          "  -x                   Trace libguestfs API calls\n"
          "  --zero part|lv       Zero the whole partition or logical "
          "volume\n"
          "For more information, see the manpage %s(1).\n",
          gk_program_name, gk_program_name, gk_program_name,
          gk_program_name, gk_program_name);
  exit (status);
}

/* virt-sparsify's own long options; the shared ones are GK_OPT_*. */
enum {
  CHECK_TMPDIR_OPTION = GK_OPT_TOOL_FIRST,
  COMPRESS_OPTION,
  CONVERT_OPTION,
  DRY_RUN_OPTION,
  IGNORE_OPTION,
  IN_PLACE_OPTION,
  TMP_OPTION,
  ZERO_OPTION,
};

static const char short_options[] = "c:d:o:qvVx";
static const struct option long_options[] = {
  /* Shared (options/common.h): the standard options, --wrap, -c -d for
   * the input, and the LUKS keys.
   */
  GK_LONGOPT_STANDARD, GK_LONGOPT_WRAP, GK_LONGOPT_CONNECT,
  GK_LONGOPT_DOMAIN, GK_LONGOPT_KEYS,
  /* virt-sparsify's own. */
  { "check-tmpdir",  required_argument, NULL, CHECK_TMPDIR_OPTION },
  { "compress",      optional_argument, NULL, COMPRESS_OPTION },
  { "convert",       required_argument, NULL, CONVERT_OPTION },
  { "dry-run",       no_argument,       NULL, DRY_RUN_OPTION },
  { "format",        required_argument, NULL, GK_OPT_FORMAT },
  { "ignore",        required_argument, NULL, IGNORE_OPTION },
  { "in-place",      no_argument,       NULL, IN_PLACE_OPTION },
  { "inplace",       no_argument,       NULL, IN_PLACE_OPTION },
  { "tmp",           required_argument, NULL, TMP_OPTION },
  { "zero",          required_argument, NULL, ZERO_OPTION },
  GK_LONGOPT_END
};

static enum check_tmpdir
parse_check_tmpdir (const char *arg)
{
  if (STREQ (arg, "ignore") || STREQ (arg, "i"))
    return CHECK_TMPDIR_IGNORE;
  if (STREQ (arg, "continue") || STREQ (arg, "cont") || STREQ (arg, "c"))
    return CHECK_TMPDIR_CONTINUE;
  if (STREQ (arg, "warn") || STREQ (arg, "warning") || STREQ (arg, "w"))
    return CHECK_TMPDIR_WARN;
  if (STREQ (arg, "fail") || STREQ (arg, "f") || STREQ (arg, "error"))
    return CHECK_TMPDIR_FAIL;
  gk_error ("--check-tmpdir: unknown argument ‘%s’: use "
            "ignore|continue|warn|fail", arg);
}

static void
set_once (const char **var, const char *option, const char *arg)
{
  if (STREQ (arg, ""))
    gk_error ("empty %s option", option);
  if (*var)
    gk_error ("%s option given more than once", option);
  *var = arg;
}

/* What only copy mode uses, refused with --in-place by name (upstream's
 * check; silently ignoring any of them would surprise).
 */
static void
check_in_place_conflicts (const struct sparsify_options *o,
                          bool check_tmpdir_given)
{
  const char *opt = NULL;

  if (check_tmpdir_given) opt = "--check-tmpdir";
  else if (o->compress) opt = "--compress";
  else if (o->convert) opt = "--convert";
  else if (o->qemu_opts) opt = "-o";
  else if (o->tmp) opt = "--tmp";
  if (opt)
    gk_error ("%s option cannot be used in --in-place mode", opt);
}

static void
parse_options (int argc, char *argv[], struct sparsify_options *o,
               struct gk_options *opts)
{
  const struct gk_cmdline cmdline = {
    short_options, long_options, opts, usage
  };
  bool check_tmpdir_given = false;
  int c;

  for (;;) {
    c = getopt_long (argc, argv, short_options, long_options, NULL);
    if (c == -1)
      break;
    switch (c) {
    case CHECK_TMPDIR_OPTION:
      o->check_tmpdir = parse_check_tmpdir (optarg);
      check_tmpdir_given = true;
      break;
    case COMPRESS_OPTION:
      if (optarg && STRNEQ (optarg, "zlib") && STRNEQ (optarg, "zstd"))
        gk_error ("--compress: unknown compression type ‘%s’: use zlib "
                  "or zstd", optarg);
      o->compress = optarg ? optarg : "zlib";
      break;
    case CONVERT_OPTION:
      if (o->convert)
        gk_error ("--convert option given more than once");
      o->convert = gk_format_name ("--convert", optarg);
      if (o->convert == NULL)
        gk_error ("--convert: give an output format (raw, qcow2, ...)");
      break;
    case DRY_RUN_OPTION: o->dry_run = true; break;
    case GK_OPT_FORMAT:
      /* One input (or one format for every --in-place disk). */
      if (o->format)
        gk_error ("--format option given more than once");
      o->format = gk_format_name ("--format", optarg);
      break;
    case IGNORE_OPTION: string_vector_append (&o->ignores, optarg); break;
    case IN_PLACE_OPTION: o->in_place = true; break;
    case 'o':
      if (o->qemu_opts)
        gk_error ("-o option given more than once");
      o->qemu_opts = optarg;
      break;
    case TMP_OPTION: set_once (&o->tmp, "--tmp", optarg); break;
    case ZERO_OPTION: string_vector_append (&o->zeroes, optarg); break;
    default: gk_common_option (&cmdline, c, optarg);
    }
  }
  o->opts = opts;
  if (o->in_place)
    check_in_place_conflicts (o, check_tmpdir_given);
  else if (o->dry_run)
    gk_error ("--dry-run is only used with --in-place (copy mode never "
              "changes its input)");
  if (opts->libvirt_uri && opts->drives.len == 0)
    gk_error ("-c/--connect is only used with -d");
}

/* -d DOMAIN: its disks, refused while it runs (writing, or even
 * reading, the disk of a running guest gives garbage).
 */
static void
domain_disks (struct gk_options *opts, struct gk_domain *dom,
              string_vector *disks, string_vector *formats)
{
  if (opts->drives.len > 1)
    gk_error ("-d option given more than once");
  gk_libvirt_get_shutoff_domain (opts->libvirt_uri, opts->drives.ptr[0].arg,
                                 dom);
  for (size_t i = 0; i < dom->disks.len; ++i) {
    const struct gk_domain_disk *disk = &dom->disks.ptr[i];

    if (disk->source != GK_DISK_FILE && disk->source != GK_DISK_BLOCK)
      gk_error ("domain ‘%s’: disk %s is not a local file or device; "
                "give its path instead of -d", dom->name, disk->path);
    string_vector_append (disks, disk->path);
    /* The domain says what its disk is: no guessing (a raw disk whose
     * guest wrote a qcow2 header must stay raw).
     */
    string_vector_append (formats, disk->format);
  }
}

static void
print_facts (void)
{
  gk_print_facts ((const char *const[]) {
      "virt-sparsify", "linux-swap", "zero", "check-tmpdir", "in-place",
      "tmp-option", NULL
    }, (const char *const[]) { "ntfs", "btrfs", NULL });
}

/* Copy mode: overlay, one launch, host-side copy. */
static void
copy_mode (struct sparsify_options *o)
{
  CLEANUP_FREE char *format = NULL;
  const char *out_format;
  struct overlay ov = { 0 };
  struct output out = { 0 };
  uint64_t virtual_size, before;

  /* Everything that can be refused is refused before the launch. */
  format = o->format ? xstrdup (o->format)
                     : gk_image_detect_format (o->indisk);
  if (format == NULL)
    exit (EXIT_FAILURE);
  out_format = o->convert ? o->convert : format;
  if (o->compress && STREQ (out_format, "raw"))
    gk_error ("--compress cannot be used for raw output.  Remove this "
              "option or use --convert qcow2.");
  /* Other formats are left to qemu-img -c, as upstream does. */
  if (o->compress && STREQ (o->compress, "zstd") &&
      STRNEQ (out_format, "qcow2"))
    gk_error ("--compress=zstd needs qcow2 output (not %s)", out_format);
  if (gk_image_same_file_check (o->indisk, format, o->outdisk) == -1)
    exit (EXIT_FAILURE);
  if (gk_output_claim (o->outdisk) == -1)
    exit (EXIT_FAILURE);
  virtual_size = sparsify_input_check (o->indisk, format);
  /* From here an interruption removes what was made (the temporary
   * output, the overlay) and says so.
   */
  gk_interrupt_message ("interrupted: %s was not written", o->outdisk);
  before = allocated_bytes (o->indisk);
  output_prepare (o, &out);

  overlay_create (o, format, virtual_size, &ov);
  sparsify_overlay (o, &ov);
  output_write (o, &out, ov.path, out_format);

  if (!gk_quiet) {
    uint64_t after = allocated_bytes (o->outdisk);

    putchar ('\n');
    gk_info ("Sparsify operation completed with no errors.");
    if (before && after)
      report_reclaimed (o->outdisk, before, after);
    gk_info ("Before deleting the old disk, carefully check that the "
             "target disk boots and works correctly.");
  }
  free (ov.path);
  free (out.path);
}

int
main (int argc, char *argv[])
{
  struct sparsify_options o = {
    .disks = empty_vector, .disk_formats = empty_vector,
    .zeroes = empty_vector, .ignores = empty_vector,
    .check_tmpdir = CHECK_TMPDIR_WARN,
  };
  struct gk_options opts = GK_OPTIONS_INIT;
  struct gk_domain dom = { 0 };
  int nr_args;

  gk_init_program ("virt-sparsify");
  parse_options (argc, argv, &o, &opts);
  /* Upstream's words on ^C: exit 1, nothing half-made left. */
  gk_interrupt_message ("interrupted");

  nr_args = argc - optind;
  if (nr_args == 0 && gk_machine_readable && opts.drives.len == 0)
    print_facts ();

  if (o.in_place) {
    if (opts.drives.len > 0)
      domain_disks (&opts, &dom, &o.disks, &o.disk_formats);
    for (int i = optind; i < argc; ++i) {
      string_vector_append (&o.disks, argv[i]);
      string_vector_append (&o.disk_formats, NULL);
    }
    if (o.disks.len == 0)
      gk_error ("usage is: %s [--options] --in-place disk [disk...]",
                gk_program_name);
    exit (in_place_run (&o));
  }

  if (opts.drives.len > 0) {
    string_vector disks = empty_vector, formats = empty_vector;

    if (nr_args != 1)
      gk_error ("usage is: %s [--options] -d domain outdisk",
                gk_program_name);
    domain_disks (&opts, &dom, &disks, &formats);
    if (disks.len > 1)
      gk_error ("domain ‘%s’ has %zu disks: copy mode makes one disk "
                "sparse; give its path instead of -d, or use --in-place",
                dom.name, disks.len);
    o.indisk = disks.ptr[0];
    if (o.format == NULL)
      o.format = formats.ptr[0];
    o.outdisk = argv[optind];
  }
  else {
    if (nr_args != 2)
      gk_error ("usage is: %s [--options] indisk outdisk", gk_program_name);
    o.indisk = argv[optind];
    o.outdisk = argv[optind + 1];
  }
  copy_mode (&o);
  exit (EXIT_SUCCESS);
}
