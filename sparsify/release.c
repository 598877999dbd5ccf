/* virt-sparsify: releasing the space a guest does not use, inside the
 * appliance.
 *
 * Upstream fills every filesystem with a file of zeroes and relies on
 * qemu-img to notice them: every free byte crosses the emulated disk
 * twice.  A discard costs nothing by comparison, and on the qcow2
 * overlay of copy mode (or on the disk itself, in place) it leaves the
 * range reading as zero and unallocated.  So: fstrim each filesystem,
 * discard each volume group's free extents through a temporary LV, and
 * discard the body of each swap device (its header, with the UUID and
 * label, is put back).  (ntfs-3g trims too, since 2017.)  Only a
 * filesystem that cannot discard is zero-filled, and only in copy mode,
 * where the host-side copy turns the zeroes into holes; in place that
 * would allocate what it should release, so it is only reported.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "appliance/filesystems.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/json.h"
#include "utils/machine-readable.h"
#include "utils/messages.h"
#include "utils/sizes.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "utils/vector.h"
#include "sparsify.h"

#define SWAP_HEADER 4096
#define SWAP_MAGIC "SWAPSPACE2"

struct release {
  guestfs_h *g;
  const struct sparsify_options *o;
  bool in_place;
  bool dry_run;                 /* --in-place --dry-run: only say */
  const char *(*name_of) (const char *dev, void *opaque);
  void *opaque;
  char **zeroes, **ignores;     /* canonical names */
  string_vector ro_lvs;         /* UUIDs of the read-only LVs */
  const struct host_release *host; /* copy mode: what host.c did */
  bool host_complete;           /* ... and it knew every VG and LV */
  bool *zero_used, *ignore_used;
  struct release_result *r;
};

/* DEV as the user should read it: "/dev/sdb1 (disk2.img)" when several
 * disks share the appliance.  Returns a static buffer.
 */
static const char *
label (const struct release *rel, const char *dev)
{
  static char buf[4096];
  const char *disk = rel->name_of ? rel->name_of (dev, rel->opaque) : NULL;

  if (disk == NULL)
    return dev;
  snprintf (buf, sizeof buf, "%s (%s)", dev, disk);
  return buf;
}

/* --dry-run: "Would WHAT DEV: SIZE SUFFIX", and for machine-readable
 * callers the exact figure as a JSON line.
 */
static void
would_release (struct release *rel, const char *what, const char *dev,
               int64_t bytes, const char *suffix)
{
  const char *disk = rel->name_of ? rel->name_of (dev, rel->opaque) : NULL;
  CLEANUP_FREE char *size = gk_human_size (bytes < 0 ? 0 : bytes);

  if (bytes < 0)
    bytes = 0;
  gk_message ("Would %s %s: %s%s", what, label (rel, dev), size, suffix);
  rel->r->would_release += (uint64_t) bytes;
  if (gk_machine_readable) {
    FILE *fp = gk_machine_readable_channel ();

    fputs ("{ \"device\": ", fp);
    gk_json_write_string (fp, dev);
    if (disk) {
      fputs (", \"disk\": ", fp);
      gk_json_write_string (fp, disk);
    }
    fprintf (fp, ", \"would-release\": %" PRId64 " }\n", bytes);
    fflush (fp);
  }
}

static int64_t
device_size (struct release *rel, const char *dev)
{
  int64_t size = guestfs_blockdev_getsize64 (rel->g, dev);

  if (size == -1)
    gk_error_noexit ("%s: %s", label (rel, dev), guestfs_last_error (rel->g));
  return size;
}

/* The names of --zero and --ignore, canonical as libguestfs lists
 * filesystems ("sda1" and "/dev/vda1" are "/dev/sda1").  A name that is
 * not a device (a VG) is kept as it is.
 */
static char **
canonical_names (guestfs_h *g, const string_vector *names)
{
  char **ret = xcalloc (names->len + 1, sizeof *ret);

  for (size_t i = 0; i < names->len; ++i) {
    const char *name = names->ptr[i];
    CLEANUP_FREE char *dev = NULL;
    char *c;

    dev = name[0] == '/' ? xstrdup (name) : xasprintf ("/dev/%s", name);
    guestfs_push_error_handler (g, NULL, NULL);
    c = guestfs_canonical_device_name (g, dev);
    guestfs_pop_error_handler (g);
    ret[i] = c ? c : xstrdup (name);
  }
  return ret;
}

