/* virt-resize: what the files of this tool share.
 *
 * main.c parses options into struct resize_options, source.c reads the
 * source disk (partition table, contents, LVs) on the host, plan.c turns
 * the options into an operation per partition and layout.c places the
 * partitions on the target.  summary.c prints the plan, shrink.c and
 * expand.c do the content work that needs the appliance, write.c builds
 * the target on the host.
 */

#ifndef GUESTKIT_RESIZE_H
#define GUESTKIT_RESIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "ondisk/content.h"
#include "diskio/image.h"
#include "appliance/fs-features.h"
#include "ondisk/lvm-metadata.h"
#include "ondisk/ptable.h"
#include "utils/vector.h"

/* Surplus below this does not get an extra partition (upstream: 10M). */
#define MIN_EXTRA_PARTITION (10 * 1024 * 1024)

/* Boot loaders may live in the first 2 MiB (upstream's max_bootloader);
 * smaller disks cannot be disk images.
 */
#define MAX_BOOTLOADER (4096 * 512)

enum unknown_fs_mode { UNKNOWN_FS_IGNORE, UNKNOWN_FS_WARN, UNKNOWN_FS_ERROR };
enum align_first { ALIGN_FIRST_AUTO, ALIGN_FIRST_NEVER, ALIGN_FIRST_ALWAYS };


struct resize_options {
  const char *infile;           /* path or URI, or the domain's disk */
  const char *outfile;
  const char *format;           /* --format (NULL = detect) */
  const char *output_format;    /* --output-format (NULL = detect) */
  const char *domain;           /* -d */
  const char *libvirt_uri;      /* -c */
  const struct gk_options *opts; /* --key, --keys-from-stdin, --echo-keys */
  enum align_first align_first;
  uint64_t alignment;           /* sectors */
  bool copy_boot_loader;
  bool dry_run;
  bool expand_content;
  bool extra_partition;
  bool ntfsresize_force;
  bool sparse;
  enum unknown_fs_mode unknown_fs;
  const char *expand;           /* --expand PART */
  const char *shrink;           /* --shrink PART */
  string_vector deletes, ignores, resizes, resizes_force, lv_expands;
};

enum operation { OP_COPY, OP_IGNORE, OP_DELETE, OP_RESIZE };

/* How content is grown (upstream's names, shown in messages). */
enum method {
  METHOD_NONE,
  METHOD_PVRESIZE, METHOD_RESIZE2FS, METHOD_NTFSRESIZE, METHOD_BTRFS,
  METHOD_XFS_GROWFS, METHOD_MKSWAP, METHOD_RESIZE_F2FS,
  METHOD_LUKS,                  /* open with --key, grow what it holds */
};

struct partition {
  struct gk_partition src;      /* as in the source table */
  char name[32];                /* "/dev/sdaN" */
  struct gk_content content;    /* unknown for the extended partition */
  struct partition *container;  /* logical: its extended partition */

  enum operation op;
  uint64_t new_size;            /* OP_RESIZE: bytes */
  /* Content that must change size inside the partition. */
  enum method grow;             /* grow to fill the new size */
  uint64_t shrink_to;           /* shrink content to this many bytes
                                   first (0 = no shrink) */

  /* Target, filled by layout.c (not for OP_DELETE). */
  int target_num;
  uint64_t target_start;        /* bytes */
  uint64_t target_size;         /* bytes */
  uint64_t target_ebr;          /* logical: its EBR's offset */
};
DEFINE_VECTOR_TYPE (partition_vector, struct partition);

struct logical_volume {
  char *name;                   /* "/dev/VG/LV" */
  struct gk_content content;
  bool expand;                  /* --lv-expand */
  enum method grow;
};
DEFINE_VECTOR_TYPE (lv_vector, struct logical_volume);

struct source {
  struct gk_image *disk;
  uint64_t size;
  struct gk_ptable *table;
  partition_vector parts;       /* disk order: primaries, the extended,
                                   its logicals right after it */
  lv_vector lvs;
};

struct plan {
  uint64_t target_size;
  int64_t surplus;              /* bytes; >= 0 once planned */
  bool extra_partition;         /* one is created for the surplus */
  int extra_num;                /* its number */
  uint64_t extra_start, extra_size;
  bool no_free_slot;            /* MBR: surplus but nowhere to put it */
  bool align_first;             /* first partition moved, see layout.c */
  bool needs_shrink;            /* an appliance pass before copying */
  bool needs_grow;              /* an appliance pass after copying */
};

/* source.c */
extern void source_open (struct source *src, const struct resize_options *o);
extern void source_close (struct source *src);
extern struct partition *source_find_partition (struct source *src,
                                                const char *name);
extern struct logical_volume *source_find_lv (struct source *src,
                                              const char *name);
extern const char *content_description (const struct gk_content *c);

/* plan.c */
extern void plan_make (struct source *src, const struct resize_options *o,
                       const struct gk_features *f, struct plan *plan);
extern enum method content_grow_method (const struct gk_content *c,
                                        const struct resize_options *o,
                                        const struct gk_features *f);
extern const char *method_name (enum method m);
/* The --unknown-filesystems message for content C of NAME that method M
 * cannot grow, or NULL if it can.  Caller frees.
 */
extern char *unknown_content_message (const struct gk_content *c,
                                      const char *name, enum method m);
/* Whether logical partitions are placed one by one (one is resized or
 * deleted by name) rather than kept where they are in their extended
 * partition, which is then copied as one block (as upstream).
 */
extern bool logicals_move (const struct source *src);

/* layout.c */
extern void layout_target (struct source *src,
                           const struct resize_options *o,
                           struct plan *plan);
extern struct gk_ptable *layout_table (const struct source *src,
                                       const struct plan *plan);

/* summary.c */
extern void summary_print (const struct source *src,
                           const struct resize_options *o,
                           const struct plan *plan);

/* plan.c: the error for content that does not fit in p->shrink_to. */
extern void resize_refuse_shrink (const struct partition *p, uint64_t min)
  __attribute__ ((noreturn));

/* shrink.c: returns the disk to copy from (an overlay), or NULL. */
extern struct gk_image *shrink_contents (struct source *src,
                                        const struct resize_options *o);

/* write.c: write_target wipes the target and copies everything but the
 * partition table; write_table writes it last and closes DST.
 */
extern void write_target (struct source *src, struct gk_image *copy_from,
                          struct gk_image *dst,
                          const struct resize_options *o,
                          const struct plan *plan);
extern void write_table (struct source *src, struct gk_image *dst,
                         const struct resize_options *o,
                         const struct plan *plan);

/* expand.c */
extern void expand_contents (struct source *src,
                             const struct resize_options *o,
                             const struct plan *plan,
                             const char *out_format);

#endif /* GUESTKIT_RESIZE_H */
