/* virt-resize: building the target on the host.
 *
 * The partition table is written by us and the partitions' bytes are
 * copied through qemu-nbd, reading only what the source has allocated.
 * Nothing here needs the appliance: upstream's 8 KiB read/write loop
 * inside it was most of its run time.
 *
 * The target only looks like a disk once it is one: its old table is
 * wiped first, the new one is written last (write_table), and if
 * contents are grown after that, an interruption wipes it again.
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diskio/copy.h"
#include "diskio/image.h"
#include "diskio/output.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/progress.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "resize.h"

static void
show_progress (uint64_t done, uint64_t len, void *opaque)
{
  (void) opaque;
  gk_progress_update (done, len);
}

static void
copy (struct gk_image *from, uint64_t from_offset, struct gk_image *dst,
      uint64_t dst_offset, uint64_t len, bool sparse, bool progress)
{
  if (progress && !gk_quiet)
    gk_progress_reset ();
  if (gk_image_copy (from, from_offset, dst, dst_offset, len, sparse,
                    progress && !gk_quiet ? show_progress : NULL, NULL,
                    NULL) == -1)
    exit (EXIT_FAILURE);
  if (progress && !gk_quiet)
    gk_progress_finish ();
}

/* The first 446 bytes of sector 0 (the MBR's code, up to the table) and
 * the gap between the partition table and the first partition, where
 * GRUB's core image and other loaders live.  Copied before the new
 * table is written, which then takes its own bytes.
 */
static void
copy_boot_loader (struct source *src, struct gk_image *dst,
                  const struct resize_options *o)
{
  char code[446];
  uint64_t start = gk_ptable_head_bytes (src->table->type,
                                         src->table->sector_size);
  uint64_t end = start + MAX_BOOTLOADER;

  if (gk_image_pread (src->disk, code, sizeof code, 0) == -1 ||
      gk_image_pwrite (dst, code, sizeof code, 0) == -1)
    exit (EXIT_FAILURE);

  for (size_t i = 0; i < src->parts.len; ++i) {
    const struct partition *p = &src->parts.ptr[i];
    if (p->src.start < end)
      end = p->src.start;
    if (p->op != OP_DELETE && p->target_start < end)
      end = p->target_start;
  }
  if (end > start)
    copy (src->disk, start, dst, start, end - start, o->sparse, false);
}

/* Upstream's fix for a bootable NTFS partition moved by --align-first:
 * its boot record says where the partition starts ("hidden sectors").
 */
static void
fix_ntfs_hidden_sectors (struct source *src, struct gk_image *dst)
{
  const struct partition *p = &src->parts.ptr[0];
  uint32_t sectors = p->target_start / src->table->sector_size;
  uint8_t le32[4] = { sectors, sectors >> 8, sectors >> 16, sectors >> 24 };
  char magic[8];

  if (p->content.kind != GK_CONTENT_FS || !STREQ (p->content.type, "ntfs")
      || !p->src.bootable)
    return;
  if (gk_image_pread (dst, magic, sizeof magic, p->target_start + 3) == -1)
    exit (EXIT_FAILURE);
  if (memcmp (magic, "NTFS    ", 8) != 0) {
    gk_warning ("first partition is NTFS but does not contain NTFS boot "
                "loader magic");
    return;
  }
  gk_message ("Fixing first NTFS partition boot record");
  if (gk_image_pwrite (dst, le32, sizeof le32, p->target_start + 0x1c) == -1)
    exit (EXIT_FAILURE);
}

static void
remake_swap (struct gk_image *dst, const struct partition *p)
{
  CLEANUP_FREE char *errmsg = NULL;

  CLEANUP_FREE char *now = p->target_num == p->src.num ? xstrdup ("") :
    xasprintf (" (now /dev/sda%d)", p->target_num);

  gk_message ("Expanding %s%s using the ‘mkswap’ method", p->name, now);
  if (gk_swap_resize (gk_image_pread_fn, gk_image_pwrite_fn, dst,
                      p->target_start, p->target_size, &errmsg) == -1)
    gk_error ("%s: %s", p->name, errmsg);
}

