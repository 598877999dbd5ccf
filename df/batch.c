/* virt-df: running appliances for a list of guests.
 *
 * An appliance launch costs ~10 s even with KVM, far more than measuring
 * a filesystem, so guests are packed into as few appliances as safely
 * possible and those appliances run in parallel.  A guest whose disks
 * conflict with another's (appliance/owners.h), or whose shared appliance
 * failed to start, is rerun on its own.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appliance/drives.h"
#include "appliance/filesystems.h"
#include "appliance/handle.h"
#include "appliance/owners.h"
#include "libvirt/domain-xml.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/parallel.h"
#include "utils/string-list.h"
#include "df.h"

/* More disks per appliance only add qemu start-up cost; beyond this the
 * work is better spread over two appliances.
 */
#define MAX_DISKS_PER_APPLIANCE 32
/* Split guests over parallel appliances only beyond this many: measured
 * on 2 cores under emulation, two appliances booting side by side take
 * twice as long as one, so packing wins for ordinary numbers of guests.
 */
#define MIN_GUESTS_PER_APPLIANCE 16
/* Memory an appliance needs, for the automatic thread count. */
#define APPLIANCE_MB 650

static size_t
guest_disk_count (const struct df_guest *guest)
{
  return guest->is_domain ? guest->domain.disks.len : guest->drives.len;
}

/* Vet the disks of GUEST before anything is added, so a bad image is
 * reported against its guest and cannot sink a shared appliance.
 */
static int
check_disk (guestfs_h *g, struct df_guest *guest, const struct gk_drive *d)
{
  CLEANUP_FREE char *problem = NULL;

  if (gk_check_drive (g, d) == -1 ||
      df_check_partition_table (d, &problem) == -1)
    return -1;
  if (problem && guest->table_problem == NULL)
    guest->table_problem = guest_disk_count (guest) > 1
      ? xasprintf ("%s: %s", d->arg, problem) : xstrdup (problem);
  return 0;
}

static int
check_guest (guestfs_h *g, struct df_guest *guest)
{
  if (guest->is_domain) {
    for (size_t i = 0; i < guest->domain.disks.len; ++i) {
      struct gk_drive d;

      gk_domain_disk_as_drive (&guest->domain.disks.ptr[i], &d);
      if (check_disk (g, guest, &d) == -1)
        return -1;
    }
    return 0;
  }
  for (size_t i = 0; i < guest->drives.len; ++i)
    if (check_disk (g, guest, guest->drives.ptr[i]) == -1)
      return -1;
  return 0;
}

static int
add_guest (guestfs_h *g, struct df_guest *guest)
{
  if (guest->is_domain)
    return gk_add_domain (g, &guest->domain, true) == -1 ? -1 : 0;
  for (size_t i = 0; i < guest->drives.len; ++i)
    if (gk_add_drive (g, guest->drives.ptr[i], true) == -1)
      return -1;
  return 0;
}

static void
clear_rows (df_row_list *rows)
{
  for (size_t i = 0; i < rows->len; ++i) {
    free (rows->ptr[i].device);
    free (rows->ptr[i].type);
  }
  rows->len = 0;
}

static bool
measurable (const char *type)
{
  return STRNEQ (type, "") && STRNEQ (type, "swap")
    && STRNEQ (type, "unknown") && STRNEQ (type, "LVM2_member")
    && STRNEQ (type, "crypto_LUKS") && STRNEQ (type, "linux_raid_member");
}

/* The subvolumes list_filesystems would list after the btrfs mounted
 * at "/": all but the default one (which is what mounting the device
 * shows), as "btrfsvol:DEVICE/PATH".  Asked while it is mounted for its
 * own figures, which saves list_filesystems's two mounts of its own.
 */
static void
list_subvolumes (guestfs_h *g, const char *device, string_vector *vols)
{
  CLEANUP_FREE_BTRFSSUBVOLUME_LIST struct guestfs_btrfssubvolume_list *list =
    guestfs_btrfs_subvolume_list (g, "/");
  int64_t default_id = guestfs_btrfs_subvolume_get_default (g, "/");

  for (size_t i = 0; list && i < list->len; ++i)
    if ((int64_t) list->val[i].btrfssubvolume_id != default_id)
      string_vector_append (vols, xasprintf ("btrfsvol:%s/%s", device,
                                             list->val[i].btrfssubvolume_path));
}

