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
  string_vector pairs;          /* device, type, device, type... */
  int mapped;                   /* LUKS volumes opened */
};

/* Adds DEV and its content type; a LUKS device is opened with the
 * user's keys and its volume added instead.
 */
static void
probe_device (struct probe *p, const char *dev)
{
  char *type;

  guestfs_push_error_handler (p->g, NULL, NULL);
  type = guestfs_vfs_type (p->g, dev);
  guestfs_pop_error_handler (p->g);
  if (type == NULL || type[0] == '\0') {
    free (type);
    type = xstrdup ("unknown");
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
probe_lvs (struct probe *p)
{
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
  CLEANUP_FREE_STRING_LIST char **devices = guestfs_list_devices (g);
  CLEANUP_FREE_STRING_LIST char **parts = guestfs_list_partitions (g);
  CLEANUP_FREE_STRING_LIST char **mds = NULL;
  struct probe p = { g, opts, empty_vector, 0 };

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
  if (probe_lvs (&p) == -1)
    goto error;
  qsort (p.pairs.ptr, p.pairs.len / 2, 2 * sizeof (char *), compare_first);
  string_vector_append (&p.pairs, NULL);
  return p.pairs.ptr;

 error:
  gk_error_noexit ("cannot list the guest's devices: %s",
                   guestfs_last_error (g));
  string_vector_free_all (&p.pairs);
  return NULL;
}
