/* guestkit: libvirt domains and the disks their XML describes.
 *
 * Everything here reports errors as text in *ERRMSG instead of
 * printing, so callers running in worker threads decide what the user
 * sees.  Each call opens its own connection, parser context and XPath
 * context, so calls from several threads at once are safe.
 */
#include <config.h>

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "cleanups.h"
#include "gk-strings.h"
#include "libvirt-domains.h"
#include "vector.h"

DEFINE_VECTOR_TYPE (string_vector, char *);

/* Local cleanups for the handle types cleanups.h does not know. */
static void
cleanup_virconnect (void *ptr)
{
  virConnectPtr conn = *(virConnectPtr *) ptr;

  if (conn)
    virConnectClose (conn);
}

static void
cleanup_virdomain (void *ptr)
{
  virDomainPtr dom = *(virDomainPtr *) ptr;

  if (dom)
    virDomainFree (dom);
}

static void
cleanup_parser_ctxt (void *ptr)
{
  xmlParserCtxtPtr ctxt = *(xmlParserCtxtPtr *) ptr;

  if (ctxt)
    xmlFreeParserCtxt (ctxt);
}

#define CLEANUP_VIRCONNECT   __attribute__ ((cleanup (cleanup_virconnect)))
#define CLEANUP_VIRDOMAIN    __attribute__ ((cleanup (cleanup_virdomain)))
#define CLEANUP_PARSER_CTXT  __attribute__ ((cleanup (cleanup_parser_ctxt)))

