/* guestmount-all: every filesystem of a guest on the host, through
 * libguestfs's mount-local (FUSE), so the host kernel never parses the
 * guest's filesystems.  See mount-fs.h for how the files share the
 * work.
 *
 * The pipeline: the mountpoint, /dev/fuse and the disks are checked on
 * the host (bad input fails before any launch) -> fork (daemon.c; the
 * parent waits) -> launch -> LUKS -> mount inside the appliance
 * (mounts.c) -> mount-local -> ready: the parent exits 0 -> serve until
 * unmounted (guestunmount, or a signal) -> in --rw mode, sync; the exit
 * status says whether that worked.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "appliance/drives.h"
#include "appliance/fuse.h"
#include "appliance/handle.h"
#include "appliance/luks.h"
#include "diskio/image.h"
#include "libvirt/domains.h"
#include "options/common.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/fuse-unmount.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "utils/vector.h"
#include "mount-fs.h"

/* guestmount-all's own long options; the shared ones are GK_OPT_*. */
enum {
  DIR_CACHE_TIMEOUT_OPTION = GK_OPT_TOOL_FIRST,
  FD_OPTION,
  FUSE_HELP_OPTION,
  LIVE_OPTION,
  NO_FORK_OPTION,
  PID_FILE_OPTION,
  SELINUX_OPTION,
};

static const char short_options[] = "a:c:d:im:no:qrvVwx";
static const struct option long_options[] = {
  /* Shared (options/common.h): the standard options, the drive options
   * (-a --blocksize -c -d --format) and the LUKS keys.
   */
  GK_LONGOPT_STANDARD, GK_LONGOPT_ADD, GK_LONGOPT_BLOCKSIZE,
  GK_LONGOPT_CONNECT, GK_LONGOPT_DOMAIN, GK_LONGOPT_FORMAT, GK_LONGOPT_KEYS,
  /* guestmount-all's own (upstream guestmount's names). */
  { "dir-cache-timeout", required_argument, NULL, DIR_CACHE_TIMEOUT_OPTION },
  { "fd",                required_argument, NULL, FD_OPTION },
  { "fuse-help",         no_argument,       NULL, FUSE_HELP_OPTION },
  { "inspector",         no_argument,       NULL, 'i' },
  { "live",              no_argument,       NULL, LIVE_OPTION },
  { "mount",             required_argument, NULL, 'm' },
  { "no-fork",           no_argument,       NULL, NO_FORK_OPTION },
  { "no-sync",           no_argument,       NULL, 'n' },
  { "option",            required_argument, NULL, 'o' },
  { "pid-file",          required_argument, NULL, PID_FILE_OPTION },
  { "ro",                no_argument,       NULL, 'r' },
  { "rw",                no_argument,       NULL, 'w' },
  { "selinux",           no_argument,       NULL, SELINUX_OPTION },
  { "trace",             no_argument,       NULL, 'x' },
  GK_LONGOPT_END
};

struct settings {
  struct gk_options opts;
  bool rw, inspector, no_fork;
  string_vector mps;            /* -m */
  char *fuse_options;           /* -o, joined with commas */
  int dir_cache_timeout;        /* -1: libguestfs's default */
  int ready_fd;                 /* --fd, -1: none */
  const char *pid_file;
  const char *mountpoint;       /* as given */
  char *cpath;                  /* canonical */
};