static ssize_t
find_name (char **list, const char *name)
{
  for (size_t i = 0; list[i]; ++i)
    if (STREQ (list[i], name))
      return (ssize_t) i;
  return -1;
}

static bool
is_ignored (struct release *rel, const char *name)
{
  ssize_t i = find_name (rel->ignores, name);

  if (i < 0)
    return false;
  rel->ignore_used[i] = true;
  return true;
}

/* VG names are compared as the user wrote them. */
static bool
is_ignored_vg (struct release *rel, const char *vg)
{
  bool found = false;

  for (size_t i = 0; i < rel->o->ignores.len; ++i)
    if (STREQ (rel->o->ignores.ptr[i], vg)) {
      rel->ignore_used[i] = true;
      found = true;
    }
  return found;
}

/* The UUIDs of the read-only LVs (lv_attr's second letter 'r'), which
 * cannot be written: one question for all of them, so that the usual
 * guest, which has none, costs no question per filesystem (each is a
 * round trip through the emulated appliance).
 */
static void
find_read_only_lvs (guestfs_h *g, string_vector *ro_lvs)
{
  struct guestfs_lvm_lv_list *lvs;

  guestfs_push_error_handler (g, NULL, NULL);
  lvs = guestfs_lvs_full (g);
  guestfs_pop_error_handler (g);
  for (size_t i = 0; lvs && i < lvs->len; ++i)
    if (strlen (lvs->val[i].lv_attr) > 1 && lvs->val[i].lv_attr[1] == 'r')
      string_vector_append (ro_lvs, xstrndup (lvs->val[i].lv_uuid, 32));
  if (lvs)
    guestfs_free_lvm_lv_list (lvs);
}

static bool
is_read_only_lv (const struct release *rel, const char *dev)
{
  CLEANUP_FREE char *uuid = NULL;

  if (rel->host_complete)       /* the host read every LV's flags */
    return string_vector_contains (&rel->host->ro_lvs, dev);
  if (rel->ro_lvs.len == 0)
    return false;
  guestfs_push_error_handler (rel->g, NULL, NULL);
  if (guestfs_is_lv (rel->g, dev) > 0)
    uuid = guestfs_lvuuid (rel->g, dev);
  guestfs_pop_error_handler (rel->g);
  for (size_t i = 0; uuid && i < rel->ro_lvs.len; ++i)
    if (STREQLEN (rel->ro_lvs.ptr[i], uuid, 32))
      return true;
  return false;
}

/* Content that holds no filesystem of its own: an LVM PV or an MD
 * member (what they hold is listed as the volume), a LUKS device no key
 * opened.
 */
static bool
is_container (const char *type)
{
  return STREQ (type, "LVM2_member") || STREQ (type, "linux_raid_member") ||
         STREQ (type, "crypto_LUKS");
}

/* Release the whole of DEV: discard it.  In copy mode that is enough
 * (the overlay records a discard as zero clusters), and if the discard
 * fails, zeroes are written (the host-side copy turns them into
 * holes).  In place, a discard releases the space on the host but need
 * not leave zeroes: where the contents must read as zero (MUST_ZERO,
 * --zero) and the device does not promise it, zero_device follows; it
 * writes only blocks that are not already zero, so after a discard
 * that did zero them it writes nothing.  In place, swap and free VG
 * space only need releasing: zeroes written there would allocate what
 * should be released.
 */
static int
release_whole (struct release *rel, const char *dev, bool must_zero)
{
  guestfs_h *g = rel->g;
  int r, zeroes = 1;

  guestfs_push_error_handler (g, NULL, NULL);
  r = guestfs_blkdiscard (g, dev);
  if (rel->in_place)
    zeroes = guestfs_blkdiscardzeroes (g, dev);
  guestfs_pop_error_handler (g);
  if (r == 0 && (zeroes > 0 || !must_zero))
    return 0;
  if (rel->in_place && !must_zero) {
    gk_warning ("%s: discard failed: %s", label (rel, dev),
                guestfs_last_error (g));
    rel->r->skipped++;
    return 0;
  }
  if (guestfs_zero_device (g, dev) == -1) {
    gk_error_noexit ("%s: %s", label (rel, dev), guestfs_last_error (g));
    return -1;
  }
  return 0;
}

