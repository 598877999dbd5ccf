/* virt-resize: where each partition goes on the target.
 *
 * Partitions are placed in disk order (upstream takes them in number
 * order, which moves Ubuntu's sda14 and sda15 behind the root), each
 * aligned like upstream, and keep their numbers: a guest that names its
 * disks /dev/sda5 in fstab or GRUB still finds them.  The extended
 * partition is copied as one block unless a logical partition in it is
 * resized or deleted (see place_extended).
 */
#include <config.h>

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/sizes.h"
#include "utils/string-list.h"
#include "resize.h"

static uint64_t
roundup (uint64_t n, uint64_t align)
{
  return (n + align - 1) / align * align;
}

/* Upstream moves the first partition only when it knows how to fix the
 * boot loader afterwards: a lone bootable NTFS partition that is not
 * 4K-aligned.
 */
static bool
align_first (const struct source *src, const struct resize_options *o)
{
  const struct partition *p = &src->parts.ptr[0];

  switch (o->align_first) {
  case ALIGN_FIRST_NEVER: return false;
  case ALIGN_FIRST_ALWAYS: return true;
  case ALIGN_FIRST_AUTO: break;
  }
  return src->parts.len == 1 && p->op != OP_DELETE && p->src.bootable &&
    p->content.kind == GK_CONTENT_FS && STREQ (p->content.type, "ntfs") &&
    (p->src.start & 4095) != 0;
}

/* Place one partition of SIZE bytes at START.  A resized partition
 * absorbs its alignment padding (as upstream), a copied one keeps its
 * exact size.  Returns where the next partition may start.
 */
static uint64_t
place (struct partition *p, uint64_t start, uint64_t sectsize,
       uint64_t align)
{
  uint64_t size = roundup (p->op == OP_RESIZE ? p->new_size : p->src.size,
                           sectsize);
  uint64_t next = roundup (start + size, align);

  p->target_start = start;
  p->target_size = p->op == OP_RESIZE ? next - start : size;
  return next;
}

/* The extended partition and its logical partitions.
 *
 * While no logical partition is resized or deleted by name, the
 * extended partition is copied as one block, as upstream does: each
 * logical partition and its EBR keep their offsets in it, aligned or
 * not, so the surplus upstream computes (which has no alignment step
 * for logical partitions) is what the layout needs.
 *
 * Otherwise the logical partitions are placed one after the other,
 * each aligned (plan.c then counts an alignment step for each): the
 * first EBR sits at the start of the extended partition, and each
 * logical partition keeps its distance from its EBR (1 MiB from fdisk,
 * one sector or one track from older tools).
 *
 * Either way a resized extended partition absorbs its alignment
 * padding like any resized partition; a copied one keeps its size, or
 * grows with the logical partitions inside.
 */
static uint64_t
place_extended (struct source *src, struct partition *ext, uint64_t start,
                uint64_t sectsize, uint64_t align)
{
  bool block = !logicals_move (src);
  uint64_t cursor = start, wanted = ext->src.size, size;
  int num = 5;

  for (size_t i = 0; i < src->parts.len; ++i) {
    struct partition *l = &src->parts.ptr[i];
    uint64_t gap;

    if (l->container != ext || l->op == OP_DELETE)
      continue;
    gap = l->src.ebr_gap ? l->src.ebr_gap : sectsize;
    l->target_num = num++;
    if (block) {
      uint64_t offset = l->src.start - ext->src.start;

      l->target_start = start + offset;
      l->target_size = roundup (l->src.size, sectsize);
      /* The first EBR is the start of the extended partition. */
      l->target_ebr = l->target_num == 5 ? start : l->target_start - gap;
      if (l->target_start + l->target_size > cursor)
        cursor = l->target_start + l->target_size;
      continue;
    }
    l->target_ebr = cursor;
    cursor = place (l, cursor + gap, sectsize, align);
    if (l->op == OP_RESIZE)
      wanted += l->new_size - l->src.size;
  }

  if (ext->op == OP_RESIZE) {
    size = roundup (start + roundup (ext->new_size, sectsize), align) -
      start;
    if (start + size < cursor) {
      CLEANUP_FREE char *h = gk_human_size (cursor - start);
      gk_error ("%s: the logical partitions need %s (%" PRIu64 " bytes) "
                "inside this extended partition: resize it to at least "
                "that, or shrink the logical partitions instead",
                ext->name, h, cursor - start);
    }
  }
  else
    size = roundup (wanted > cursor - start ? wanted : cursor - start,
                    sectsize);
  ext->target_start = start;
  ext->target_size = size;
  return roundup (start + size, align);
}

