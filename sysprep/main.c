/* virt-sysprep: reset a virtual machine image so that it can be cloned.
 *
 * One appliance launch: the disks (or, with --dry-run, throwaway
 * overlays of them) are added, every operating system found is
 * mounted as it mounts itself, the filesystem operations run, then the
 * filesystems are unmounted and the device operations run.  See
 * sysprep.h for how the files share the work.  With --per-disk each
 * -a disk is a guest of its own (per-disk.c).
 */
#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appliance/drives.h"
#include "appliance/events.h"
#include "appliance/facts.h"
#include "appliance/filesystems.h"
#include "appliance/handle.h"
#include "appliance/inspect.h"
#include "libvirt/domains.h"
#include "options/common.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "sysprep.h"

static void __attribute__ ((noreturn))
usage (int status)
{
  if (status != EXIT_SUCCESS)
    gk_try_help ();
  printf ("%s: reset a virtual machine so it can be cloned\n"
          "\n"
          "Usage:\n"
          "  %s [--options] -d domname\n"
          "  %s [--options] -a disk.img [-a disk.img ...]\n"
          "\n"
          "Options:\n"
          "  -a|--add file|uri    Add disk image file\n"
          "  -c|--connect uri     Set libvirt URI\n"
          "  --colors|--colours   Use ANSI colour sequences even if not tty\n"
          "  -d|--domain guest    Add disks from libvirt guest (shut off)\n"
          "  -n|--dry-run         Perform a dry run (the disks are not "
          "changed)\n"
          "  --echo-keys          Don't turn off echo for passphrases\n"
          "  --enable operations  Enable specific operations\n"
          "  --format format      Set format (default: auto)\n"
          "  --help               Display brief help\n"
          "  --keep-user-accounts users  Users to keep (user-account op)\n"
          "  --key selector       A LUKS key\n"
          "  --keys-from-stdin    Read passphrases from stdin\n"
          "  --list-operations    List supported operations\n"
          "  --machine-readable[=stream:stdout|stream:stderr|fd:N|file:PATH]\n"
          "                       Make output machine readable\n"
          "  --mount-options opts Set mount options (eg /:noatime;/var:rw)\n"
          "  --network            Enable appliance network\n"
          "  --no-network         Disable appliance network (default)\n"
          "  --operations operations  Enable/disable specific operations\n"
          "  --per-disk           Each -a disk is a separate guest\n"
          "  -q|--quiet           Don't print log messages\n"
          "  --remove-user-accounts users  Users to remove "
          "(user-account op)\n"
          "  -v|--verbose         Verbose messages\n"
          "  -V|--version         Display version and exit\n"
          "  --wrap               Wrap log messages even if not tty\n"
          "  -x                   Trace libguestfs API calls\n"
          "Customization options (the customize operation, in order):\n"
          "  --append-line FILE:LINE  --chmod PERMISSIONS:FILE\n"
          "  --chown UID:GID:PATH  --commands-from-file FILENAME\n"
          "  --copy SOURCE:DEST  --copy-in LOCALPATH:REMOTEDIR\n"
          "  --delete PATH  --edit FILE:s/REGEX/REPLACEMENT/FLAGS\n"
          "  --firstboot SCRIPT  --firstboot-command 'CMD+ARGS'\n"
          "  --firstboot-install PKG,PKG..  --hostname HOSTNAME\n"
          "  --install PKG,PKG..  --link TARGET:LINK[:LINK..]\n"
          "  --mkdir DIR  --move SOURCE:DEST  --no-logfile\n"
          "  --no-selinux-relabel  --password USER:SELECTOR\n"
          "  --password-crypto md5|sha256|sha512|yescrypt\n"
          "  --root-password SELECTOR  --run SCRIPT\n"
          "  --run-command 'CMD+ARGS'  --scrub FILE  --selinux-relabel\n"
          "  --ssh-inject USER[:SELECTOR]  --tar-in TARFILE:REMOTEDIR\n"
          "  --timezone TIMEZONE  --touch FILE  --truncate FILE\n"
          "  --truncate-recursive PATH  --uninstall PKG,PKG..  --update\n"
          "  --upload FILE:DEST  --write FILE:CONTENT\n"
          "For more information, see the manpage %s(1).\n",
          gk_program_name, gk_program_name, gk_program_name,
          gk_program_name);
  exit (status);
}

/* virt-sysprep's own long options; the shared ones are GK_OPT_*, the
 * customize ones COPT_* (sysprep.h).
 */
enum {
  DRY_RUN_OPTION = GK_OPT_TOOL_FIRST,
  ENABLE_OPTION,
  KEEP_USER_ACCOUNTS_OPTION,
  LIST_OPERATIONS_OPTION,
  MOUNT_OPTIONS_OPTION,
  NETWORK_OPTION,
  NO_NETWORK_OPTION,
  OPERATIONS_OPTION,
  PER_DISK_OPTION,
  REMOVE_USER_ACCOUNTS_OPTION,
  SCRIPT_OPTION,
  SCRIPTDIR_OPTION,
};

