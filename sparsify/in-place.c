/* virt-sparsify --in-place: release the free space of the disks
 * themselves, by discard (no copy, no temporary space).
 *
 * Several disks (a cron job cleaning an image library) share one
 * appliance where that is safe: disks whose contents carry the same
 * filesystem UUID, PV UUID or VG name (clones of one template) would
 * confuse the appliance's kernel and LVM, and writing is no place for
 * confusion, so such disks go to another appliance.  The identities are
 * read on the host before any launch (source.c).  A disk that fails is
 * reported and the others still finish; the exit status says whether
 * any failed.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "appliance/events.h"
#include "appliance/handle.h"
#include "diskio/format.h"
#include "diskio/output.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/sizes.h"
#include "utils/tmpfiles.h"
#include "utils/string-list.h"
#include "utils/vector.h"
#include "sparsify.h"

/* Appliance device names /dev/sda../dev/sdz are all we map back to
 * disks; more per appliance buy nothing.
 */
#define MAX_DISKS_PER_APPLIANCE 26

struct disk {
  const char *path;
  char *format;
  bool failed;
  bool no_discard;              /* failed: its format cannot discard */
  uint64_t before;
  string_vector ids;
  int group;                    /* appliance number, -1 = none yet */
};
DEFINE_VECTOR_TYPE (disk_vector, struct disk);

struct group {
  struct disk **disks;
  size_t n;
};

static bool
clashes (const struct disk *a, const struct disk *b)
{
  for (size_t i = 0; i < a->ids.len; ++i)
    for (size_t j = 0; j < b->ids.len; ++j)
      if (STREQ (a->ids.ptr[i], b->ids.ptr[j]))
        return true;
  return false;
}

/* Messages name the disk a device is on when an appliance holds more
 * than one: /dev/sdb1 → the second disk of the group.
 */
static const char *
name_of (const char *dev, void *opaque)
{
  const struct group *grp = opaque;
  const char *letter;
  size_t i;

  /* LUKS mappings are named after their device (appliance/luks.c). */
  if (STRPREFIX (dev, "/dev/mapper/cryptsd"))
    letter = dev + 19;
  else if (STRPREFIX (dev, "/dev/sd"))
    letter = dev + 7;
  else
    return NULL;
  if (grp->n < 2 || *letter < 'a' || *letter > 'z')
    return NULL;
  i = (size_t) (*letter - 'a');
  return i < grp->n ? grp->disks[i]->path : NULL;
}

static void
fail_group (struct group *grp)
{
  for (size_t i = 0; i < grp->n; ++i)
    grp->disks[i]->failed = true;
}

static void
run_group (const struct sparsify_options *o, struct group *grp,
           struct release_result *all)
{
  CLEANUP_GUESTFS_CLOSE guestfs_h *g = gk_handle_create ();
  struct release_result r = {
    .zero_used = all->zero_used, .ignore_used = all->ignore_used,
  };
  const char *const fstrim[] = { "fstrim", NULL };
  int pid;

  guestfs_push_error_handler (g, NULL, NULL);
  if (!gk_quiet)
    gk_progress_attach (g);
  /* libguestfs's temporary files inside ours: an interruption ends the
   * program at once (utils/tmpfiles.h) and removes ours.
   */
  guestfs_set_tmpdir (g, gk_tmpdir ());
  /* --dry-run: read-only drives, whose writes (the journal replayed
   * by a mount) go to libguestfs's throw-away overlay.
   */
  for (size_t i = 0; i < grp->n; ++i)
    if ((o->dry_run
         ? guestfs_add_drive_opts (g, grp->disks[i]->path,
                                   GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                   grp->disks[i]->format,
                                   GUESTFS_ADD_DRIVE_OPTS_READONLY, 1, -1)
         : guestfs_add_drive_opts (g, grp->disks[i]->path,
                                   GUESTFS_ADD_DRIVE_OPTS_FORMAT,
                                   grp->disks[i]->format,
                                   GUESTFS_ADD_DRIVE_OPTS_DISCARD, "enable",
                                   -1)) == -1) {
      gk_error_noexit ("%s: %s", grp->disks[i]->path,
                       guestfs_last_error (g));
      fail_group (grp);
      return;
    }
  if (gk_launch (g) == -1) {
    fail_group (grp);
    return;
  }
  /* An interruption ends the program at once: the appliance must not
   * outlive it (libguestfs's own watchdog did not stop it here).
   */
  pid = guestfs_get_pid (g);
  if (pid > 0)
    gk_interrupt_add_child (pid, -1);
  if (guestfs_feature_available (g, (char **) fstrim) <= 0) {
    gk_error_noexit ("discard/trim is not supported: this appliance has "
                     "no fstrim (use copying mode instead)");
    exit (EXIT_NO_DISCARD);
  }
  if (release_free_space (g, o, true, name_of, grp, &r) == -1)
    fail_group (grp);
  all->would_release += r.would_release;
  if (pid > 0)                  /* libguestfs reaps it now */
    gk_interrupt_remove_child (pid);
  if (guestfs_shutdown (g) == -1) {
    gk_error_noexit ("shutdown: %s", guestfs_last_error (g));
    fail_group (grp);
  }
}

/* Only raw and qcow2 pass a discard through to the file (libguestfs
 * refuses discard="enable" on anything else, and only once the
 * appliance is launching).  Said here, before any launch, with
 * upstream's exit status for "no discard support".
 */