/* Mount one filesystem read-only and read its figures (and those of
 * its btrfs subvolumes, which come right after it).  Failures are
 * silent, as upstream: a filesystem the appliance cannot mount (say, a
 * dirty XFS log) is simply not listed.
 */
static void
measure (guestfs_h *g, struct df_guest *guest, const char *fs,
         const char *type)
{
  CLEANUP_FREE_STATVFS struct guestfs_statvfs *st = NULL;
  CLEANUP_FREE char *canonical = NULL;
  string_vector vols = empty_vector;
  struct df_row row;

  guestfs_push_error_handler (g, NULL, NULL);
  if (guestfs_mount_ro (g, fs, "/") == 0) {
    st = guestfs_statvfs (g, "/");
    if (st && STREQ (type, "btrfs") && !STRPREFIX (fs, "btrfsvol:"))
      list_subvolumes (g, fs, &vols);
    guestfs_umount_all (g);
  }
  canonical = STRPREFIX (fs, "btrfsvol:") ? xstrdup (fs)
    : guestfs_canonical_device_name (g, fs);
  guestfs_pop_error_handler (g);
  if (st == NULL)
    return;
  row.device = df_rename_device (canonical ? canonical : fs,
                                 guest->first_index);
  row.type = xstrdup (type);
  row.st = *st;
  df_row_list_append (&guest->rows, row);
  for (size_t i = 0; i < vols.len; ++i)
    measure (g, guest, vols.ptr[i], "btrfs");
  string_vector_free_all (&vols);
}

/* Measure every filesystem FSES (from list_filesystems) of the guests in
 * a launched appliance, except the guests marked in SKIP.  Returns true
 * if some filesystem belonged to no single guest.
 */
static bool
measure_all (guestfs_h *g, char **fses, struct df_guest **guests,
             const struct gk_disk_span *spans, size_t n, const bool *skip,
             const gk_owned_id_list *pv_owners)
{
  bool unclaimed = false;

  for (size_t i = 0; fses && fses[i]; i += 2) {
    ssize_t owner = 0;

    if (!measurable (fses[i+1]))
      continue;
    if (n > 1) {
      owner = gk_owner_of_device (fses[i], spans, n);
      if (owner < 0 && STRPREFIX (fses[i], "/dev/md"))
        owner = gk_owner_of_md (g, fses[i], spans, n);
      if (owner < 0)
        owner = gk_owner_of_lv (g, fses[i], pv_owners);
      if (owner < 0) {
        gk_debug ("%s: belongs to no single guest", fses[i]);
        unclaimed = true;
        continue;
      }
    }
    if (!skip[owner])
      measure (g, guests[owner], fses[i], fses[i+1]);
  }
  return unclaimed;
}

/* Pairs (device, type) in list_filesystems's order. */
static int
compare_pairs (const void *a, const void *b)
{
  return df_compare_list_order (*(char *const *) a, *(char *const *) b);
}

/* The appliance's filesystems, in the order of libguestfs's
 * list_filesystems (which virt-df's output has always kept), found by
 * the fast probe: list_filesystems mounts every btrfs and asks parted
 * about every partition, 20 s of a 7-filesystem image under emulation.
 * Encrypted devices are opened on the way, with a warning for those no
 * key opens.  Returns NULL after reporting.
 */
static char **
list_filesystems (guestfs_h *g, const struct df_settings *s)
{
  char **fses = gk_find_filesystems (g, s->opts);
  size_t n = 0;

  if (fses == NULL)
    return NULL;
  while (fses[n])
    n += 2;
  qsort (fses, n / 2, 2 * sizeof (char *), compare_pairs);
  return fses;
}

/* A partition table our parser finds damaged: the appliance gets to
 * judge it as upstream's virt-df lets it, through list_filesystems,
 * which fails where parted refuses the table (overlapping partitions).
 */