static void __attribute__ ((noreturn))
usage (int status)
{
  if (status != EXIT_SUCCESS)
    gk_try_help ();
  printf ("%s: every filesystem of a guest on the host, through FUSE\n"
          "\n"
          "Usage:\n"
          "  %s [--options] -a disk.img [-a disk.img ...] mountpoint\n"
          "  %s [--options] -d domain mountpoint\n"
          "  %s [--options] -a disk.img -i mountpoint\n"
          "  %s [--options] -a disk.img -m dev[:mnt[:opts[:fstype]]] "
          "mountpoint\n"
          "Without -i or -m, each filesystem is at mountpoint/dev/NAME.\n"
          "\n"
          "Options:\n"
          "  -a|--add image       Add image\n"
          "  --blocksize[=512|4096]  Set sector size of the disk for -a\n"
          "  -c|--connect uri     Specify libvirt URI for -d option\n"
          "  -d|--domain guest    Add disks from libvirt guest\n"
          "  --dir-cache-timeout N  Seconds the directory cache is kept\n"
          "  --echo-keys          Don't turn off echo for passphrases\n"
          "  --fd=FD              Write a byte to FD when mounted, "
          "then close it\n"
          "  --format[=raw|..]    Force disk format for -a option\n"
          "  --fuse-help          Display the FUSE options of -o\n"
          "  --help               Display brief help\n"
          "  -i|--inspector       Mount the guest's own tree "
          "(inspection)\n"
          "  --key selector       Specify a LUKS key\n"
          "  --keys-from-stdin    Read passphrases from stdin\n"
          "  --live               (refused: no live guests)\n"
          "  -m|--mount dev[:mnt[:opts[:fstype]]]  Mount dev on mnt\n"
          "  --machine-readable[=stream:stdout|stream:stderr|fd:N|file:PATH]\n"
          "                       Print facts, or log messages as JSON\n"
          "  -n|--no-sync         (refused: changes are always synced)\n"
          "  --no-fork            Stay in the foreground\n"
          "  -o|--option opt      A FUSE option (allow_other, ...)\n"
          "  --pid-file file      Write the daemon's PID to file\n"
          "  -q|--quiet           No notices\n"
          "  -r|--ro              Read-only (the default)\n"
          "  --selinux            Does nothing (as in guestmount)\n"
          "  -v|--verbose         Verbose messages\n"
          "  -V|--version         Display version and exit\n"
          "  -w|--rw              Read-write: changes are synced when "
          "unmounted\n"
          "  -x|--trace           Trace libguestfs API calls\n"
          "To unmount: guestunmount mountpoint\n"
          "For more information, see the manpage %s(1).\n",
          gk_program_name, gk_program_name, gk_program_name,
          gk_program_name, gk_program_name, gk_program_name);
  exit (status);
}

static void
add_fuse_option (struct settings *s, const char *opt)
{
  char *joined;

  if (*opt == '\0')
    gk_error ("-o: empty FUSE option");
  joined = s->fuse_options ? xasprintf ("%s,%s", s->fuse_options, opt)
    : xstrdup (opt);
  free (s->fuse_options);
  s->fuse_options = joined;
}