static bool
format_can_discard (const struct disk *d)
{
  if (STREQ (d->format, "raw") || STREQ (d->format, "qcow2"))
    return true;
  gk_error_noexit ("discard/trim is not supported: %s: qemu does not "
                   "support discard for %s disks (use copying mode instead: "
                   "%s --convert %s %s OUTDISK)", d->path, d->format,
                   gk_program_name, d->format, d->path);
  return false;
}

/* Upstream's check: the same disk twice would be two writers. */
static int
check_duplicates (const disk_vector *disks)
{
  for (size_t i = 0; i < disks->len; ++i) {
    CLEANUP_FREE char *a = realpath (disks->ptr[i].path, NULL);

    for (size_t j = i + 1; a && j < disks->len; ++j) {
      CLEANUP_FREE char *b = realpath (disks->ptr[j].path, NULL);

      if (b && STREQ (a, b)) {
        gk_error_noexit ("%s is given twice", disks->ptr[j].path);
        return -1;
      }
    }
  }
  return 0;
}

int
in_place_run (const struct sparsify_options *o)
{
  disk_vector disks = empty_vector;
  size_t ngroups = 0, nfailed = 0, nno_discard = 0;
  struct release_result all = {
    .zero_used = xcalloc (o->zeroes.len + 1, sizeof (bool)),
    .ignore_used = xcalloc (o->ignores.len + 1, sizeof (bool)),
  };

  for (size_t i = 0; i < o->disks.len; ++i) {
    struct disk d = {
      .path = o->disks.ptr[i], .ids = empty_vector, .group = -1,
    };
    disk_vector_append (&disks, d);
  }
  if (check_duplicates (&disks) == -1)
    return EXIT_FAILURE;

  /* Vet every disk on the host; a bad one drops out here. */
  for (size_t i = 0; i < disks.len; ++i) {
    struct disk *d = &disks.ptr[i];
    uint64_t size;

    if (o->disk_formats.ptr[i])
      d->format = xstrdup (o->disk_formats.ptr[i]);
    else
      d->format = o->format ? xstrdup (o->format)
                            : gk_image_detect_format (d->path);
    if (d->format && !format_can_discard (d)) {
      d->failed = d->no_discard = true;
      continue;
    }
    /* A dry run writes nothing, so it claims nothing. */
    if (d->format == NULL ||
        (!o->dry_run && gk_output_claim (d->path) == -1) ||
        sparsify_input_vet (d->path, d->format, &size, &d->ids) == -1) {
      d->failed = true;
      continue;
    }
    d->before = allocated_bytes (d->path);
  }

  /* Pack the good disks into as few appliances as is safe. */
  for (;;) {
    struct group grp = { xcalloc (disks.len, sizeof (struct disk *)), 0 };

    for (size_t i = 0; i < disks.len; ++i) {
      struct disk *d = &disks.ptr[i];
      bool ok = !d->failed && d->group == -1 &&
                grp.n < MAX_DISKS_PER_APPLIANCE;

      for (size_t j = 0; ok && j < grp.n; ++j)
        if (clashes (d, grp.disks[j]))
          ok = false;
      if (ok) {
        d->group = (int) ngroups;
        grp.disks[grp.n++] = d;
      }
    }
    if (grp.n == 0) {
      free (grp.disks);
      break;
    }
    if (ngroups > 0 || grp.n < disks.len)
      gk_debug ("appliance %zu: %zu disk(s)", ngroups + 1, grp.n);
    ngroups++;
    run_group (o, &grp, &all);
    free (grp.disks);
  }

  for (size_t i = 0; i < disks.len; ++i) {
    struct disk *d = &disks.ptr[i];

    if (d->failed) {
      nfailed++;
      nno_discard += d->no_discard;
    }
    else if (!gk_quiet && d->before && !o->dry_run)
      report_reclaimed (d->path, d->before, allocated_bytes (d->path));
    free (d->format);
    string_vector_free_all (&d->ids);
  }
  gk_debug ("%zu appliance launch(es)", ngroups);
  /* A name is unknown only if no appliance knew it. */
  if (ngroups > 0) {
    warn_unused (o->zeroes.ptr, o->zeroes.len, all.zero_used, "--zero");
    warn_unused (o->ignores.ptr, o->ignores.len, all.ignore_used,
                 "--ignore");
  }
  free (all.zero_used);
  free (all.ignore_used);
  free (disks.ptr);
  if (nfailed) {
    if (disks.len > 1)
      gk_error_noexit ("%zu of %zu disks could not be sparsified%s",
                       nfailed, disks.len, o->dry_run ? " (dry run)" : "");
    /* Upstream's 3 when discard is what is missing, and only then. */
    return nno_discard == nfailed ? EXIT_NO_DISCARD : EXIT_FAILURE;
  }
  if (!gk_quiet) {
    putchar ('\n');
    if (o->dry_run) {
      CLEANUP_FREE char *size = gk_human_size ((int64_t) all.would_release);

      gk_info ("Dry run: nothing was changed.  Up to %s of free space "
               "would be released (some of it may already be "
               "unallocated).", size);
    }
    else
      gk_info ("Sparsify in-place operation completed with no errors");
  }
  return EXIT_SUCCESS;
}
