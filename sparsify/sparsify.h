/* virt-sparsify: what the files of this tool share.
 *
 * main.c parses the options and runs one of two pipelines:
 *
 *   copy mode   source.c (the input vetted on the host) →
 *               tmp.c (where the overlay goes, is there room; made by
 *               lib/diskio/overlay.c) →
 *               host.c (free LVM extents and swap released on the
 *               host, the devices' types found) →
 *               overlay.c (one appliance on the overlay, which protects
 *               the source) → release.c (free space discarded) →
 *               output.c (the overlay copied sparse on the host by
 *               qemu-img convert)
 *   --in-place  in-place.c (the disks themselves, packed into as few
 *               appliances as is safe; release.c again, or with
 *               --dry-run only measured on read-only drives)
 *
 * release.c is the heart of both: it makes every byte the guest does
 * not use read as zero.  In an overlay a discard becomes a qcow2 zero
 * cluster, which the host-side copy never reads or writes, so nothing
 * is ever filled with zeroes through the emulated appliance unless a
 * filesystem cannot discard.
 */
#ifndef GUESTKIT_SPARSIFY_H
#define GUESTKIT_SPARSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include <guestfs.h>

#include "options/options.h"
#include "utils/vector.h"

enum check_tmpdir { CHECK_TMPDIR_IGNORE, CHECK_TMPDIR_CONTINUE,
                    CHECK_TMPDIR_WARN, CHECK_TMPDIR_FAIL };

/* Exit status of --check-tmpdir=fail and of --in-place without
 * discard support (upstream's).
 */
#define EXIT_CHECK_TMPDIR 2
#define EXIT_NO_DISCARD 3

struct sparsify_options {
  const char *indisk;           /* copy mode */
  const char *outdisk;
  string_vector disks;          /* --in-place */
  string_vector disk_formats;   /* each disk's (-d), NULL = --format */
  const char *format;           /* --format (NULL = detect) */
  const char *convert;          /* --convert (NULL = input format) */
  const char *compress;         /* --compress[=zlib|zstd], NULL = off */
  const char *qemu_opts;        /* -o */
  const char *tmp;              /* --tmp (NULL = $TMPDIR) */
  enum check_tmpdir check_tmpdir;
  bool in_place;
  bool dry_run;                 /* --in-place --dry-run */
  string_vector zeroes;         /* --zero */
  string_vector ignores;        /* --ignore */
  const struct gk_options *opts; /* --key, --keys-from-stdin, --echo-keys */
};

/* source.c: open INDISK on the host and check it holds a partition
 * table or a filesystem; returns its virtual size, or exits after one
 * error line.
 */
extern uint64_t sparsify_input_check (const char *indisk,
                                      const char *format);
/* The same without exiting: 0 with *SIZE_R, or -1 after reporting.
 * IDS (may be NULL) gets the identities that clash when two disks
 * share an appliance ("fs:UUID", "pv:UUID", "vg:NAME").
 */
extern int sparsify_input_vet (const char *indisk, const char *format,
                               uint64_t *size_r, string_vector *ids);
/* Allocated bytes of a local file (st_blocks), 0 if unknown. */
extern uint64_t allocated_bytes (const char *path);
/* "WHAT: allocated X before, Y after." (and a JSON line). */
extern void report_reclaimed (const char *what, uint64_t before,
                              uint64_t after);

/* tmp.c: the overlay of copy mode. */
struct overlay {
  char *path;                   /* the qcow2 overlay (file or device) */
  bool prebuilt;                /* --tmp prebuilt:FILE (kept) */
};
/* Choose where the overlay goes, check there is room for it (may exit
 * 2 or prompt, as --check-tmpdir says), say so and create it over
 * INDISK in FORMAT.
 */
extern void overlay_create (const struct sparsify_options *o,
                            const char *format, uint64_t virtual_size,
                            struct overlay *ov);

/* overlay.c: one appliance on the overlay, whose free space is
 * released (LUKS volumes are opened on the way, with o->opts' keys).
 */
extern void sparsify_overlay (const struct sparsify_options *o,
                              const struct overlay *ov);

/* host.c (copy mode, before the launch): what the host-side parsers
 * can do in OVERLAY (one disk, "sda" in the appliance) before the
 * appliance starts.
 */
struct host_release {
  string_vector vgs;            /* VGs whose free extents read as zeroes */
  string_vector ignored_vgs;    /* VGs --ignore names (left alone) */
  string_vector swaps;          /* swap devices whose body reads as zeroes */
  string_vector known;          /* pairs (device, type) for the appliance */
  string_vector lvs;            /* the LVs of the VGs above (/dev/VG/LV) */
  string_vector ro_lvs;         /* the read-only ones among them */
  /* Every VG of the disk is in vgs or ignored_vgs, and no LUKS or MD
   * device could hide another: the appliance need not ask LVM.
   */
  bool complete;
};
/* Returns 0, or -1 after reporting. */
extern int release_on_host (const char *overlay,
                            const struct sparsify_options *o,
                            struct host_release *h);
extern void host_release_free (struct host_release *h);

/* release.c: make the free space of every filesystem, volume group and
 * swap of the launched handle G read as zero.  IN_PLACE selects
 * upstream's in-place messages and refuses to zero-fill (in place that
 * would allocate the free space it should release); with o->dry_run
 * (on drives added read-only) it only says what it would release.
 * The filesystems are found by appliance/filesystems.h (which opens
 * the LUKS volumes with o->opts' keys).  NAME_OF, if not NULL, names
 * the disk a device belongs to in messages (several disks in one
 * appliance).  Returns 0, or -1 after reporting.
 */
struct release_result {
  unsigned filesystems, skipped, zero_filled;
  uint64_t would_release;       /* --dry-run: bytes reported */
  /* If not NULL, which --zero and --ignore names were found (ORed in,
   * one per name, caller-owned), and the caller warns about the rest;
   * if NULL, release_free_space does.
   */
  bool *zero_used, *ignore_used;
  /* If not NULL, what the caller did and learnt on the host (host.c):
   * for the VGs and swap areas released there, only their message is
   * said.
   */
  const struct host_release *host;
};
/* "--zero NAME: no such filesystem in the guest" for each of the N
 * NAMES not USED.
 */
extern void warn_unused (char *const *names, size_t n, const bool *used,
                         const char *option);
extern int release_free_space (guestfs_h *g, const struct sparsify_options *o,
                               bool in_place,
                               const char *(*name_of) (const char *dev,
                                                       void *opaque),
                               void *opaque, struct release_result *r);

/* output.c: where OUTDISK is written (a temporary file beside it,
 * renamed when complete; or the block device itself).
 */
struct output {
  char *path;
  bool device;
};
/* Before the launch: refuse what cannot be written, make the temporary
 * file.  Exits after one error line.
 */
extern void output_prepare (const struct sparsify_options *o,
                            struct output *out);
/* Copy the overlay to OUTDISK in FORMAT, sparse. */
extern void output_write (const struct sparsify_options *o,
                          const struct output *out, const char *overlay,
                          const char *format);

/* tmp.c: run qemu-img (ARGV); on failure report "WHAT: its reason"
 * and return -1.
 */
extern int run_qemu_img (const char *what, const char *const *argv);

/* in-place.c: returns the exit status. */
extern int in_place_run (const struct sparsify_options *o);

#endif /* GUESTKIT_SPARSIFY_H */
