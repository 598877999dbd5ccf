/* guestkit: the URI forms of -a (nbd://, ssh://, http://, ...).
 *
 * libxml2's URI parser splits the string; the rules for each protocol
 * (which part is the export, where a Unix socket goes) live here.
 */
#include <config.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

#include "options/options.h"
#include "options/uri.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"

static const char *const protocols[] = {
  "file", "ftp", "ftps", "http", "https", "iscsi", "nbd", "rbd", "ssh", NULL
};

static void
free_xml_uri (xmlURIPtr *uri)
{
  if (*uri)
    xmlFreeURI (*uri);
}

/* "socket=/path" from a query string, or NULL. */
static char *
query_socket (const char *query)
{
  const char *p;

  if (query == NULL)
    return NULL;
  for (p = query; p; p = strchr (p, '&')) {
    if (*p == '&')
      p++;
    if (STRPREFIX (p, "socket="))
      return xstrndup (p + 7, strcspn (p + 7, "&"));
  }
  return NULL;
}

int
gk_parse_drive_uri (const char *arg, struct gk_drive *d, const char **errmsg)
{
  __attribute__ ((cleanup (free_xml_uri))) xmlURIPtr uri = NULL;
  CLEANUP_FREE char *scheme = NULL;
  CLEANUP_FREE char *socket = NULL;
  char *plus;
  const char *path;

  uri = xmlParseURI (arg);
  if (uri == NULL || uri->scheme == NULL) {
    *errmsg = "could not parse the URI";
    return -1;
  }
  scheme = xstrdup (uri->scheme);
  /* nbd+unix, nbd+tcp: the transport is given by the server string. */
  plus = strchr (scheme, '+');
  if (plus) {
    if (STRNEQ (scheme, "nbd+unix") && STRNEQ (scheme, "nbd+tcp")) {
      *errmsg = "unsupported URI scheme";
      return -1;
    }
    *plus = '\0';
  }
  if (!gk_string_list_contains ((char **) protocols, scheme)) {
    *errmsg = "unsupported URI scheme (expected one of file, ftp, ftps, "
      "http, https, iscsi, nbd, nbd+unix, rbd, ssh)";
    return -1;
  }
  if (uri->user && strchr (uri->user, ':')) {
    *errmsg = "passwords in URIs are not supported";
    return -1;
  }

  path = uri->path ? uri->path : "";
  if (STREQ (scheme, "file")) {
    if (*path == '\0') {
      *errmsg = "file: URI has no path";
      return -1;
    }
    d->type = GK_DRIVE_FILE;
    d->path = xstrdup (path);
    return 0;
  }

  d->type = GK_DRIVE_URI;
  d->protocol = xstrdup (scheme);
  socket = query_socket (uri->query_raw ? uri->query_raw : uri->query);
  d->servers = xcalloc (2, sizeof (char *));
  if (socket)
    d->servers[0] = xasprintf ("unix:%s", socket);
  else if (uri->server && *uri->server) {
    if (uri->port > 0)
      d->servers[0] = xasprintf ("%s:%d", uri->server, uri->port);
    else
      d->servers[0] = xstrdup (uri->server);
  }
  else if (STRNEQ (scheme, "nbd")) {
    *errmsg = "the URI has no server";
    return -1;
  }
  else {
    *errmsg = "nbd URI needs a server or ?socket=PATH";
    return -1;
  }

  /* Network block protocols name an export or volume, not a path, so the
   * leading slash of the URI path is not part of the name.
   */
  if (STREQ (scheme, "nbd") || STREQ (scheme, "iscsi")
      || STREQ (scheme, "rbd"))
    path = *path == '/' ? path + 1 : path;
  else if (*path == '\0') {
    *errmsg = "the URI has no path";
    return -1;
  }
  d->path = xstrdup (path);
  if (uri->user)
    d->username = xstrdup (uri->user);
  return 0;
}
