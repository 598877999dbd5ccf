/* guestkit: libvirt domains and their disks.
 *
 * The disk list comes from the domain XML (libxml2), not from
 * libguestfs's add_domain, so tools can decide per disk how to add it
 * and can batch disks of several domains into one appliance.
 */
#ifndef GUESTKIT_LIBVIRT_DOMAINS_H
#define GUESTKIT_LIBVIRT_DOMAINS_H

#include <stdbool.h>

#include "libvirt/domain-xml.h"

/* Every domain of URI (NULL = default), running and inactive, sorted by
 * name, with their disks.  READ_ONLY opens a read-only connection.
 * Returns 0, or -1 after gk_warning-free error text in *ERRMSG.
 */
extern int gk_libvirt_list_domains (const char *uri, bool read_only,
                                    gk_domain_list *list, char **errmsg);

/* One domain by name or UUID. */
extern int gk_libvirt_get_domain (const char *uri, const char *name_or_uuid,
                                  bool read_only, struct gk_domain *dom,
                                  char **errmsg);

/* The domain a tool is about to write to (-d of virt-sparsify,
 * virt-sysprep): exits with one error line if it cannot be found, is
 * running (writing, or even reading, the disk of a running guest gives
 * garbage) or has no disks.
 */
extern void gk_libvirt_get_shutoff_domain (const char *uri,
                                           const char *name_or_uuid,
                                           struct gk_domain *dom);

#endif /* GUESTKIT_LIBVIRT_DOMAINS_H */
