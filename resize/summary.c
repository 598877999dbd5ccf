/* virt-resize: the "Summary of changes" printed before anything is
 * written (and all that --dry-run prints).  The sentences are
 * upstream's, so scripts and people reading them see what they know.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/sizes.h"
#include "utils/string-list.h"
#include "resize.h"

/* Upstream prints each line as info, followed by a blank line. */
static void __attribute__ ((format (printf, 1, 2)))
line (const char *fs, ...)
{
  va_list args;
  CLEANUP_FREE char *text = NULL;

  va_start (args, fs);
  if (vasprintf (&text, fs, args) == -1)
    gk_error ("vasprintf: %m");
  va_end (args);
  gk_info ("%s\n", text);
}

static void
warn_unknown (const struct resize_options *o, const char *name,
              const struct gk_content *c)
{
  CLEANUP_FREE char *msg = NULL;

  if (o->unknown_fs == UNKNOWN_FS_WARN && o->expand_content &&
      (msg = unknown_content_message (c, name, METHOD_NONE)) != NULL)
    gk_warning ("%s", msg);
}

/* "  The filesystem ext4 on /dev/sda1 will be expanded using the
 * ‘resize2fs’ method." or "" when nothing happens inside.
 */
static char *
content_sentence (const struct resize_options *o, const char *name,
                  const struct gk_content *c, enum method grow,
                  uint64_t shrink_to)
{
  if (shrink_to) {
    CLEANUP_FREE char *h = gk_human_size (shrink_to);
    const char *how = STREQ (c->type, "ntfs") ? "ntfsresize" :
      STREQ (c->type, "btrfs") ? "btrfs-filesystem-resize" : "resize2fs";
    return xasprintf ("  The %s on %s will be shrunk to %s using the ‘%s’ "
                      "method, if its data fits.",
                      content_description (c), name, h, how);
  }
  if (grow == METHOD_NONE) {
    warn_unknown (o, name, c);
    return xstrdup ("");
  }
  return xasprintf ("  The %s on %s will be expanded using the ‘%s’ "
                    "method.", content_description (c), name,
                    method_name (grow));
}

static void
print_partition (const struct resize_options *o, const struct partition *p)
{
  CLEANUP_FREE char *renumbered = NULL;

  if (p->op != OP_DELETE && p->target_num != p->src.num)
    renumbered = xasprintf ("  It will be /dev/sda%d on the target.",
                            p->target_num);

  switch (p->op) {
  case OP_COPY:
    if (p->src.extended && p->target_size != p->src.size) {
      CLEANUP_FREE char *from = gk_human_size (p->src.size);
      CLEANUP_FREE char *to = gk_human_size (p->target_size);
      line ("%s: This extended partition will be resized from %s to %s "
            "to hold its logical partitions.", p->name, from, to);
    }
    else
      line ("%s: This partition will be left alone.%s", p->name,
            renumbered ? renumbered : "");
    break;
  case OP_IGNORE:
    line ("%s: This partition will be created, but the contents will be "
          "ignored (ie. not copied to the target).%s", p->name,
          renumbered ? renumbered : "");
    break;
  case OP_DELETE:
    line ("%s: This partition will be deleted.", p->name);
    break;
  case OP_RESIZE: {
    CLEANUP_FREE char *from = gk_human_size (p->src.size);
    CLEANUP_FREE char *to = gk_human_size (p->new_size);
    CLEANUP_FREE char *content =
      content_sentence (o, p->name, &p->content, p->grow, p->shrink_to);
    line ("%s: This partition will be resized from %s to %s.%s%s", p->name,
          from, to, content, renumbered ? renumbered : "");
    break;
  }
  }
}

void
summary_print (const struct source *src, const struct resize_options *o,
               const struct plan *plan)
{
  if (gk_quiet)
    return;

  printf ("**********\n\n");
  printf ("Summary of changes:\n\n");
  fflush (stdout);

  for (size_t i = 0; i < src->parts.len; ++i)
    print_partition (o, &src->parts.ptr[i]);

  for (size_t i = 0; i < src->lvs.len; ++i) {
    const struct logical_volume *lv = &src->lvs.ptr[i];
    CLEANUP_FREE char *content = NULL;

    if (!lv->expand)
      continue;
    content = content_sentence (o, lv->name, &lv->content, lv->grow, 0);
    line ("%s: This logical volume will be expanded to maximum size.%s",
          lv->name, content);
  }

  if (plan->surplus > 0) {
    CLEANUP_FREE char *h = gk_human_size (plan->surplus);
    const char *what;

    if (!o->extra_partition)
      what = "  The surplus space will be ignored.  Run a partitioning "
        "program in the guest to partition this extra space if you want.";
    else if (plan->surplus < MIN_EXTRA_PARTITION)
      what = "  The surplus space is not large enough for an extra "
        "partition to be created and so it will just be ignored.";
    else if (plan->no_free_slot)
      what = "  All four primary partition slots are in use, so no extra "
        "partition can be created and the surplus space will be ignored.";
    else
      what = "  An extra partition will be created for the surplus.";
    line ("There is a surplus of %s.%s", h, what);
  }

  printf ("**********\n");
  fflush (stdout);
}