static bool
appliance_refuses_table (guestfs_h *g)
{
  CLEANUP_FREE_STRING_LIST char **fses = NULL;

  guestfs_push_error_handler (g, NULL, NULL);
  fses = guestfs_list_filesystems (g);
  guestfs_pop_error_handler (g);
  return fses == NULL;
}

static void
guest_done (struct df_guest *guest)
{
  guest->done = true;
  if (guest->rows.len > 0)
    return;
  /* A partition table the kernel could not read either. */
  if (guest->table_problem) {
    gk_error_noexit ("%s: no filesystems were found: %s", guest->name,
                     guest->table_problem);
    guest->failed = true;
    return;
  }
  /* Nothing measurable (blank, random, swap-only or encrypted without a
   * key): upstream prints the header and exits 0, so a cron job over an
   * image directory is not failed by one odd disk.  Say so, and go on.
   */
  if (guest->from_libvirt_scan)
    gk_warning ("%s: no filesystems were found", guest->name);
  else
    gk_warning ("%s: no filesystems were found (not a disk image, or "
                "an empty or encrypted one?)", guest->name);
}

/* Run one appliance for GUESTS.  With more than one guest, guests that
 * must not share are left not done for a rerun.
 */
static int
run_appliance (struct df_guest **guests, size_t n,
               const struct df_settings *s)
{
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = gk_handle_create ();
  CLEANUP_FREE bool *conflict = xcalloc (n, sizeof (bool));
  CLEANUP_FREE_STRING_LIST char **fses = NULL;
  size_t index = 0, added = 0;
  CLEANUP_FREE struct df_guest **usable = xcalloc (n, sizeof *usable);
  CLEANUP_FREE struct gk_disk_span *spans = xcalloc (n, sizeof *spans);
  gk_owned_id_list pv_owners = empty_vector;
  bool unclaimed;

  for (size_t i = 0; i < n; ++i) {
    if (check_guest (g, guests[i]) == -1) {
      guests[i]->failed = guests[i]->done = true;
      continue;
    }
    /* A damaged table can break list_filesystems for everybody (parted
     * refuses overlapping partitions): such a guest gets an appliance
     * of its own (left not done, for the rerun).
     */
    if (n > 1 && guests[i]->table_problem)
      continue;
    if (add_guest (g, guests[i]) == -1) {
      /* Nothing of it was added only if it failed on its first disk;
       * otherwise the device numbering is off, so start over alone.
       */
      guests[i]->failed = guests[i]->done = true;
      return -1;
    }
    guests[i]->first_index = index;
    guests[i]->n_disks = guest_disk_count (guests[i]);
    index += guests[i]->n_disks;
    spans[added] = (struct gk_disk_span) { guests[i]->first_index,
                                           guests[i]->n_disks };
    usable[added++] = guests[i];
  }
  if (added == 0)
    return 0;

  if (gk_launch (g) == -1) {
    if (added == 1) {
      usable[0]->failed = usable[0]->done = true;
      return 0;
    }
    return -1;                  /* the caller retries guests one by one */
  }
  if (added == 1 && usable[0]->table_problem &&
      appliance_refuses_table (g)) {
    /* What our own parser found wrong says it better than parted. */
    gk_error_noexit ("%s: cannot list the filesystems: %s", usable[0]->name,
                     usable[0]->table_problem);
    usable[0]->failed = usable[0]->done = true;
    return 0;
  }
  fses = list_filesystems (g, s);
  if (fses == NULL) {
    /* Not "no filesystems": something broke the appliance (reported). */
    if (added > 1)
      return -1;                /* the caller retries guests one by one */
    usable[0]->failed = usable[0]->done = true;
    return 0;
  }
  if (added > 1)
    gk_find_conflicts (g, fses, spans, added, conflict, &pv_owners);
  /* Something only sharing made (an md array across two guests) or a
   * device that could not be placed: never guess, each guest alone
   * shows what is really its own.
   */
  unclaimed = measure_all (g, fses, usable, spans, added, conflict,
                           &pv_owners)
    && added > 1;
  gk_owned_ids_free (&pv_owners);
  for (size_t i = 0; i < added; ++i) {
    if (conflict[i] || unclaimed) {
      gk_debug ("%s: %s; rechecking it in its own appliance",
                usable[i]->name, conflict[i]
                ? "shares LVM or btrfs identities with another guest"
                : "a filesystem of this appliance belongs to no single "
                "guest");
      clear_rows (&usable[i]->rows);
      continue;
    }
    guest_done (usable[i]);
  }
  return 0;
}

