/* guestkit: unit tests for lib/libvirt-domains.c, printed as TAP.
 *
 * The XML parser is fed inline domain XML; the libvirt functions run
 * against libvirt's in-process test driver with the node file in
 * test-data/, so neither a daemon nor an appliance is needed.
 */
#include <config.h>

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/tap.h"
#include "libvirt/domain-xml.h"
#include "libvirt/domains.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "utils/vector.h"

static bool
is_servers (char **got, const char *const *expected, const char *what)
{
  size_t n = gk_count_strings (got), m = 0;
  bool eq;

  while (expected[m])
    m++;
  eq = n == m;
  for (size_t i = 0; eq && i < n; ++i)
    eq = STREQ (got[i], expected[i]);
  ok (eq, "%s has the %zu expected servers", what, m);
  for (size_t i = 0; !eq && i < n; ++i)
    printf ("#   got server: %s\n", got[i]);
  return eq;
}

/* An error message is one line with the expected start. */
static void
is_error (int r, const char *errmsg, const char *prefix, const char *what)
{
  ok (r == -1 && errmsg != NULL, "%s fails", what);
  if (errmsg) {
    printf ("# message: %s\n", errmsg);
    ok (strchr (errmsg, '\n') == NULL, "%s: message is one line", what);
    ok (STRPREFIX (errmsg, prefix), "%s: message starts \"%s\"",
        what, prefix);
  }
}

static const char disks_xml[] =
  "<domain type='kvm'>\n"
  "  <name>parsed</name>\n"
  "  <uuid>0c3f1d2e-5b4a-4e6f-8a9b-1c2d3e4f5a6b</uuid>\n"
  "  <devices>\n"
  /* 0: plain qcow2 file */
  "    <disk type='file' device='disk'>\n"
  "      <driver name='qemu' type='qcow2'/>\n"
  "      <source file='/images/root.qcow2'/>\n"
  "      <target dev='vda' bus='virtio'/>\n"
  "    </disk>\n"
  "    <disk type='file' device='cdrom'>\n"
  "      <source file='/images/install.iso'/>\n"
  "      <target dev='hdc' bus='ide'/><readonly/>\n"
  "    </disk>\n"
  /* 1: read-only block device, no <driver> */
  "    <disk type='block' device='disk'>\n"
  "      <source dev='/dev/vg/data'/>\n"
  "      <target dev='vdb' bus='virtio'/>\n"
  "      <readonly/>\n"
  "    </disk>\n"
  "    <disk type='file' device='disk'>\n"     /* no source: skipped */
  "      <driver name='qemu' type='raw'/>\n"
  "      <target dev='vdc' bus='virtio'/>\n"
  "    </disk>\n"
  "    <disk type='file' device='floppy'>\n"
  "      <source file='/images/floppy.img'/>\n"
  "      <target dev='fda'/>\n"
  "    </disk>\n"
  /* 2: nbd over TCP */
  "    <disk type='network' device='disk'>\n"
  "      <driver name='qemu' type='raw'/>\n"
  "      <source protocol='nbd' name='export1'>\n"
  "        <host name='nbd.example.com' port='10809'/>\n"
  "      </source>\n"
  "      <target dev='vdd' bus='virtio'/>\n"
  "    </disk>\n"
  /* 3: nbd over a Unix socket, default export */
  "    <disk type='network' device='disk'>\n"
  "      <source protocol='nbd'>\n"
  "        <host transport='unix' socket='/run/nbd.sock'/>\n"
  "      </source>\n"
  "      <target dev='vde' bus='virtio'/>\n"
  "    </disk>\n"
  /* 4: rbd, several monitors, <auth> inside <source> */
  "    <disk type='network' device='disk'>\n"
  "      <driver name='qemu' type='raw'/>\n"
  "      <source protocol='rbd' name='pool/image'>\n"
  "        <host name='mon1.example.com' port='6789'/>\n"
  "        <host name='mon2.example.com' port='6789'/>\n"
  "        <host name='mon3.example.com'/>\n"
  "        <auth username='admin'>\n"
  "          <secret type='ceph' usage='mysecret'/>\n"
  "        </auth>\n"
  "      </source>\n"
  "      <target dev='vdf' bus='virtio'/>\n"
  "      <shareable/>\n"
  "    </disk>\n"
  /* 5: iscsi LUN device, old-style <auth> in <disk> */
  "    <disk type='network' device='lun'>\n"
  "      <auth username='chapuser'>\n"
  "        <secret type='iscsi' usage='libvirtiscsi'/>\n"
  "      </auth>\n"
  "      <source protocol='iscsi'"
  " name='iqn.2013-07.com.example:iscsi-pool/1'>\n"
  "        <host name='2001:db8::1' port='3260'/>\n"
  "      </source>\n"
  "      <target dev='sda' bus='scsi'/>\n"
  "    </disk>\n"
  /* no connection to resolve a volume: skipped */
  "    <disk type='volume' device='disk'>\n"
  "      <source pool='default' volume='vol.img'/>\n"
  "      <target dev='vdg' bus='virtio'/>\n"
  "    </disk>\n"
  "    <disk type='dir' device='disk'>\n"
  "      <source dir='/srv/fat'/>\n"
  "      <target dev='hdd'/>\n"
  "    </disk>\n"
  /* 6: no device= and no type= mean a file disk */
  "    <disk>\n"
  "      <source file='/images/last.img'/>\n"
  "    </disk>\n"
  "  </devices>\n"
  "</domain>\n";

