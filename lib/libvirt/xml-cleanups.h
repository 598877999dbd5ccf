/* guestkit: CLEANUP_* attributes for libxml2 objects
 * (see utils/cleanups.h).
 */
#ifndef GUESTKIT_LIBVIRT_XML_CLEANUPS_H
#define GUESTKIT_LIBVIRT_XML_CLEANUPS_H

#define CLEANUP_XMLFREEDOC \
  __attribute__ ((cleanup (gk_cleanup_xmlFreeDoc)))
#define CLEANUP_XMLXPATHFREECONTEXT \
  __attribute__ ((cleanup (gk_cleanup_xmlXPathFreeContext)))
#define CLEANUP_XMLXPATHFREEOBJECT \
  __attribute__ ((cleanup (gk_cleanup_xmlXPathFreeObject)))
#define CLEANUP_XMLFREE \
  __attribute__ ((cleanup (gk_cleanup_xmlFree)))

extern void gk_cleanup_xmlFreeDoc (void *ptr);
extern void gk_cleanup_xmlXPathFreeContext (void *ptr);
extern void gk_cleanup_xmlXPathFreeObject (void *ptr);
extern void gk_cleanup_xmlFree (void *ptr);

#endif /* GUESTKIT_LIBVIRT_XML_CLEANUPS_H */
