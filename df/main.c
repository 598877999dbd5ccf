/* virt-df: free space of the filesystems of disk images and guests. */
#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appliance/fs-features.h"
#include "libvirt/domain-xml.h"
#include "libvirt/domains.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/vector.h"
#include "df.h"

enum {
  HELP_OPTION = CHAR_MAX + 1,
  BLOCKSIZE_OPTION,
  COLOR_OPTION,
  CSV_OPTION,
  ECHO_KEYS_OPTION,
  FORMAT_OPTION,
  JSON_OPTION,
  KEY_OPTION,
  KEYS_FROM_STDIN_OPTION,
  LONG_OPTIONS,
  MACHINE_READABLE_OPTION,
  ONE_PER_GUEST_OPTION,
  PER_DISK_OPTION,
  SHORT_OPTIONS,
  UUID_OPTION,
};

static const char short_options[] = "a:c:d:hiP:qvVx";
static const struct option long_options[] = {
  { "add",              required_argument, NULL, 'a' },
  { "blocksize",        optional_argument, NULL, BLOCKSIZE_OPTION },
  { "color",            no_argument,       NULL, COLOR_OPTION },
  { "colors",           no_argument,       NULL, COLOR_OPTION },
  { "colour",           no_argument,       NULL, COLOR_OPTION },
  { "colours",          no_argument,       NULL, COLOR_OPTION },
  { "connect",          required_argument, NULL, 'c' },
  { "csv",              no_argument,       NULL, CSV_OPTION },
  { "domain",           required_argument, NULL, 'd' },
  { "echo-keys",        no_argument,       NULL, ECHO_KEYS_OPTION },
  { "format",           optional_argument, NULL, FORMAT_OPTION },
  { "help",             no_argument,       NULL, HELP_OPTION },
  { "human-readable",   no_argument,       NULL, 'h' },
  { "inodes",           no_argument,       NULL, 'i' },
  { "json",             no_argument,       NULL, JSON_OPTION },
  { "key",              required_argument, NULL, KEY_OPTION },
  { "keys-from-stdin",  no_argument,       NULL, KEYS_FROM_STDIN_OPTION },
  { "long-options",     no_argument,       NULL, LONG_OPTIONS },
  { "machine-readable", optional_argument, NULL, MACHINE_READABLE_OPTION },
  { "one-per-guest",    no_argument,       NULL, ONE_PER_GUEST_OPTION },
  { "per-disk",         no_argument,       NULL, PER_DISK_OPTION },
  { "quiet",            no_argument,       NULL, 'q' },
  { "short-options",    no_argument,       NULL, SHORT_OPTIONS },
  { "uuid",             no_argument,       NULL, UUID_OPTION },
  { "verbose",          no_argument,       NULL, 'v' },
  { "version",          no_argument,       NULL, 'V' },
  { NULL,               0,                 NULL, 0 }
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
          "  -q|--quiet           No notices about the host (e.g. KVM fallback)\n"
          "  --uuid               Print UUIDs instead of domain names\n"
          "  -v|--verbose         Verbose messages\n"
          "  -V|--version         Display version and exit\n"
          "  -x                   Trace libguestfs API calls\n"
          "For more information, see the manpage %s(1).\n",
          gk_program_name, gk_program_name, gk_program_name,
          gk_program_name, gk_program_name, gk_program_name);
  exit (status);
}

/* The name upstream gives a guest made of -a disks: the basename of the
 * first disk (for a URI, the last element of its path), then one "+"
 * for each further disk.
 */
static char *
disks_display_name (const struct gk_drive *const *drives, size_t n)
{
  const struct gk_drive *d = drives[0];
  const char *path = d->type == GK_DRIVE_URI ? d->path : d->arg;
  const char *slash = strrchr (path, '/');
  const char *base = slash && slash[1] ? slash + 1 : path;
  char *name = xmalloc (strlen (base) + n);

  strcpy (name, base);
  for (size_t i = 1; i < n; ++i)
    strcat (name, "+");
  return name;
}