/* Swap: keep the first page (signature, UUID, label, version) so the
 * guest still finds its swap by UUID or label; release the rest.
 */
static int
release_swap (struct release *rel, const char *dev)
{
  guestfs_h *g = rel->g;
  CLEANUP_FREE char *header = NULL;
  size_t size = 0;
  int r;

  if (rel->dry_run) {
    int64_t bytes = device_size (rel, dev);

    if (bytes == -1)
      return -1;
    would_release (rel, "clear Linux swap on", dev, bytes - SWAP_HEADER,
                   " (its header kept)");
    rel->r->filesystems++;
    return 0;
  }
  gk_message ("Clearing Linux swap on %s", label (rel, dev));
  header = guestfs_pread_device (g, dev, SWAP_HEADER, 0, &size);
  if (header == NULL || size != SWAP_HEADER) {
    gk_error_noexit ("%s: cannot read the swap header: %s",
                     label (rel, dev), guestfs_last_error (g));
    return -1;
  }
  /* An interruption between the two would leave a swap device the
   * guest no longer recognises.
   */
  gk_interrupt_hold ();
  if (release_whole (rel, dev, false) == -1) {
    gk_interrupt_release ();
    return -1;
  }
  r = guestfs_pwrite_device (g, dev, header, SWAP_HEADER, 0);
  gk_interrupt_release ();
  if (r != SWAP_HEADER) {
    gk_error_noexit ("%s: cannot write the swap header back: %s",
                     label (rel, dev), guestfs_last_error (g));
    return -1;
  }
  rel->r->filesystems++;
  return 0;
}

static bool
is_swap (guestfs_h *g, const char *dev)
{
  CLEANUP_FREE char *magic = NULL;
  size_t size = 0;

  guestfs_push_error_handler (g, NULL, NULL);
  magic = guestfs_pread_device (g, dev, strlen (SWAP_MAGIC),
                                SWAP_HEADER - strlen (SWAP_MAGIC), &size);
  guestfs_pop_error_handler (g);
  return magic && size == strlen (SWAP_MAGIC) &&
         memcmp (magic, SWAP_MAGIC, size) == 0;
}

/* Upstream's skips, with its notes: a read-only btrfs snapshot, a
 * filesystem that mounted read-only.
 */
static bool
mounted_read_only (struct release *rel, const char *dev, const char *type)
{
  guestfs_h *g = rel->g;
  bool ro = false;

  guestfs_push_error_handler (g, NULL, NULL);
  if (STREQ (type, "btrfs")) {
    CLEANUP_FREE_STRING_LIST char **show =
      guestfs_btrfs_subvolume_show (g, "/");

    for (size_t i = 0; show && show[i] && show[i + 1]; i += 2)
      if (STREQ (show[i], "Flags") && strstr (show[i + 1], "readonly"))
        ro = true;
    if (ro) {
      guestfs_pop_error_handler (g);
      gk_info ("Skipping %s, as it is a read-only btrfs snapshot.",
               label (rel, dev));
      return true;
    }
  }
  {
    struct guestfs_statvfs *sv = guestfs_statvfs (g, "/");

    ro = sv && (sv->flag & ST_RDONLY);
    guestfs_free_statvfs (sv);
  }
  guestfs_pop_error_handler (g);
  if (ro)
    gk_info ("Skipping %s, as it is a read-only device.", label (rel, dev));
  return ro;
}

/* A name for a file of zeroes in the root of the mounted filesystem:
 * 8.3 (FAT) and not taken (a guest file must not be overwritten).
 */
static char *
unused_name (guestfs_h *g)
{
  static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";

  for (;;) {
    char name[16] = "/";
    int r;

    for (size_t i = 1; i <= 8; ++i)
      name[i] = chars[random () % (sizeof chars - 1)];
    strcpy (name + 9, ".tmp");
    r = guestfs_exists (g, name);
    if (r == -1)
      return NULL;
    if (r == 0)
      return xstrdup (name);
  }
}

/* The fallback for a filesystem that cannot discard (copy mode only):
 * files of zeroes until it is full, then removed; the host-side copy
 * turns the zeroes into holes.  Files of at most FILL_CHUNK, not one
 * file (upstream's zero_free_space): a FAT file stops at 4 GiB and
 * upstream fails there with "File too large"; here a file that reaches
 * its filesystem's size limit (EFBIG) is simply followed by another.
 */
#define FILL_CHUNK (1024 * 1024 * 1024)

