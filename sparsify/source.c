/* virt-sparsify: the input disk, vetted and measured on the host.
 *
 * A launch costs tens of seconds under emulation, and a bad input found
 * by the appliance is found late and said badly.  So before anything is
 * created the input is opened here (missing, unreadable, a wrong
 * --format, a truncated qcow2 all fail in qemu-nbd with one line), and
 * its first sectors must hold a partition table or a filesystem that
 * the host-side parsers recognise: random bytes or a damaged table are
 * refused instead of being copied as they are.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diskio/image.h"
#include "diskio/qcow2-check.h"
#include "ondisk/content.h"
#include "ondisk/lvm-label.h"
#include "ondisk/ptable.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/json.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/sizes.h"
#include "utils/string-list.h"
#include "sparsify.h"

/* Returns NULL if DISK holds a partition table or a filesystem, else
 * why not (caller frees).
 */
static char *
unrecognised (struct gk_image *disk)
{
  struct gk_ptable *table = NULL;
  struct gk_content content;
  char *errmsg = NULL, *errmsg2 = NULL;

  if (gk_ptable_read (gk_image_pread_fn, disk, gk_image_size (disk),
                      &table, &errmsg) == 0) {
    gk_ptable_free (table);
    return NULL;
  }
  /* A filesystem (or PV, swap, LUKS) on the whole disk. */
  if (gk_content_probe (gk_image_pread_fn, disk, 0, gk_image_size (disk),
                        &content, &errmsg2) == 0 &&
      content.kind != GK_CONTENT_UNKNOWN) {
    free (errmsg);
    return NULL;
  }
  free (errmsg2);
  return errmsg;
}

/* The identities in the content at OFFSET (LENGTH bytes) that the
 * appliance's kernel and LVM treat as global: filesystem UUIDs, PV
 * UUIDs, VG names.
 */
static void
add_identities (struct gk_image *disk, uint64_t offset, uint64_t length,
                string_vector *ids)
{
  struct gk_content content;
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_content_probe (gk_image_pread_fn, disk, offset, length, &content,
                        &errmsg) == -1)
    return;
  if (content.kind == GK_CONTENT_PV) {
    struct gk_lvm_label pv;
    struct gk_lvm_vg *vg = NULL;
    CLEANUP_FREE char *err2 = NULL;

    if (gk_lvm_read_pv (gk_image_pread_fn, disk, offset, length, &pv, &vg,
                        &err2) == 0) {
      string_vector_append (ids, xasprintf ("pv:%s", pv.pv_id));
      if (vg) {
        string_vector_append (ids, xasprintf ("vg:%s", vg->name));
        gk_lvm_vg_free (vg);
      }
    }
  }
  else if (content.has_uuid) {
    char uuid[64];

    gk_content_uuid_string (&content, uuid, sizeof uuid);
    string_vector_append (ids, xasprintf ("fs:%s", uuid));
  }
}

int
sparsify_input_vet (const char *indisk, const char *format,
                    uint64_t *size_r, string_vector *ids)
{
  string_vector ignored = empty_vector;
  struct gk_image *disk;
  struct gk_ptable *table = NULL;
  CLEANUP_FREE char *why = NULL;
  uint64_t size;

  if (STREQ (format, "qcow2") && strstr (indisk, "://") == NULL &&
      gk_check_qcow2 (indisk, indisk) == -1)
    return -1;
  disk = gk_image_open (indisk, format, false);
  if (disk == NULL)
    return -1;
  size = gk_image_size (disk);
  if (size == 0) {
    gk_image_close (disk);
    gk_error_noexit ("%s: the disk is empty", indisk);
    return -1;
  }
  why = unrecognised (disk);
  if (why) {
    gk_image_close (disk);
    gk_error_noexit ("%s: not a disk image with partitions or a filesystem "
                     "(%s)", indisk, why);
    return -1;
  }
  {
    CLEANUP_FREE char *errmsg = NULL;

    if (ids == NULL)
      ids = &ignored;
    if (gk_ptable_read (gk_image_pread_fn, disk, size, &table,
                        &errmsg) == 0) {
      for (size_t i = 0; i < table->parts.len; ++i)
        if (!table->parts.ptr[i].extended)
          add_identities (disk, table->parts.ptr[i].start,
                          table->parts.ptr[i].size, ids);
      gk_ptable_free (table);
    }
    else
      add_identities (disk, 0, size, ids);
    string_vector_free_all (&ignored);
  }
  gk_image_close (disk);
  *size_r = size;
  return 0;
}

uint64_t
sparsify_input_check (const char *indisk, const char *format)
{
  uint64_t size;

  if (sparsify_input_vet (indisk, format, &size, NULL) == -1)
    exit (EXIT_FAILURE);
  return size;
}

uint64_t
allocated_bytes (const char *path)
{
  struct stat st;

  if (strstr (path, "://") || stat (path, &st) == -1 || !S_ISREG (st.st_mode))
    return 0;
  return (uint64_t) st.st_blocks * 512;
}

/* Beyond upstream: how much the run gave back, also as a JSON line for
 * machine-readable callers.
 */
void
report_reclaimed (const char *what, uint64_t before, uint64_t after)
{
  CLEANUP_FREE char *b = gk_human_size (before);
  CLEANUP_FREE char *a = gk_human_size (after);

  gk_info ("%s: allocated %s before, %s after.", what, b, a);
  if (gk_machine_readable) {
    FILE *fp = gk_machine_readable_channel ();

    fputs ("{ \"disk\": ", fp);
    gk_json_write_string (fp, what);
    fprintf (fp, ", \"allocated-before\": %" PRIu64 ", "
             "\"allocated-after\": %" PRIu64 " }\n", before, after);
    fflush (fp);
  }
}
