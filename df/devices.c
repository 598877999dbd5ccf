/* virt-df: device names relative to a guest.
 *
 * When several guests share one appliance, the third disk added is
 * /dev/sdc, but its owner calls it /dev/sda.  These helpers translate
 * between appliance indexes and names, so output does not depend on how
 * guests were batched.  Appliance indexes and names themselves are
 * appliance/owners.h's.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "appliance/owners.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "df.h"

#define DISK_PREFIX "/dev/sd"

char *
df_rename_device (const char *dev, size_t first_index)
{
  const char *rest;
  ssize_t index;
  CLEANUP_FREE char *disk = NULL;

  if (STRPREFIX (dev, "btrfsvol:")) {
    CLEANUP_FREE char *inner = df_rename_device (dev + 9, first_index);

    return xasprintf ("btrfsvol:%s", inner);
  }
  index = gk_device_index (dev, &rest);
  if (index < 0 || (size_t) index < first_index)
    return xstrdup (dev);
  disk = gk_device_name ((size_t) index - first_index);
  return xasprintf ("%s%s", disk, rest);
}

/* Where libguestfs's list_filesystems puts DEV: whole disks, then
 * partitions, MD devices, LVs, and last the opened LUKS volumes that
 * virt-df has always added after its list.
 */
static int
list_class (const char *dev, const char **letters, size_t *n_letters,
            unsigned long *number)
{
  const char *p, *digits;

  *letters = NULL;
  *n_letters = 0;
  *number = 0;
  if (STRPREFIX (dev, "/dev/mapper/"))
    return 4;
  if (STRPREFIX (dev, "/dev/md") && isdigit ((unsigned char) dev[7])) {
    *number = strtoul (dev + 7, NULL, 10);
    return 2;
  }
  if (!STRPREFIX (dev, DISK_PREFIX))
    return 3;
  p = dev + strlen (DISK_PREFIX);
  *letters = p;
  while (islower ((unsigned char) *p))
    p++;
  *n_letters = (size_t) (p - *letters);
  digits = p;
  while (isdigit ((unsigned char) *p))
    p++;
  if (*n_letters == 0 || *p != '\0')
    return 3;                   /* a VG called "sdx", say */
  if (p == digits)
    return 0;
  *number = strtoul (digits, NULL, 10);
  return 1;
}

int
df_compare_list_order (const char *a, const char *b)
{
  const char *la, *lb;
  size_t na, nb;
  unsigned long numa, numb;
  int ca = list_class (a, &la, &na, &numa);
  int cb = list_class (b, &lb, &nb, &numb);
  int r;

  if (ca != cb)
    return ca < cb ? -1 : 1;
  if (ca >= 3)
    return strcmp (a, b);
  /* The appliance's order: sdz before sdaa, sda2 before sda10. */
  if (na != nb)
    return na < nb ? -1 : 1;
  if (na > 0 && (r = strncmp (la, lb, na)) != 0)
    return r;
  if (numa != numb)
    return numa < numb ? -1 : 1;
  return strcmp (a, b);
}
