/* virt-resize: reading the source disk on the host.
 *
 * The partition table, the superblock of every partition and the LVM
 * metadata of every PV are a few kilobytes: reading them through
 * qemu-nbd takes milliseconds, where upstream launches the appliance.
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diskio/image.h"
#include "diskio/qcow2-check.h"
#include "ondisk/lvm-label.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "resize.h"

const char *
content_description (const struct gk_content *c)
{
  static __thread char buf[64];

  switch (c->kind) {
  case GK_CONTENT_FS:
    snprintf (buf, sizeof buf, "filesystem %s", c->type);
    return buf;
  case GK_CONTENT_SWAP: return "swap";
  case GK_CONTENT_PV: return "LVM PV";
  case GK_CONTENT_LUKS: return "LUKS encrypted data";
  case GK_CONTENT_UNKNOWN: break;
  }
  return "unknown data";
}

static void
probe (struct source *src, uint64_t offset, uint64_t length,
       struct gk_content *c)
{
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_content_probe (gk_image_pread_fn, src->disk, offset, length, c,
                        &errmsg) == -1)
    gk_error ("%s: %s", gk_image_path (src->disk), errmsg);
}

/* The LVs of a PV's volume group, once each even when the VG spans
 * several partitions.  What an LV holds is read where its first extent
 * lies, when that is on this PV.
 */
static void
read_logical_volumes (struct source *src, const struct partition *p)
{
  struct gk_lvm_label label;
  struct gk_lvm_vg *vg = NULL;
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_lvm_read_pv (gk_image_pread_fn, src->disk, p->src.start,
                      p->src.size, &label, &vg, &errmsg) == -1) {
    gk_warning ("%s: cannot read the LVM metadata: %s", p->name, errmsg);
    return;
  }
  if (vg == NULL)
    return;

  for (size_t i = 0; i < vg->lvs.len; ++i) {
    const struct gk_lvm_lv *lv = &vg->lvs.ptr[i];
    struct logical_volume l = { 0 };
    const struct gk_lvm_pv *pv;
    int64_t start;

    if (!lv->visible)
      continue;
    l.name = xasprintf ("/dev/%s/%s", vg->name, lv->name);
    if (source_find_lv (src, l.name)) {
      free (l.name);
      continue;
    }
    pv = gk_lvm_find_pv (vg, label.pv_id);
    start = pv ? gk_lvm_lv_start (vg, lv, pv->name) : -1;
    if (start >= 0)
      probe (src, p->src.start + start, gk_lvm_lv_size (vg, lv), &l.content);
    lv_vector_append (&src->lvs, l);
  }
  gk_lvm_vg_free (vg);
}

static int
compare_disk_order (const struct partition *a, const struct partition *b)
{
  if (a->src.start != b->src.start)
    return a->src.start < b->src.start ? -1 : 1;
  /* An extended partition and its first logical may share a start. */
  return b->src.extended - a->src.extended;
}

