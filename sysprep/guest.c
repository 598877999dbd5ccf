/* virt-sysprep: the guest inside the appliance.
 *
 * Inspection's facts (appliance/inspect.h) decide which operations
 * apply; the guest is
 * mounted as its own fstab says (parents before children, with
 * --mount-options), and the helpers here are what the operations share:
 * glob removal and quiet probes.  Probes that may fail silence
 * libguestfs's error handler instead of printing and ignoring.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "sysprep.h"

void
guest_facts (struct guest *gu, const struct gk_os *os)
{
  gu->root = os->root;
  gu->type = xstrdup (os->type);
  gu->distro = xstrdup (os->distro);
  gu->package_format = xstrdup (os->package_format);
  gu->package_management = xstrdup (os->package_management);
  gu->major_version = os->major_version;
}

void
guest_free (struct guest *gu)
{
  free (gu->type);
  free (gu->distro);
  free (gu->package_format);
  free (gu->package_management);
}

ssize_t
disk_owner_of (guestfs_h *g, const struct disk_owners *d, const char *dev)
{
  ssize_t owner = gk_owner_of_device (dev, d->spans, d->n);

  if (owner < 0 && STRPREFIX (dev, "/dev/md"))
    owner = gk_owner_of_md (g, dev, d->spans, d->n);
  if (owner < 0)
    owner = gk_owner_of_lv (g, dev, &d->pv_owners);
  return owner;
}

bool
guest_owns_device (const struct guest *gu, const char *dev)
{
  ssize_t owner;

  if (gu->owners == NULL)
    return true;
  owner = disk_owner_of (gu->g, gu->owners, dev);
  return owner >= 0 && (size_t) owner == gu->index;
}

bool
guest_owns_vg (const struct guest *gu, const char *vg)
{
  const struct disk_owners *d = gu->owners;
  ssize_t owner;

  if (d == NULL)
    return true;
  owner = gk_owner_of_vg (gu->g, vg, &d->pv_owners);
  return owner >= 0 && (size_t) owner == gu->index;
}

static bool
is_rh_family (const char *distro)
{
  static const char *const rh[] = {
    "fedora", "rhel", "centos", "scientificlinux", "redhat-based",
    "oraclelinux", "rocky", "almalinux", "circle", "kylin", NULL
  };

  for (size_t i = 0; rh[i]; ++i)
    if (STREQ (distro, rh[i]))
      return true;
  return false;
}

bool
guest_is (const struct guest *gu, enum op_guests which)
{
  switch (which) {
  case FOR_ALL: return true;
  case FOR_UNIX: return STRNEQ (gu->type, "windows");
  case FOR_LINUX: return STREQ (gu->type, "linux");
  case FOR_RH:
    return STREQ (gu->type, "linux") && is_rh_family (gu->distro);
  case FOR_RHEL:
    return STREQ (gu->type, "linux") &&
      (STREQ (gu->distro, "rhel") || STREQ (gu->distro, "redhat-based") ||
       STREQ (gu->distro, "centos"));
  case FOR_RPM: return STREQ (gu->package_format, "rpm");
  case FOR_YUM:
    return STREQ (gu->package_management, "yum") ||
      STREQ (gu->package_management, "dnf");
  }
  return false;
}

/* --mount-options "MP:OPTS;MP:OPTS": the options for mountpoint MP. */
static char *
mount_options_for (const char *mount_options, const char *mp)
{
  CLEANUP_FREE_STRING_LIST char **items = NULL;

  if (mount_options == NULL)
    return NULL;
  items = gk_split_string (';', mount_options);
  for (size_t i = 0; items[i]; ++i) {
    char *colon = strchr (items[i], ':');

    if (colon && (size_t) (colon - items[i]) == strlen (mp) &&
        STREQLEN (items[i], mp, colon - items[i]))
      return xstrdup (colon + 1);
  }
  return NULL;
}