static void
add_disk_guest (df_guest_list *guests, const struct gk_drive *const *drives,
                size_t n)
{
  struct df_guest guest = { .drives = empty_vector };

  for (size_t i = 0; i < n; ++i)
    drive_ptr_list_append (&guest.drives, drives[i]);
  guest.name = disks_display_name (drives, n);
  df_guest_list_append (guests, guest);
}

static void
add_domain_guest (df_guest_list *guests, const struct gk_options *opts,
                  const char *name_or_uuid)
{
  struct df_guest guest = { .is_domain = true };
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_libvirt_get_domain (opts->libvirt_uri, name_or_uuid, true,
                             &guest.domain, &errmsg) == -1)
    gk_error ("%s", errmsg);
  guest.name = xstrdup (guest.domain.name);
  guest.uuid = guest.domain.uuid ? xstrdup (guest.domain.uuid) : NULL;
  df_guest_list_append (guests, guest);
}

/* Every domain of the libvirt connection, sorted by name.  Domains
 * without disks have nothing to show.
 */
static void
add_all_domains (df_guest_list *guests, const struct gk_options *opts)
{
  gk_domain_list domains = empty_vector;
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_libvirt_list_domains (opts->libvirt_uri, true, &domains,
                               &errmsg) == -1)
    gk_error ("%s", errmsg);
  for (size_t i = 0; i < domains.len; ++i) {
    struct df_guest guest = { .is_domain = true, .from_libvirt_scan = true };

    if (domains.ptr[i].disks.len == 0) {
      gk_domain_free (&domains.ptr[i]);
      continue;
    }
    guest.domain = domains.ptr[i];
    guest.name = xstrdup (guest.domain.name);
    guest.uuid = guest.domain.uuid ? xstrdup (guest.domain.uuid) : NULL;
    df_guest_list_append (guests, guest);
  }
  free (domains.ptr);
}

/* Turn the command line's drives into guests.  -a disks form one guest
 * (as upstream) unless --per-disk; every -d is a guest of its own.
 */
static void
make_guests (df_guest_list *guests, const struct gk_options *opts,
             bool per_disk)
{
  CLEANUP_FREE const struct gk_drive **disks =
    xcalloc (opts->drives.len, sizeof *disks);
  size_t n_disks = 0;
  ssize_t disk_guest_slot = -1;

  for (size_t i = 0; i < opts->drives.len; ++i) {
    const struct gk_drive *d = &opts->drives.ptr[i];

    if (d->type == GK_DRIVE_DOMAIN)
      add_domain_guest (guests, opts, d->arg);
    else if (per_disk)
      add_disk_guest (guests, &d, 1);
    else {
      if (disk_guest_slot == -1) {
        /* Keep command-line order: the disk guest sits where its first
         * disk was given.
         */
        disk_guest_slot = (ssize_t) guests->len;
        df_guest_list_append (guests, (struct df_guest) { 0 });
      }
      disks[n_disks++] = d;
    }
  }
  if (disk_guest_slot >= 0) {
    df_guest_list tmp = empty_vector;

    add_disk_guest (&tmp, disks, n_disks);
    guests->ptr[disk_guest_slot] = tmp.ptr[0];
    free (tmp.ptr);
  }
}

static void
free_guests (df_guest_list *guests)
{
  for (size_t i = 0; i < guests->len; ++i) {
    struct df_guest *g = &guests->ptr[i];

    free (g->name);
    free (g->uuid);
    free (g->drives.ptr);
    if (g->is_domain)
      gk_domain_free (&g->domain);
    for (size_t r = 0; r < g->rows.len; ++r) {
      free (g->rows.ptr[r].device);
      free (g->rows.ptr[r].type);
    }
    free (g->rows.ptr);
  }
  free (guests->ptr);
}

static bool
all_failed (const df_guest_list *guests)
{
  for (size_t i = 0; i < guests->len; ++i)
    if (!guests->ptr[i].failed)
      return false;
  return guests->len > 0;
}