void
source_open (struct source *src, const struct resize_options *o)
{
  CLEANUP_FREE char *errmsg = NULL;

  src->disk = gk_image_open (o->infile, o->format, false);
  if (src->disk == NULL)
    exit (EXIT_FAILURE);
  /* qemu reads past a truncated qcow2's end as zeroes: copying would
   * "work" and give a damaged guest.
   */
  if (STREQ (gk_image_format (src->disk), "qcow2") &&
      strstr (o->infile, "://") == NULL &&
      gk_check_qcow2 (o->infile, o->infile) == -1)
    exit (EXIT_FAILURE);
  src->size = gk_image_size (src->disk);
  gk_debug ("%s size %" PRIu64 " bytes", o->infile, src->size);
  if (src->size < MAX_BOOTLOADER)
    gk_error ("%s: file is too small to be a disk image (%" PRIu64
              " bytes)", o->infile, src->size);

  if (gk_ptable_read (gk_image_pread_fn, src->disk, src->size, &src->table,
                      &errmsg) == -1)
    gk_error ("%s: %s", o->infile, errmsg);
  gk_debug ("partition table type: %s",
            gk_ptable_type_name (src->table->type));
  if (src->table->parts.len == 0)
    gk_error ("the source disk has no partitions");

  for (size_t i = 0; i < src->table->parts.len; ++i) {
    struct partition p = { .src = src->table->parts.ptr[i], .op = OP_COPY };

    snprintf (p.name, sizeof p.name, "/dev/sda%d", p.src.num);
    if (!p.src.extended)
      probe (src, p.src.start, p.src.size, &p.content);
    partition_vector_append (&src->parts, p);
  }
  partition_vector_sort (&src->parts, compare_disk_order);

  for (size_t i = 0; i < src->parts.len; ++i) {
    struct partition *p = &src->parts.ptr[i];

    if (p->src.logical)
      for (size_t j = 0; j < src->parts.len; ++j)
        if (src->parts.ptr[j].src.extended)
          p->container = &src->parts.ptr[j];

    /* Content larger than its partition means the table or the
     * content is damaged: copying would only spread the damage.
     */
    if (p->content.size > p->src.size) {
      if (p->content.kind == GK_CONTENT_PV)
        gk_error ("%s: partition size %" PRIu64 " < physical volume size %"
                  PRIu64, p->name, p->src.size, p->content.size);
      if (p->content.kind == GK_CONTENT_FS)
        gk_error ("%s: partition size %" PRIu64 " < filesystem size %"
                  PRIu64, p->name, p->src.size, p->content.size);
    }
    if (p->content.kind == GK_CONTENT_PV)
      read_logical_volumes (src, p);
  }

  if (gk_verbose) {
    for (size_t i = 0; i < src->parts.len; ++i) {
      const struct partition *p = &src->parts.ptr[i];
      gk_debug ("%s: %" PRIu64 "-%" PRIu64 " (%" PRIu64 " bytes)%s%s, %s "
                "(%" PRIu64 " bytes)",
                p->name, p->src.start, p->src.start + p->src.size - 1,
                p->src.size, p->src.extended ? " extended" : "",
                p->src.bootable ? " bootable" : "",
                content_description (&p->content), p->content.size);
    }
    for (size_t i = 0; i < src->lvs.len; ++i)
      gk_debug ("%s: %s (%" PRIu64 " bytes)", src->lvs.ptr[i].name,
                content_description (&src->lvs.ptr[i].content),
                src->lvs.ptr[i].content.size);
  }
}

void
source_close (struct source *src)
{
  if (src->disk && gk_image_close (src->disk) == -1)
    exit (EXIT_FAILURE);
  src->disk = NULL;
}

/* What users type: "sda1", "/dev/sda1", or the name the guest uses
 * ("/dev/vda1", "hda1", "xvda1"): the appliance calls the first disk
 * sda, and so do upstream's messages.
 */
struct partition *
source_find_partition (struct source *src, const char *name)
{
  const char *p = name;
  int num;
  char end;

  if (STRPREFIX (p, "/dev/"))
    p += 5;
  if (STRPREFIX (p, "xvd"))
    p += 3;
  else if (STRPREFIX (p, "sd") || STRPREFIX (p, "vd") || STRPREFIX (p, "hd"))
    p += 2;
  else
    return NULL;
  if (sscanf (p, "a%d%c", &num, &end) != 1)
    return NULL;
  for (size_t i = 0; i < src->parts.len; ++i)
    if (src->parts.ptr[i].src.num == num)
      return &src->parts.ptr[i];
  return NULL;
}

/* "/dev/VG/LV", "VG/LV" or "/dev/mapper/VG-LV". */
struct logical_volume *
source_find_lv (struct source *src, const char *name)
{
  CLEANUP_FREE char *canonical = NULL;

  if (STRPREFIX (name, "/dev/mapper/")) {
    /* Device-mapper doubles the dashes inside names. */
    const char *s = name + strlen ("/dev/mapper/");
    char *c = canonical = xmalloc (strlen (name) + 8);
    bool split = false;

    c += sprintf (c, "/dev/");
    for (; *s; ++s) {
      if (*s == '-' && s[1] == '-')
        *c++ = *s++;
      else if (*s == '-' && !split) {
        *c++ = '/';
        split = true;
      }
      else
        *c++ = *s;
    }
    *c = '\0';
  }
  else if (!STRPREFIX (name, "/dev/"))
    canonical = xasprintf ("/dev/%s", name);
  else
    canonical = xstrdup (name);

  for (size_t i = 0; i < src->lvs.len; ++i)
    if (STREQ (src->lvs.ptr[i].name, canonical))
      return &src->lvs.ptr[i];
  return NULL;
}
