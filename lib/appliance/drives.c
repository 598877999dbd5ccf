/* guestkit: adding command-line drives and domain disks to a handle,
 * after host-side checks that turn qemu's late failures into one line.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appliance/drives.h"
#include "diskio/format.h"
#include "diskio/qcow2-check.h"
#include "libvirt/domain-xml.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"

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
    const char *err = guestfs_last_error (g);

    /* One line: libguestfs follows its reason with paragraphs of advice. */
    gk_error_noexit ("%s: cannot read the disk image: %.*s", name,
                     err ? (int) strcspn (err, "\n") : 13,
                     err ? err : "unknown error");
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

/* A URI whose format libguestfs would probe: probed here instead, with
 * qemu-img, whose one line says why the server cannot be reached
 * (libguestfs says "qemu-img info exited with error status 1" and a
 * paragraph of advice).
 */
static int
check_uri (const struct gk_drive *d)
{
  CLEANUP_FREE char *format = NULL;

  if (d->format)
    return 0;
  format = gk_image_detect_format (d->arg);
  return format ? 0 : -1;
}

int
gk_check_drive (guestfs_h *g, const struct gk_drive *d)
{
  if (d->type == GK_DRIVE_FILE)
    return check_local_image (g, d->arg, d->path, d->format);
  if (d->type == GK_DRIVE_URI)
    return check_uri (d);
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
  /* One line of ours, not libguestfs's reason and its advice. */
  guestfs_push_error_handler (g, NULL, NULL);
  if (guestfs_add_drive_opts_argv (g, d->path, &optargs) == -1) {
    const char *err = guestfs_last_error (g);
    CLEANUP_FREE char *reason =
      err ? xstrndup (err, strcspn (err, "\n")) : xstrdup ("unknown error");

    gk_error_noexit ("%s: %s", d->arg, reason);
    guestfs_pop_error_handler (g);
    return -1;
  }
  guestfs_pop_error_handler (g);
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
