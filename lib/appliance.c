/* guestkit: handles, drives and launch. */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appliance.h"
#include "cleanups.h"
#include "gk-strings.h"
#include "kvm-probe.h"
#include "messages.h"
#include "tmpfiles.h"

static pthread_mutex_t kvm_lock = PTHREAD_MUTEX_INITIALIZER;
static bool kvm_checked, kvm_broken, kvm_warned;

/* Decided once per process: probing is cheap thanks to the cache, but the
 * warning must appear once even when many handles are created.
 */
static bool
kvm_is_broken (guestfs_h *g)
{
  pthread_mutex_lock (&kvm_lock);
  if (!kvm_checked) {
    CLEANUP_FREE char *hv = guestfs_get_hv (g);

    kvm_checked = true;
    kvm_broken = hv && gk_kvm_state (hv) == GK_KVM_BROKEN;
  }
  pthread_mutex_unlock (&kvm_lock);
  return kvm_broken;
}

/* Said when an appliance really starts, not when a handle is made: a
 * command line that fails its own checks (a missing disk) should print
 * just that error.
 */
static void
warn_if_kvm_broken (void)
{
  pthread_mutex_lock (&kvm_lock);
  /* -q silences it: cron jobs on such a host would mail it every run. */
  if (kvm_broken && !kvm_warned && !gk_quiet) {
    kvm_warned = true;
    gk_warning ("KVM is present on this host but qemu cannot use it; "
                "falling back to software emulation, which is slower");
  }
  pthread_mutex_unlock (&kvm_lock);
}

static bool
force_tcg_already_set (guestfs_h *g)
{
  CLEANUP_FREE_STRING_LIST char **settings = NULL;

  guestfs_push_error_handler (g, NULL, NULL);
  settings = guestfs_get_backend_settings (g);
  guestfs_pop_error_handler (g);
  return settings && gk_string_list_contains (settings, "force_tcg");
}

/* libguestfs keeps its overlays and sockets in temporary directories
 * that only guestfs_close removes; a tool killed by ^C would leave them
 * behind.  Putting them inside our own temporary directory lets the
 * signal handler remove them too.  The socket directory cannot be
 * chosen (see register_socket_dir).
 */
static void
contain_temporary_files (guestfs_h *g)
{
  const char *dir = gk_tmpdir ();
  const char *cachedir = getenv ("LIBGUESTFS_CACHEDIR");

  if (guestfs_set_tmpdir (g, dir) == -1)
    gk_error ("could not set the temporary directory");
  /* The appliance cache is not temporary: by default libguestfs puts it
   * in $TMPDIR, so a private TMPDIR would rebuild it (~10 s) every run
   * and leave it behind.
   */
  if (cachedir == NULL || *cachedir == '\0')
    cachedir = "/var/tmp";
  if (guestfs_set_cachedir (g, cachedir) == -1)
    gk_error ("could not set the appliance cache directory");
}

guestfs_h *
gk_handle_create (void)
{
  guestfs_h *g = guestfs_create ();

  if (g == NULL)
    gk_error ("could not create the libguestfs handle");
  contain_temporary_files (g);
  if (gk_verbose)
    guestfs_set_verbose (g, 1);
  if (gk_trace)
    guestfs_set_trace (g, 1);

  if (!force_tcg_already_set (g) && kvm_is_broken (g)) {
    if (guestfs_set_backend_setting (g, "force_tcg", "1") == -1)
      gk_error ("could not select software emulation");
  }
  return g;
}

/* Checks on a local image that turn qemu's late, multi-line failures
 * into one early line.  NAME is what the user calls the disk.
 */