static void
parse_options (int argc, char *argv[], struct settings *s)
{
  const struct gk_cmdline cmdline = {
    short_options, long_options, &s->opts, usage
  };
  int c;

  while ((c = getopt_long (argc, argv, short_options, long_options,
                           NULL)) != -1) {
    switch (c) {
    case 'i': s->inspector = true; break;
    case 'm':
      check_mount_option (optarg);
      string_vector_append (&s->mps, xstrdup (optarg));
      break;
    case 'n':
      /* guestmount's -n leaves writes unsynced when the mount ends:
       * here they are never lost, so the option is refused.
       */
      gk_error ("-n/--no-sync is not supported: with --rw, every change "
                "is synced when the mount ends");
    case 'o': add_fuse_option (s, optarg); break;
    case 'r': s->rw = false; break;
    case 'w': s->rw = true; break;
    case DIR_CACHE_TIMEOUT_OPTION:
      s->dir_cache_timeout =
        (int) gk_parse_long_option ("--dir-cache-timeout", optarg, 0, INT_MAX);
      break;
    case FD_OPTION:
      s->ready_fd = (int) gk_parse_long_option ("--fd", optarg, 0, INT_MAX);
      /* Not inherited by qemu: whoever waits for it to close would
       * wait for the appliance.
       */
      if (fcntl (s->ready_fd, F_SETFD, FD_CLOEXEC) == -1)
        gk_error ("--fd %d: %s", s->ready_fd, strerror (errno));
      break;
    case FUSE_HELP_OPTION: fuse_help ();
    case LIVE_OPTION:
      gk_error ("--live is not supported: libguestfs no longer reaches "
                "running guests");
    case NO_FORK_OPTION: s->no_fork = true; break;
    case PID_FILE_OPTION:
      if (*optarg == '\0')
        gk_error ("--pid-file: empty file name");
      s->pid_file = optarg;
      break;
    case SELINUX_OPTION:
      /* A no-op in guestmount too, kept there for old scripts. */
      gk_warning ("--selinux does nothing and is ignored");
      break;
    default: gk_common_option (&cmdline, c, optarg);
    }
  }
  s->opts.read_only = !s->rw;
  gk_options_check_consumed (&s->opts);

  if (gk_machine_readable && s->opts.drives.len == 0 && optind == argc) {
    static const char *const facts[] = {
      "guestmount-all", "mount-all", "inspector", "mount", "rw", "fd",
      "pid-file", "no-fork", "dir-cache-timeout", "key", "blocksize", NULL
    };
    for (size_t i = 0; facts[i]; ++i)
      gk_machine_readable_printf ("%s\n", facts[i]);
    exit (EXIT_SUCCESS);
  }

  if (optind >= argc)
    gk_error ("give the mountpoint, after the options; see %s --help",
              gk_program_name);
  if (optind < argc - 1)
    gk_error ("extra parameter on the command line: ‘%s’", argv[optind + 1]);
  s->mountpoint = argv[optind];
  if (s->opts.drives.len == 0)
    gk_error ("give a disk image (-a) or a libvirt domain (-d)");
  for (size_t i = 0; i < s->opts.drives.len; ++i) {
    const char *format = s->opts.drives.ptr[i].format;

    if (format && !gk_image_format_known (format))
      gk_error ("--format %s: unknown disk format", format);
  }
  if (s->opts.libvirt_uri) {
    bool domain = false;

    for (size_t i = 0; i < s->opts.drives.len; ++i)
      domain |= s->opts.drives.ptr[i].type == GK_DRIVE_DOMAIN;
    if (!domain)
      gk_error ("-c/--connect is only used with -d");
  }
}

/* The mountpoint: an existing, empty directory with nothing mounted on
 * it (FUSE would hide what is there, and a second mount would hide the
 * first).
 */
static void
check_mountpoint (struct settings *s)
{
  const char *mp = s->mountpoint;
  struct stat st;
  DIR *dir;
  struct dirent *d;

  if (stat (mp, &st) == -1) {
    if (errno == ENOTCONN)
      gk_error ("%s: a dead FUSE mount is there (its program was killed): "
                "clean it up with guestunmount %s", mp, mp);
    gk_error ("mountpoint %s: %s", mp, strerror (errno));
  }
  if (!S_ISDIR (st.st_mode))
    gk_error ("mountpoint %s: not a directory", mp);
  s->cpath = gk_mountpoint_canonical (mp);
  if (s->cpath == NULL)
    gk_error ("mountpoint %s: %s", mp, strerror (errno));
  if (gk_fuse_mounted (s->cpath))
    gk_error ("mountpoint %s: something is mounted there already", mp);
  dir = opendir (mp);
  if (dir == NULL)
    gk_error ("mountpoint %s: %s", mp, strerror (errno));
  errno = 0;
  while ((d = readdir (dir)) != NULL) {
    if (STRNEQ (d->d_name, ".") && STRNEQ (d->d_name, "..")) {
      closedir (dir);
      gk_error ("mountpoint %s: the directory is not empty (the mount "
                "would hide its files)", mp);
    }
  }
  closedir (dir);
}

/* Without the kernel's FUSE device, libfuse fails with a paragraph. */
static void
check_fuse_device (void)
{
  const char *dev = "/dev/fuse";
  struct stat st;
  int fd;

  if (stat (dev, &st) == -1)
    gk_error ("%s: %s: FUSE is not available on this host (modprobe fuse, "
              "or in a container give it the device)", dev, strerror (errno));
  if (!S_ISCHR (st.st_mode) || major (st.st_rdev) != 10 ||
      minor (st.st_rdev) != 229)
    gk_error ("%s is not the FUSE device: FUSE is not available on this "
              "host", dev);
  fd = open (dev, O_RDWR | O_CLOEXEC);
  if (fd == -1)
    gk_error ("%s: %s: FUSE is not available to this user", dev,
              strerror (errno));
  close (fd);
}