static void
test_parse_disks (void)
{
  struct gk_domain dom = { .active = true };
  CLEANUP_FREE char *errmsg = NULL;
  struct gk_domain_disk *d;
  int r;

  r = gk_domain_parse_xml (disks_xml, &dom, &errmsg);
  if (!ok (r == 0, "parse a domain with many kinds of disks")) {
    printf ("# error: %s\n", errmsg);
    return;
  }
  is_str (dom.name, "parsed", "name");
  is_str (dom.uuid, "0c3f1d2e-5b4a-4e6f-8a9b-1c2d3e4f5a6b", "uuid");
  ok (dom.active, "active is left alone");
  if (!ok (dom.disks.len == 7,
           "7 disks kept (cdrom, floppy, no source, volume, dir skipped)")) {
    printf ("#   got %zu\n", dom.disks.len);
    gk_domain_free (&dom);
    return;
  }

  d = &dom.disks.ptr[0];
  ok (d->source == GK_DISK_FILE, "disk 0 is a file");
  is_str (d->path, "/images/root.qcow2", "disk 0 path");
  is_str (d->format, "qcow2", "disk 0 driver type");
  is_str (d->target, "vda", "disk 0 target dev");
  ok (!d->readonly && !d->shareable,
      "disk 0 is neither readonly nor shareable");
  ok (d->protocol == NULL && d->servers == NULL && d->username == NULL,
      "disk 0 has no network fields");

  d = &dom.disks.ptr[1];
  ok (d->source == GK_DISK_BLOCK, "disk 1 is a block device");
  is_str (d->path, "/dev/vg/data", "disk 1 path");
  is_str (d->format, NULL, "disk 1 format without <driver>");
  ok (d->readonly, "disk 1 is readonly");

  d = &dom.disks.ptr[2];
  ok (d->source == GK_DISK_NETWORK, "disk 2 is a network disk");
  is_str (d->protocol, "nbd", "disk 2 protocol");
  is_str (d->path, "export1", "disk 2 export name");
  is_servers (d->servers,
              (const char *const[]) { "nbd.example.com:10809", NULL },
              "disk 2");

  d = &dom.disks.ptr[3];
  is_str (d->protocol, "nbd", "disk 3 protocol");
  is_str (d->path, "", "disk 3 default export");
  is_servers (d->servers,
              (const char *const[]) { "unix:/run/nbd.sock", NULL },
              "disk 3 (unix socket)");
  is_str (d->format, NULL, "disk 3 format");

  d = &dom.disks.ptr[4];
  is_str (d->protocol, "rbd", "disk 4 protocol");
  is_str (d->path, "pool/image", "disk 4 name");
  is_servers (d->servers,
              (const char *const[]) { "mon1.example.com:6789",
                  "mon2.example.com:6789", "mon3.example.com", NULL },
              "disk 4 (rbd)");
  is_str (d->username, "admin", "disk 4 auth username (in <source>)");
  ok (d->shareable && !d->readonly, "disk 4 is shareable");
  is_str (d->target, "vdf", "disk 4 target dev");

  d = &dom.disks.ptr[5];
  is_str (d->protocol, "iscsi", "disk 5 protocol");
  is_str (d->path, "iqn.2013-07.com.example:iscsi-pool/1", "disk 5 name");
  is_servers (d->servers,
              (const char *const[]) { "[2001:db8::1]:3260", NULL },
              "disk 5 (iscsi, IPv6)");
  is_str (d->username, "chapuser", "disk 5 auth username (in <disk>)");
  is_str (d->target, "sda", "disk 5 (device=lun) target dev");

  d = &dom.disks.ptr[6];
  ok (d->source == GK_DISK_FILE, "disk 6 defaults to a file");
  is_str (d->path, "/images/last.img", "disk 6 path");
  is_str (d->target, NULL, "disk 6 target without <target>");

  gk_domain_free (&dom);
  ok (dom.name == NULL && dom.disks.len == 0 && dom.disks.ptr == NULL,
      "gk_domain_free empties the domain");
}

