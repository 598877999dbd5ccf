/* guestkit: a libvirt domain's XML and the disks it describes.
 *
 * Pure text parsing with libxml2, no libvirt connection, so it can be
 * unit-tested and fuzzed on its own.  Errors are text in *ERRMSG.  Each
 * call has its own parser and XPath context: safe from several threads.
 */
#include <config.h>

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "libvirt/domain-xml.h"
#include "utils/cleanups.h"
#include "utils/alloc.h"
#include "utils/string-list.h"
#include "utils/vector.h"

/* libxml2 wants its global state set up once, before threads race to
 * use it.
 */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
init (void)
{
  pthread_once (&init_once, xmlInitParser);
}

#define CLEANUP_PARSER_CTXT  __attribute__ ((cleanup (cleanup_parser_ctxt)))

static void
cleanup_parser_ctxt (void *ptr)
{
  xmlParserCtxtPtr ctxt = *(xmlParserCtxtPtr *) ptr;

  if (ctxt)
    xmlFreeParserCtxt (ctxt);
}

/* XPath helpers.  All expressions are relative to NODE. */
static xmlXPathObjectPtr
xpath_eval (xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
  /* Reset the context node before every evaluation: libxml2 may leave
   * it moved after the previous one.
   */
  ctx->node = node;
  return xmlXPathEvalExpression (BAD_CAST expr, ctx);
}

static bool
xpath_nonempty (xmlXPathObjectPtr obj)
{
  return obj && obj->nodesetval && obj->nodesetval->nodeNr > 0;
}

/* The text of the first node EXPR selects, or NULL if it selects none
 * or the text is empty.
 */
static char *
xpath_string (xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
  CLEANUP_XMLXPATHFREEOBJECT xmlXPathObjectPtr obj =
    xpath_eval (ctx, node, expr);
  CLEANUP_XMLFREE xmlChar *s = NULL;

  if (!xpath_nonempty (obj))
    return NULL;
  s = xmlXPathCastNodeToString (obj->nodesetval->nodeTab[0]);
  if (s == NULL || *s == '\0')
    return NULL;
  return xstrdup ((const char *) s);
}

static bool
xpath_exists (xmlXPathContextPtr ctx, xmlNodePtr node, const char *expr)
{
  CLEANUP_XMLXPATHFREEOBJECT xmlXPathObjectPtr obj =
    xpath_eval (ctx, node, expr);

  return xpath_nonempty (obj);
}

static void
free_disk (struct gk_domain_disk *disk)
{
  free (disk->path);
  free (disk->format);
  free (disk->protocol);
  gk_free_string_list (disk->servers);
  free (disk->username);
  free (disk->target);
}

static void
free_disks (gk_domain_disk_list *disks)
{
  for (size_t i = 0; i < disks->len; ++i)
    free_disk (&disks->ptr[i]);
  free (disks->ptr);
  *disks = (gk_domain_disk_list) empty_vector;
}

/* One <host> of a network disk in the syntax guestfs_add_drive's
 * server parameter takes, or NULL if it names nothing usable.
 */
static char *
server_string (xmlXPathContextPtr ctx, xmlNodePtr host)
{
  CLEANUP_FREE char *name = xpath_string (ctx, host, "./@name");
  CLEANUP_FREE char *port = xpath_string (ctx, host, "./@port");
  CLEANUP_FREE char *transport = xpath_string (ctx, host, "./@transport");
  CLEANUP_FREE char *sock = xpath_string (ctx, host, "./@socket");
  /* An IPv6 literal needs brackets, or its colons read as a port. */
  bool ipv6 = name && strchr (name, ':') && name[0] != '[';

  if ((transport && STREQ (transport, "unix")) || (sock && !name))
    return sock ? xasprintf ("unix:%s", sock) : NULL;
  if (name == NULL)
    return NULL;
  if (port)
    return xasprintf (ipv6 ? "[%s]:%s" : "%s:%s", name, port);
  return ipv6 ? xasprintf ("[%s]", name) : xstrdup (name);
}

static char **
network_servers (xmlXPathContextPtr ctx, xmlNodePtr disk)
{
  CLEANUP_XMLXPATHFREEOBJECT xmlXPathObjectPtr hosts =
    xpath_eval (ctx, disk, "./source/host");
  string_vector v = empty_vector;

  if (xpath_nonempty (hosts)) {
    for (int i = 0; i < hosts->nodesetval->nodeNr; ++i) {
      char *s = server_string (ctx, hosts->nodesetval->nodeTab[i]);

      if (s)
        string_vector_append (&v, s);
    }
  }
  string_vector_append (&v, NULL);
  return v.ptr;
}

/* Fill DISK from one <disk> element.  Returns false if the element is
 * not a disk guestkit can open (cdrom, floppy, no source, ...).
 */
static bool
parse_disk (xmlXPathContextPtr ctx, xmlNodePtr node,
            gk_volume_resolver_fn resolve, void *opaque,
            struct gk_domain_disk *disk)
{
  CLEANUP_FREE char *device = xpath_string (ctx, node, "./@device");
  CLEANUP_FREE char *type = xpath_string (ctx, node, "./@type");

  memset (disk, 0, sizeof *disk);

