/* virt-resize: from the command line to an operation per partition.
 *
 * The order and the checks are upstream's (--ignore, --delete, --resize,
 * --resize-force, then --expand/--shrink against the surplus), so the
 * same command gives the same plan.  What differs: logical partitions
 * can be named, and shrinking below the content's size shrinks the
 * content when its filesystem can be shrunk.
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "appliance/fs-features.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/sizes.h"
#include "utils/string-list.h"
#include "resize.h"

const char *
method_name (enum method m)
{
  switch (m) {
  case METHOD_PVRESIZE: return "pvresize";
  case METHOD_RESIZE2FS: return "resize2fs";
  case METHOD_NTFSRESIZE: return "ntfsresize";
  case METHOD_BTRFS: return "btrfs-filesystem-resize";
  case METHOD_XFS_GROWFS: return "xfs_growfs";
  case METHOD_MKSWAP: return "mkswap";
  case METHOD_RESIZE_F2FS: return "resize.f2fs";
  case METHOD_LUKS: return "luks";
  case METHOD_NONE: break;
  }
  return "none";
}

static bool
is_ext (const struct gk_content *c)
{
  return c->kind == GK_CONTENT_FS &&
    (STREQ (c->type, "ext2") || STREQ (c->type, "ext3") ||
     STREQ (c->type, "ext4"));
}

enum method
content_grow_method (const struct gk_content *c,
                     const struct resize_options *o,
                     const struct gk_features *f)
{
  if (!o->expand_content)
    return METHOD_NONE;
  switch (c->kind) {
  case GK_CONTENT_PV: return METHOD_PVRESIZE;
  case GK_CONTENT_SWAP: return METHOD_MKSWAP;
  case GK_CONTENT_FS:
    if (is_ext (c)) return METHOD_RESIZE2FS;
    if (STREQ (c->type, "ntfs") && f->ntfs) return METHOD_NTFSRESIZE;
    if (STREQ (c->type, "btrfs") && f->btrfs) return METHOD_BTRFS;
    if (STREQ (c->type, "xfs") && f->xfs) return METHOD_XFS_GROWFS;
    if (STREQ (c->type, "f2fs") && f->f2fs) return METHOD_RESIZE_F2FS;
    return METHOD_NONE;
  case GK_CONTENT_LUKS:
    /* The container follows its partition when opened; what it holds
     * is grown with its own method, once a key opens it.
     */
    if (o->opts && (o->opts->keys.len > 0 || o->opts->keys_from_stdin))
      return METHOD_LUKS;
    return METHOD_NONE;
  case GK_CONTENT_UNKNOWN: break;
  }
  return METHOD_NONE;
}

/* Filesystems we can make smaller inside the appliance. */
static bool
can_shrink (const struct gk_content *c, const struct gk_features *f)
{
  return is_ext (c) ||
    (c->kind == GK_CONTENT_FS && STREQ (c->type, "btrfs") && f->btrfs) ||
    (c->kind == GK_CONTENT_FS && STREQ (c->type, "ntfs") && f->ntfs);
}

static char *
partition_names (const struct source *src)
{
  size_t len = 1;
  char *names;

  for (size_t i = 0; i < src->parts.len; ++i)
    len += strlen (src->parts.ptr[i].name) + 2;
  names = xmalloc (len);
  names[0] = '\0';
  for (size_t i = 0; i < src->parts.len; ++i) {
    if (i > 0)
      strcat (names, ", ");
    strcat (names, src->parts.ptr[i].name);
  }
  return names;
}

static struct partition *
find_partition (struct source *src, const struct resize_options *o,
                const char *name, const char *option)
{
  struct partition *p = source_find_partition (src, name);

  if (p == NULL) {
    CLEANUP_FREE char *names = partition_names (src);
    gk_error ("%s%s: partition not found in the source disk image (this "
              "error came from ‘%s’ option on the command line).  The "
              "partitions of %s are: %s",
              STRPREFIX (name, "/dev/") ? "" : "/dev/", name, option,
              o->infile, names);
  }
  if (p->op == OP_IGNORE)
    gk_error ("%s: partition already ignored, you cannot use it in ‘%s’ "
              "option", p->name, option);
  if (p->op == OP_DELETE)
    gk_error ("%s: partition already deleted, you cannot use it in ‘%s’ "
              "option", p->name, option);
  return p;
}

/* --ignore and --delete of an extended partition take its logical
 * partitions with it: they cannot exist without it.
 */
static void
set_operation (struct source *src, struct partition *p, enum operation op)
{
  p->op = op;
  if (p->src.extended)
    for (size_t i = 0; i < src->parts.len; ++i)
      if (src->parts.ptr[i].container == p)
        src->parts.ptr[i].op = op;
}

