/* virt-sparsify: what copy mode does on the host, before the launch.
 *
 * In copy mode the overlay is ours alone until the appliance starts,
 * and the host-side parsers (lib/ondisk) read it at host speed, where
 * each question asked in the emulated appliance costs a program run
 * (blkid, lvm), a few tenths of a second.  So, from the partition table,
 * each partition's superblock and the LVM metadata:
 *
 *   - the free extents of volume groups are made to read as zeroes in
 *     the overlay (qcow2 zero clusters, which the copy then skips): the
 *     appliance's way is a temporary LV created, discarded and removed,
 *     three LVM commands;
 *   - so is the body of each swap partition, its first page (signature,
 *     UUID, label) kept;
 *   - and the appliance is told each device's type and the VGs' LVs
 *     (appliance/filesystems.h), so that it asks blkid and LVM nothing
 *     the host already knows.
 *
 * Only what can be known exactly is done here: a VG whose every PV is
 * found on the disk (not inside LUKS or MD) with one consistent copy of
 * its metadata, whose LVs are all linear, and whose extents lie inside
 * their partitions; a swap partition with 4 KiB pages that is not an MD
 * member and that no --zero or --ignore names.  Anything else is left
 * to the appliance.  release.c still says "Fill free space in volgroup
 * ..." and "Clearing Linux swap on ..." for what was done here, in
 * device order, so the messages keep upstream's order.
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

/* Whether NAME (as given to --zero or --ignore: "sda6", "/dev/vda6")
 * is the appliance's DEV ("/dev/sda6"), by libguestfs's canonical
 * names: vd, hd and xvd disks are sd disks.
 */
static bool
names_device (const char *name, const char *dev)
{
  static const char *const prefixes[] = { "xvd", "vd", "hd", "sd" };

  if (STRPREFIX (name, "/dev/"))
    name += 5;
  dev += 5;                     /* "/dev/" */
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; ++i)
    if (STRPREFIX (name, prefixes[i]))
      return STREQ (name + strlen (prefixes[i]), dev + 2);
  return false;
}

static bool
named_by_option (const struct sparsify_options *o, const char *dev)
{
  for (size_t i = 0; i < o->zeroes.len; ++i)
    if (names_device (o->zeroes.ptr[i], dev))
      return true;
  for (size_t i = 0; i < o->ignores.len; ++i)
    if (names_device (o->ignores.ptr[i], dev))
      return true;
  return false;
}

#define SWAP_HEADER 4096

static void
add_known (struct host_release *h, const char *dev, const char *type)
{
  string_vector_append (&h->known, xstrdup (dev));
  string_vector_append (&h->known, xstrdup (type));
}

/* One device (a partition, the whole disk, an LV) of LENGTH bytes at
 * OFFSET, named DEV in the appliance: its type for the appliance, and
 * a swap area's body released.  Returns 0, or -1 after reporting.
 */
static int
look_at_device (struct gk_image *disk, const struct sparsify_options *o,
                const char *dev, uint64_t offset, uint64_t length,
                struct host_release *h)
{
  struct gk_content content;
  CLEANUP_FREE char *errmsg = NULL;
  bool md = false;

  if (gk_content_md_member (gk_image_pread_fn, disk, offset, length, &md,
                            &errmsg) == -1 || md ||
      gk_content_probe (gk_image_pread_fn, disk, offset, length, &content,
                        &errmsg) == -1) {
    /* The appliance looks, and finds what LVM may be inside. */
    gk_debug ("host-side: %s: %s", dev, errmsg ? errmsg : "an MD member");
    h->complete = false;
    return 0;
  }
  switch (content.kind) {
  case GK_CONTENT_UNKNOWN:
    /* Neither a PV nor a container that could hold one (MD and LUKS
     * are recognised): the appliance says what it is.
     */
    return 0;
  case GK_CONTENT_LUKS:
    h->complete = false;      /* what is inside shows once it is open */
    break;
  case GK_CONTENT_PV:
  case GK_CONTENT_FS:
    break;
  case GK_CONTENT_SWAP:
    if (content.block_size != SWAP_HEADER || length <= SWAP_HEADER ||
        named_by_option (o, dev))
      break;
    if (gk_image_zero (disk, length - SWAP_HEADER, offset + SWAP_HEADER,
                       true) == -1)
      return -1;
    gk_debug ("host-side: %s: swap body released", dev);
    string_vector_append (&h->swaps, xstrdup (dev));
    break;
  }
  add_known (h, dev, content.type);
  return 0;
}

/* The VGs found on the disk: each one's free extents released (unless
 * --ignore names it), and its LVs looked at.  Returns 0, or -1 after
 * reporting.
 */
