/* guestkit: LVM2 physical volume labels and their metadata areas.
 *
 * A PV's label (in one of its first four sectors) gives its UUID, size
 * and where its data and metadata areas are; each metadata area holds
 * the VG's text metadata (lvm-metadata.h) in a circular buffer.
 */

#ifndef GUESTKIT_LVM_LABEL_H
#define GUESTKIT_LVM_LABEL_H

#include <stdint.h>

#include "ondisk/lvm-metadata.h"
#include "ondisk/reader.h"

/* What the PV label of one device says, and the PV's size. */
struct gk_lvm_label {
  char pv_id[39];               /* 32 chars with dashes: 6-4-4-4-4-4-6 */
  uint64_t device_size;         /* bytes, as recorded in the label when
                                   the PV was created (pvresize of a PV
                                   in a VG does not rewrite it) */
  uint64_t data_offset;         /* bytes: first data area (pe_start) */
  /* Bytes from the start of the device that the PV needs, as LVM sees
   * it: its dev_size in the newest metadata (the label's device_size
   * for an orphan PV, or metadata without one), and never less than
   * the end of its last extent or of a metadata area.
   */
  uint64_t pv_size;
};

/* Read the PV at OFFSET (LENGTH bytes) and the newest VG metadata it
 * carries: of its metadata areas' current copies, the one with the
 * highest seqno, as LVM reads it (a damaged copy is skipped when another
 * is good).  *VG_R is NULL for an orphan PV.  Returns 0, or -1 with
 * *ERRMSG (caller frees) if it is not a PV, the metadata is damaged, or
 * a read failed (with the reader's reason).  Nothing is printed.
 */
extern int gk_lvm_read_pv (gk_pread_fn pread, void *opaque,
                           uint64_t offset, uint64_t length,
                           struct gk_lvm_label *label,
                           struct gk_lvm_vg **vg_r, char **errmsg);

#endif /* GUESTKIT_LVM_LABEL_H */