/* --machine-readable alone: what this virt-df can do. */
static void __attribute__ ((noreturn))
print_facts (void)
{
  static const char *const facts[] = {
    "csv", "json", "human-readable", "inodes", "uuid", "per-disk",
    "blocksize", "key", NULL
  };
  struct gk_features f;

  gk_machine_readable_printf ("%s\n", gk_program_name);
  for (size_t i = 0; facts[i]; ++i)
    gk_machine_readable_printf ("%s\n", facts[i]);

  /* Which filesystems the appliance can read is only known by asking it. */
  gk_features_launch_probe (&f);
  if (f.btrfs)
    gk_machine_readable_printf ("btrfs\n");
  if (f.xfs)
    gk_machine_readable_printf ("xfs\n");
  if (f.ntfs)
    gk_machine_readable_printf ("ntfs\n");
  if (f.f2fs)
    gk_machine_readable_printf ("f2fs\n");
  exit (EXIT_SUCCESS);
}

int
main (int argc, char *argv[])
{
  struct gk_options opts = GK_OPTIONS_INIT;
  struct df_settings s = { .format = FORMAT_TEXT, .opts = &opts };
  df_guest_list guests = empty_vector;
  bool csv = false, json = false, per_disk = false;
  int c, r;

  gk_init_program ("virt-df");

  while ((c = getopt_long (argc, argv, short_options, long_options,
                           NULL)) != -1) {
    switch (c) {
    case 'a': gk_option_add (&opts, optarg); break;
    case 'c': gk_option_connect (&opts, optarg); break;
    case 'd': gk_option_domain (&opts, optarg); break;
    case 'h': s.human = true; break;
    case 'i': s.inodes = true; break;
    case 'P':
      s.max_threads = (size_t) gk_parse_long_option ("-P", optarg, 0, 1024);
      break;
    case 'q': gk_quiet = true; break;
    case 'v': gk_verbose++; break;
    case 'V': gk_print_version ();
    case 'x': gk_trace = true; break;
    case BLOCKSIZE_OPTION: gk_option_blocksize (&opts, optarg); break;
    case COLOR_OPTION: gk_colors = true; break;
    case CSV_OPTION: csv = true; break;
    case ECHO_KEYS_OPTION: opts.echo_keys = true; break;
    case FORMAT_OPTION: gk_option_format (&opts, optarg); break;
    case HELP_OPTION: usage (EXIT_SUCCESS);
    case JSON_OPTION: json = true; break;
    case KEY_OPTION: gk_option_key (&opts, optarg); break;
    case KEYS_FROM_STDIN_OPTION: opts.keys_from_stdin = true; break;
    case LONG_OPTIONS: gk_display_long_options (long_options);
    case MACHINE_READABLE_OPTION: gk_machine_readable_set (optarg); break;
    case ONE_PER_GUEST_OPTION: s.one_per_guest = true; break;
    case PER_DISK_OPTION: per_disk = true; break;
    case SHORT_OPTIONS: gk_display_short_options (short_options);
    case UUID_OPTION: s.uuid = true; break;
    default: usage (EXIT_FAILURE);
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

  if (gk_machine_readable && opts.drives.len == 0)
    print_facts ();

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
    add_all_domains (&guests, &opts);
  else
    make_guests (&guests, &opts, per_disk);

  r = df_run (&guests, &s);

  /* When every guest failed there is no table, only the errors already
   * printed: a lone title would read as "no filesystems".  Upstream
   * prints nothing either.
   */
  if (r == -1 && all_failed (&guests)) {
    free_guests (&guests);
    gk_options_free (&opts);
    return EXIT_FAILURE;
  }

  df_print_header (stdout, &s);
  for (size_t i = 0; i < guests.len; ++i)
    df_print_guest (stdout, &guests.ptr[i], &s);
  df_print_footer (stdout, &s);
  if (fflush (stdout) == EOF || ferror (stdout))
    gk_error_errno ("write error on standard output");

  free_guests (&guests);
  gk_options_free (&opts);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