static void
test_parse_errors (void)
{
  struct {
    const char *xml, *prefix, *what;
  } cases[] = {
    { "<domain><name>x</name><devices><disk></devices></domain>",
      "could not parse the domain XML: line 1: ", "malformed XML" },
    { "", "could not parse the domain XML", "empty XML" },
    { "<domain><uuid>0c3f1d2e-5b4a-4e6f-8a9b-1c2d3e4f5a6b</uuid></domain>",
      "the domain XML has no <name>", "missing <name>" },
    { "<domain><name></name></domain>",
      "the domain XML has no <name>", "empty <name>" },
    { "<network><name>default</name></network>",
      "the XML is not a libvirt domain", "not a domain" },
  };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    struct gk_domain dom;
    CLEANUP_FREE char *errmsg = NULL;
    int r;

    memset (&dom, 0x55, sizeof dom);
    r = gk_domain_parse_xml (cases[i].xml, &dom, &errmsg);
    is_error (r, errmsg, cases[i].prefix, cases[i].what);
    ok (dom.name == NULL && dom.disks.ptr == NULL,
        "%s: domain left empty", cases[i].what);
  }

  /* No disks at all is not an error: the tools decide about that. */
  {
    struct gk_domain dom;
    CLEANUP_FREE char *errmsg = NULL;

    ok (gk_domain_parse_xml ("<domain><name>bare</name></domain>",
                             &dom, &errmsg) == 0 &&
        dom.disks.len == 0 && dom.uuid == NULL,
        "a domain without devices or uuid parses, with no disks");
    gk_domain_free (&dom);
  }
}

static char *node_uri;

static const struct gk_domain *
find (const gk_domain_list *list, const char *name)
{
  for (size_t i = 0; i < list->len; ++i)
    if (STREQ (list->ptr[i].name, name))
      return &list->ptr[i];
  return NULL;
}

static void
test_list (void)
{
  gk_domain_list list = empty_vector;
  CLEANUP_FREE char *errmsg = NULL;
  const struct gk_domain *d;

  if (!ok (gk_libvirt_list_domains (node_uri, true, &list, &errmsg) == 0,
           "list the test driver's domains")) {
    printf ("# error: %s\n", errmsg);
    return;
  }
  if (!ok (list.len == 3, "three domains")) {
    gk_domain_list_free (&list);
    return;
  }
  ok (STREQ (list.ptr[0].name, "db") && STREQ (list.ptr[1].name, "mail") &&
      STREQ (list.ptr[2].name, "web"), "sorted by name: db, mail, web");
  ok (list.ptr[0].active && !list.ptr[1].active && !list.ptr[2].active,
      "db is running, mail and web are not");

  d = find (&list, "db");
  is_str (d->uuid, "11111111-2222-3333-4444-555555555555", "db uuid");
  if (ok (d->disks.len == 2, "db has 2 disks")) {
    ok (d->disks.ptr[0].source == GK_DISK_BLOCK && d->disks.ptr[0].readonly,
        "db disk 0 is a read-only block device");
    is_str (d->disks.ptr[0].path, "/dev/guestkit-test/db", "db disk 0 path");
    is_str (d->disks.ptr[1].protocol, "nbd", "db disk 1 protocol");
    is_servers (d->disks.ptr[1].servers,
                (const char *const[]) { "nbd.example.com:10809", NULL },
                "db disk 1");
  }

  d = find (&list, "web");
  if (ok (d->disks.len == 2, "web has 2 disks (cdrom skipped)")) {
    is_str (d->disks.ptr[0].path, "/var/lib/guestkit-test/web.qcow2",
            "web disk 0 path");
    is_str (d->disks.ptr[0].format, "qcow2", "web disk 0 format");
    is_str (d->disks.ptr[1].target, "vdb", "web disk 1 target");
    ok (d->disks.ptr[1].shareable, "web disk 1 is shareable");
  }

  d = find (&list, "mail");
  if (ok (d->disks.len == 1, "mail's volume disk is resolved through "
          "the pool")) {
    ok (d->disks.ptr[0].source == GK_DISK_FILE, "mail disk 0 is a file");
    is_str (d->disks.ptr[0].path, "/var/lib/guestkit-test/pool/mail.img",
            "mail disk 0 path");
  }

  gk_domain_list_free (&list);
  ok (list.len == 0 && list.ptr == NULL, "gk_domain_list_free empties it");
}