static int
check_local_image (guestfs_h *g, const char *name, const char *path,
                   const char *format)
{
  struct stat st;
  CLEANUP_FREE char *detected = NULL;

  if (stat (path, &st) == -1) {
    gk_error_noexit ("%s: %s", name, strerror (errno));
    return -1;
  }
  if (S_ISDIR (st.st_mode)) {
    gk_error_noexit ("%s: is a directory, not a disk image", name);
    return -1;
  }
  if (access (path, R_OK) == -1) {
    gk_error_noexit ("%s: %s", name, strerror (errno));
    return -1;
  }
  if (S_ISREG (st.st_mode) && st.st_size == 0) {
    gk_error_noexit ("%s: the disk image is empty (0 bytes)", name);
    return -1;
  }
  if (!S_ISREG (st.st_mode))
    return 0;                   /* block devices: qemu knows best */

  guestfs_push_error_handler (g, NULL, NULL);
  detected = guestfs_disk_format (g, path);
  guestfs_pop_error_handler (g);
  if (detected == NULL) {
    gk_error_noexit ("%s: cannot read the disk image: %s", name,
                     guestfs_last_error (g) ? guestfs_last_error (g)
                     : "unknown error");
    return -1;
  }
  /* Only formats qemu recognises by their header can be contradicted:
   * any file can be read as raw.
   */
  if (format && STRNEQ (format, "raw") && STRNEQ (detected, format)) {
    gk_error_noexit ("%s: --format %s was given, but the image is %s",
                     name, format, STREQ (detected, "unknown")
                     ? "not in any known format" : detected);
    return -1;
  }
  if (STREQ (detected, "qcow2") && (format == NULL || STREQ (format, "qcow2"))
      && gk_check_qcow2 (name, path) == -1)
    return -1;
  return 0;
}

int
gk_check_drive (guestfs_h *g, const struct gk_drive *d)
{
  if (d->type == GK_DRIVE_FILE)
    return check_local_image (g, d->arg, d->path, d->format);
  return 0;
}

void
gk_domain_disk_as_drive (const struct gk_domain_disk *disk,
                         struct gk_drive *d)
{
  memset (d, 0, sizeof *d);
  d->arg = disk->path;
  d->path = disk->path;
  d->format = disk->format;
  if (disk->source == GK_DISK_NETWORK) {
    d->type = GK_DRIVE_URI;
    d->protocol = disk->protocol;
    d->servers = disk->servers;
    d->username = disk->username;
  }
  else
    d->type = GK_DRIVE_FILE;
}

int
gk_add_drive (guestfs_h *g, const struct gk_drive *d, bool read_only)
{
  struct guestfs_add_drive_opts_argv optargs = {
    .bitmask = GUESTFS_ADD_DRIVE_OPTS_READONLY_BITMASK,
    .readonly = read_only,
  };

  if (d->format) {
    optargs.bitmask |= GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK;
    optargs.format = d->format;
  }
  if (d->cachemode) {
    optargs.bitmask |= GUESTFS_ADD_DRIVE_OPTS_CACHEMODE_BITMASK;
    optargs.cachemode = d->cachemode;
  }
  if (d->blocksize) {
    optargs.bitmask |= GUESTFS_ADD_DRIVE_OPTS_BLOCKSIZE_BITMASK;
    optargs.blocksize = d->blocksize;
  }
  if (gk_check_drive (g, d) == -1)
    return -1;
  switch (d->type) {
  case GK_DRIVE_FILE:
    break;
  case GK_DRIVE_URI:
    optargs.bitmask |= GUESTFS_ADD_DRIVE_OPTS_PROTOCOL_BITMASK;
    optargs.protocol = d->protocol;
    if (d->servers && d->servers[0]) {
      optargs.bitmask |= GUESTFS_ADD_DRIVE_OPTS_SERVER_BITMASK;
      optargs.server = d->servers;
    }
    if (d->username) {
      optargs.bitmask |= GUESTFS_ADD_DRIVE_OPTS_USERNAME_BITMASK;
      optargs.username = d->username;
    }
    break;
  case GK_DRIVE_DOMAIN:
    gk_error_noexit ("internal error: gk_add_drive called for a domain");
    return -1;
  }
  if (guestfs_add_drive_opts_argv (g, d->path, &optargs) == -1)
    return -1;
  return 0;
}

