/* guestkit: the disks a libvirt domain's XML describes.
 *
 * The disk list comes from the domain XML (libxml2), not from
 * libguestfs's add_domain, so tools can decide per disk how to add it
 * and can batch disks of several domains into one appliance.
 */
#ifndef GUESTKIT_LIBVIRT_DOMAIN_XML_H
#define GUESTKIT_LIBVIRT_DOMAIN_XML_H

#include <stdbool.h>

#include "utils/vector.h"

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

/* For type="volume" disks: the path of VOLUME in POOL (allocated with
 * malloc), setting *SOURCE; NULL skips the disk.
 */
typedef char *(*gk_volume_resolver_fn) (void *opaque, const char *pool,
                                        const char *volume,
                                        enum gk_disk_source *source);

/* gk_domain_parse_xml, resolving storage volumes with RESOLVE (NULL:
 * volume disks are skipped).
 */
extern int gk_domain_parse_xml_resolving (const char *xml,
                                          gk_volume_resolver_fn resolve,
                                          void *opaque,
                                          struct gk_domain *dom,
                                          char **errmsg);

extern void gk_domain_free (struct gk_domain *dom);
extern void gk_domain_list_free (gk_domain_list *list);

#endif /* GUESTKIT_LIBVIRT_DOMAIN_XML_H */
