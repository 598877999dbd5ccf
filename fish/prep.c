/* guestfish: -N [FILE=]TYPE[:PARAM...], prepared disks.
 *
 * Each -N makes a new sparse raw disk on the host (test1.img, test2.img
 * ... unless FILE= names it), adds it, and once the appliance runs puts
 * a layout on it: nothing (disk), one partition (part), a filesystem
 * (fs), an LVM logical volume (lv, lvfs), or boot and root partitions
 * (bootroot, bootrootlv).  The parameters and their defaults are
 * upstream's.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "args.h"
#include "fish.h"
#include "prep.h"

/* The types: their parameters, in order, with their defaults. */
static const struct prep_type {
  const char *name;
  const char *what;
  const char *params[8];        /* "name=default", NULL-terminated */
} types[] = {
  { "disk", "a blank disk", { "size=1G" } },
  { "part", "a disk with one partition",
    { "size=1G", "partition=mbr" } },
  { "fs", "a disk with one partition holding a filesystem",
    { "filesystem=ext2", "size=1G", "partition=mbr" } },
  { "lv", "a disk with one partition holding an LVM logical volume",
    { "name=/dev/VG/LV", "size=1G", "partition=mbr" } },
  { "lvfs", "the same as lv, with a filesystem on the LV",
    { "name=/dev/VG/LV", "filesystem=ext2", "size=1G", "partition=mbr" } },
  { "bootroot", "a disk with a boot and a root partition",
    { "bootfs=ext2", "rootfs=ext2", "size=1G", "bootsize=128M",
      "partition=mbr" } },
  { "bootrootlv", "the same as bootroot, with root on an LVM LV",
    { "name=/dev/VG/LV", "bootfs=ext2", "rootfs=ext2", "size=1G",
      "bootsize=128M", "partition=mbr" } },
};
#define NR_TYPES (sizeof types / sizeof types[0])

void
fish_prep_list (void)
{
  for (size_t i = 0; i < NR_TYPES; ++i) {
    printf ("%-12s %s\n", types[i].name, types[i].what);
    printf ("%-12s -N %s", "", types[i].name);
    for (size_t j = 0; types[i].params[j]; ++j)
      printf ("%s%s", j ? ":" : "[:", strchr (types[i].params[j], '=') + 1);
    printf ("%s\n", types[i].params[0] ? "]" : "");
  }
}

/* The value of parameter NAME of P: given, or the default. */
static const char *
param (const struct fish_prep *p, const char *name)
{
  const struct prep_type *t = p->type;

  for (size_t i = 0; t->params[i]; ++i)
    if (STRPREFIX (t->params[i], name) && t->params[i][strlen (name)] == '=')
      return i < p->nr_values && *p->values[i] ? p->values[i]
        : strchr (t->params[i], '=') + 1;
  abort ();
}

int
fish_prep_parse (const char *arg, size_t n, struct fish_prep *p,
                 char **errmsg)
{
  const char *eq = strchr (arg, '='), *colon = strchr (arg, ':');
  const char *spec = arg;
  char **words;
  int64_t size;

  memset (p, 0, sizeof *p);
  /* FILE=TYPE: the = comes before any : */
  if (eq && (colon == NULL || eq < colon)) {
    p->filename = xstrndup (arg, eq - arg);
    spec = eq + 1;
  }
  else
    p->filename = xasprintf ("test%zu.img", n);
  words = gk_split_string (':', spec);
  for (size_t i = 0; i < NR_TYPES; ++i)
    if (STREQ (words[0], types[i].name))
      p->type = &types[i];
  if (p->type == NULL) {
    *errmsg = xasprintf ("-N %s: unknown type ‘%s’ (-N list lists them)",
                         arg, words[0]);
    goto error;
  }
  p->nr_values = gk_count_strings (words) - 1;
  {
    size_t max = 0;
    while (p->type->params[max])
      max++;
    if (p->nr_values > max) {
      *errmsg = xasprintf ("-N %s: %s takes at most %zu parameters", arg,
                           p->type->name, max);
      goto error;
    }
  }
  p->values = xcalloc (p->nr_values + 1, sizeof (char *));
  for (size_t i = 0; i < p->nr_values; ++i)
    p->values[i] = xstrdup (words[i + 1]);
  gk_free_string_list (words);
  words = NULL;

  if (fish_parse_int64 (param (p, "size"), &size, errmsg) == -1 ||
      size <= 0) {
    char *m = xasprintf ("-N %s: size: %s", arg,
                         *errmsg ? *errmsg : "must be more than 0");
    free (*errmsg);
    *errmsg = m;
    goto error;
  }
  p->size = size;
  if (strstr (p->type->name, "bootroot")) {
    if (fish_parse_int64 (param (p, "bootsize"), &size, errmsg) == -1 ||
        size <= 0 || size >= p->size) {
      char *m = xasprintf ("-N %s: bootsize: %s", arg,
                           *errmsg ? *errmsg : "must be more than 0 and "
                           "less than the size");
      free (*errmsg);
      *errmsg = m;
      goto error;
    }
    p->bootsize = size;
  }
  if (strstr (p->type->name, "lv")) {
    const char *name = param (p, "name");
    const char *vg = STRPREFIX (name, "/dev/") ? name + 5 : NULL;
    const char *slash = vg ? strchr (vg, '/') : NULL;

    if (slash == NULL || slash == vg ||
        slash[1] == '\0' || strchr (slash + 1, '/')) {
      *errmsg = xasprintf ("-N %s: the name must be /dev/VG/LV", arg);
      goto error;
    }
    p->vg = xstrndup (vg, slash - vg);
    p->lv = xstrdup (slash + 1);
  }
  return 0;

 error:
  gk_free_string_list (words);
  fish_prep_free (p);
  return -1;
}

