/* virt-sysprep: the Red Hat family's interface files (ifcfg-*) lose
 * what ties them to one machine: their MAC address (net-hwaddr) and
 * their host name (net-hostname).
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "sysprep.h"

static bool
starts_with_any (const char *line, size_t len, void *opaque)
{
  const char *const *keys = opaque;

  for (size_t i = 0; keys[i]; ++i)
    if (len >= strlen (keys[i]) && STREQLEN (line, keys[i], strlen (keys[i])))
      return true;
  return false;
}

static int
drop_keys (struct guest *gu, const char *const *keys)
{
  CLEANUP_FREE_STRING_LIST char **files =
    guest_glob (gu->g, "/etc/sysconfig/network-scripts/ifcfg-*");

  if (files == NULL)
    return -1;
  for (size_t i = 0; files[i]; ++i)
    if (guest_drop_lines (gu->g, files[i], starts_with_any,
                          (void *) keys) == -1)
      return -1;
  return 0;
}

int
op_net_hostname (struct guest *gu)
{
  static const char *const keys[] = { "HOSTNAME=", "DHCP_HOSTNAME=", NULL };

  return drop_keys (gu, keys);
}

int
op_net_hwaddr (struct guest *gu)
{
  static const char *const keys[] = { "HWADDR=", NULL };

  return drop_keys (gu, keys);
}
