/* guestkit: CLEANUP_* attributes for libguestfs handles and structs
 * (see utils/cleanups.h).
 */
#ifndef GUESTKIT_APPLIANCE_GFS_CLEANUPS_H
#define GUESTKIT_APPLIANCE_GFS_CLEANUPS_H

#define CLEANUP_GUESTFS_CLOSE \
  __attribute__ ((cleanup (gk_cleanup_guestfs_close)))
#define CLEANUP_FREE_STATVFS \
  __attribute__ ((cleanup (gk_cleanup_free_statvfs)))
#define CLEANUP_FREE_LVM_PV_LIST \
  __attribute__ ((cleanup (gk_cleanup_free_lvm_pv_list)))
#define CLEANUP_FREE_LVM_VG_LIST \
  __attribute__ ((cleanup (gk_cleanup_free_lvm_vg_list)))

extern void gk_cleanup_guestfs_close (void *ptr);
extern void gk_cleanup_free_statvfs (void *ptr);
extern void gk_cleanup_free_lvm_pv_list (void *ptr);
extern void gk_cleanup_free_lvm_vg_list (void *ptr);

#endif /* GUESTKIT_APPLIANCE_GFS_CLEANUPS_H */
