/* guestkit: opening LUKS devices with the user's keys. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stddef.h>
#include <stdint.h>

#include <guestfs.h>

#include "appliance/luks.h"
#include "options/keys.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"

/* A device-mapper name for DEVICE: "/dev/sda2" -> "cryptsda2". */
static char *
map_name (const char *device)
{
  const char *base = STRPREFIX (device, "/dev/") ? device + 5 : device;
  char *name = xasprintf ("crypt%s", base);

  for (char *p = name; *p; ++p)
    if (*p == '/')
      *p = '-';
  return name;
}

char *
gk_luks_open (guestfs_h *g, const struct gk_options *opts,
              const char *device)
{
  CLEANUP_FREE char *uuid = NULL;
  CLEANUP_FREE char *mapname = NULL;
  CLEANUP_FREE_STRING_LIST char **keys = NULL;

  guestfs_push_error_handler (g, NULL, NULL);
  uuid = guestfs_luks_uuid (g, device);
  guestfs_pop_error_handler (g);
  keys = gk_keys_for_device (opts, device, uuid);
  if (keys[0] == NULL) {
    gk_warning ("%s is encrypted and no key was given for it (use --key "
                "%s:key:PASSPHRASE or --keys-from-stdin): skipping it",
                device, device);
    return NULL;
  }
  mapname = map_name (device);
  for (size_t i = 0; keys[i]; ++i) {
    int r;

    guestfs_push_error_handler (g, NULL, NULL);
    r = guestfs_cryptsetup_open (g, device, keys[i], mapname, -1);
    guestfs_pop_error_handler (g);
    explicit_bzero (keys[i], strlen (keys[i]));
    if (r == 0) {
      for (size_t j = i + 1; keys[j]; ++j)
        explicit_bzero (keys[j], strlen (keys[j]));
      return xasprintf ("/dev/mapper/%s", mapname);
    }
  }
  gk_warning ("could not open the encrypted device %s: none of the keys "
              "given for it is correct", device);
  return NULL;
}

static int
try_open (guestfs_h *g, const struct gk_options *opts, const char *device)
{
  CLEANUP_FREE char *type = NULL;
  CLEANUP_FREE char *mapped = NULL;

  guestfs_push_error_handler (g, NULL, NULL);
  type = guestfs_vfs_type (g, device);
  guestfs_pop_error_handler (g);
  if (type == NULL || STRNEQ (type, "crypto_LUKS"))
    return 0;
  mapped = gk_luks_open (g, opts, device);
  return mapped != NULL;
}

static int
open_all (guestfs_h *g, const struct gk_options *opts, char **devices)
{
  int opened = 0;

  for (size_t i = 0; devices && devices[i]; ++i) {
    int r = try_open (g, opts, devices[i]);

    if (r == -1)
      return -1;
    opened += r;
  }
  return opened;
}

int
gk_decrypt_luks (guestfs_h *g, const struct gk_options *opts)
{
  CLEANUP_FREE_STRING_LIST char **devices = guestfs_list_devices (g);
  CLEANUP_FREE_STRING_LIST char **partitions = guestfs_list_partitions (g);
  CLEANUP_FREE_STRING_LIST char **lvs = NULL;
  int opened = 0, r;

  if (devices == NULL || partitions == NULL)
    return -1;
  if ((r = open_all (g, opts, devices)) == -1)
    return -1;
  opened += r;
  if ((r = open_all (g, opts, partitions)) == -1)
    return -1;
  opened += r;
  /* LVM inside LUKS shows up only after a rescan; LUKS inside LVM is
   * found by looking at the LVs.
   */
  if (opened > 0 && guestfs_lvm_scan (g, 1) == -1)
    return -1;
  lvs = guestfs_lvs (g);
  if (lvs && (r = open_all (g, opts, lvs)) > 0) {
    opened += r;
    if (guestfs_lvm_scan (g, 1) == -1)
      return -1;
  }
  return opened;
}