/* Used by shrink.c too, once the filesystem's own tool has measured. */
void
resize_refuse_shrink (const struct partition *p, uint64_t min)
{
  CLEANUP_FREE char *h_min = gk_human_size (min);
  CLEANUP_FREE char *h_to = gk_human_size (p->shrink_to);

  gk_error ("%s: the %s filesystem holds too much data to fit in %s: it "
            "needs at least %s (%" PRIu64 " bytes).  Choose a new size of "
            "at least that, or free space in the guest first.",
            p->name, p->content.type, h_to, h_min, min);
}

static void
mark_for_resize (const struct resize_options *o, const struct gk_features *f,
                 struct partition *p, uint64_t new_size, const char *option,
                 bool force)
{
  uint64_t old_size = p->src.size;
  const struct gk_content *c = &p->content;
  CLEANUP_FREE char *human_new = gk_human_size (new_size);
  CLEANUP_FREE char *human_content = gk_human_size (c->size);

  if (p->op == OP_RESIZE)
    gk_error ("%s: this partition has already been marked for resizing",
              p->name);
  if (new_size == old_size)
    return;

  if (new_size < old_size && !force) {
    if (p->src.extended)
      gk_error ("%s: This extended partition contains logical partitions "
                "which might be damaged by shrinking it.  Shrink the "
                "logical partitions inside it instead (they can be named "
                "in --resize and --shrink), or use ‘--resize-force’, which "
                "could destroy them.  (This error came from ‘%s’ option on "
                "the command line.)", p->name, option);
    switch (c->kind) {
    case GK_CONTENT_UNKNOWN: case GK_CONTENT_LUKS:
      gk_error ("%s: This partition has unknown content which might be "
                "damaged by shrinking it.  If you want to shrink this "
                "partition, you need to use the ‘--resize-force’ option, "
                "but that could destroy any data on this partition.  "
                "(This error came from ‘%s’ option on the command line.)",
                p->name, option);
    case GK_CONTENT_PV:
      if (c->size > new_size)
        gk_error ("%s: This partition contains an LVM physical volume "
                  "which will be damaged by shrinking it below %" PRIu64
                  " bytes (%s) (user asked to shrink it to %" PRIu64
                  " bytes).  Shrink the PV in the guest first (pvresize), "
                  "or use ‘--resize-force’, which could destroy any data "
                  "on this partition.  (This error came from ‘%s’ option "
                  "on the command line.)", p->name, c->size,
                  human_content, new_size, option);
      break;
    case GK_CONTENT_FS:
      if (c->size <= new_size)
        break;
      if (can_shrink (c, f)) {
        /* The filesystem is shrunk to the new size (rounded down to
         * whole blocks) before copying; whether its data fits is
         * checked then, with the filesystem's own tools.
         */
        uint64_t bs = c->block_size ? c->block_size : 4096;
        p->shrink_to = new_size / bs * bs;
        /* What clearly cannot fit is refused now, from the superblock,
         * before anything is written or launched.
         */
        if (c->min_size > p->shrink_to)
          resize_refuse_shrink (p, c->min_size);
        break;
      }
      if (STREQ (c->type, "xfs"))
        gk_error ("%s: This partition contains an xfs filesystem of %s "
                  "which cannot be shrunk: XFS filesystems can only grow.  "
                  "Resize the partition to at least %s (%" PRIu64 " bytes), "
                  "or copy the files into a smaller new filesystem "
                  "instead.  (This error came from ‘%s’ option on the "
                  "command line.)", p->name, human_content, human_content,
                  c->size, option);
      gk_error ("%s: This partition contains a %s filesystem which will be "
                "damaged by shrinking it below %" PRIu64 " bytes (user "
                "asked to shrink it to %" PRIu64 " bytes), and virt-resize "
                "cannot shrink %s filesystems.  If you want to shrink this "
                "partition, you need to use the ‘--resize-force’ option, "
                "but that could destroy any data on this partition.  "
                "(This error came from ‘%s’ option on the command line.)",
                p->name, c->type, c->size, new_size, c->type, option);
    case GK_CONTENT_SWAP:
      break;
    }
  }

  (void) o;
  p->op = OP_RESIZE;
  p->new_size = new_size;
}

static void
do_resize (struct source *src, const struct resize_options *o,
           const struct gk_features *f, const char *arg, const char *option,
           bool force)
{
  const char *eq = strchr (arg, '=');
  CLEANUP_FREE char *dev = NULL;
  struct gk_resize_spec spec;
  struct partition *p;
  uint64_t new_size;

  if (eq == NULL || eq[1] == '\0')
    gk_error ("%s: missing size field in ‘%s’ option", arg, option);
  dev = strndup (arg, eq - arg);
  p = find_partition (src, o, dev, option);
  if (gk_parse_resize (eq + 1, &spec) == -1)
    gk_error ("%s: cannot parse size field ‘%s’ in ‘%s’ option: use e.g. "
              "10G, +500M, -10%% or 50%%", dev, eq + 1, option);
  if (gk_resize_apply (&spec, p->src.size, &new_size) == -1 ||
      new_size == 0)
    gk_error ("%s: new partition size is zero or negative", dev);
  mark_for_resize (o, f, p, new_size, option, force);
}