static void
test_get (void)
{
  struct gk_domain dom;
  int r;

  {
    CLEANUP_FREE char *errmsg = NULL;

    r = gk_libvirt_get_domain (node_uri, "web", false, &dom, &errmsg);
    if (ok (r == 0, "get web by name (read-write connection)")) {
      is_str (dom.uuid, "4dea22b3-1d52-d8f3-2516-782e98ab3fa0", "web uuid");
      ok (!dom.active && dom.disks.len == 2, "web: inactive, 2 disks");
      gk_domain_free (&dom);
    }
    else
      printf ("# error: %s\n", errmsg);
  }
  {
    CLEANUP_FREE char *errmsg = NULL;

    r = gk_libvirt_get_domain (node_uri,
                               "11111111-2222-3333-4444-555555555555",
                               true, &dom, &errmsg);
    if (ok (r == 0, "get db by UUID")) {
      is_str (dom.name, "db", "name of the domain found by UUID");
      ok (dom.active, "db is active");
      gk_domain_free (&dom);
    }
    else
      printf ("# error: %s\n", errmsg);
  }
  {
    CLEANUP_FREE char *errmsg = NULL;

    r = gk_libvirt_get_domain (node_uri, "nosuchguest", true, &dom, &errmsg);
    is_error (r, errmsg, "no libvirt domain called 'nosuchguest': ",
              "unknown domain");
  }
  {
    CLEANUP_FREE char *errmsg = NULL;

    r = gk_libvirt_get_domain (node_uri,
                               "99999999-2222-3333-4444-555555555555",
                               true, &dom, &errmsg);
    is_error (r, errmsg,
              "no libvirt domain called "
              "'99999999-2222-3333-4444-555555555555': ",
              "unknown UUID");
  }
}

static void
test_unreachable (void)
{
  const char *uri = "qemu+tcp://127.0.0.1:1/system";
  gk_domain_list list = empty_vector;
  struct gk_domain dom;
  CLEANUP_FREE char *errmsg1 = NULL, *errmsg2 = NULL;
  CLEANUP_FREE char *prefix =
    xasprintf ("could not connect to libvirt (URI = %s): ", uri);
  int r;

  r = gk_libvirt_list_domains (uri, true, &list, &errmsg1);
  is_error (r, errmsg1, prefix, "list with an unreachable URI");
  ok (errmsg1 && strstr (errmsg1, "refused"),
      "the message says the connection was refused");

  r = gk_libvirt_get_domain (uri, "web", true, &dom, &errmsg2);
  is_error (r, errmsg2, prefix, "get with an unreachable URI");
}

#define NR_THREADS 4
#define NR_ROUNDS 10

static void *
list_repeatedly (void *arg)
{
  intptr_t bad = 0;

  for (int i = 0; i < NR_ROUNDS; ++i) {
    gk_domain_list list = empty_vector;
    struct gk_domain dom;
    CLEANUP_FREE char *e1 = NULL, *e2 = NULL, *e3 = NULL;

    if (gk_libvirt_list_domains (node_uri, true, &list, &e1) == -1 ||
        list.len != 3 || STRNEQ (list.ptr[0].name, "db"))
      bad++;
    gk_domain_list_free (&list);
    if (gk_libvirt_get_domain (node_uri, "nosuchguest", true, &dom,
                               &e2) != -1 ||
        !STRPREFIX (e2, "no libvirt domain called"))
      bad++;
    if (gk_domain_parse_xml (disks_xml, &dom, &e3) == -1 ||
        dom.disks.len != 7)
      bad++;
    else
      gk_domain_free (&dom);
  }
  return (void *) bad;
}

static void
test_threads (void)
{
  pthread_t threads[NR_THREADS];
  intptr_t bad = 0;

  for (int i = 0; i < NR_THREADS; ++i)
    pthread_create (&threads[i], NULL, list_repeatedly, NULL);
  for (int i = 0; i < NR_THREADS; ++i) {
    void *r;

    pthread_join (threads[i], &r);
    bad += (intptr_t) r;
  }
  ok (bad == 0, "%d threads list, look up and parse at once", NR_THREADS);
}

int
main (void)
{
  const char *srcdir = getenv ("srcdir");
  CLEANUP_FREE char *file =
    xasprintf ("%s/test-data/libvirt-test-node.xml", srcdir ? srcdir : ".");
  char abs[PATH_MAX];
  int status;

  if (realpath (file, abs) == NULL) {
    printf ("Bail out! %s: not found\n", file);
    exit (EXIT_FAILURE);
  }
  node_uri = xasprintf ("test://%s", abs);

  /* The plan is only known at the end: TAP allows it there. */
  test_parse_disks ();
  test_parse_errors ();
  test_list ();
  test_get ();
  test_unreachable ();
  test_threads ();
  status = tap_done ();

  free (node_uri);
  return status;                /* not exit: FILE's cleanup must run */
}