int
gk_add_domain (guestfs_h *g, const struct gk_domain *dom, bool read_only)
{
  int n = 0;

  if (!read_only && dom->active) {
    gk_error_noexit ("domain ‘%s’ is running: writing to the disks of a "
                     "running virtual machine would corrupt them; shut it "
                     "down first", dom->name);
    return -1;
  }
  for (size_t i = 0; i < dom->disks.len; ++i) {
    const struct gk_domain_disk *disk = &dom->disks.ptr[i];
    struct gk_drive d;
    /* A disk the domain itself may not write stays read-only. */
    bool ro = read_only || disk->readonly;

    gk_domain_disk_as_drive (disk, &d);
    if (gk_add_drive (g, &d, ro) == -1)
      return -1;
    n++;
  }
  return n;
}

int
gk_add_drives (guestfs_h *g, const struct gk_options *opts, bool read_only)
{
  for (size_t i = 0; i < opts->drives.len; ++i) {
    const struct gk_drive *d = &opts->drives.ptr[i];

    if (d->type == GK_DRIVE_DOMAIN) {
      struct gk_domain dom = { 0 };
      CLEANUP_FREE char *errmsg = NULL;
      int r;

      if (gk_libvirt_get_domain (opts->libvirt_uri, d->arg, read_only,
                                 &dom, &errmsg) == -1) {
        gk_error_noexit ("%s", errmsg);
        return -1;
      }
      r = gk_add_domain (g, &dom, read_only);
      gk_domain_free (&dom);
      if (r == -1)
        return -1;
    }
    else if (gk_add_drive (g, d, read_only) == -1)
      return -1;
  }
  return 0;
}

/* libguestfs puts the appliance's socket in a directory of its own under
 * /tmp that no API names.  qemu's command line does, so once qemu runs
 * we register that directory for removal if we are killed.  (A signal
 * during the launch itself can still leave it behind.)
 */
static void
register_socket_dir (guestfs_h *g)
{
  CLEANUP_FREE char *path = NULL;
  CLEANUP_FCLOSE FILE *fp = NULL;
  char buf[8192];
  size_t n;
  int pid;

  guestfs_push_error_handler (g, NULL, NULL);
  pid = guestfs_get_pid (g);
  guestfs_pop_error_handler (g);
  if (pid <= 0)
    return;
  path = xasprintf ("/proc/%d/cmdline", pid);
  fp = fopen (path, "r");
  if (fp == NULL)
    return;
  n = fread (buf, 1, sizeof buf - 1, fp);
  buf[n] = '\0';
  for (size_t i = 0; i < n; i += strlen (buf + i) + 1) {
    const char *p = strstr (buf + i, "socket,path=");
    const char *end;

    if (p == NULL)
      continue;
    p += strlen ("socket,path=");
    end = strstr (p, "/guestfsd.sock");
    if (end && STRPREFIX (p, "/tmp/libguestfs")) {
      CLEANUP_FREE char *dir = xstrndup (p, end - p);

      gk_tmpfile_register (dir);
    }
  }
}

int
gk_launch (guestfs_h *g)
{
  int r;

  warn_if_kvm_broken ();
  /* libguestfs' own message is "see earlier error messages"; the detail
   * is in qemu's output, shown with -v.
   */
  guestfs_push_error_handler (g, NULL, NULL);
  r = guestfs_launch (g);
  guestfs_pop_error_handler (g);
  if (r == -1) {
    const char *err = guestfs_last_error (g);

    gk_error_noexit ("could not start the libguestfs appliance: %s%s",
                     err ? err : "unknown error",
                     gk_verbose ? "" : " (run with -v to see why)");
    return -1;
  }
  register_socket_dir (g);
  return 0;
}
