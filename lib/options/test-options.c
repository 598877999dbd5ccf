/* guestkit: unit tests for the -a URI parser, string lists, JSON strings,
 * machine-readable timestamps and --keys-from-stdin, printed as TAP.
 *
 * Helpers that report with gk_error exit the process, so they are tested
 * through the tools themselves (df/test-virt-df-options.sh).
 */
#include <config.h>

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "utils/tap.h"
#include "options/keys.h"
#include "options/options.h"
#include "options/uri.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/json.h"
#include "utils/machine-readable.h"
#include "utils/string-list.h"

static void
free_drive (struct gk_drive *d)
{
  free (d->protocol);
  gk_free_string_list (d->servers);
  free (d->path);
  free (d->username);
}

/* Parse URI and check what -a would add.  SERVER and USER may be NULL. */
static void
uri_is (const char *uri, enum gk_drive_type type, const char *protocol,
        const char *server, const char *path, const char *user)
{
  struct gk_drive d = { 0 };
  const char *errmsg = NULL;
  CLEANUP_FREE char *what = NULL;
  int r = gk_parse_drive_uri (uri, &d, &errmsg);

  if (!ok (r == 0, "%s parses", uri)) {
    printf ("#   error: %s\n", errmsg ? errmsg : "(none)");
    free_drive (&d);
    return;
  }
  ok (d.type == type, "%s is a %s", uri,
      type == GK_DRIVE_FILE ? "file" : "URI");
  what = xasprintf ("%s: path", uri);
  is_str (d.path, path, what);
  if (type == GK_DRIVE_URI) {
    free (what);
    what = xasprintf ("%s: protocol", uri);
    is_str (d.protocol, protocol, what);
    free (what);
    what = xasprintf ("%s: server", uri);
    ok (d.servers != NULL && gk_count_strings (d.servers) == 1,
        "%s has one server", uri);
    if (d.servers && d.servers[0])
      is_str (d.servers[0], server, what);
    free (what);
    what = xasprintf ("%s: username", uri);
    is_str (d.username, user, what);
  }
  free_drive (&d);
}

static void
uri_bad (const char *uri, const char *why)
{
  struct gk_drive d = { 0 };
  const char *errmsg = NULL;
  int r = gk_parse_drive_uri (uri, &d, &errmsg);

  ok (r == -1, "%s is refused (%s)", uri, why);
  if (errmsg)
    printf ("#   message: %s\n", errmsg);
  ok (r != -1 || (errmsg && *errmsg && !strchr (errmsg, '\n')),
      "%s: one-line explanation", uri);
  if (why && errmsg && STREQ (why, "password"))
    ok (strstr (errmsg, "password") != NULL,
        "%s: explanation mentions the password", uri);
  free_drive (&d);
}

static void
test_uris (void)
{
  uri_is ("nbd://host:10809/export", GK_DRIVE_URI, "nbd",
          "host:10809", "export", NULL);
  uri_is ("nbd://host/", GK_DRIVE_URI, "nbd", "host", "", NULL);
  uri_is ("nbd+unix:///export?socket=/tmp/s", GK_DRIVE_URI, "nbd",
          "unix:/tmp/s", "export", NULL);
  uri_is ("nbd+unix://?socket=/run/nbd.sock", GK_DRIVE_URI, "nbd",
          "unix:/run/nbd.sock", "", NULL);
  uri_is ("ssh://user@host/path/disk.img", GK_DRIVE_URI, "ssh",
          "host", "/path/disk.img", "user");
  uri_is ("ssh://host:2222/disk.img", GK_DRIVE_URI, "ssh",
          "host:2222", "/disk.img", NULL);
  uri_is ("http://h/x.img", GK_DRIVE_URI, "http", "h", "/x.img", NULL);
  uri_is ("https://h:8443/d/x.img", GK_DRIVE_URI, "https", "h:8443",
          "/d/x.img", NULL);
  uri_is ("file:///tmp/x.img", GK_DRIVE_FILE, NULL, NULL, "/tmp/x.img",
          NULL);
  uri_is ("iscsi://h/iqn.2001-04.com.example:storage/0", GK_DRIVE_URI,
          "iscsi", "h", "iqn.2001-04.com.example:storage/0", NULL);
  uri_is ("rbd://mon/pool/image", GK_DRIVE_URI, "rbd", "mon",
          "pool/image", NULL);

  uri_bad ("nosuch://x/y", "unknown scheme");
  uri_bad ("nbd+vsock://x/y", "unknown transport");
  uri_bad ("ssh://user:secret@host/disk.img", "password");
  uri_bad ("http:///x.img", "no server");
  uri_bad ("ssh:///x.img", "no server");
  uri_bad ("nbd:///export", "no server or socket");
  uri_bad ("http://h", "no path");
  uri_bad ("file://", "no path");
  uri_bad ("not a uri", "no scheme");
}