static const char short_options[] = "a:c:d:nqvVx";
static const struct option long_options[] = {
  /* Shared (options/common.h). */
  GK_LONGOPT_STANDARD, GK_LONGOPT_WRAP, GK_LONGOPT_ADD, GK_LONGOPT_CONNECT,
  GK_LONGOPT_DOMAIN, GK_LONGOPT_KEYS,
  { "format",               required_argument, NULL, GK_OPT_FORMAT },
  /* virt-sysprep's own. */
  { "dry-run",              no_argument,       NULL, DRY_RUN_OPTION },
  { "dryrun",               no_argument,       NULL, DRY_RUN_OPTION },
  { "enable",               required_argument, NULL, ENABLE_OPTION },
  { "keep-user-accounts",   required_argument, NULL,
    KEEP_USER_ACCOUNTS_OPTION },
  { "list-operations",      no_argument,       NULL, LIST_OPERATIONS_OPTION },
  { "mount-options",        required_argument, NULL, MOUNT_OPTIONS_OPTION },
  { "network",              no_argument,       NULL, NETWORK_OPTION },
  { "no-network",           no_argument,       NULL, NO_NETWORK_OPTION },
  { "operation",            required_argument, NULL, OPERATIONS_OPTION },
  { "operations",           required_argument, NULL, OPERATIONS_OPTION },
  { "per-disk",             no_argument,       NULL, PER_DISK_OPTION },
  { "remove-user-accounts", required_argument, NULL,
    REMOVE_USER_ACCOUNTS_OPTION },
  { "script",               required_argument, NULL, SCRIPT_OPTION },
  { "scriptdir",            required_argument, NULL, SCRIPTDIR_OPTION },
  /* The customize operation's. */
  CUSTOMIZE_LONGOPTS,
  GK_LONGOPT_END
};

struct selection {
  op_set ops;
  bool enable_given;
  bool operations_given;
};

static void
select_ops (struct selection *s, int c, const char *arg)
{
  CLEANUP_FREE char *errmsg = NULL;

  if (c == ENABLE_OPTION) {
    if (s->enable_given)
      gk_error ("--enable option can only be given once");
    if (s->operations_given)
      gk_error ("--enable option cannot be used together with "
                "--operations");
    if (op_parse_enable (arg, &s->ops, &errmsg) == -1)
      gk_error ("%s", errmsg);
    s->enable_given = true;
  }
  else {
    if (s->enable_given)
      gk_error ("--operations option cannot be used together with "
                "--enable");
    if (!s->operations_given)
      s->ops = 0;               /* the first --operations starts empty */
    if (op_parse_operations (arg, &s->ops, &errmsg) == -1)
      gk_error ("%s", errmsg);
    s->operations_given = true;
  }
}

