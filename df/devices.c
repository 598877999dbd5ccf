/* virt-df: device names relative to a guest.
 *
 * When several guests share one appliance, the third disk added is
 * /dev/sdc, but its owner calls it /dev/sda.  These helpers translate
 * between appliance indexes and names, so output does not depend on how
 * guests were batched.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "df.h"

#define DISK_PREFIX "/dev/sd"

/* "/dev/sdc3" -> 2; letters count like spreadsheet columns (sdaa = 26).
 * Sets *REST to what follows the letters.  -1 if DEV is not a disk.
 */
static ssize_t
parse_disk (const char *dev, const char **rest)
{
  const char *p;
  size_t n = 0;

  if (!STRPREFIX (dev, DISK_PREFIX))
    return -1;
  p = dev + strlen (DISK_PREFIX);
  if (!islower ((unsigned char) *p))
    return -1;
  for (; islower ((unsigned char) *p); ++p)
    n = n * 26 + (size_t) (*p - 'a' + 1);
  if (*p != '\0' && !isdigit ((unsigned char) *p) && *p != '/')
    return -1;
  *rest = p;
  return (ssize_t) n - 1;
}

ssize_t
df_device_index (const char *dev)
{
  const char *rest;

  return parse_disk (dev, &rest);
}

char *
df_device_name (size_t index)
{
  char letters[16];
  size_t i = sizeof letters - 1;

  letters[i] = '\0';
  index++;
  do {
    index--;
    letters[--i] = 'a' + index % 26;
    index /= 26;
  } while (index > 0 && i > 0);
  return xasprintf (DISK_PREFIX "%s", &letters[i]);
}

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
  index = parse_disk (dev, &rest);
  if (index < 0 || (size_t) index < first_index)
    return xstrdup (dev);
  disk = df_device_name ((size_t) index - first_index);
  return xasprintf ("%s%s", disk, rest);
}