static int
first_free_number (const struct source *src, int max)
{
  for (int n = 1; n <= max; ++n) {
    bool used = false;
    for (size_t i = 0; i < src->parts.len; ++i)
      if (src->parts.ptr[i].op != OP_DELETE &&
          src->parts.ptr[i].target_num == n)
        used = true;
    if (!used)
      return n;
  }
  return 0;
}

void
layout_target (struct source *src, const struct resize_options *o,
               struct plan *plan)
{
  uint64_t sectsize = src->table->sector_size;
  uint64_t align = o->alignment * sectsize;
  uint64_t end_reserve = 64 * sectsize;
  uint64_t cursor;

  plan->align_first = align_first (src, o);
  cursor = plan->align_first ? align : src->parts.ptr[0].src.start;

  for (size_t i = 0; i < src->parts.len; ++i) {
    struct partition *p = &src->parts.ptr[i];

    if (p->op == OP_DELETE || p->src.logical)
      continue;
    p->target_num = p->src.num;
    if (p->src.extended)
      cursor = place_extended (src, p, cursor, sectsize, align);
    else
      cursor = place (p, cursor, sectsize, align);
  }

  if (cursor > plan->target_size - end_reserve) {
    CLEANUP_FREE char *h =
      gk_human_size (cursor - (plan->target_size - end_reserve));
    gk_error ("the partitions do not fit on the target disk after "
              "alignment: make it larger by at least %s", h);
  }

  if (o->extra_partition && plan->surplus >= MIN_EXTRA_PARTITION) {
    int max = src->table->type == GK_PTABLE_GPT ?
      (int) src->table->gpt_nr_entries : 4;

    if (src->table->type == GK_PTABLE_GPT) {
      /* After the last one, as upstream numbers it. */
      int last = 0;
      for (size_t i = 0; i < src->parts.len; ++i)
        if (src->parts.ptr[i].op != OP_DELETE &&
            src->parts.ptr[i].target_num > last)
          last = src->parts.ptr[i].target_num;
      plan->extra_num = last < max ? last + 1 : first_free_number (src, max);
    }
    else
      plan->extra_num = first_free_number (src, max);

    if (plan->extra_num == 0)
      plan->no_free_slot = true;
    else {
      plan->extra_partition = true;
      plan->extra_start = cursor;
      plan->extra_size =
        (plan->target_size / sectsize - 64) * sectsize + sectsize - cursor;
    }
  }

  if (gk_verbose)
    for (size_t i = 0; i < src->parts.len; ++i) {
      const struct partition *p = &src->parts.ptr[i];
      if (p->op != OP_DELETE)
        gk_debug ("target partition %d (from %s): start=%" PRIu64
                  " size=%" PRIu64, p->target_num, p->name,
                  p->target_start, p->target_size);
    }
}

/* A random GUID for the extra partition (RFC 4122 version 4). */
static void
random_guid (uint8_t guid[16])
{
  int fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);

  if (fd == -1 || read (fd, guid, 16) != 16)
    gk_error ("/dev/urandom: %m");
  close (fd);
  guid[7] = (guid[7] & 0x0f) | 0x40;   /* on disk, time_hi is little-endian */
  guid[8] = (guid[8] & 0x3f) | 0x80;
}

static int
compare_num (const struct gk_partition *a, const struct gk_partition *b)
{
  return a->num - b->num;
}

struct gk_ptable *
layout_table (const struct source *src, const struct plan *plan)
{
  struct gk_ptable *t = xcalloc (1, sizeof *t);

  *t = *src->table;
  t->parts = (gk_partition_vector) empty_vector;
  for (size_t i = 0; i < src->parts.len; ++i) {
    const struct partition *p = &src->parts.ptr[i];
    struct gk_partition tp;

    if (p->op == OP_DELETE)
      continue;
    tp = p->src;
    tp.name = xstrdup (p->src.name ? p->src.name : "");
    tp.num = p->target_num;
    tp.start = p->target_start;
    tp.size = p->target_size;
    tp.ebr_gap = p->src.logical ? p->target_start - p->target_ebr : 0;
    gk_partition_vector_append (&t->parts, tp);
  }
  if (plan->extra_partition) {
    struct gk_partition tp = {
      .num = plan->extra_num, .start = plan->extra_start,
      .size = plan->extra_size, .mbr_id = 0x83, .name = xstrdup (""),
    };

    /* What parted gives a new partition: "Linux filesystem data". */
    gk_guid_from_string ("0FC63DAF-8483-4772-8E79-3D69D8477DE4",
                         tp.type_guid);
    random_guid (tp.part_guid);
    gk_partition_vector_append (&t->parts, tp);
  }
  gk_partition_vector_sort (&t->parts, compare_num);
  return t;
}
