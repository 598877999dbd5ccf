/* virt-sparsify: the free extents of volume groups, released on the
 * host (copy mode).
 *
 * The appliance's way to release a VG's free space is a temporary LV
 * over all of it, discarded, then removed: three LVM commands, several
 * seconds under emulation.  In copy mode the overlay is ours alone
 * before the launch, so the VG metadata the host-side parsers read
 * (lib/ondisk) says which extents no LV uses, and those ranges are made
 * to read as zeroes in the overlay (qcow2 zero clusters), which the
 * copy then skips.
 *
 * Only what can be known exactly is done here: a VG whose every PV is
 * found on the disk (not inside LUKS or MD) with one consistent copy of
 * its metadata, whose LVs are all linear, and whose extents lie inside
 * their partitions.  Anything else is left to the appliance, which also
 * says "Fill free space in volgroup ..." in its place for the VGs done
 * here (release.c), so the messages keep upstream's order.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diskio/image.h"
#include "ondisk/content.h"
#include "ondisk/lvm-label.h"
#include "ondisk/lvm-metadata.h"
#include "ondisk/ptable.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "sparsify.h"

/* One PV found on the disk. */
struct found_pv {
  uint64_t offset, length;      /* its partition (or the whole disk) */
  struct gk_lvm_label label;
  struct gk_lvm_vg *vg;         /* its newest metadata (owned) */
};

DEFINE_VECTOR_TYPE (found_pv_vector, struct found_pv);

static void
found_pvs_free (found_pv_vector *pvs)
{
  for (size_t i = 0; i < pvs->len; ++i)
    gk_lvm_vg_free (pvs->ptr[i].vg);
  free (pvs->ptr);
}

static void
look_for_pv (struct gk_image *disk, uint64_t offset, uint64_t length,
             found_pv_vector *pvs)
{
  struct gk_content content;
  struct found_pv pv = { .offset = offset, .length = length };
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_content_probe (gk_image_pread_fn, disk, offset, length, &content,
                        &errmsg) == -1 || content.kind != GK_CONTENT_PV)
    return;
  if (gk_lvm_read_pv (gk_image_pread_fn, disk, offset, length, &pv.label,
                      &pv.vg, &errmsg) == -1 || pv.vg == NULL) {
    gk_debug ("host-side LVM: PV at byte %" PRIu64 ": %s", offset,
              errmsg ? errmsg : "no volume group");
    return;
  }
  found_pv_vector_append (pvs, pv);
}

/* The PV of VG's metadata entry MEMBER among those found, if exactly
 * one was found with the same VG identity and metadata sequence.
 */
static const struct found_pv *
find_member (const found_pv_vector *pvs, const struct gk_lvm_vg *vg,
             const struct gk_lvm_pv *member)
{
  const struct found_pv *found = NULL;

  for (size_t i = 0; i < pvs->len; ++i) {
    const struct found_pv *f = &pvs->ptr[i];

    if (STRNEQ (f->label.pv_id, member->id))
      continue;
    if (found || STRNEQ (f->vg->id, vg->id) || f->vg->seqno != vg->seqno)
      return NULL;
    found = f;
  }
  return found;
}

/* The free byte ranges of every PV of VG, as disk offsets, or -1 (with
 * the reason in -v) when any of them cannot be known exactly.
 */
static int
vg_free_ranges (const found_pv_vector *pvs, const struct gk_lvm_vg *vg,
                gk_lvm_range_vector *ranges)
{
  for (size_t i = 0; i < vg->pvs.len; ++i) {
    const struct gk_lvm_pv *member = &vg->pvs.ptr[i];
    const struct found_pv *f = find_member (pvs, vg, member);
    gk_lvm_range_vector pv_ranges = empty_vector;
    CLEANUP_FREE char *errmsg = NULL;

    if (f == NULL) {
      gk_debug ("host-side LVM: %s: PV %s is not on the disk (or is "
                "there twice, or its metadata differs)", vg->name,
                member->id);
      return -1;
    }
    if (gk_lvm_pv_free_ranges (vg, member, &pv_ranges, &errmsg) == -1) {
      gk_debug ("host-side LVM: %s: %s", vg->name, errmsg);
      return -1;
    }
    for (size_t j = 0; j < pv_ranges.len; ++j) {
      const struct gk_lvm_range *r = &pv_ranges.ptr[j];

      /* The extents come from the guest: they must lie inside the
       * partition that holds the PV.
       */
      if (r->start > f->length || r->len > f->length - r->start) {
        gk_debug ("host-side LVM: %s: free extents of PV %s lie past "
                  "its partition", vg->name, member->id);
        free (pv_ranges.ptr);
        return -1;
      }
      gk_lvm_range_vector_append (ranges, (struct gk_lvm_range) {
          f->offset + r->start, r->len });
    }
    free (pv_ranges.ptr);
  }
  return 0;
}

static bool
is_listed (const string_vector *names, const char *name)
{
  for (size_t i = 0; i < names->len; ++i)
    if (STREQ (names->ptr[i], name))
      return true;
  return false;
}

int
release_vgs_on_host (const char *overlay, const struct sparsify_options *o,
                     string_vector *done)
{
  found_pv_vector pvs = empty_vector;
  struct gk_ptable *table = NULL;
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_image *disk = gk_image_open (overlay, "qcow2", true);
  int ret = 0;

  if (disk == NULL)
    return -1;
  if (gk_ptable_read (gk_image_pread_fn, disk, gk_image_size (disk), &table,
                      &errmsg) == 0) {
    for (size_t i = 0; i < table->parts.len; ++i)
      if (!table->parts.ptr[i].extended)
        look_for_pv (disk, table->parts.ptr[i].start,
                     table->parts.ptr[i].size, &pvs);
    gk_ptable_free (table);
  }
  else
    look_for_pv (disk, 0, gk_image_size (disk), &pvs);

  for (size_t i = 0; i < pvs.len && ret == 0; ++i) {
    const struct gk_lvm_vg *vg = pvs.ptr[i].vg;
    gk_lvm_range_vector ranges = empty_vector;

    if (is_listed (done, vg->name) || is_listed (&o->ignores, vg->name) ||
        vg_free_ranges (&pvs, vg, &ranges) == -1) {
      free (ranges.ptr);
      continue;
    }
    for (size_t j = 0; j < ranges.len && ret == 0; ++j)
      ret = gk_image_zero (disk, ranges.ptr[j].len, ranges.ptr[j].start,
                           true);
    free (ranges.ptr);
    if (ret == 0) {
      gk_debug ("host-side LVM: %s: its free extents now read as zeroes",
                vg->name);
      string_vector_append (done, xstrdup (vg->name));
    }
  }
  found_pvs_free (&pvs);
  if (gk_image_close (disk) == -1)
    ret = -1;
  return ret;
}