  /* libvirt's defaults when the attributes are missing. */
  if (device && STRNEQ (device, "disk") && STRNEQ (device, "lun"))
    return false;
  if (type == NULL || STREQ (type, "file")) {
    disk->source = GK_DISK_FILE;
    disk->path = xpath_string (ctx, node, "./source/@file");
  }
  else if (STREQ (type, "block")) {
    disk->source = GK_DISK_BLOCK;
    disk->path = xpath_string (ctx, node, "./source/@dev");
  }
  else if (STREQ (type, "network")) {
    disk->source = GK_DISK_NETWORK;
    disk->protocol = xpath_string (ctx, node, "./source/@protocol");
    if (disk->protocol == NULL)
      return false;
    /* No name means the default export (nbd), so keep the disk. */
    disk->path = xpath_string (ctx, node, "./source/@name");
    if (disk->path == NULL)
      disk->path = xstrdup ("");
    disk->servers = network_servers (ctx, node);
  }
  else if (STREQ (type, "volume")) {
    CLEANUP_FREE char *pool = xpath_string (ctx, node, "./source/@pool");
    CLEANUP_FREE char *vol = xpath_string (ctx, node, "./source/@volume");
    if (resolve && pool && vol)
      disk->path = resolve (opaque, pool, vol, &disk->source);
  }
  else                          /* dir, nvme, vhostuser ... */
    return false;

  if (disk->path == NULL) {
    free_disk (disk);
    return false;
  }

  disk->format = xpath_string (ctx, node, "./driver/@type");
  disk->target = xpath_string (ctx, node, "./target/@dev");
  /* Older XML puts <auth> in <disk>, newer in <source>. */
  disk->username = xpath_string (ctx, node,
                                 "./source/auth/@username | ./auth/@username");
  disk->readonly = xpath_exists (ctx, node, "./readonly");
  disk->shareable = xpath_exists (ctx, node, "./shareable");
  return true;
}

int
gk_domain_parse_xml_resolving (const char *xml,
                               gk_volume_resolver_fn resolve, void *opaque,
                               struct gk_domain *dom, char **errmsg)
{
  CLEANUP_PARSER_CTXT xmlParserCtxtPtr pctxt = NULL;
  CLEANUP_XMLFREEDOC xmlDocPtr doc = NULL;
  CLEANUP_XMLXPATHFREECONTEXT xmlXPathContextPtr ctx = NULL;
  CLEANUP_XMLXPATHFREEOBJECT xmlXPathObjectPtr disks = NULL;
  xmlNodePtr root;
  gk_domain_disk_list list = empty_vector;

  init ();
  *errmsg = NULL;
  dom->name = dom->uuid = NULL;
  dom->disks = (gk_domain_disk_list) empty_vector;

  if (xml == NULL) {
    *errmsg = xstrdup ("no domain XML");
    return -1;
  }

  /* A parser context of our own keeps the error for this call and
   * this thread; NOERROR stops libxml2 printing it.
   */
  pctxt = xmlNewParserCtxt ();
  if (pctxt == NULL) {
    *errmsg = xstrdup ("could not create an XML parser");
    return -1;
  }
  doc = xmlCtxtReadMemory (pctxt, xml, strlen (xml), NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR |
                           XML_PARSE_NOWARNING);
  if (doc == NULL) {
    const xmlError *err = xmlCtxtGetLastError (pctxt);
    CLEANUP_FREE char *msg =
      gk_one_line (err && err->message ? err->message : "unknown error");

    if (err && err->line > 0)
      *errmsg = xasprintf ("could not parse the domain XML: line %d: %s",
                           err->line, msg);
    else
      *errmsg = xasprintf ("could not parse the domain XML: %s", msg);
    return -1;
  }

  root = xmlDocGetRootElement (doc);
  if (root == NULL || !xmlStrEqual (root->name, BAD_CAST "domain")) {
    *errmsg = xasprintf ("the XML is not a libvirt domain "
                         "(its root element is <%s>)",
                         root ? (const char *) root->name : "");
    return -1;
  }

  ctx = xmlXPathNewContext (doc);
  if (ctx == NULL) {
    *errmsg = xstrdup ("could not create an XPath context");
    return -1;
  }

  CLEANUP_FREE char *name = xpath_string (ctx, root, "./name");
  if (name == NULL) {
    *errmsg = xstrdup ("the domain XML has no <name>");
    return -1;
  }

  disks = xpath_eval (ctx, root, "./devices/disk");
  if (disks == NULL) {
    *errmsg = xstrdup ("could not evaluate an XPath expression");
    return -1;
  }
  /* Node sets come back in document order, which is the order the
   * guest sees its disks in.
   */
  for (int i = 0; disks->nodesetval && i < disks->nodesetval->nodeNr; ++i) {
    struct gk_domain_disk disk;

    if (parse_disk (ctx, disks->nodesetval->nodeTab[i], resolve, opaque,
                      &disk))
      gk_domain_disk_list_append (&list, disk);
  }

  dom->uuid = xpath_string (ctx, root, "./uuid");
  dom->name = name;
  name = NULL;
  dom->disks = list;
  return 0;
}

int
gk_domain_parse_xml (const char *xml, struct gk_domain *dom, char **errmsg)
{
  return gk_domain_parse_xml_resolving (xml, NULL, NULL, dom, errmsg);
}

void
gk_domain_free (struct gk_domain *dom)
{
  free (dom->name);
  free (dom->uuid);
  free_disks (&dom->disks);
  dom->name = dom->uuid = NULL;
  dom->active = false;
}

void
gk_domain_list_free (gk_domain_list *list)
{
  for (size_t i = 0; i < list->len; ++i)
    gk_domain_free (&list->ptr[i]);
  free (list->ptr);
  *list = (gk_domain_list) empty_vector;
}
