/* virt-df: is it safe for these guests to share one appliance?
 *
 * Disks of unrelated guests are independent, except for metadata that
 * the appliance's kernel and LVM treat as global: two guests cloned from
 * one template carry the same PV UUIDs and often the same VG names, and
 * btrfs refuses two filesystems with one UUID.  When that happens the
 * guests involved are rerun on their own; everybody else keeps the
 * results from the shared appliance.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "utils/vector.h"
#include "df.h"

ssize_t
df_guest_of_device (const char *dev, struct df_guest **guests, size_t n)
{
  ssize_t index;

  if (STRPREFIX (dev, "btrfsvol:"))
    dev += 9;
  /* LUKS mappings are named after their device (lib/keys.c). */
  if (STRPREFIX (dev, "/dev/mapper/crypt")) {
    CLEANUP_FREE char *inner = xasprintf ("/dev/%s", dev + 17);
    char *dash = strchr (inner + 5, '-');

    if (dash)
      *dash = '\0';             /* an LV name was folded in: sdX only */
    return df_guest_of_device (inner, guests, n);
  }
  index = df_device_index (dev);
  if (index < 0)
    return -1;
  for (size_t i = 0; i < n; ++i)
    if ((size_t) index >= guests[i]->first_index
        && (size_t) index < guests[i]->first_index + guests[i]->n_disks)
      return (ssize_t) i;
  return -1;
}

/* LVM prints UUIDs with dashes in some places (vgpvuuids, blkid) and
 * without in others (pvs_full's fixed 32-byte field): compare the 32
 * significant characters.
 */
static bool
lvm_uuid_eq (const char *a, const char *b32)
{
  size_t j = 0;

  for (; *a && j < 32; ++a) {
    if (*a == '-')
      continue;
    if (*a != b32[j++])
      return false;
  }
  return *a == '\0' && j == 32;
}

static void
mark (bool *conflict, ssize_t a, ssize_t b)
{
  if (a >= 0)
    conflict[a] = true;
  if (b >= 0)
    conflict[b] = true;
}

/* Same value of a property (PV UUID, btrfs UUID) on devices of two
 * different guests.
 */
struct owned_id {
  char *id;
  ssize_t owner;
};
DEFINE_VECTOR_TYPE (owned_id_list, struct owned_id);

static void
note_id (owned_id_list *ids, const char *id, ssize_t owner, bool *conflict)
{
  for (size_t i = 0; i < ids->len; ++i) {
    if (STREQ (ids->ptr[i].id, id)) {
      if (ids->ptr[i].owner != owner)
        mark (conflict, ids->ptr[i].owner, owner);
      return;
    }
  }
  owned_id_list_append (ids, (struct owned_id) { xstrdup (id), owner });
}

static void
free_ids (owned_id_list *ids)
{
  for (size_t i = 0; i < ids->len; ++i)
    free (ids->ptr[i].id);
  free (ids->ptr);
}

void
df_find_conflicts (guestfs_h *g, char **fses, struct df_guest **guests,
                   size_t n, bool *conflict)
{
  CLEANUP_FREE_LVM_PV_LIST struct guestfs_lvm_pv_list *pvs = NULL;
  CLEANUP_FREE_LVM_VG_LIST struct guestfs_lvm_vg_list *vgs = NULL;
  CLEANUP_FREE_STRING_LIST char **partitions = NULL;
  CLEANUP_FREE_STRING_LIST char **devices = NULL;
  owned_id_list pv_uuids = empty_vector, btrfs_uuids = empty_vector;
  owned_id_list vg_names = empty_vector;

  guestfs_push_error_handler (g, NULL, NULL);

  /* Every btrfs filesystem and LVM PV, by the UUID blkid reads from the
   * device itself: this sees cloned PVs that LVM hides (it shows only
   * one of two PVs with one UUID), and PVs are not in list_filesystems.
   */
  for (size_t i = 0; fses && fses[i]; i += 2) {
    CLEANUP_FREE char *uuid = NULL;

    if (STRNEQ (fses[i+1], "btrfs") || STRPREFIX (fses[i], "btrfsvol:"))
      continue;
    uuid = guestfs_vfs_uuid (g, fses[i]);
    if (uuid && *uuid)
      note_id (&btrfs_uuids, uuid, df_guest_of_device (fses[i], guests, n),
               conflict);
  }
  partitions = guestfs_list_partitions (g);
  devices = guestfs_list_devices (g);
  for (char **list = partitions; list; list = list == partitions
         ? devices : NULL) {
    for (size_t i = 0; list[i]; ++i) {
      CLEANUP_FREE char *type = guestfs_vfs_type (g, list[i]);
      CLEANUP_FREE char *uuid = NULL;

      if (type == NULL || STRNEQ (type, "LVM2_member"))
        continue;
      uuid = guestfs_vfs_uuid (g, list[i]);
      if (uuid && *uuid)
        note_id (&pv_uuids, uuid, df_guest_of_device (list[i], guests, n),
                 conflict);
    }
  }

  /* A VG whose PVs belong to two guests, or two VGs with one name. */
  pvs = guestfs_pvs_full (g);
  vgs = guestfs_vgs_full (g);
  for (size_t v = 0; vgs && v < vgs->len; ++v) {
    CLEANUP_FREE_STRING_LIST char **members =
      guestfs_vgpvuuids (g, vgs->val[v].vg_name);
    ssize_t vg_owner = -2;      /* -2: no PV seen yet */

    for (size_t m = 0; members && members[m]; ++m) {
      for (size_t p = 0; pvs && p < pvs->len; ++p) {
        ssize_t owner;

        if (!lvm_uuid_eq (members[m], pvs->val[p].pv_uuid))
          continue;
        owner = df_guest_of_device (pvs->val[p].pv_name, guests, n);
        if (vg_owner == -2)
          vg_owner = owner;
        else if (owner != vg_owner)
          mark (conflict, vg_owner, owner);
      }
    }
    note_id (&vg_names, vgs->val[v].vg_name, vg_owner, conflict);
  }

  guestfs_pop_error_handler (g);
  free_ids (&pv_uuids);
  free_ids (&btrfs_uuids);
  free_ids (&vg_names);
}

ssize_t
df_guest_of_lv (guestfs_h *g, const char *lv, struct df_guest **guests,
                size_t n)
{
  CLEANUP_FREE char *vg = NULL;
  CLEANUP_FREE_STRING_LIST char **members = NULL;
  CLEANUP_FREE_LVM_PV_LIST struct guestfs_lvm_pv_list *pvs = NULL;
  const char *slash;
  ssize_t owner = -1;

  if (!STRPREFIX (lv, "/dev/"))
    return -1;
  slash = strchr (lv + 5, '/');
  if (slash == NULL)
    return -1;
  vg = xstrndup (lv + 5, slash - (lv + 5));
  guestfs_push_error_handler (g, NULL, NULL);
  members = guestfs_vgpvuuids (g, vg);
  pvs = guestfs_pvs_full (g);
  guestfs_pop_error_handler (g);
  for (size_t p = 0; members && members[0] && pvs && p < pvs->len; ++p)
    if (lvm_uuid_eq (members[0], pvs->val[p].pv_uuid))
      owner = df_guest_of_device (pvs->val[p].pv_name, guests, n);
  return owner;
}
