/* guestkit: LVM2 volume group metadata: the text, and what it says.
 *
 * virt-resize checks --lv-expand names and tells what each LV holds
 * before launching anything.  A PV carries a text copy of its VG's
 * metadata (found by lvm-label.h); parsing it on the host gives the VG,
 * its LVs and where their first extents live.
 */

#ifndef GUESTKIT_LVM_METADATA_H
#define GUESTKIT_LVM_METADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "utils/vector.h"

struct gk_lvm_segment {
  uint64_t start_extent;        /* in the LV */
  uint64_t extent_count;
  char *type;                   /* "striped", "thin", "raid1", ... */
  uint32_t stripe_count;
  char *pv_name;                /* first stripe: "pv0", ... (may be NULL) */
  uint64_t pv_start_extent;     /* first stripe's extent on that PV */
};

DEFINE_VECTOR_TYPE (gk_lvm_segment_vector, struct gk_lvm_segment);

struct gk_lvm_lv {
  char *name;
  char *id;                     /* as in the metadata, with dashes */
  bool visible;                 /* has the VISIBLE status flag */
  bool writable;                /* has the WRITE status flag (lvs shows
                                   the others with "r" in lv_attr) */
  gk_lvm_segment_vector segments; /* sorted by start_extent */
};

DEFINE_VECTOR_TYPE (gk_lvm_lv_vector, struct gk_lvm_lv);

struct gk_lvm_pv {
  char *name;                   /* key in the metadata: "pv0" */
  char *id;                     /* with dashes */
  uint64_t pe_start;            /* bytes from the start of the PV */
  uint64_t pe_count;
  uint64_t dev_size;            /* bytes: the size LVM gives the PV (its
                                   "dev_size", which pvresize sets); 0 if
                                   the metadata has none */
};

DEFINE_VECTOR_TYPE (gk_lvm_pv_vector, struct gk_lvm_pv);

struct gk_lvm_vg {
  char *name;
  char *id;
  uint64_t extent_size;         /* bytes */
  uint64_t seqno;
  gk_lvm_pv_vector pvs;         /* in the metadata's order */
  gk_lvm_lv_vector lvs;
};

/* Parse the VG metadata text: LEN bytes at TEXT (a NUL byte ends it
 * early; it need not be NUL-terminated).  Returns 0 with *VG_R set
 * (free it with gk_lvm_vg_free), or -1 with *ERRMSG (caller frees).
 * Nothing is printed.
 */
extern int gk_lvm_parse_metadata (const char *text, size_t len,
                                  struct gk_lvm_vg **vg_r, char **errmsg);

/* The byte offset, relative to the start of the PV whose metadata key
 * is PV_NAME, of the first byte of LV (its extent 0), if it is there.
 * Returns -1 if the LV starts elsewhere, its first segment is not
 * linear ("striped" with one stripe), or the numbers do not fit.
 */
extern int64_t gk_lvm_lv_start (const struct gk_lvm_vg *vg,
                                const struct gk_lvm_lv *lv,
                                const char *pv_name);

/* Bytes of LV: the sum of its segments' extents times the extent size
 * (UINT64_MAX if that does not fit).
 */
extern uint64_t gk_lvm_lv_size (const struct gk_lvm_vg *vg,
                                const struct gk_lvm_lv *lv);

/* A run of bytes, relative to the start of a PV. */
struct gk_lvm_range {
  uint64_t start, len;
};

DEFINE_VECTOR_TYPE (gk_lvm_range_vector, struct gk_lvm_range);

/* The extents of PV that no LV of VG uses, as byte ranges relative to
 * the start of the PV, in order, appended to *FREE_R.  Returns 0, or -1
 * with *ERRMSG (caller frees; *FREE_R unchanged) when the answer cannot
 * be exact: a segment that is not linear ("striped" with one stripe:
 * mirrors, RAID, thin pools, snapshots, striping), segments that
 * overlap or leave the PV, or numbers that do not fit.  Someone about
 * to discard the bytes must then leave them alone.
 */
extern int gk_lvm_pv_free_ranges (const struct gk_lvm_vg *vg,
                                  const struct gk_lvm_pv *pv,
                                  gk_lvm_range_vector *free_r,
                                  char **errmsg);

extern const struct gk_lvm_pv *gk_lvm_find_pv (const struct gk_lvm_vg *vg,
                                               const char *pv_id);
extern const struct gk_lvm_lv *gk_lvm_find_lv (const struct gk_lvm_vg *vg,
                                               const char *name);

extern void gk_lvm_vg_free (struct gk_lvm_vg *vg);

#endif /* GUESTKIT_LVM_METADATA_H */