/* How many bytes the extended partition needs on the target: its
 * size, adjusted by what happens to its logical partitions.
 */
static uint64_t
extended_required (const struct source *src, const struct partition *ext)
{
  int64_t size = ext->src.size;

  if (ext->op == OP_RESIZE)
    return ext->new_size;
  for (size_t i = 0; i < src->parts.len; ++i) {
    const struct partition *l = &src->parts.ptr[i];
    if (l->container != ext)
      continue;
    if (l->op == OP_RESIZE)
      size += (int64_t) l->new_size - (int64_t) l->src.size;
  }
  return size;
}

/* Whether the logical partitions move inside their extended partition
 * (layout.c places them one by one) or keep their places in it (it is
 * copied as one block, as upstream always does).  They move when one
 * is resized or deleted by name, which upstream cannot do.  Following
 * the extended partition's --delete or --ignore, or an --ignore of
 * their own, moves nothing.  layout.c asks the same question.
 */
bool
logicals_move (const struct source *src)
{
  for (size_t i = 0; i < src->parts.len; ++i) {
    const struct partition *l = &src->parts.ptr[i];

    if (!l->src.logical)
      continue;
    if (l->op == OP_RESIZE ||
        (l->op == OP_DELETE && l->container &&
         l->container->op != OP_DELETE))
      return true;
  }
  return false;
}

/* Upstream's estimate of what the target needs: the partitions, the
 * space before the first one, one alignment step per partition and the
 * backup GPT.
 */
static int64_t
calculate_surplus (const struct source *src, const struct resize_options *o,
                   uint64_t target_size, const struct partition *pending)
{
  uint64_t sectsize = src->table->sector_size;
  uint64_t first_start = src->parts.ptr[0].src.start / sectsize;
  uint64_t start_sects = 64, overhead, required = 0;
  size_t nr_parts = 0;
  /* Upstream counts the primary and extended partitions only, and so
   * do we while the extended partition is copied as one block (see
   * logicals_move): the same command then gives the same layout.
   * Logical partitions that move need their own alignment step each.
   * The partition --expand or --shrink is about to resize counts as
   * resized already.
   */
  bool logicals_change = logicals_move (src) ||
    (pending && pending->src.logical);

  if (MAX_BOOTLOADER / 512 > start_sects)
    start_sects = MAX_BOOTLOADER / 512;
  if (first_start > start_sects)
    start_sects = first_start;
  for (size_t i = 0; i < src->parts.len; ++i)
    if (!src->parts.ptr[i].src.logical || logicals_change)
      nr_parts++;
  overhead = sectsize *
    (start_sects + o->alignment * (nr_parts + 1) + 64);

  for (size_t i = 0; i < src->parts.len; ++i) {
    const struct partition *p = &src->parts.ptr[i];

    if (p->src.logical || p->op == OP_DELETE)
      continue;
    if (p->src.extended)
      required += extended_required (src, p);
    else
      required += p->op == OP_RESIZE ? p->new_size : p->src.size;
  }
  gk_debug ("calculate surplus: outsize=%" PRIu64 " required=%" PRIu64
            " overhead=%" PRIu64, target_size, required, overhead);
  return (int64_t) target_size - (int64_t) (required + overhead);
}

/* Content whose size we cannot change, as --unknown-filesystems sees
 * it: a filesystem without a method, LUKS without a key, or content we
 * do not recognise.  NULL if C can be grown.
 */
char *
unknown_content_message (const struct gk_content *c, const char *name,
                         enum method m)
{
  if (m != METHOD_NONE)
    return NULL;
  switch (c->kind) {
  case GK_CONTENT_FS:
    return xasprintf ("unknown/unavailable method for expanding the %s "
                      "filesystem on %s", c->type, name);
  case GK_CONTENT_LUKS:
    return xasprintf ("unknown/unavailable method for expanding the LUKS "
                      "encrypted data on %s (give its key with --key to grow "
                      "what it holds)", name);
  case GK_CONTENT_UNKNOWN:
    return xasprintf ("unknown/unavailable method for expanding the unknown "
                      "data on %s", name);
  case GK_CONTENT_SWAP: case GK_CONTENT_PV: break;
  }
  return NULL;
}

static void
check_unknown_fs (const struct resize_options *o, const char *name,
                  const struct gk_content *c, enum method m)
{
  CLEANUP_FREE char *msg = NULL;

  if (o->unknown_fs == UNKNOWN_FS_ERROR && o->expand_content &&
      (msg = unknown_content_message (c, name, m)) != NULL)
    gk_error ("%s", msg);
}