static int
fill_with_zeroes (struct release *rel, const char *dev)
{
  guestfs_h *g = rel->g;
  string_vector files = empty_vector;
  int ret = 0;

  guestfs_push_error_handler (g, NULL, NULL);
  for (;;) {
    char *name = unused_name (g);
    int r, err;

    if (name == NULL) {
      ret = -1;
      break;
    }
    string_vector_append (&files, name);
    r = guestfs_fill (g, 0, FILL_CHUNK, name);
    err = guestfs_last_errno (g);
    if (r == 0)
      continue;
    if (err == ENOSPC)          /* full: done */
      break;
    /* At the file size limit: the next file, unless this one could
     * not take a byte (which no further file would either).
     */
    if (err != EFBIG || guestfs_filesize (g, name) <= 0) {
      ret = -1;
      break;
    }
  }
  if (ret == -1)
    gk_error_noexit ("%s: cannot fill its free space with zeroes: %s",
                     label (rel, dev), guestfs_last_error (g));
  /* On the disk before they go: the pages of a file removed unwritten
   * are simply dropped.
   */
  else if (guestfs_sync (g) == -1) {
    gk_error_noexit ("sync: %s", guestfs_last_error (g));
    ret = -1;
  }
  for (size_t i = 0; i < files.len; ++i)
    guestfs_rm_f (g, files.ptr[i]);
  guestfs_pop_error_handler (g);
  string_vector_free_all (&files);
  return ret;
}

/* A mounted filesystem: fstrim, or the fallback. */
static int
release_mounted (struct release *rel, const char *dev, const char *type)
{
  guestfs_h *g = rel->g;
  int r, err;

  if (rel->dry_run && STRPREFIX (dev, "/dev/mapper/crypt")) {
    /* dm-crypt is opened without allow-discards: the real run's fstrim
     * fails there (and warns).
     */
    gk_message ("Would skip %s: it is inside an encrypted volume, which "
                "passes no discard", label (rel, dev));
    rel->r->skipped++;
    return 0;
  }
  if (rel->dry_run) {
    struct guestfs_statvfs *sv = guestfs_statvfs (g, "/");

    if (sv == NULL) {
      gk_error_noexit ("%s: %s", label (rel, dev), guestfs_last_error (g));
      return -1;
    }
    /* Every free block, the root-reserved ones too: fstrim trims them
     * all.
     */
    would_release (rel, "trim", dev, sv->bfree * sv->frsize, " free");
    guestfs_free_statvfs (sv);
    rel->r->filesystems++;
    return 0;
  }
  gk_message (rel->in_place ? "Trimming %s" : "Fill free space in %s with "
              "zero", label (rel, dev));
  guestfs_push_error_handler (g, NULL, NULL);
  r = guestfs_fstrim (g, "/", -1);
  err = guestfs_last_errno (g);
  guestfs_pop_error_handler (g);
  if (r == 0) {
    rel->r->filesystems++;
    return 0;
  }
  if (rel->in_place) {
    if (err == ENOTSUP || err == EOPNOTSUPP || err == ENOTTY)
      gk_warning ("fstrim operation is not supported on %s (%s).  Suppress "
                  "this warning using ‘--ignore %s’, or use copying mode "
                  "instead.", label (rel, dev), type, dev);
    else
      gk_warning ("%s: fstrim failed: %s", label (rel, dev),
                  guestfs_last_error (g));
    rel->r->skipped++;
    return 0;
  }
  /* dm-crypt is opened without allow-discards, and zeroes written in
   * it are stored encrypted, so nothing can be released there.
   */
  if (STRPREFIX (dev, "/dev/mapper/crypt")) {
    gk_info ("%s is inside an encrypted volume: its free space cannot be "
             "released.", label (rel, dev));
    rel->r->skipped++;
    return 0;
  }
  gk_info ("%s (%s) cannot discard: filling its free space with zeroes "
           "instead (slower).", label (rel, dev), type);
  if (fill_with_zeroes (rel, dev) == -1)
    return -1;
  rel->r->filesystems++;
  rel->r->zero_filled++;
  return 0;
}

