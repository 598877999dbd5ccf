/* guestkit: which guest owns a device of a shared appliance, and
 * which guests must not share one (owners.h).
 *
 * Disks of unrelated guests are independent, except for metadata that
 * the appliance's kernel and LVM treat as global: two guests cloned from
 * one template carry the same PV UUIDs and often the same VG names, and
 * btrfs refuses two filesystems with one UUID.
 */
#include <config.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "utils/vector.h"
#include "owners.h"

#define DISK_PREFIX "/dev/sd"

/* "/dev/sdc3" -> 2; letters count like spreadsheet columns (sdaa = 26).
 * Sets *REST to what follows the letters.  -1 if DEV is not a disk.
 */
static ssize_t
parse_disk (const char *dev, const char **rest)
{
  const char *p;
  size_t n = 0;

  if (!STRPREFIX (dev, DISK_PREFIX))
    return -1;
  p = dev + strlen (DISK_PREFIX);
  if (!islower ((unsigned char) *p))
    return -1;
  for (; islower ((unsigned char) *p); ++p)
    n = n * 26 + (size_t) (*p - 'a' + 1);
  if (*p != '\0' && !isdigit ((unsigned char) *p) && *p != '/')
    return -1;
  *rest = p;
  return (ssize_t) n - 1;
}

ssize_t
gk_device_index (const char *dev, const char **rest)
{
  const char *ignored;

  return parse_disk (dev, rest ? rest : &ignored);
}

char *
gk_device_name (size_t index)
{
  char letters[16];
  size_t i = sizeof letters - 1;

  letters[i] = '\0';
  index++;
  do {
    index--;
    letters[--i] = 'a' + index % 26;
    index /= 26;
  } while (index > 0 && i > 0);
  return xasprintf (DISK_PREFIX "%s", &letters[i]);
}

ssize_t
gk_owner_of_device (const char *dev, const struct gk_disk_span *spans,
                    size_t n)
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
    return gk_owner_of_device (inner, spans, n);
  }
  index = gk_device_index (dev, NULL);
  if (index < 0)
    return -1;
  for (size_t i = 0; i < n; ++i)
    if ((size_t) index >= spans[i].first
        && (size_t) index < spans[i].first + spans[i].n)
      return (ssize_t) i;
  return -1;
}

/* LVM prints UUIDs with dashes in some places (vgpvuuids, blkid) and
 * without in others: compare them without.
 */
