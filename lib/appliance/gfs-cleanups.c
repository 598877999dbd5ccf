/* guestkit: the functions behind the libguestfs CLEANUP_* attributes. */
#include <config.h>

#include <stdlib.h>

#include <stddef.h>
#include <stdint.h>

#include <guestfs.h>

#include "utils/cleanups.h"

void
gk_cleanup_guestfs_close (void *ptr)
{
  guestfs_h *g = *(guestfs_h **) ptr;

  if (g)
    guestfs_close (g);
}

void
gk_cleanup_free_statvfs (void *ptr)
{
  guestfs_free_statvfs (*(struct guestfs_statvfs **) ptr);
}

void
gk_cleanup_free_lvm_pv_list (void *ptr)
{
  struct guestfs_lvm_pv_list *l = *(struct guestfs_lvm_pv_list **) ptr;

  if (l)
    guestfs_free_lvm_pv_list (l);
}

void
gk_cleanup_free_lvm_vg_list (void *ptr)
{
  struct guestfs_lvm_vg_list *l = *(struct guestfs_lvm_vg_list **) ptr;

  if (l)
    guestfs_free_lvm_vg_list (l);
}


void
gk_cleanup_free_btrfssubvolume_list (void *ptr)
{
  struct guestfs_btrfssubvolume_list *l =
    *(struct guestfs_btrfssubvolume_list **) ptr;

  if (l)
    guestfs_free_btrfssubvolume_list (l);
}