static int
release_filesystem (struct release *rel, const char *dev, const char *type)
{
  guestfs_h *g = rel->g;
  ssize_t z;
  int r = 0, m;

  if (is_ignored (rel, dev) || is_container (type))
    return 0;
  if (is_read_only_lv (rel, dev)) {
    gk_info ("Skipping %s, as it is a read-only device.", label (rel, dev));
    rel->r->skipped++;
    return 0;
  }
  z = find_name (rel->zeroes, dev);
  if (z >= 0) {
    rel->zero_used[z] = true;
    if (rel->dry_run) {
      int64_t bytes = device_size (rel, dev);

      if (bytes == -1)
        return -1;
      would_release (rel, "zero", dev, bytes, " (--zero)");
      return 0;
    }
    gk_message ("Zeroing %s", label (rel, dev));
    return release_whole (rel, dev, true);
  }

  /* The type says where to go: no mount attempt on swap or on what
   * blkid does not know (each costs a round trip through the emulated
   * appliance).
   */
  if (STREQ (type, "swap") && rel->host &&
      string_vector_contains (&rel->host->swaps, dev)) {
    gk_message ("Clearing Linux swap on %s", label (rel, dev));
    rel->r->filesystems++;      /* done on the host (host.c) */
    return 0;
  }
  if (STREQ (type, "swap"))
    return is_swap (g, dev) ? release_swap (rel, dev) : 0;
  if (STREQ (type, "unknown"))
    return 0;
  guestfs_push_error_handler (g, NULL, NULL);
  m = guestfs_mount (g, dev, "/");
  guestfs_pop_error_handler (g);
  if (m == 0) {
    if (mounted_read_only (rel, dev, type))
      rel->r->skipped++;
    else
      r = release_mounted (rel, dev, type);
    guestfs_push_error_handler (g, NULL, NULL);
    guestfs_umount_all (g);
    guestfs_pop_error_handler (g);
    return r;
  }
  return 0;
}

/* A volume group's free extents belong to no filesystem: a temporary
 * LV over all of them is discarded, then removed.
 */
static int
release_vg (struct release *rel, const char *vg, int64_t vg_free)
{
  guestfs_h *g = rel->g;
  CLEANUP_FREE char *lv = NULL;
  char name[32];
  int r, r2;

  if (is_ignored_vg (rel, vg))
    return 0;
  if (rel->dry_run) {
    if (vg_free > 0)
      would_release (rel, "discard the free space of volgroup", vg,
                     vg_free, "");
    return 0;
  }
  snprintf (name, sizeof name, "gksparsify%ld", (long) getpid ());
  gk_message (rel->in_place ? "Discard space in volgroup %s"
                            : "Fill free space in volgroup %s with zero",
              label (rel, vg));
  if (vg_free <= 0)             /* no free extents: nothing to do */
    return 0;
  if (rel->host && string_vector_contains (&rel->host->vgs, vg))
    return 0;                   /* done before the launch (host.c) */
  /* Held until the temporary LV is gone: in place, an interruption
   * must not leave it in the guest's VG.
   */
  gk_interrupt_hold ();
  guestfs_push_error_handler (g, NULL, NULL);
  r = guestfs_lvcreate_free (g, name, vg, 100);
  guestfs_pop_error_handler (g);
  if (r == -1) {                /* no free extents: nothing to do */
    gk_interrupt_release ();
    return 0;
  }
  lv = xasprintf ("/dev/%s/%s", vg, name);
  /* A discard is done when it returns: no sync before the removal. */
  r = release_whole (rel, lv, false);
  r2 = guestfs_lvremove (g, lv);
  gk_interrupt_release ();
  if (r2 == -1) {
    gk_error_noexit ("%s: cannot remove the temporary LV %s: %s",
                     label (rel, vg), lv, guestfs_last_error (g));
    return -1;
  }
  return r;
}

static int
compare_vg_names (const void *a, const void *b)
{
  const struct guestfs_lvm_vg *x = a, *y = b;

  return strcmp (x->vg_name, y->vg_name);
}

