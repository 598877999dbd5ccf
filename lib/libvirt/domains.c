/* guestkit: libvirt domains: listing them and reading their XML through
 * a connection (the XML itself is parsed in domain-xml.c).
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

#include "libvirt/domain-xml.h"
#include "libvirt/domains.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/vector.h"


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

#define CLEANUP_VIRCONNECT   __attribute__ ((cleanup (cleanup_virconnect)))
#define CLEANUP_VIRDOMAIN    __attribute__ ((cleanup (cleanup_virdomain)))

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

/* The current thread's libvirt error as one line. */
static char *
libvirt_error (void)
{
  virErrorPtr err = virGetLastError ();

  if (err && err->message)
    return gk_one_line (err->message);
  return xstrdup ("unknown libvirt error");
}

static bool
libvirt_error_is (int code)
{
  virErrorPtr err = virGetLastError ();

  return err && err->code == code;
}

/* A type="volume" disk names a pool and a volume; only the connection
 * knows the path.  Sets SOURCE and returns the path, or NULL when the
 * volume cannot be resolved or is not a plain file or block device
 * (the disk is then skipped, as libguestfs does).
 */
static char *
volume_path (void *opaque, const char *pool_name, const char *vol_name,
             enum gk_disk_source *source)
{
  virConnectPtr conn = opaque;
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
    char *vpath = virStorageVolGetPath (vol);

    /* libvirt owns VPATH's allocator; copy it into ours. */
    if (vpath) {
      path = xstrdup (vpath);
      free (vpath);
    }
  }
  if (vol)
    virStorageVolFree (vol);
  virStoragePoolFree (pool);
  virResetLastError ();
  return path;
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
  if (gk_domain_parse_xml_resolving (xml, volume_path, conn, dom,
                                     &perr) == -1) {
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
gk_libvirt_get_shutoff_domain (const char *uri, const char *name_or_uuid,
                               struct gk_domain *dom)
{
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_libvirt_get_domain (uri, name_or_uuid, true, dom, &errmsg) == -1)
    gk_error ("%s", errmsg);
  if (dom->active)
    gk_error ("domain ‘%s’ is running: shut it down first "
              "(virsh shutdown %s), then run %s again",
              dom->name, dom->name, gk_program_name);
  if (dom->disks.len == 0)
    gk_error ("domain ‘%s’ has no disks", dom->name);
}