static char *
lvm_uuid_key (const char *uuid)
{
  char *key = xmalloc (strlen (uuid) + 1), *k = key;

  for (; *uuid; ++uuid)
    if (*uuid != '-')
      *k++ = *uuid;
  *k = '\0';
  return key;
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

static void
note_id (gk_owned_id_list *ids, const char *id, ssize_t owner, bool *conflict)
{
  for (size_t i = 0; i < ids->len; ++i) {
    if (STREQ (ids->ptr[i].id, id)) {
      if (ids->ptr[i].owner != owner)
        mark (conflict, ids->ptr[i].owner, owner);
      return;
    }
  }
  gk_owned_id_list_append (ids,
                           (struct gk_owned_id) { xstrdup (id), owner });
}

static void
free_ids (gk_owned_id_list *ids)
{
  for (size_t i = 0; i < ids->len; ++i)
    free (ids->ptr[i].id);
  free (ids->ptr);
  ids->ptr = NULL;
  ids->len = ids->cap = 0;
}

void
gk_owned_ids_free (gk_owned_id_list *ids)
{
  free_ids (ids);
}

static ssize_t
owner_of_pv (const gk_owned_id_list *pv_owners, const char *uuid)
{
  CLEANUP_FREE char *key = lvm_uuid_key (uuid);

  for (size_t i = 0; i < pv_owners->len; ++i)
    if (STREQ (pv_owners->ptr[i].id, key))
      return pv_owners->ptr[i].owner;
  return -1;
}

/* Every LVM PV of the appliance (in FSES, the filesystem probe's
 * device and type pairs, which include PVs inside opened LUKS
 * devices) by the UUID blkid reads from the device itself, under the
 * device names libguestfs gives (in the order the disks were added:
 * the kernel's own sdX names may differ, so LVM's pv_name cannot be
 * trusted to tell the guest).  This also sees cloned PVs that LVM
 * hides (it shows only one of two PVs with one UUID).
 */
static void
find_pv_owners (guestfs_h *g, char **fses, const struct gk_disk_span *spans,
                size_t n, gk_owned_id_list *pv_owners, bool *conflict)
{
  for (size_t i = 0; fses && fses[i]; i += 2) {
    CLEANUP_FREE char *uuid = NULL;
    CLEANUP_FREE char *key = NULL;

    if (STRNEQ (fses[i+1], "LVM2_member"))
      continue;
    uuid = guestfs_vfs_uuid (g, fses[i]);
    if (uuid == NULL || *uuid == '\0')
      continue;
    key = lvm_uuid_key (uuid);
    note_id (pv_owners, key, gk_owner_of_device (fses[i], spans, n),
             conflict);
  }
}

void
gk_find_conflicts (guestfs_h *g, char **fses,
                   const struct gk_disk_span *spans, size_t n,
                   bool *conflict, gk_owned_id_list *pv_owners)
{
  CLEANUP_FREE_LVM_VG_LIST struct guestfs_lvm_vg_list *vgs = NULL;
  gk_owned_id_list btrfs_uuids = empty_vector, vg_names = empty_vector;

  guestfs_push_error_handler (g, NULL, NULL);

  /* Every btrfs filesystem, by the UUID blkid reads from the device. */
  for (size_t i = 0; fses && fses[i]; i += 2) {
    CLEANUP_FREE char *uuid = NULL;

    if (STRNEQ (fses[i+1], "btrfs") || STRPREFIX (fses[i], "btrfsvol:"))
      continue;
    uuid = guestfs_vfs_uuid (g, fses[i]);
    if (uuid && *uuid)
      note_id (&btrfs_uuids, uuid, gk_owner_of_device (fses[i], spans, n),
               conflict);
  }
  find_pv_owners (g, fses, spans, n, pv_owners, conflict);

  /* A VG whose PVs belong to two guests, or two VGs with one name. */
  vgs = guestfs_vgs_full (g);
  for (size_t v = 0; vgs && v < vgs->len; ++v) {
    CLEANUP_FREE_STRING_LIST char **members =
      guestfs_vgpvuuids (g, vgs->val[v].vg_name);
    ssize_t vg_owner = -2;      /* -2: no PV seen yet */

    for (size_t m = 0; members && members[m]; ++m) {
      ssize_t owner = owner_of_pv (pv_owners, members[m]);

      if (vg_owner == -2)
        vg_owner = owner;
      else if (owner != vg_owner)
        mark (conflict, vg_owner, owner);
    }
    note_id (&vg_names, vgs->val[v].vg_name, vg_owner, conflict);
  }

  guestfs_pop_error_handler (g);
  free_ids (&btrfs_uuids);
  free_ids (&vg_names);
}

ssize_t
gk_owner_of_vg (guestfs_h *g, const char *vg,
                const gk_owned_id_list *pv_owners)
{
  CLEANUP_FREE_STRING_LIST char **members = NULL;

  guestfs_push_error_handler (g, NULL, NULL);
  members = guestfs_vgpvuuids (g, vg);
  guestfs_pop_error_handler (g);
  return members && members[0] ? owner_of_pv (pv_owners, members[0]) : -1;
}

ssize_t
gk_owner_of_lv (guestfs_h *g, const char *lv,
                const gk_owned_id_list *pv_owners)
{
  CLEANUP_FREE char *vg = NULL;
  const char *slash;

  if (!STRPREFIX (lv, "/dev/"))
    return -1;
  slash = strchr (lv + 5, '/');
  if (slash == NULL)
    return -1;
  vg = xstrndup (lv + 5, slash - (lv + 5));
  return gk_owner_of_vg (g, vg, pv_owners);
}

/* An MD or filesystem UUID as hex digits only, lower case: mdadm
 * prints "0a1b2c3d:..." and blkid "0a1b2c3d-...".
 */
static char *
uuid_digits (const char *uuid)
{
  char *out = xmalloc (strlen (uuid) + 1), *q = out;

  for (const char *p = uuid; *p; ++p)
    if (isxdigit ((unsigned char) *p))
      *q++ = tolower ((unsigned char) *p);
  *q = '\0';
  return out;
}

static char *
md_uuid (guestfs_h *g, const char *md)
{
  CLEANUP_FREE_STRING_LIST char **detail = NULL;

  guestfs_push_error_handler (g, NULL, NULL);
  detail = guestfs_md_detail (g, md);
  guestfs_pop_error_handler (g);
  for (size_t i = 0; detail && detail[i] && detail[i + 1]; i += 2)
    if (STREQ (detail[i], "uuid"))
      return uuid_digits (detail[i + 1]);
  return NULL;
}

/* The span owning MEMBER, an array member as /proc/mdstat names it.
 * Those are the appliance kernel's names, which libguestfs does not
 * translate: under load its disks may be probed out of order, so
 * /proc/mdstat's sda4 can be what every other call names sdb4.  Only
 * the disk letter can differ, so the partition with the same suffix on
 * each disk whose RAID member UUID is the array's is the member; more
 * than one (clones) is no answer.
 */
static ssize_t
owner_of_member (guestfs_h *g, const char *member, const char *uuid,
                 const struct gk_disk_span *spans, size_t n)
{
  CLEANUP_FREE char *dev = STRPREFIX (member, "/dev/") ? xstrdup (member)
    : xasprintf ("/dev/%s", member);
  const char *suffix;
  ssize_t owner = -1;

  if (gk_device_index (dev, &suffix) < 0)
    return -1;
  for (size_t i = 0; i < n; ++i)
    for (size_t k = spans[i].first; k < spans[i].first + spans[i].n; ++k) {
      CLEANUP_FREE char *disk = gk_device_name (k);
      CLEANUP_FREE char *candidate = xasprintf ("%s%s", disk, suffix);
      CLEANUP_FREE char *found = NULL;
      CLEANUP_FREE char *digits = NULL;

      guestfs_push_error_handler (g, NULL, NULL);
      found = guestfs_vfs_uuid (g, candidate);
      guestfs_pop_error_handler (g);
      if (found == NULL)
        continue;
      digits = uuid_digits (found);
      if (STRNEQ (digits, uuid))
        continue;
      if (owner >= 0 && (size_t) owner != i)
        return -1;
      owner = (ssize_t) i;
    }
  return owner;
}

ssize_t
gk_owner_of_md (guestfs_h *g, const char *md, const struct gk_disk_span *spans,
                size_t n)
{
  struct guestfs_mdstat_list *members;
  CLEANUP_FREE char *uuid = md_uuid (g, md);
  ssize_t owner = -1;

  if (uuid == NULL || *uuid == '\0')
    return -1;
  guestfs_push_error_handler (g, NULL, NULL);
  members = guestfs_md_stat (g, md);
  guestfs_pop_error_handler (g);
  if (members == NULL)
    return -1;
  for (size_t i = 0; i < members->len; ++i) {
    ssize_t o = owner_of_member (g, members->val[i].mdstat_device, uuid,
                                 spans, n);

    if (o < 0 || (i > 0 && o != owner)) {
      owner = -1;
      break;
    }
    owner = o;
  }
  guestfs_free_mdstat_list (members);
  return owner;
}
