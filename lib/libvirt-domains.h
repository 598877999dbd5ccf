/* guestkit: libvirt domains and their disks.
 *
 * The disk list comes from the domain XML (libxml2), not from
 * libguestfs's add_domain, so tools can decide per disk how to add it
 * and can batch disks of several domains into one appliance.
 */
#ifndef GUESTKIT_LIBVIRT_DOMAINS_H
#define GUESTKIT_LIBVIRT_DOMAINS_H

#include <stdbool.h>

#include "vector.h"

enum gk_disk_source { GK_DISK_FILE, GK_DISK_BLOCK, GK_DISK_NETWORK };

struct gk_domain_disk {
  enum gk_disk_source source;
  char *path;               /* file or block device; network: the name= */
  char *format;             /* <driver type=…>, NULL if absent */
  char *protocol;           /* network: nbd, rbd, iscsi, http, ... */
  char **servers;           /* network: "host:port" or "unix:/path" */
  char *username;           /* network: <auth username=…> */
  char *target;             /* <target dev="vda"> */
  bool readonly;            /* <readonly/> */
  bool shareable;           /* <shareable/> */
};
DEFINE_VECTOR_TYPE (gk_domain_disk_list, struct gk_domain_disk);

struct gk_domain {
  char *name;
  char *uuid;               /* "xxxxxxxx-xxxx-…" */
  bool active;              /* running (or paused) */
  gk_domain_disk_list disks;  /* only type="disk" devices, cdroms skipped */
};
DEFINE_VECTOR_TYPE (gk_domain_list, struct gk_domain);

/* Parse a domain's XML.  Fills name, uuid and disks (not active).
 * Returns 0, or -1 after reporting the error with gk_warning-free text
 * in *ERRMSG (caller frees).
 */
extern int gk_domain_parse_xml (const char *xml, struct gk_domain *dom,
                                char **errmsg);

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

extern void gk_domain_free (struct gk_domain *dom);
extern void gk_domain_list_free (gk_domain_list *list);

#endif /* GUESTKIT_LIBVIRT_DOMAINS_H */