/* --rw on an image another qemu is writing (a running guest not known
 * to libvirt, another guestmount-all --rw) would corrupt it.  qemu
 * takes byte locks on its images (OFD locks at offset 100 + permission
 * held, 200 + permission refused to others): the bytes our writer
 * would need or refuse are probed here, on the host, so the answer
 * comes before a launch and in one line.
 */
static void
check_not_in_use (const char *name, const char *path)
{
  static const struct { off_t start, len; } ranges[] = {
    { 101, 1 }, { 103, 1 },     /* someone writes or resizes it */
    { 200, 2 }, { 203, 1 },     /* someone refuses writers */
  };
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd == -1)
    return;                     /* gk_add_drive says why */
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; ++i) {
    struct flock fl = {
      .l_type = F_WRLCK, .l_whence = SEEK_SET,
      .l_start = ranges[i].start, .l_len = ranges[i].len,
    };

    if (fcntl (fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) {
      close (fd);
      gk_error ("%s: the image is in use by another program (a running "
                "virtual machine?): it cannot be mounted with --rw", name);
    }
  }
  close (fd);
}

/* Every disk on the handle, after the host-side checks: a missing or
 * damaged image, or --rw on a running domain, fails here, before any
 * launch.
 */
static void
add_disks (guestfs_h *g, struct settings *s)
{
  for (size_t i = 0; i < s->opts.drives.len; ++i) {
    const struct gk_drive *d = &s->opts.drives.ptr[i];

    if (d->type == GK_DRIVE_DOMAIN) {
      struct gk_domain dom;
      CLEANUP_FREE char *errmsg = NULL;
      int r;

      if (gk_libvirt_get_domain (s->opts.libvirt_uri, d->arg, true, &dom,
                                 &errmsg) == -1)
        gk_error ("%s", errmsg);
      /* A running domain is refused in --rw mode here, before any
       * launch.
       */
      if (s->rw && !dom.active)
        for (size_t j = 0; j < dom.disks.len; ++j)
          if (dom.disks.ptr[j].source == GK_DISK_FILE)
            check_not_in_use (dom.disks.ptr[j].path, dom.disks.ptr[j].path);
      r = gk_add_domain (g, &dom, !s->rw);
      if (r == 0)
        gk_error ("domain ‘%s’ has no disks", dom.name);
      gk_domain_free (&dom);
      if (r == -1)
        exit (EXIT_FAILURE);
    }
    else {
      if (s->rw && d->type == GK_DRIVE_FILE)
        check_not_in_use (d->arg, d->path);
      if (gk_add_drive (g, d, !s->rw) == -1)
        exit (EXIT_FAILURE);
    }
  }
}

static int
mount_in_appliance (guestfs_h *g, const struct settings *s)
{
  int n = 0, r;

  if (s->inspector) {
    if ((r = mount_guest_tree (g, !s->rw)) == -1)
      return -1;
    n += r;
  }
  if (s->mps.len > 0) {
    if ((r = mount_by_hand (g, &s->mps, !s->rw)) == -1)
      return -1;
    n += r;
  }
  if (!s->inspector && s->mps.len == 0)
    n = mount_every_filesystem (g, &s->opts, !s->rw);
  return n;
}

static void
ready (void *opaque)
{
  const struct settings *s = opaque;

  daemon_ready (s->pid_file, s->ready_fd);
}

/* The FUSE options of the mount: the user's, and for a read-only mount
 * kernel_cache first.  Nothing can change a file under a read-only
 * mount (the appliance holds the disks read-only), so what the host's
 * page cache holds of it stays right from one open to the next, and a
 * second read (grep -r twice, rsync after diff) costs no round trip to
 * the appliance.  Without it, FUSE drops the cached pages at each open.
 * -o direct_io still bypasses the cache.  Caller frees.
 */
