/* guestkit: the functions behind the CLEANUP_* attributes. */
#include <config.h>

#include <stdlib.h>
#include <unistd.h>

#include <guestfs.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "cleanups.h"
#include "gk-strings.h"

void
gk_cleanup_free (void *ptr)
{
  free (*(void **) ptr);
}

void
gk_cleanup_free_string_list (void *ptr)
{
  gk_free_string_list (*(char ***) ptr);
}

void
gk_cleanup_close (void *ptr)
{
  int fd = *(int *) ptr;

  if (fd >= 0)
    close (fd);
}

void
gk_cleanup_fclose (void *ptr)
{
  FILE *fp = *(FILE **) ptr;

  if (fp)
    fclose (fp);
}

void
gk_cleanup_unlink_free (void *ptr)
{
  char *filename = *(char **) ptr;

  if (filename) {
    unlink (filename);
    free (filename);
  }
}

void
gk_cleanup_guestfs_close (void *ptr)
{
  guestfs_h *g = *(guestfs_h **) ptr;

  if (g)
    guestfs_close (g);
}

void
gk_cleanup_free_statvfs (void *ptr)
{
  guestfs_free_statvfs (*(struct guestfs_statvfs **) ptr);
}

void
gk_cleanup_free_lvm_pv_list (void *ptr)
{
  struct guestfs_lvm_pv_list *l = *(struct guestfs_lvm_pv_list **) ptr;

  if (l)
    guestfs_free_lvm_pv_list (l);
}

void
gk_cleanup_free_lvm_vg_list (void *ptr)
{
  struct guestfs_lvm_vg_list *l = *(struct guestfs_lvm_vg_list **) ptr;

  if (l)
    guestfs_free_lvm_vg_list (l);
}

void
gk_cleanup_free_partition_list (void *ptr)
{
  struct guestfs_partition_list *l = *(struct guestfs_partition_list **) ptr;

  if (l)
    guestfs_free_partition_list (l);
}

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
