/* virt-df: the guests to report on, from the command line's drives or
 * from every libvirt domain.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "libvirt/domains.h"
#include "options/options.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/vector.h"
#include "df.h"

/* The name upstream gives a guest made of -a disks: the basename of the
 * first disk (for a URI, the last element of its path), then one "+"
 * for each further disk.
 */
static char *
disks_display_name (const struct gk_drive *const *drives, size_t n)
{
  const struct gk_drive *d = drives[0];
  const char *path = d->type == GK_DRIVE_URI ? d->path : d->arg;
  const char *slash = strrchr (path, '/');
  const char *base = slash && slash[1] ? slash + 1 : path;
  char *name = xmalloc (strlen (base) + n);

  strcpy (name, base);
  for (size_t i = 1; i < n; ++i)
    strcat (name, "+");
  return name;
}

static void
add_disk_guest (df_guest_list *guests, const struct gk_drive *const *drives,
                size_t n)
{
  struct df_guest guest = { .drives = empty_vector };

  for (size_t i = 0; i < n; ++i)
    drive_ptr_list_append (&guest.drives, drives[i]);
  guest.name = disks_display_name (drives, n);
  df_guest_list_append (guests, guest);
}

static void
add_domain_guest (df_guest_list *guests, const struct gk_options *opts,
                  const char *name_or_uuid)
{
  struct df_guest guest = { .is_domain = true };
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_libvirt_get_domain (opts->libvirt_uri, name_or_uuid, true,
                             &guest.domain, &errmsg) == -1)
    gk_error ("%s", errmsg);
  guest.name = xstrdup (guest.domain.name);
  guest.uuid = guest.domain.uuid ? xstrdup (guest.domain.uuid) : NULL;
  df_guest_list_append (guests, guest);
}

/* Every domain of the libvirt connection, sorted by name.  Domains
 * without disks have nothing to show.
 */
void
df_add_all_domains (df_guest_list *guests, const struct gk_options *opts)
{
  gk_domain_list domains = empty_vector;
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_libvirt_list_domains (opts->libvirt_uri, true, &domains,
                               &errmsg) == -1)
    gk_error ("%s", errmsg);
  for (size_t i = 0; i < domains.len; ++i) {
    struct df_guest guest = { .is_domain = true, .from_libvirt_scan = true };

    if (domains.ptr[i].disks.len == 0) {
      gk_domain_free (&domains.ptr[i]);
      continue;
    }
    guest.domain = domains.ptr[i];
    guest.name = xstrdup (guest.domain.name);
    guest.uuid = guest.domain.uuid ? xstrdup (guest.domain.uuid) : NULL;
    df_guest_list_append (guests, guest);
  }
  free (domains.ptr);
}

/* Turn the command line's drives into guests.  -a disks form one guest
 * (as upstream) unless --per-disk; every -d is a guest of its own.
 */
void
df_make_guests (df_guest_list *guests, const struct gk_options *opts,
             bool per_disk)
{
  CLEANUP_FREE const struct gk_drive **disks =
    xcalloc (opts->drives.len, sizeof *disks);
  size_t n_disks = 0;
  ssize_t disk_guest_slot = -1;

  for (size_t i = 0; i < opts->drives.len; ++i) {
    const struct gk_drive *d = &opts->drives.ptr[i];

    if (d->type == GK_DRIVE_DOMAIN)
      add_domain_guest (guests, opts, d->arg);
    else if (per_disk)
      add_disk_guest (guests, &d, 1);
    else {
      if (disk_guest_slot == -1) {
        /* Keep command-line order: the disk guest sits where its first
         * disk was given.
         */
        disk_guest_slot = (ssize_t) guests->len;
        df_guest_list_append (guests, (struct df_guest) { 0 });
      }
      disks[n_disks++] = d;
    }
  }
  if (disk_guest_slot >= 0) {
    df_guest_list tmp = empty_vector;

    add_disk_guest (&tmp, disks, n_disks);
    guests->ptr[disk_guest_slot] = tmp.ptr[0];
    free (tmp.ptr);
  }
}

void
df_free_guests (df_guest_list *guests)
{
  for (size_t i = 0; i < guests->len; ++i) {
    struct df_guest *g = &guests->ptr[i];

    free (g->name);
    free (g->uuid);
    free (g->table_problem);
    free (g->drives.ptr);
    if (g->is_domain)
      gk_domain_free (&g->domain);
    for (size_t r = 0; r < g->rows.len; ++r) {
      free (g->rows.ptr[r].device);
      free (g->rows.ptr[r].type);
    }
    free (g->rows.ptr);
  }
  free (guests->ptr);
}

bool
df_all_failed (const df_guest_list *guests)
{
  for (size_t i = 0; i < guests->len; ++i)
    if (!guests->ptr[i].failed)
      return false;
  return guests->len > 0;
}