int
guest_mount (guestfs_h *g, const struct gk_os *os, const char *mount_options)
{
  char *const *mps = os->mountpoints;
  size_t maxlen = 0;

  if (mps == NULL) {
    gk_error_noexit ("%s: %s", os->root, os->mountpoints_error);
    return -1;
  }
  for (size_t i = 0; mps[i]; i += 2)
    if (strlen (mps[i]) > maxlen)
      maxlen = strlen (mps[i]);
  /* A shorter mountpoint can never be below a longer one. */
  for (size_t len = 1; len <= maxlen; ++len) {
    for (size_t i = 0; mps[i]; i += 2) {
      CLEANUP_FREE char *opts = NULL;

      if (strlen (mps[i]) != len)
        continue;
      opts = mount_options_for (mount_options, mps[i]);
      guestfs_push_error_handler (g, NULL, NULL);
      if (guestfs_mount_options (g, opts ? opts : "", mps[i + 1],
                                 mps[i]) == -1) {
        /* Upstream carries on with what mounted: so do we, aloud. */
        gk_warning ("%s (%s) could not be mounted: %s", mps[i + 1], mps[i],
                    guestfs_last_error (g));
        if (STREQ (mps[i], "/")) {
          guestfs_pop_error_handler (g);
          gk_error_noexit ("the root filesystem %s could not be mounted",
                           mps[i + 1]);
          return -1;
        }
      }
      guestfs_pop_error_handler (g);
    }
  }
  return 0;
}

char **
guest_glob (guestfs_h *g, const char *glob)
{
  char **r = guestfs_glob_expand (g, glob);

  if (r == NULL)
    gk_error_noexit ("glob %s: %s", glob, guestfs_last_error (g));
  return r;
}

int
remove_globs (guestfs_h *g, const char *const *globs, enum op_remove mode)
{
  for (size_t i = 0; globs && globs[i]; ++i) {
    CLEANUP_FREE_STRING_LIST char **paths = guest_glob (g, globs[i]);

    if (paths == NULL)
      return -1;
    for (size_t j = 0; paths[j]; ++j) {
      int r;

      if (mode == REMOVE_TREES)
        r = guestfs_rm_rf (g, paths[j]);
      else if (guest_is_dir (g, paths[j]))
        continue;               /* files only: a directory stays */
      else
        r = guestfs_rm_f (g, paths[j]);
      if (guest_check (g, r, paths[j]) == -1)
        return -1;
    }
  }
  return 0;
}

static bool
quiet_bool (guestfs_h *g, int (*fn) (guestfs_h *, const char *),
            const char *path)
{
  int r;

  guestfs_push_error_handler (g, NULL, NULL);
  r = fn (g, path);
  guestfs_pop_error_handler (g);
  return r == 1;
}

bool
guest_is_file (guestfs_h *g, const char *path)
{
  return quiet_bool (g, guestfs_is_file, path);
}

bool
guest_is_dir (guestfs_h *g, const char *path)
{
  return quiet_bool (g, guestfs_is_dir, path);
}

bool
guest_exists (guestfs_h *g, const char *path)
{
  return quiet_bool (g, guestfs_exists, path);
}

char *
guest_read (guestfs_h *g, const char *path, size_t *size)
{
  char *r;
  size_t n;

  guestfs_push_error_handler (g, NULL, NULL);
  r = guestfs_read_file (g, path, &n);
  guestfs_pop_error_handler (g);
  if (r && size)
    *size = n;
  return r;
}

int
guest_write (guestfs_h *g, const char *path, const char *data, size_t size)
{
  return guest_check (g, guestfs_write (g, path, data, size), path);
}

int
guest_check (guestfs_h *g, int r, const char *what)
{
  if (r == -1) {
    const char *err = guestfs_last_error (g);

    gk_error_noexit ("%s: %s", what, err ? err : "unknown error");
  }
  return r == -1 ? -1 : 0;
}

int
guest_drop_lines (guestfs_h *g, const char *path,
                  bool (*drop) (const char *line, size_t len, void *opaque),
                  void *opaque)
{
  size_t size, outlen = 0;
  CLEANUP_FREE char *in = guest_read (g, path, &size);
  CLEANUP_FREE char *out = NULL;
  int dropped = 0;

  if (in == NULL)
    return 0;                   /* nothing to edit */
  out = xmalloc (size + 1);
  for (size_t pos = 0; pos < size; ) {
    const char *nl = memchr (in + pos, '\n', size - pos);
    size_t len = nl ? (size_t) (nl - (in + pos)) + 1 : size - pos;

    if (drop (in + pos, len, opaque))
      dropped++;
    else {
      memcpy (out + outlen, in + pos, len);
      outlen += len;
    }
    pos += len;
  }
  if (dropped && guest_write (g, path, out, outlen) == -1)
    return -1;
  return dropped;
}
