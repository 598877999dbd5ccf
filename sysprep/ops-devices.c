/* virt-sysprep: the operations on devices, run once the guest's
 * filesystems are unmounted: new filesystem UUIDs (fs-uuids) and new
 * LVM PV and VG UUIDs (lvm-uuids).  With --per-disk, other guests
 * share the appliance: only the guest's own devices are touched.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "sysprep.h"

/* Off by default upstream too: the guest's fstab and boot loader may
 * name filesystems by UUID and are not updated.
 */
int
op_fs_uuids (struct guest *gu)
{
  CLEANUP_FREE_STRING_LIST char **fses = guestfs_list_filesystems (gu->g);

  if (fses == NULL)
    return guest_check (gu->g, -1, "list_filesystems");
  for (size_t i = 0; fses[i]; i += 2) {
    const char *dev = fses[i], *type = fses[i + 1];
    int r;

    if (STREQ (type, "swap") || STREQ (type, "unknown") ||
        strchr (dev, ':') ||    /* a btrfs subvolume */
        STREQ (type, "LVM2_member") || STREQ (type, "crypto_LUKS") ||
        !guest_owns_device (gu, dev))
      continue;
    guestfs_push_error_handler (gu->g, NULL, NULL);
    /* tune2fs changes the UUID of a metadata_csum filesystem only when
     * it was checked after its last mount (and we just mounted it).
     */
    r = guestfs_set_uuid_random (gu->g, dev);
    if (r == -1 && STRPREFIX (type, "ext") &&
        guestfs_e2fsck (gu->g, dev, GUESTFS_E2FSCK_CORRECT, 1, -1) == 0)
      r = guestfs_set_uuid_random (gu->g, dev);
    if (r == -1)
      gk_warning ("cannot set random UUID on filesystem %s type %s: %s",
                  dev, type, guestfs_last_error (gu->g));
    guestfs_pop_error_handler (gu->g);
  }
  return 0;
}

/* --per-disk: the guest's PVs (named as libguestfs names devices, in
 * the order the disks were added: LVM's own pv_name may differ) and
 * VGs, found before any UUID changes (the VGs are known by their PVs'
 * UUIDs).
 */
static int
lvm_uuids_own (struct guest *gu)
{
  char *const *fses = gu->owners->fses;
  CLEANUP_FREE_STRING_LIST char **vgs = guestfs_vgs (gu->g);
  string_vector own_vgs = empty_vector, own_pvs = empty_vector;
  int r = 0;

  if (vgs == NULL)
    return guest_check (gu->g, -1, "vgs");
  for (size_t i = 0; vgs[i]; ++i)
    if (guest_owns_vg (gu, vgs[i]))
      string_vector_append (&own_vgs, vgs[i]);
  for (size_t i = 0; fses && fses[i]; i += 2)
    if (STREQ (fses[i + 1], "LVM2_member") &&
        guest_owns_device (gu, fses[i]))
      string_vector_append (&own_pvs, fses[i]);
  if (own_pvs.len == 0 && own_vgs.len == 0)
    goto out;
  /* UUIDs change only on inactive VGs. */
  if (guest_check (gu->g, guestfs_vg_activate_all (gu->g, 0),
                   "vg_activate_all") == -1)
    r = -1;
  for (size_t i = 0; r == 0 && i < own_pvs.len; ++i)
    if (guest_check (gu->g, guestfs_pvchange_uuid (gu->g, own_pvs.ptr[i]),
                     "pvchange_uuid") == -1)
      r = -1;
  for (size_t i = 0; r == 0 && i < own_vgs.len; ++i)
    if (guest_check (gu->g, guestfs_vgchange_uuid (gu->g, own_vgs.ptr[i]),
                     "vgchange_uuid") == -1)
      r = -1;
  if (guest_check (gu->g, guestfs_vg_activate_all (gu->g, 1),
                   "vg_activate_all") == -1)
    r = -1;
 out:
  free (own_vgs.ptr);
  free (own_pvs.ptr);
  return r;
}

static int
lvm_uuids_all (struct guest *gu)
{
  CLEANUP_FREE_STRING_LIST char **pvs = guestfs_pvs (gu->g);

  if (pvs == NULL)
    return guest_check (gu->g, -1, "pvs");
  if (pvs[0] == NULL)
    return 0;
  /* UUIDs change only on inactive VGs. */
  if (guest_check (gu->g, guestfs_vg_activate_all (gu->g, 0),
                   "vg_activate_all") == -1 ||
      guest_check (gu->g, guestfs_pvchange_uuid_all (gu->g),
                   "pvchange_uuid_all") == -1 ||
      guest_check (gu->g, guestfs_vgchange_uuid_all (gu->g),
                   "vgchange_uuid_all") == -1 ||
      guest_check (gu->g, guestfs_vg_activate_all (gu->g, 1),
                   "vg_activate_all") == -1)
    return -1;
  return 0;
}

int
op_lvm_uuids (struct guest *gu)
{
  return gu->owners ? lvm_uuids_own (gu) : lvm_uuids_all (gu);
}
