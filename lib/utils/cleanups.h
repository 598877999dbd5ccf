/* guestkit: scope-based cleanup helpers.
 *
 * Every resource a function owns is declared with one of these, so an
 * early return cannot leak it and no function needs a goto ladder.
 */
#ifndef GUESTKIT_CLEANUPS_H
#define GUESTKIT_CLEANUPS_H

#include <stdio.h>

#define CLEANUP_FREE \
  __attribute__ ((cleanup (gk_cleanup_free)))
#define CLEANUP_FREE_STRING_LIST \
  __attribute__ ((cleanup (gk_cleanup_free_string_list)))
#define CLEANUP_CLOSE \
  __attribute__ ((cleanup (gk_cleanup_close)))
#define CLEANUP_FCLOSE \
  __attribute__ ((cleanup (gk_cleanup_fclose)))

extern void gk_cleanup_free (void *ptr);
extern void gk_cleanup_free_string_list (void *ptr);
extern void gk_cleanup_close (void *ptr);
extern void gk_cleanup_fclose (void *ptr);

/* Implemented by the layer that knows the type (appliance/gfs-cleanups.c
 * for libguestfs, libvirt/xml-cleanups.c for libxml2): the macros live
 * here so every CLEANUP_* is found in one place, and using one links
 * that layer's library.
 */
#define CLEANUP_GUESTFS_CLOSE \
  __attribute__ ((cleanup (gk_cleanup_guestfs_close)))
#define CLEANUP_FREE_STATVFS \
  __attribute__ ((cleanup (gk_cleanup_free_statvfs)))
#define CLEANUP_FREE_LVM_PV_LIST \
  __attribute__ ((cleanup (gk_cleanup_free_lvm_pv_list)))
#define CLEANUP_FREE_LVM_VG_LIST \
  __attribute__ ((cleanup (gk_cleanup_free_lvm_vg_list)))
#define CLEANUP_FREE_BTRFSSUBVOLUME_LIST \
  __attribute__ ((cleanup (gk_cleanup_free_btrfssubvolume_list)))
#define CLEANUP_XMLFREEDOC \
  __attribute__ ((cleanup (gk_cleanup_xmlFreeDoc)))
#define CLEANUP_XMLXPATHFREECONTEXT \
  __attribute__ ((cleanup (gk_cleanup_xmlXPathFreeContext)))
#define CLEANUP_XMLXPATHFREEOBJECT \
  __attribute__ ((cleanup (gk_cleanup_xmlXPathFreeObject)))
#define CLEANUP_XMLFREE \
  __attribute__ ((cleanup (gk_cleanup_xmlFree)))

extern void gk_cleanup_guestfs_close (void *ptr);
extern void gk_cleanup_free_statvfs (void *ptr);
extern void gk_cleanup_free_lvm_pv_list (void *ptr);
extern void gk_cleanup_free_lvm_vg_list (void *ptr);
extern void gk_cleanup_free_btrfssubvolume_list (void *ptr);
extern void gk_cleanup_xmlFreeDoc (void *ptr);
extern void gk_cleanup_xmlXPathFreeContext (void *ptr);
extern void gk_cleanup_xmlXPathFreeObject (void *ptr);
extern void gk_cleanup_xmlFree (void *ptr);

#endif /* GUESTKIT_CLEANUPS_H */