static char *
fuse_options_of (const struct settings *s)
{
  if (s->rw)
    return s->fuse_options ? xstrdup (s->fuse_options) : NULL;
  return s->fuse_options ? xasprintf ("kernel_cache,%s", s->fuse_options)
                         : xstrdup ("kernel_cache");
}

static int
serve (guestfs_h *g, const struct settings *s)
{
  CLEANUP_FREE char *options = fuse_options_of (s);
  const struct gk_fuse_serve fs = {
    .dir = s->cpath, .what = s->mountpoint, .serving = s->mountpoint,
    .readonly = !s->rw, .options = options,
    .cachetimeout = s->dir_cache_timeout, .debugcalls = gk_verbose >= 2,
    .ready = ready, .opaque = (void *) s,
  };

  /* Modes are the caller's, as with any filesystem (upstream does too). */
  umask (0);
  daemon_unmount_on_signals (s->cpath);
  return gk_fuse_serve (g, &fs);
}

/* After the FUSE loop: in --rw mode, everything written must be on the
 * disks before the appliance goes.  Returns 0 or -1 after reporting.
 */
static int
finish (guestfs_h *g, const struct settings *s)
{
  int r = 0;

  if (s->rw) {
    if (guestfs_umount_all (g) == -1) {
      gk_error_noexit ("unmounting the guest's filesystems failed: %s",
                       guestfs_last_error (g));
      r = -1;
    }
    if (guestfs_sync (g) == -1) {
      gk_error_noexit ("syncing the guest's disks failed: %s",
                       guestfs_last_error (g));
      r = -1;
    }
  }
  if (guestfs_shutdown (g) == -1) {
    gk_error_noexit ("the appliance did not shut down cleanly%s: %s",
                     s->rw ? " (changes may be lost)" : "",
                     guestfs_last_error (g));
    r = -1;
  }
  return r;
}

int
main (int argc, char *argv[])
{
  struct settings s = {
    .opts = GK_OPTIONS_INIT, .mps = empty_vector,
    .dir_cache_timeout = -1, .ready_fd = -1,
  };
  guestfs_h *g;
  int qemu, r;

  gk_init_program ("guestmount-all");
  parse_options (argc, argv, &s);
  check_mountpoint (&s);
  check_fuse_device ();

  g = gk_handle_create ();
  /* Errors are reported once, by us; during the FUSE loop they are
   * errnos for the caller (ENOENT for every name ls looks up).
   */
  guestfs_set_error_handler (g, NULL, NULL);
  /* ^C in the terminal must reach us (to unmount and sync), not qemu. */
  if (guestfs_set_pgroup (g, 1) == -1)
    gk_error ("set_pgroup: %s", guestfs_last_error (g));
  add_disks (g, &s);

  daemon_start (s.no_fork);
  if (gk_launch (g) == -1)
    exit (EXIT_FAILURE);
  qemu = guestfs_get_pid (g);
  if (qemu > 0)
    gk_interrupt_add_child (qemu, -1);

  /* Without -i or -m, LUKS is opened while the devices are probed.
   * -m alone names its devices: they are looked for only if keys were
   * given (a probe of every device costs seconds under emulation).
   */
  if ((s.inspector || (s.mps.len > 0 && (s.opts.keys.len > 0 ||
                                         s.opts.keys_from_stdin))) &&
      gk_decrypt_luks (g, &s.opts) == -1) {
    gk_error_noexit ("opening the encrypted devices failed: %s",
                     guestfs_last_error (g));
    exit (EXIT_FAILURE);
  }
  if (mount_in_appliance (g, &s) == -1)
    exit (EXIT_FAILURE);

  r = serve (g, &s);
  if (qemu > 0)
    gk_interrupt_remove_child (qemu);
  if (finish (g, &s) == -1)
    r = -1;
  guestfs_close (g);

  string_vector_free_all (&s.mps);
  free (s.fuse_options);
  free (s.cpath);
  gk_options_free (&s.opts);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