struct plan {
  df_guest_list *guests;
  const struct df_settings *s;
  size_t n_batches;
  size_t *batch_start;          /* guests [start[b], start[b+1]) */
};

static int
run_batch (size_t b, FILE *out, void *opaque)
{
  struct plan *p = opaque;
  size_t first = p->batch_start[b], last = p->batch_start[b+1];
  size_t n = last - first;
  CLEANUP_FREE struct df_guest **guests = xcalloc (n, sizeof *guests);
  bool failed = false;

  for (size_t i = 0; i < n; ++i)
    guests[i] = &p->guests->ptr[first + i];
  if (n > 0 && run_appliance (guests, n, p->s) == -1 && n > 1)
    gk_debug ("a shared appliance could not start or list its "
              "filesystems; trying its guests one at a time");

  /* Whatever is not done yet gets an appliance of its own. */
  for (size_t i = 0; i < n; ++i) {
    if (!guests[i]->done) {
      clear_rows (&guests[i]->rows);
      if (run_appliance (&guests[i], 1, p->s) == -1)
        guests[i]->failed = true;
      guests[i]->done = true;
    }
    if (guests[i]->failed)
      failed = true;
  }
  return failed ? -1 : 0;
}

static size_t
automatic_threads (size_t n_guests)
{
  long cpus = sysconf (_SC_NPROCESSORS_ONLN);
  long pages = sysconf (_SC_AVPHYS_PAGES), page_size = sysconf (_SC_PAGESIZE);
  size_t by_memory = 1, t;

  if (pages > 0 && page_size > 0)
    by_memory = (size_t) ((pages / 1024) * (page_size / 1024)) / APPLIANCE_MB;
  t = cpus > 0 ? (size_t) cpus : 1;
  if (by_memory < t)
    t = by_memory;
  if (n_guests < t)
    t = n_guests;
  return t > 0 ? t : 1;
}

int
df_run (df_guest_list *guests, const struct df_settings *s)
{
  size_t n = guests->len, threads, n_batches, total_disks = 0;
  CLEANUP_FREE size_t *start = NULL;
  struct plan p = { .guests = guests, .s = s };
  FILE *null_out;
  int r;

  if (n == 0)
    return 0;
  threads = s->max_threads ? s->max_threads : automatic_threads (n);
  for (size_t i = 0; i < n; ++i)
    total_disks += guest_disk_count (&guests->ptr[i]);

  if (s->one_per_guest)
    n_batches = n;
  else {
    /* Enough appliances to keep the threads busy, as long as each
     * still carries several guests; and none too big.
     */
    n_batches = (n + MIN_GUESTS_PER_APPLIANCE - 1) / MIN_GUESTS_PER_APPLIANCE;
    if (n_batches > threads)
      n_batches = threads;
    if (n_batches < (total_disks + MAX_DISKS_PER_APPLIANCE - 1)
        / MAX_DISKS_PER_APPLIANCE)
      n_batches = (total_disks + MAX_DISKS_PER_APPLIANCE - 1)
        / MAX_DISKS_PER_APPLIANCE;
    if (n_batches > n)
      n_batches = n;
    if (n_batches == 0)
      n_batches = 1;
  }
  start = xcalloc (n_batches + 1, sizeof (size_t));
  for (size_t b = 0; b <= n_batches; ++b)
    start[b] = n * b / n_batches;
  p.n_batches = n_batches;
  p.batch_start = start;
  gk_debug ("%zu guests, %zu disks: %zu appliances on %zu threads",
            n, total_disks, n_batches, threads);

  null_out = fopen ("/dev/null", "w");
  if (null_out == NULL)
    gk_error_errno ("/dev/null");
  r = gk_run_parallel (n_batches, threads, run_batch, &p, null_out);
  fclose (null_out);
  return r;
}
