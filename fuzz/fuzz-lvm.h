/* guestkit fuzz targets: what fuzz-lvm-label and fuzz-lvm-text check
 * about a VG they parsed.
 */
#ifndef GUESTKIT_FUZZ_LVM_H
#define GUESTKIT_FUZZ_LVM_H

#include "ondisk/lvm-metadata.h"

/* The free ranges of each PV (virt-sparsify discards them): in order,
 * disjoint, non-empty, inside the PV's extents, and never next to an
 * extent an LV uses without the LV's segment being accounted for.
 */
static inline void
fuzz_free_ranges (const struct gk_lvm_vg *vg)
{
  for (size_t i = 0; i < vg->pvs.len; ++i) {
    const struct gk_lvm_pv *pv = &vg->pvs.ptr[i];
    gk_lvm_range_vector ranges = empty_vector;
    char *errmsg = NULL;

    if (gk_lvm_pv_free_ranges (vg, pv, &ranges, &errmsg) == -1) {
      FUZZ_CHECK (errmsg != NULL && ranges.len == 0);
      free (errmsg);
      continue;
    }
    for (size_t j = 0; j < ranges.len; ++j) {
      const struct gk_lvm_range *r = &ranges.ptr[j];

      FUZZ_CHECK (r->len > 0 && r->start >= pv->pe_start);
      FUZZ_CHECK (r->start - pv->pe_start + r->len <=
                  pv->pe_count * vg->extent_size);
      if (j > 0)
        FUZZ_CHECK (ranges.ptr[j - 1].start + ranges.ptr[j - 1].len <
                    r->start);
    }
    free (ranges.ptr);
  }
}

/* Ask every question a tool asks of VG. */
static inline void
fuzz_walk_vg (const struct gk_lvm_vg *vg)
{
  FUZZ_CHECK (vg->name != NULL);
  for (size_t i = 0; i < vg->pvs.len; ++i) {
    FUZZ_CHECK (vg->pvs.ptr[i].name != NULL);
    if (vg->pvs.ptr[i].id)
      FUZZ_CHECK (gk_lvm_find_pv (vg, vg->pvs.ptr[i].id) != NULL);
  }
  for (size_t i = 0; i < vg->lvs.len; ++i) {
    const struct gk_lvm_lv *lv = &vg->lvs.ptr[i];

    FUZZ_CHECK (lv->name != NULL && gk_lvm_find_lv (vg, lv->name) != NULL);
    for (size_t j = 1; j < lv->segments.len; ++j)
      FUZZ_CHECK (lv->segments.ptr[j - 1].start_extent <=
                  lv->segments.ptr[j].start_extent);
    (void) gk_lvm_lv_size (vg, lv);
    for (size_t j = 0; j < vg->pvs.len; ++j) {
      int64_t start = gk_lvm_lv_start (vg, lv, vg->pvs.ptr[j].name);
      FUZZ_CHECK (start >= -1);
    }
  }
  fuzz_free_ranges (vg);
}

#endif /* GUESTKIT_FUZZ_LVM_H */
