/* guestkit: the devices of a launched appliance that may hold a
 * filesystem (see filesystems.h for why not list_filesystems).
 *
 * One vfs_type per device is the whole cost: a partitioned disk is not
 * looked at (its partitions are), and LUKS devices are opened on the
 * way, so a tool needs no separate pass over every device for them.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "appliance/filesystems.h"
#include "appliance/luks.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/vector.h"

struct probe {
  guestfs_h *g;
  const struct gk_options *opts;
  const struct gk_known_devices *known; /* may be NULL */
  string_vector pairs;          /* device, type, device, type... */
  int mapped;                   /* LUKS volumes opened */
  bool surprise;                /* the appliance found a container the
                                   host did not know about */
};

/* DEV's type as the host found it, or NULL. */
static const char *
known_type (const struct probe *p, const char *dev)
{
  if (p->known == NULL || p->known->types == NULL)
    return NULL;
  for (size_t i = 0; p->known->types[i] && p->known->types[i + 1]; i += 2)
    if (STREQ (p->known->types[i], dev))
      return p->known->types[i + 1];
  return NULL;
}

static bool
is_container (const char *type)
{
  return STREQ (type, "LVM2_member") || STREQ (type, "linux_raid_member") ||
         STREQ (type, "crypto_LUKS");
}

/* Adds DEV and its content type; a LUKS device is opened with the
 * user's keys and its volume added instead.
 */
static void
probe_device (struct probe *p, const char *dev)
{
  const char *known = known_type (p, dev);
  char *type;

  if (known)
    type = xstrdup (known);
  else {
    guestfs_push_error_handler (p->g, NULL, NULL);
    type = guestfs_vfs_type (p->g, dev);
    guestfs_pop_error_handler (p->g);
    if (type == NULL || type[0] == '\0') {
      free (type);
      type = xstrdup ("unknown");
    }
    p->surprise |= p->known != NULL && is_container (type);
  }
  if (STREQ (type, "crypto_LUKS")) {
    CLEANUP_FREE char *volume = gk_luks_open (p->g, p->opts, dev);

    if (volume) {
      free (type);
      p->mapped++;
      probe_device (p, volume);
      return;
    }
  }
  string_vector_append (&p->pairs, xstrdup (dev));
  string_vector_append (&p->pairs, type);
}

static bool
seen (const struct probe *p, const char *dev)
{
  for (size_t i = 0; i < p->pairs.len; i += 2)
    if (STREQ (p->pairs.ptr[i], dev))
      return true;
  return false;
}

/* The LVs, once more after a LUKS volume was opened (LVM inside it
 * shows up only after a rescan), until no new volume appears.
 */
static int
probe_lvs (struct probe *p, bool have_mds)
{
  if (p->known && p->known->lvs && !p->mapped && !p->surprise &&
      !have_mds) {
    for (size_t i = 0; p->known->lvs[i]; ++i)
      probe_device (p, p->known->lvs[i]);
    if (!p->mapped && !p->surprise)
      return 0;
    /* A LUKS volume (or some container) inside an LV: LVM is asked as
     * usual, after a rescan for what the volume holds.
     */
    if (p->mapped && guestfs_lvm_scan (p->g, 1) == -1)
      return -1;
  }
  for (;;) {
    CLEANUP_FREE_STRING_LIST char **lvs = guestfs_lvs (p->g);
    int mapped = p->mapped;

    if (lvs == NULL)
      return -1;
    for (size_t i = 0; lvs[i]; ++i)
      if (!seen (p, lvs[i]))
        probe_device (p, lvs[i]);
    if (p->mapped == mapped)
      return 0;
    if (guestfs_lvm_scan (p->g, 1) == -1)
      return -1;
  }
}

/* Pairs (device, type) by device. */
static int
compare_first (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

char **
gk_find_filesystems (guestfs_h *g, const struct gk_options *opts)
{
  return gk_find_filesystems_known (g, opts, NULL);
}

char **
gk_find_filesystems_known (guestfs_h *g, const struct gk_options *opts,
                           struct gk_known_devices *known)
{
  CLEANUP_FREE_STRING_LIST char **devices = guestfs_list_devices (g);
  CLEANUP_FREE_STRING_LIST char **parts = guestfs_list_partitions (g);
  CLEANUP_FREE_STRING_LIST char **mds = NULL;
  struct probe p = { g, opts, known, empty_vector, 0, false };

  if (devices == NULL || parts == NULL)
    goto error;
  /* A whole disk holds a filesystem only if it has no partitions. */
  for (size_t i = 0; devices[i]; ++i) {
    size_t len = strlen (devices[i]);
    bool partitioned = false;

    for (size_t j = 0; parts[j] && !partitioned; ++j)
      partitioned = STREQLEN (parts[j], devices[i], len);
    if (!partitioned)
      probe_device (&p, devices[i]);
  }
  for (size_t i = 0; parts[i]; ++i)
    probe_device (&p, parts[i]);
  guestfs_push_error_handler (g, NULL, NULL);
  mds = guestfs_list_md_devices (g);
  guestfs_pop_error_handler (g);
  for (size_t i = 0; mds && mds[i]; ++i)
    probe_device (&p, mds[i]);
  /* LVM inside LUKS shows up once the volumes are open. */
  if (p.mapped > 0 && guestfs_lvm_scan (g, 1) == -1)
    goto error;
  if (probe_lvs (&p, mds && mds[0]) == -1)
    goto error;
  if (known)
    known->lvs_used = known->lvs && !p.mapped && !p.surprise &&
                      !(mds && mds[0]);
  qsort (p.pairs.ptr, p.pairs.len / 2, 2 * sizeof (char *), compare_first);
  string_vector_append (&p.pairs, NULL);
  return p.pairs.ptr;

 error:
  gk_error_noexit ("cannot list the guest's devices: %s",
                   guestfs_last_error (g));
  string_vector_free_all (&p.pairs);
  return NULL;
}