/* V's strings (borrowed) in a NULL-terminated array; free the array. */
static char **
null_terminated (const string_vector *v)
{
  char **ret = xcalloc (v->len + 1, sizeof *ret);

  if (v->len > 0)
    memcpy (ret, v->ptr, v->len * sizeof *ret);
  return ret;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The VGs as the host found them (all of them, host_complete says), by
 * name as vgs_full's would be: only their messages are left to say.
 */
static int
release_known_vgs (struct release *rel)
{
  string_vector names = empty_vector;
  int ret = 0;

  for (size_t i = 0; i < rel->host->vgs.len; ++i)
    string_vector_append (&names, rel->host->vgs.ptr[i]);
  for (size_t i = 0; i < rel->host->ignored_vgs.len; ++i)
    string_vector_append (&names, rel->host->ignored_vgs.ptr[i]);
  if (names.len > 0)
    qsort (names.ptr, names.len, sizeof *names.ptr, compare_strings);
  for (size_t i = 0; i < names.len; ++i)
    if (release_vg (rel, names.ptr[i], 1) == -1)
      ret = -1;
  free (names.ptr);
  return ret;
}

void
warn_unused (char *const *names, size_t n, const bool *used,
             const char *option)
{
  for (size_t i = 0; i < n; ++i)
    if (!used[i])
      gk_warning ("%s %s: no such filesystem%s in the guest", option,
                  names[i], STREQ (option, "--ignore")
                            ? " or volume group" : "");
}

int
release_free_space (guestfs_h *g, const struct sparsify_options *o,
                    bool in_place,
                    const char *(*name_of) (const char *dev, void *opaque),
                    void *opaque, struct release_result *r)
{
  CLEANUP_FREE_STRING_LIST char **fses = NULL;
  CLEANUP_FREE_LVM_VG_LIST struct guestfs_lvm_vg_list *vgs = NULL;
  CLEANUP_FREE_STRING_LIST char **zeroes = canonical_names (g, &o->zeroes);
  CLEANUP_FREE_STRING_LIST char **ignores = canonical_names (g, &o->ignores);
  CLEANUP_FREE bool *zero_used = xcalloc (o->zeroes.len + 1, sizeof (bool));
  CLEANUP_FREE bool *ignore_used =
    xcalloc (o->ignores.len + 1, sizeof (bool));
  const struct host_release *host = r->host;
  struct release rel = {
    g, o, in_place, in_place && o->dry_run, name_of, opaque, zeroes,
    ignores, empty_vector, host, false, zero_used, ignore_used, r
  };
  struct gk_known_devices known = { .types = NULL };
  CLEANUP_FREE char **known_types = NULL, **known_lvs = NULL;
  int ret = 0;

  if (host) {
    known.types = known_types = null_terminated (&host->known);
    if (host->complete)
      known.lvs = known_lvs = null_terminated (&host->lvs);
  }
  fses = gk_find_filesystems_known (g, o->opts, host ? &known : NULL);
  if (fses == NULL)
    return -1;
  /* The host read every VG's metadata and nothing turned up in the
   * appliance that it could not see: LVM need not be asked again.
   */
  rel.host_complete = host && host->complete && known.lvs_used;
  if (!rel.host_complete)
    find_read_only_lvs (g, &rel.ro_lvs);
  /* In device order, as upstream. */
  for (size_t i = 0; fses[i]; i += 2)
    if (release_filesystem (&rel, fses[i], fses[i + 1]) == -1)
      ret = -1;
  string_vector_free_all (&rel.ro_lvs);

  if (rel.host_complete) {
    if (release_known_vgs (&rel) == -1)
      ret = -1;
  }
  else {
    guestfs_push_error_handler (g, NULL, NULL);
    vgs = guestfs_vgs_full (g);
    guestfs_pop_error_handler (g);
    if (vgs) {
      qsort (vgs->val, vgs->len, sizeof *vgs->val, compare_vg_names);
      for (size_t i = 0; i < vgs->len; ++i)
        if (release_vg (&rel, vgs->val[i].vg_name,
                        vgs->val[i].vg_free) == -1)
          ret = -1;
    }
  }
  /* Several appliances (--in-place): the caller warns about the names
   * none of them used.
   */
  if (r->zero_used && r->ignore_used) {
    for (size_t i = 0; i < o->zeroes.len; ++i)
      r->zero_used[i] |= zero_used[i];
    for (size_t i = 0; i < o->ignores.len; ++i)
      r->ignore_used[i] |= ignore_used[i];
  }
  else {
    warn_unused (zeroes, o->zeroes.len, zero_used, "--zero");
    warn_unused (ignores, o->ignores.len, ignore_used, "--ignore");
  }
  /* In copy mode the shutdown's autosync does it (overlay.c). */
  if (in_place && guestfs_sync (g) == -1) {
    gk_error_noexit ("sync: %s", guestfs_last_error (g));
    ret = -1;
  }
  return ret;
}