static int
look_at_vgs (struct gk_image *disk, const struct sparsify_options *o,
             const found_pv_vector *pvs, struct host_release *h)
{
  for (size_t i = 0; i < pvs->len; ++i) {
    const struct found_pv *f = &pvs->ptr[i];
    const struct gk_lvm_vg *vg = f->vg;
    gk_lvm_range_vector ranges = empty_vector;
    bool ignored = string_vector_contains (&o->ignores, vg->name);
    int r = 0;

    if (string_vector_contains (&h->vgs, vg->name) ||
        string_vector_contains (&h->ignored_vgs, vg->name))
      continue;                 /* its second PV */
    if (vg_free_ranges (pvs, vg, &ranges) == -1) {
      free (ranges.ptr);
      h->complete = false;
      continue;
    }
    for (size_t j = 0; j < ranges.len && r == 0 && !ignored; ++j)
      r = gk_image_zero (disk, ranges.ptr[j].len, ranges.ptr[j].start,
                         true);
    free (ranges.ptr);
    if (r == -1)
      return -1;
    string_vector_append (ignored ? &h->ignored_vgs : &h->vgs,
                          xstrdup (vg->name));
    if (!ignored)
      gk_debug ("host-side LVM: %s: its free extents now read as zeroes",
                vg->name);

    /* Its LVs (all linear, vg_free_ranges said).  One that does not
     * start on this PV starts on another one, which sees it.
     */
    for (size_t j = 0; j < vg->lvs.len; ++j) {
      const struct gk_lvm_lv *lv = &vg->lvs.ptr[j];
      CLEANUP_FREE char *dev = NULL;
      const struct found_pv *home = NULL;
      int64_t start = -1;

      if (!lv->visible)
        continue;
      dev = xasprintf ("/dev/%s/%s", vg->name, lv->name);
      string_vector_append (&h->lvs, xstrdup (dev));
      if (!lv->writable)
        string_vector_append (&h->ro_lvs, xstrdup (dev));
      for (size_t k = 0; k < vg->pvs.len && start < 0; ++k) {
        start = gk_lvm_lv_start (vg, lv, vg->pvs.ptr[k].name);
        if (start >= 0)
          home = find_member (pvs, vg, &vg->pvs.ptr[k]);
      }
      /* Only the first segment is looked at: a superblock, a swap
       * header or a LUKS header lies in its first extent.
       */
      if (home && lv->segments.len > 0 &&
          (uint64_t) start < home->length) {
        uint64_t first = lv->segments.ptr[0].extent_count * vg->extent_size;
        uint64_t room = home->length - (uint64_t) start;
        struct gk_content content;
        CLEANUP_FREE char *errmsg = NULL;

        if (first > room)
          first = room;
        if (gk_content_probe (gk_image_pread_fn, disk, home->offset + start,
                              first, &content, &errmsg) == 0 &&
            content.kind != GK_CONTENT_UNKNOWN) {
          add_known (h, dev, content.type);
          if (content.kind == GK_CONTENT_LUKS ||
              content.kind == GK_CONTENT_PV)
            h->complete = false;
        }
      }
    }
  }
  return 0;
}

int
release_on_host (const char *overlay, const struct sparsify_options *o,
                 struct host_release *h)
{
  found_pv_vector pvs = empty_vector;
  struct gk_ptable *table = NULL;
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_image *disk = gk_image_open (overlay, "qcow2", true);
  int ret = 0;

  h->complete = true;
  if (disk == NULL)
    return -1;
  /* One disk: the appliance calls it sda, and its partitions by the
   * numbers the table gives them.
   */
  if (gk_ptable_read (gk_image_pread_fn, disk, gk_image_size (disk), &table,
                      &errmsg) == 0) {
    for (size_t i = 0; i < table->parts.len && ret == 0; ++i) {
      const struct gk_partition *part = &table->parts.ptr[i];
      CLEANUP_FREE char *dev = xasprintf ("/dev/sda%d", part->num);

      if (part->extended)
        continue;               /* the appliance says "unknown" */
      ret = look_at_device (disk, o, dev, part->start, part->size, h);
      look_for_pv (disk, part->start, part->size, &pvs);
    }
    gk_ptable_free (table);
  }
  else {
    ret = look_at_device (disk, o, "/dev/sda", 0, gk_image_size (disk), h);
    look_for_pv (disk, 0, gk_image_size (disk), &pvs);
  }
  if (ret == 0)
    ret = look_at_vgs (disk, o, &pvs, h);
  found_pvs_free (&pvs);
  if (gk_image_close (disk) == -1)
    ret = -1;
  return ret;
}

void
host_release_free (struct host_release *h)
{
  string_vector_free_all (&h->vgs);
  string_vector_free_all (&h->ignored_vgs);
  string_vector_free_all (&h->swaps);
  string_vector_free_all (&h->known);
  string_vector_free_all (&h->lvs);
  string_vector_free_all (&h->ro_lvs);
}