void
fish_prep_free (struct fish_prep *p)
{
  free (p->filename);
  gk_free_string_list (p->values);
  free (p->vg);
  free (p->lv);
  memset (p, 0, sizeof *p);
}

int
fish_prep_create (const struct fish_prep *p)
{
  struct guestfs_add_drive_opts_argv ad = {
    .bitmask = GUESTFS_ADD_DRIVE_OPTS_FORMAT_BITMASK, .format = "raw",
  };

  if (guestfs_disk_create (fish.g, p->filename, "raw", p->size, -1) == -1)
    return -1;
  return guestfs_add_drive_opts_argv (fish.g, p->filename, &ad);
}

/* An LVM volume group on PV with one LV filling it. */
static int
make_lv (const struct fish_prep *p, const char *pv)
{
  char *pvs[] = { (char *) pv, NULL };

  if (guestfs_pvcreate (fish.g, pv) == -1 ||
      guestfs_vgcreate (fish.g, p->vg, pvs) == -1 ||
      guestfs_lvcreate_free (fish.g, p->lv, p->vg, 100) == -1)
    return -1;
  return 0;
}

int
fish_prep_run (const struct fish_prep *p, const char *dev)
{
  const char *t = p->type->name, *pt;
  char part1[64], part2[64], lvdev[512];

  if (STREQ (t, "disk"))
    return 0;
  pt = param (p, "partition");
  snprintf (part1, sizeof part1, "%s1", dev);
  snprintf (part2, sizeof part2, "%s2", dev);
  if (strstr (t, "bootroot")) {
    /* Boot from sector 64 for BOOTSIZE, root up to 64 sectors before
     * the end (room for a GPT's backup).
     */
    int64_t boot_end = 64 + p->bootsize / 512 - 1;

    if (guestfs_part_init (fish.g, dev, pt) == -1 ||
        guestfs_part_add (fish.g, dev, "p", 64, boot_end) == -1 ||
        guestfs_part_add (fish.g, dev, "p", boot_end + 1, -64) == -1 ||
        guestfs_mkfs (fish.g, param (p, "bootfs"), part1) == -1)
      return -1;
    if (STREQ (t, "bootroot"))
      return guestfs_mkfs (fish.g, param (p, "rootfs"), part2);
    snprintf (lvdev, sizeof lvdev, "/dev/%s/%s", p->vg, p->lv);
    if (make_lv (p, part2) == -1)
      return -1;
    return guestfs_mkfs (fish.g, param (p, "rootfs"), lvdev);
  }
  if (guestfs_part_disk (fish.g, dev, pt) == -1)
    return -1;
  if (STREQ (t, "part"))
    return 0;
  if (STREQ (t, "fs"))
    return guestfs_mkfs (fish.g, param (p, "filesystem"), part1);
  if (make_lv (p, part1) == -1)
    return -1;
  if (STREQ (t, "lv"))
    return 0;
  snprintf (lvdev, sizeof lvdev, "/dev/%s/%s", p->vg, p->lv);
  return guestfs_mkfs (fish.g, param (p, "filesystem"), lvdev);
}