/* Whatever the target held before must not show through the gaps,
 * and with --no-sparse every byte is allocated.  Its first and last MiB
 * (where an old MBR or GPT lives) go first, flushed, so that an
 * interruption from here on leaves no table that looks valid.
 */
static void
wipe_target (struct gk_image *dst, const struct resize_options *o,
             const struct plan *plan)
{
  const uint64_t edge = MAX_BOOTLOADER / 2;
  const uint64_t size = plan->target_size;

  if (gk_image_zero (dst, edge, 0, o->sparse) == -1 ||
      gk_image_zero (dst, edge, size - edge, o->sparse) == -1 ||
      gk_image_flush (dst) == -1 ||
      gk_image_zero (dst, size - 2 * edge, edge, o->sparse) == -1)
    exit (EXIT_FAILURE);
}

void
write_target (struct source *src, struct gk_image *copy_from,
              struct gk_image *dst, const struct resize_options *o,
              const struct plan *plan)
{
  gk_message ("Setting up initial partition table on %s", o->outfile);

  wipe_target (dst, o, plan);
  if (o->copy_boot_loader)
    copy_boot_loader (src, dst, o);

  for (size_t i = 0; i < src->parts.len; ++i) {
    const struct partition *p = &src->parts.ptr[i];
    uint64_t len = p->src.size;

    if (p->src.extended || (p->op != OP_COPY && p->op != OP_RESIZE))
      continue;
    if (p->op == OP_RESIZE && p->new_size < len)
      len = p->new_size;
    gk_message ("Copying %s", p->name);
    copy (copy_from, p->src.start, dst, p->target_start, len, o->sparse,
          true);
  }

  for (size_t i = 0; i < src->parts.len; ++i) {
    const struct partition *p = &src->parts.ptr[i];
    if (p->op == OP_RESIZE && p->grow == METHOD_MKSWAP)
      remake_swap (dst, p);
  }

  if (plan->align_first)
    fix_ntfs_hidden_sectors (src, dst);

  if (gk_image_flush (dst) == -1)
    exit (EXIT_FAILURE);
}

/* The bytes that make the table valid: the MBR's entries and 0x55AA
 * (the protective MBR's for GPT) and both GPT headers.
 */
static size_t
table_ranges (const struct gk_ptable *table, uint64_t target_size,
              struct gk_output_range ranges[3])
{
  const uint64_t ss = table->sector_size;
  size_t n = 0;

  ranges[n++] = (struct gk_output_range) { 446, 66 };
  if (table->type == GK_PTABLE_GPT) {
    ranges[n++] = (struct gk_output_range) { ss, ss };
    ranges[n++] = (struct gk_output_range) { target_size - ss, ss };
  }
  return n;
}

void
write_table (struct source *src, struct gk_image *dst,
             const struct resize_options *o, const struct plan *plan)
{
  struct gk_ptable *table = layout_table (src, plan);
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_output_range ranges[3];
  size_t nr_ranges;

  /* No interruption between a valid table and the means to undo it. */
  gk_interrupt_hold ();
  if (gk_ptable_write (table, plan->target_size, gk_image_pwrite_fn, dst,
                       &errmsg) == -1) {
    gk_ptable_free (table);
    gk_error ("%s: cannot write the partition table: %s", o->outfile,
              errmsg);
  }
  if (gk_image_close (dst) == -1)
    exit (EXIT_FAILURE);
  nr_ranges = table_ranges (table, plan->target_size, ranges);
  gk_ptable_free (table);
  /* The appliance grows contents next: until it is done the target is
   * not finished, and an interruption wipes the table again.
   */
  if (plan->needs_grow &&
      gk_output_zero_on_interrupt (o->outfile, o->output_format, ranges,
                                   nr_ranges) == -1)
    exit (EXIT_FAILURE);
  gk_interrupt_release ();
}