/* A split then a join gives back the original, empty fields included. */
static void
split_join_is (char sep, const char *str, size_t n)
{
  CLEANUP_FREE_STRING_LIST char **v = gk_split_string (sep, str);
  const char seps[] = { sep, '\0' };
  CLEANUP_FREE char *joined = gk_join_strings (seps, v);

  ok (gk_count_strings (v) == n, "split \"%s\" on '%c' gives %zu fields",
      str, sep, n);
  is_str (joined, str, "join of the split");
}

static void
test_strings (void)
{
  CLEANUP_FREE_STRING_LIST char **v = gk_split_string (':', "a::b:");
  char *empty[] = { NULL };
  char *one[] = { "x", NULL };
  char *three[] = { "a", "b", "c", NULL };
  CLEANUP_FREE char *j0 = gk_join_strings (", ", empty);
  CLEANUP_FREE char *j1 = gk_join_strings (", ", one);
  CLEANUP_FREE char *j3 = gk_join_strings (", ", three);

  ok (gk_count_strings (v) == 4 && STREQ (v[0], "a") && STREQ (v[1], "")
      && STREQ (v[2], "b") && STREQ (v[3], "") && v[4] == NULL,
      "split keeps empty fields: a,\"\",b,\"\"");
  split_join_is (',', "", 1);
  split_join_is (',', "abc", 1);
  split_join_is (',', "a,b,c", 3);
  split_join_is (',', ",", 2);
  split_join_is ('/', "/dev/sda1", 3);
  is_str (j0, "", "join of no strings");
  is_str (j1, "x", "join of one string");
  is_str (j3, "a, b, c", "join with a two-character separator");
  ok (gk_str_has_suffix ("disk.img", ".img")
      && !gk_str_has_suffix ("img", ".img")
      && gk_str_has_suffix ("x", ""), "gk_str_has_suffix");
}

static char *
json_of (const char *s)
{
  char *buf = NULL;
  size_t size = 0;
  FILE *fp = open_memstream (&buf, &size);

  gk_json_write_string (fp, s);
  fclose (fp);
  return buf;
}

/* Decode a JSON string literal (RFC 8259) back to bytes, or NULL if it
 * is not a valid one.  Only \u escapes below 0x80 are expected here.
 */
static char *
json_decode (const char *json)
{
  size_t len = strlen (json);
  char *r = xmalloc (len + 1), *q = r;
  const char *p = json;

  if (len < 2 || *p++ != '"' || json[len-1] != '"')
    goto bad;
  for (; p < json + len - 1; ++p) {
    if ((unsigned char) *p < 0x20 || *p == '"')
      goto bad;
    if (*p != '\\') {
      *q++ = *p;
      continue;
    }
    switch (*++p) {
    case '"': *q++ = '"'; break;
    case '\\': *q++ = '\\'; break;
    case '/': *q++ = '/'; break;
    case 'b': *q++ = '\b'; break;
    case 'f': *q++ = '\f'; break;
    case 'n': *q++ = '\n'; break;
    case 'r': *q++ = '\r'; break;
    case 't': *q++ = '\t'; break;
    case 'u': {
      unsigned v;
      char hex[5] = { 0 };

      /* The closing quote is not a hex digit, so this stays inside. */
      if (strspn (p + 1, "0123456789abcdefABCDEF") < 4)
        goto bad;
      memcpy (hex, p + 1, 4);
      v = (unsigned) strtoul (hex, NULL, 16);
      if (v == 0 || v >= 0x80)
        goto bad;
      *q++ = (char) v;
      p += 4;
      break;
    }
    default:
      goto bad;
    }
  }
  if (p != json + len - 1)
    goto bad;
  *q = '\0';
  return r;
 bad:
  free (r);
  return NULL;
}

static void
json_is (const char *s, const char *expected, const char *what)
{
  CLEANUP_FREE char *got = json_of (s);
  CLEANUP_FREE char *back = json_decode (got);

  if (expected)
    is_str (got, expected, what);
  ok (back != NULL && STREQ (back, s), "%s: valid JSON that decodes back",
      what);
}