static void
ignore_libvirt_error (void *opaque, virErrorPtr err)
{
  /* Errors are turned into *ERRMSG text from virGetLastError. */
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void
do_init (void)
{
  /* Both libraries want their global state set up once, before
   * threads race to use them.
   */
  xmlInitParser ();
  virInitialize ();

  /* libvirt prints every error on stderr unless a handler is set; a
   * NULL handler means "the default", so it must be a real no-op.  This
   * also covers errors raised before a connection exists.
   */
  virSetErrorFunc (NULL, ignore_libvirt_error);
}

static void
init (void)
{
  pthread_once (&init_once, do_init);
}

/* MSG with every run of white space (libvirt and libxml2 messages may
 * span lines or end in a newline) turned into one space, trimmed.
 */
static char *
one_line (const char *msg)
{
  char *r = xmalloc (strlen (msg) + 1), *q = r;
  bool space = false;

  for (const char *p = msg; *p; ++p) {
    if (isspace ((unsigned char) *p))
      space = q > r;
    else {
      if (space)
        *q++ = ' ';
      space = false;
      *q++ = *p;
    }
  }
  *q = '\0';
  return r;
}

/* The current thread's libvirt error as one line. */
static char *
libvirt_error (void)
{
  virErrorPtr err = virGetLastError ();

  if (err && err->message)
    return one_line (err->message);
  return xstrdup ("unknown libvirt error");
}

static bool
libvirt_error_is (int code)
{
  virErrorPtr err = virGetLastError ();

  return err && err->code == code;
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

/* A type="volume" disk names a pool and a volume; only the connection
 * knows the path.  Sets SOURCE and returns the path, or NULL when the
 * volume cannot be resolved or is not a plain file or block device
 * (the disk is then skipped, as libguestfs does).
 */
static char *
volume_path (virConnectPtr conn, const char *pool_name,
             const char *vol_name, enum gk_disk_source *source)
{
  virStoragePoolPtr pool;
  virStorageVolPtr vol;
  virStorageVolInfo info;
  char *path = NULL;

  if (conn == NULL || pool_name == NULL || vol_name == NULL)
    return NULL;
  pool = virStoragePoolLookupByName (conn, pool_name);
  if (pool == NULL) {
    virResetLastError ();
    return NULL;
  }
  vol = virStorageVolLookupByName (pool, vol_name);
  if (vol && virStorageVolGetInfo (vol, &info) == 0 &&
      (info.type == VIR_STORAGE_VOL_FILE ||
       info.type == VIR_STORAGE_VOL_BLOCK)) {
    *source = info.type == VIR_STORAGE_VOL_FILE ? GK_DISK_FILE : GK_DISK_BLOCK;
    path = virStorageVolGetPath (vol);
  }
  if (vol)
    virStorageVolFree (vol);
  virStoragePoolFree (pool);
  virResetLastError ();
  return path;
}

/* Fill DISK from one <disk> element.  Returns false if the element is
 * not a disk guestkit can open (cdrom, floppy, no source, ...).
 */
static bool
parse_disk (xmlXPathContextPtr ctx, xmlNodePtr node, virConnectPtr conn,
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
    char *path = volume_path (conn, pool, vol, &disk->source);

    /* libvirt owns PATH's allocator; copy it into ours. */
    if (path) {
      disk->path = xstrdup (path);
      free (path);
    }
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

/* gk_domain_parse_xml, plus a connection (may be NULL) to resolve
 * storage volumes with.
 */
static int
parse_xml (const char *xml, virConnectPtr conn, struct gk_domain *dom,
           char **errmsg)
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
      one_line (err && err->message ? err->message : "unknown error");

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

    if (parse_disk (ctx, disks->nodesetval->nodeTab[i], conn, &disk))
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
  return parse_xml (xml, NULL, dom, errmsg);
}

static virConnectPtr
open_connection (const char *uri, bool read_only, char **errmsg)
{
  virConnectPtr conn;

  init ();
  conn = virConnectOpenAuth (uri, virConnectAuthPtrDefault,
                             read_only ? VIR_CONNECT_RO : 0);
  if (conn == NULL) {
    CLEANUP_FREE char *msg = libvirt_error ();

    if (uri)
      *errmsg = xasprintf ("could not connect to libvirt (URI = %s): %s",
                           uri, msg);
    else
      *errmsg = xasprintf ("could not connect to libvirt (default URI): %s",
                           msg);
  }
  return conn;
}

/* Fill DOM (all fields) from a domain handle.  Returns 1, 0 if the
 * domain disappeared meanwhile (or is Xen's dom0, which is the host),
 * or -1 with *ERRMSG set.
 */
static int
read_domain (virConnectPtr conn, virDomainPtr vdom, bool skip_dom0,
             struct gk_domain *dom, char **errmsg)
{
  const char *vname = virDomainGetName (vdom);
  char uuid[VIR_UUID_STRING_BUFLEN];
  CLEANUP_FREE char *xml = NULL;
  int active;

  active = virDomainIsActive (vdom);
  if (active == -1) {
    if (libvirt_error_is (VIR_ERR_NO_DOMAIN))
      return 0;
    CLEANUP_FREE char *msg = libvirt_error ();
    *errmsg = xasprintf ("libvirt domain '%s': %s", vname, msg);
    return -1;
  }
  if (skip_dom0 && active && virDomainGetID (vdom) == 0)
    return 0;

  /* A running guest's disks are the live config (hotplugged disks
   * included); a stopped one's are its persistent config.
   */
  xml = virDomainGetXMLDesc (vdom, active ? 0 : VIR_DOMAIN_XML_INACTIVE);
  if (xml == NULL) {
    if (libvirt_error_is (VIR_ERR_NO_DOMAIN))
      return 0;
    CLEANUP_FREE char *msg = libvirt_error ();
    *errmsg = xasprintf ("could not read the XML of libvirt domain '%s': %s",
                         vname, msg);
    return -1;
  }

  CLEANUP_FREE char *perr = NULL;
  if (parse_xml (xml, conn, dom, &perr) == -1) {
    *errmsg = xasprintf ("libvirt domain '%s': %s", vname, perr);
    return -1;
  }
  dom->active = active;
  if (dom->uuid == NULL && virDomainGetUUIDString (vdom, uuid) == 0)
    dom->uuid = xstrdup (uuid);
  return 1;
}

static int
compare_domains (const struct gk_domain *a, const struct gk_domain *b)
{
  return strcmp (a->name, b->name);
}

int
gk_libvirt_list_domains (const char *uri, bool read_only,
                         gk_domain_list *list, char **errmsg)
{
  CLEANUP_VIRCONNECT virConnectPtr conn = NULL;
  virDomainPtr *vdoms = NULL;
  gk_domain_list doms = empty_vector;
  int n, r = 0;

  *errmsg = NULL;
  conn = open_connection (uri, read_only, errmsg);
  if (conn == NULL)
    return -1;

  n = virConnectListAllDomains (conn, &vdoms,
                                VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                                VIR_CONNECT_LIST_DOMAINS_INACTIVE);
  if (n < 0) {
    CLEANUP_FREE char *msg = libvirt_error ();
    *errmsg = xasprintf ("could not list the libvirt domains: %s", msg);
    return -1;
  }

  for (int i = 0; i < n; ++i) {
    struct gk_domain dom = { 0 };

    if (r == 0) {
      int t = read_domain (conn, vdoms[i], true, &dom, errmsg);

      if (t == 1)
        gk_domain_list_append (&doms, dom);
      else if (t == -1)
        r = -1;
    }
    virDomainFree (vdoms[i]);
  }
  free (vdoms);

  if (r == -1) {
    gk_domain_list_free (&doms);
    return -1;
  }
  gk_domain_list_sort (&doms, compare_domains);
  *list = doms;
  return 0;
}

/* 8-4-4-4-12 hex digits, or 32 hex digits. */
static bool
looks_like_uuid (const char *s)
{
  size_t len = strlen (s), digits = 0;

  if (len != 36 && len != 32)
    return false;
  for (size_t i = 0; i < len; ++i) {
    if (len == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (s[i] != '-')
        return false;
    }
    else if (isxdigit ((unsigned char) s[i]))
      digits++;
    else
      return false;
  }
  return digits == 32;
}

int
gk_libvirt_get_domain (const char *uri, const char *name_or_uuid,
                       bool read_only, struct gk_domain *dom,
                       char **errmsg)
{
  CLEANUP_VIRCONNECT virConnectPtr conn = NULL;
  CLEANUP_VIRDOMAIN virDomainPtr vdom = NULL;
  int r;

  *errmsg = NULL;
  memset (dom, 0, sizeof *dom);
  conn = open_connection (uri, read_only, errmsg);
  if (conn == NULL)
    return -1;

  /* A domain may be named like a UUID, so fall back to the name, as
   * libguestfs's add_domain (allowuuid) does.
   */
  if (looks_like_uuid (name_or_uuid))
    vdom = virDomainLookupByUUIDString (conn, name_or_uuid);
  if (vdom == NULL)
    vdom = virDomainLookupByName (conn, name_or_uuid);
  if (vdom == NULL) {
    CLEANUP_FREE char *msg = libvirt_error ();
    *errmsg = xasprintf ("no libvirt domain called '%s': %s",
                         name_or_uuid, msg);
    return -1;
  }

  r = read_domain (conn, vdom, false, dom, errmsg);
  if (r == 0) {
    *errmsg = xasprintf ("libvirt domain '%s' disappeared while it was "
                         "being read", name_or_uuid);
    r = -1;
  }
  return r == 1 ? 0 : -1;
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