void
plan_make (struct source *src, const struct resize_options *o,
           const struct gk_features *f, struct plan *plan)
{
  for (size_t i = 0; i < o->ignores.len; ++i)
    set_operation (src, find_partition (src, o, o->ignores.ptr[i],
                                        "--ignore"), OP_IGNORE);
  for (size_t i = 0; i < o->deletes.len; ++i)
    set_operation (src, find_partition (src, o, o->deletes.ptr[i],
                                        "--delete"), OP_DELETE);
  for (size_t i = 0; i < o->resizes.len; ++i)
    do_resize (src, o, f, o->resizes.ptr[i], "--resize", false);
  for (size_t i = 0; i < o->resizes_force.len; ++i)
    do_resize (src, o, f, o->resizes_force.ptr[i], "--resize-force", true);

  if (o->expand || o->shrink) {
    const char *option = o->expand ? "--expand" : "--shrink";
    struct partition *p =
      find_partition (src, o, o->expand ? o->expand : o->shrink, option);
    int64_t surplus = calculate_surplus (src, o, plan->target_size, p);

    gk_debug ("surplus before %s: %" PRIi64, option, surplus);
    if (o->expand && surplus < 0) {
      CLEANUP_FREE char *h = gk_human_size (-surplus);
      gk_error ("You cannot use --expand when there is no surplus space to "
                "expand into.  You need to make the target disk larger by "
                "at least %s (%" PRIi64 " bytes).", h, -surplus);
    }
    if (o->shrink && surplus > 0) {
      CLEANUP_FREE char *h = gk_human_size (surplus);
      gk_error ("You cannot use --shrink when there is no deficit (see "
                "‘deficit’ in the virt-resize(1) man page): the target is "
                "%s larger than the source needs.  Use --expand instead, "
                "or a smaller target.", h);
    }
    if (o->shrink && (int64_t) p->src.size + surplus <= 0) {
      CLEANUP_FREE char *h = gk_human_size (-surplus);
      gk_error ("%s: the target disk is %s too small, more than this "
                "partition's size: make the target disk larger",
                p->name, h);
    }
    mark_for_resize (o, f, p, p->src.size + surplus, option, false);
  }

  plan->surplus = calculate_surplus (src, o, plan->target_size, NULL);
  if (plan->surplus < 0) {
    CLEANUP_FREE char *h = gk_human_size (-plan->surplus);
    gk_error ("There is a deficit of %" PRIi64 " bytes (%s).  You need to "
              "make the target disk larger by at least this amount or "
              "adjust your resizing requests.", -plan->surplus, h);
  }

  for (size_t i = 0; i < o->lv_expands.len; ++i) {
    struct logical_volume *lv = source_find_lv (src, o->lv_expands.ptr[i]);

    if (lv == NULL) {
      size_t len = 1;
      CLEANUP_FREE char *names = NULL;

      for (size_t j = 0; j < src->lvs.len; ++j)
        len += strlen (src->lvs.ptr[j].name) + 2;
      names = xcalloc (1, len);
      for (size_t j = 0; j < src->lvs.len; ++j) {
        if (j > 0)
          strcat (names, ", ");
        strcat (names, src->lvs.ptr[j].name);
      }
      gk_error ("%s: logical volume not found in the source disk image "
                "(this error came from ‘--lv-expand’ option on the command "
                "line).  %s%s", o->lv_expands.ptr[i],
                src->lvs.len ? "The logical volumes are: " :
                "The source disk has no logical volumes.", names);
    }
    lv->expand = true;
  }

  /* What has to grow, and where: swap headers are rewritten on the
   * host, everything else needs the appliance after the copy.
   */
  for (size_t i = 0; i < src->parts.len; ++i) {
    struct partition *p = &src->parts.ptr[i];

    if (p->op != OP_RESIZE)
      continue;
    if (p->shrink_to) {
      plan->needs_shrink = true;
      continue;
    }
    p->grow = content_grow_method (&p->content, o, f);
    check_unknown_fs (o, p->name, &p->content, p->grow);
    /* A swap area follows its partition both ways; anything else only
     * grows.
     */
    if (p->new_size < p->src.size && p->grow != METHOD_MKSWAP)
      p->grow = METHOD_NONE;
    if (p->grow != METHOD_NONE && p->grow != METHOD_MKSWAP)
      plan->needs_grow = true;
  }
  for (size_t i = 0; i < src->lvs.len; ++i) {
    struct logical_volume *lv = &src->lvs.ptr[i];

    if (!lv->expand)
      continue;
    lv->grow = content_grow_method (&lv->content, o, f);
    check_unknown_fs (o, lv->name, &lv->content, lv->grow);
    /* The LV itself grows even when its content cannot. */
    plan->needs_grow = true;
  }
}