static bool
is_directory (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

static void
add_users (string_vector *v, const char *option, const char *arg)
{
  CLEANUP_FREE_STRING_LIST char **names = gk_split_string (',', arg);

  for (size_t i = 0; names[i]; ++i) {
    if (STREQ (names[i], ""))
      gk_error ("%s: empty user name", option);
    string_vector_append (v, xstrdup (names[i]));
  }
}

static void
parse_options (int argc, char *argv[], struct sysprep_options *o,
               struct selection *sel)
{
  const struct gk_cmdline cmdline = {
    short_options, long_options, o->opts, usage
  };
  int c;

  for (;;) {
    c = getopt_long (argc, argv, short_options, long_options, NULL);
    if (c == -1)
      break;
    if (customize_option (&o->customize, c, optarg))
      continue;
    switch (c) {
    case 'n': case DRY_RUN_OPTION: o->dry_run = true; break;
    case ENABLE_OPTION: case OPERATIONS_OPTION:
      select_ops (sel, c, optarg);
      break;
    case KEEP_USER_ACCOUNTS_OPTION:
      add_users (&o->keep_users, "--keep-user-accounts", optarg);
      break;
    case LIST_OPERATIONS_OPTION:
      op_list (stdout);
      exit (EXIT_SUCCESS);
    case MOUNT_OPTIONS_OPTION:
      if (o->mount_options)
        gk_error ("--mount-options option given more than once");
      o->mount_options = optarg;
      break;
    case NETWORK_OPTION: o->network = true; break;
    case NO_NETWORK_OPTION: o->network = false; break;
    case PER_DISK_OPTION: o->per_disk = true; break;
    case REMOVE_USER_ACCOUNTS_OPTION:
      add_users (&o->remove_users, "--remove-user-accounts", optarg);
      break;
    case SCRIPT_OPTION:
      if (STREQ (optarg, ""))
        gk_error ("--script: empty argument");
      string_vector_append (&o->scripts, optarg);
      break;
    case SCRIPTDIR_OPTION:
      if (o->scriptdir)
        gk_error ("--scriptdir option given more than once");
      if (!is_directory (optarg))
        gk_error ("--scriptdir: %s is not a directory", optarg);
      o->scriptdir = optarg;
      break;
    default: gk_common_option (&cmdline, c, optarg);
    }
  }
  if (optind < argc)
    gk_error ("extra parameter on the command line: ‘%s’", argv[optind]);
  gk_options_check_consumed (o->opts);
}

static void
print_facts (void)
{
  string_vector facts = empty_vector;

  string_vector_append (&facts, xstrdup ("virt-sysprep"));
  string_vector_append (&facts, xstrdup ("dry-run"));
  string_vector_append (&facts, xstrdup ("customize"));
  string_vector_append (&facts, xstrdup ("per-disk"));
  for (size_t i = 0; i < sysprep_nr_ops; ++i)
    string_vector_append (&facts, xasprintf ("operation:%s",
                                             sysprep_ops[i].name));
  string_vector_append (&facts, NULL);
  gk_print_facts ((const char *const *) facts.ptr,
                  (const char *const[]) { NULL });
}

/* -d: the domain, refused while it runs (even for --dry-run: its disks
 * change under us).
 */
static void
get_domain (struct gk_options *opts, struct gk_domain *dom)
{
  if (opts->drives.len > 1)
    gk_error ("-d option given more than once");
  gk_libvirt_get_shutoff_domain (opts->libvirt_uri, opts->drives.ptr[0].arg,
                                 dom);
}

static void
add_disks (guestfs_h *g, const struct sysprep_options *o,
           const struct gk_domain *dom)
{
  if (dom) {
    for (size_t i = 0; i < dom->disks.len; ++i) {
      struct gk_drive d;

      gk_domain_disk_as_drive (&dom->disks.ptr[i], &d);
      if (dom->disks.ptr[i].readonly)
        gk_error ("domain ‘%s’: disk %s is read-only", dom->name,
                  d.path);
      sysprep_add_disk (g, &d, o->dry_run);
    }
    return;
  }
  for (size_t i = 0; i < o->opts->drives.len; ++i)
    sysprep_add_disk (g, &o->opts->drives.ptr[i], o->dry_run);
}

static void
sysprep (const struct sysprep_options *o, const struct gk_domain *dom,
         op_set ops)
{
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = gk_handle_create ();
  CLEANUP_FREE_STRING_LIST char **fses = NULL;
  gk_os_list oses = empty_vector;
  int pid;

  guestfs_push_error_handler (g, NULL, NULL);
  guestfs_set_tmpdir (g, gk_tmpdir ());
  if (o->network)
    gk_guestfs_check (g, guestfs_set_network (g, 1), "set_network");
  gk_message ("Examining the guest ...");
  add_disks (g, o, dom);
  if (gk_launch (g) == -1)
    exit (EXIT_FAILURE);
  /* An interruption ends the program at once: the appliance must not
   * outlive it.
   */
  pid = guestfs_get_pid (g);
  if (pid > 0)
    gk_interrupt_add_child (pid, -1);
  /* The filesystem probe opens LUKS devices with the keys given. */
  fses = gk_find_filesystems (g, o->opts);
  if (fses == NULL || gk_inspect (g, fses, &oses) == -1)
    exit (EXIT_FAILURE);
  if (oses.len == 0)
    gk_error ("no operating systems were found in the guest image");
  for (size_t i = 0; i < oses.len; ++i)
    if (sysprep_root (g, &oses.ptr[i], o, ops, NULL, 0) == -1)
      exit (EXIT_FAILURE);
  gk_os_list_free (&oses);
  if (pid > 0)
    gk_interrupt_remove_child (pid);
  gk_guestfs_check (g, guestfs_shutdown (g), "shutdown");
}

int
main (int argc, char *argv[])
{
  struct gk_options opts = GK_OPTIONS_INIT;
  struct sysprep_options o = {
    .opts = &opts, .remove_users = empty_vector, .keep_users = empty_vector,
    .scripts = empty_vector,
    .customize = { .steps = empty_vector },
  };
  struct selection sel = { .ops = op_defaults () };
  struct gk_domain dom = { 0 };
  bool is_domain;

  gk_init_program ("virt-sysprep");
  parse_options (argc, argv, &o, &sel);
  gk_interrupt_message ("interrupted");

  if (opts.drives.len == 0) {
    if (gk_machine_readable)
      print_facts ();
    gk_error ("you must give either -a or -d options.  "
              "Read virt-sysprep(1) man page for further information.");
  }
  is_domain = opts.drives.ptr[0].type == GK_DRIVE_DOMAIN;
  for (size_t i = 0; i < opts.drives.len; ++i)
    if ((opts.drives.ptr[i].type == GK_DRIVE_DOMAIN) != is_domain)
      gk_error ("you cannot give -a and -d options together.  "
                "Read virt-sysprep(1) man page for further information.");
  if (opts.libvirt_uri && !is_domain)
    gk_error ("-c/--connect is only used with -d");
  if (o.per_disk && is_domain)
    gk_error ("--per-disk is only used with -a: a domain is one guest");
  customize_check (&o.customize, &o, sel.ops);
  if (o.per_disk)
    exit (sysprep_per_disk (&o, sel.ops));
  if (is_domain)
    get_domain (&opts, &dom);
  sysprep (&o, is_domain ? &dom : NULL, sel.ops);
  exit (EXIT_SUCCESS);
}