static void
test_json (void)
{
  char all_controls[32];

  json_is ("", "\"\"", "empty string");
  json_is ("plain /dev/sda1", "\"plain /dev/sda1\"", "plain text");
  json_is ("say \"hi\"", "\"say \\\"hi\\\"\"", "quotes");
  json_is ("C:\\dir\\", "\"C:\\\\dir\\\\\"", "backslashes");
  json_is ("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"", "newline, tab, return");
  json_is ("\b\f", "\"\\b\\f\"", "backspace, form feed");
  json_is ("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"", "other controls");
  json_is ("caf\xc3\xa9 \xe2\x9c\x93", "\"caf\xc3\xa9 \xe2\x9c\x93\"",
           "UTF-8 passes through");
  for (int i = 1; i < 32; ++i)
    all_controls[i-1] = (char) i;
  all_controls[31] = '\0';
  json_is (all_controls, NULL, "every control character");
}

static bool
matches (const char *re, const char *s)
{
  regex_t preg;
  bool r;

  if (regcomp (&preg, re, REG_EXTENDED | REG_NOSUB) != 0)
    return false;
  r = regexec (&preg, s, 0, NULL, 0) == 0;
  regfree (&preg);
  return r;
}

static void
timestamp_in_zone (const char *tz, const char *zone_suffix)
{
  static const char re[] =
    "^[0-9]{4}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]"
    "\\.[0-9]{9}[+-][0-9]{2}:[0-9]{2}$";
  CLEANUP_FREE char *ts = NULL;

  setenv ("TZ", tz, 1);
  tzset ();
  ts = gk_rfc3339_timestamp ();
  printf ("# TZ=%s: %s\n", tz, ts);
  ok (matches (re, ts), "TZ=%s: timestamp is RFC 3339 with nanoseconds", tz);
  ok (gk_str_has_suffix (ts, zone_suffix), "TZ=%s: zone is %s",
      tz, zone_suffix);
}

static void
test_timestamp (void)
{
  CLEANUP_FREE char *ts = NULL;
  char now[32];
  time_t t;
  struct tm tm;

  timestamp_in_zone ("UTC0", "+00:00");
  timestamp_in_zone ("IST-5:30", "+05:30");
  timestamp_in_zone ("NST+3:30", "-03:30");

  /* The date and hour are now's (retry once across an hour boundary). */
  setenv ("TZ", "UTC0", 1);
  tzset ();
  for (int i = 0; i < 2; ++i) {
    free (ts);
    t = time (NULL);
    gmtime_r (&t, &tm);
    strftime (now, sizeof now, "%Y-%m-%dT%H:", &tm);
    ts = gk_rfc3339_timestamp ();
    if (STRPREFIX (ts, now))
      break;
  }
  ok (STRPREFIX (ts, now), "timestamp is the current time (%s...)", now);
}

/* --keys-from-stdin: one line per LUKS volume, asked once per UUID
 * even when a tool looks at the volume twice (under another name).
 */
static void
test_keys_from_stdin (void)
{
  struct gk_options opts = GK_OPTIONS_INIT;
  int fds[2];
  CLEANUP_FREE_STRING_LIST char **a = NULL;
  CLEANUP_FREE_STRING_LIST char **again = NULL;
  CLEANUP_FREE_STRING_LIST char **b = NULL;
  CLEANUP_FREE_STRING_LIST char **none = NULL;

  opts.keys_from_stdin = true;
  if (pipe (fds) == -1 || write (fds[1], "first\nsecond\n", 14) != 14 ||
      close (fds[1]) == -1 || dup2 (fds[0], STDIN_FILENO) == -1) {
    ok (false, "a pipe on stdin");
    return;
  }
  a = gk_keys_for_device (&opts, "/dev/sda2", "uuid-a");
  again = gk_keys_for_device (&opts, "/dev/sdc2", "uuid-a");
  b = gk_keys_for_device (&opts, "/dev/sdb1", "uuid-b");
  ok (a[0] && STREQ (a[0], "first") && a[1] == NULL,
      "the first volume gets the first line");
  ok (again[0] && STREQ (again[0], "first") && again[1] == NULL,
      "the same volume under another name is not asked again");
  ok (b[0] && STREQ (b[0], "second") && b[1] == NULL,
      "the next volume gets the next line");
  gk_option_key (&opts, "/dev/sdd1:key:given");
  none = gk_keys_for_device (&opts, "/dev/sdd1", "uuid-d");
  ok (none[0] && STREQ (none[0], "given") && none[1] == NULL,
      "a --key for the device means nothing is read");
  gk_options_free (&opts);
}

int
main (void)
{
  test_uris ();
  test_strings ();
  test_json ();
  test_timestamp ();
  test_keys_from_stdin ();

  return tap_done ();
}
