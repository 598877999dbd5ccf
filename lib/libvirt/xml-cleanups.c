/* guestkit: the functions behind the libxml2 CLEANUP_* attributes. */
#include <config.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "utils/cleanups.h"

void
gk_cleanup_xmlFreeDoc (void *ptr)
{
  xmlDocPtr doc = *(xmlDocPtr *) ptr;

  if (doc)
    xmlFreeDoc (doc);
}

void
gk_cleanup_xmlXPathFreeContext (void *ptr)
{
  xmlXPathContextPtr ctx = *(xmlXPathContextPtr *) ptr;

  if (ctx)
    xmlXPathFreeContext (ctx);
}

void
gk_cleanup_xmlXPathFreeObject (void *ptr)
{
  xmlXPathObjectPtr obj = *(xmlXPathObjectPtr *) ptr;

  if (obj)
    xmlXPathFreeObject (obj);
}

void
gk_cleanup_xmlFree (void *ptr)
{
  xmlChar *s = *(xmlChar **) ptr;

  if (s)
    xmlFree (s);
}
