/* guestkit: a Linux root's distribution from its release files (see
 * osinfo.h).
 *
 * The walk is libguestfs's: os-release first, finished only when it
 * gives a known ID, a PRETTY_NAME and a version that is more than a
 * bare major number for Debian and CentOS; then the Red Hat release
 * file's regular expressions in their order; then debian_version.
 * Each step keeps what the earlier ones set, as libguestfs's mutable
 * record does.  What is not modelled (lsb-release, the RH derivatives'
 * own files, RHEL 3/4 "Update" lines, IDs whose rules this file does
 * not know) ends the walk with "not sure": the caller then asks
 * libguestfs, so a wrong answer is never given.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ondisk/osinfo.h"
#include "utils/alloc.h"

const char *const gk_later_release_files[] = {
  "pardus-release", "arch-release", "gentoo-release", "meego-release",
  "slackware-version", "ttylinux-target", "SuSE-release", "cirros",
  "br-version", "alpine-release", "frugalware-release", "pld-release",
  NULL
};

struct state {
  const char *distro;           /* NULL: none yet */
  bool product_name;
  bool has_version;
  int major, minor;
};

/* A run of at most 9 digits at S[0..LEN) as an int into *N; the run's
 * length, or 0 (no digit, or too long for libguestfs's int_of_string
 * to agree with us everywhere: not sure).
 */
static size_t
digits (const char *s, size_t len, int *n, bool *too_long)
{
  size_t i = 0;
  int v = 0;

  while (i < len && s[i] >= '0' && s[i] <= '9') {
    if (i == 9) {
      *too_long = true;
      return 0;
    }
    v = v * 10 + (s[i] - '0');
    i++;
  }
  *n = v;
  return i;
}

/* libguestfs's parse_version_from_major_minor: the leftmost "D+.D+",
 * else the leftmost "D+".  Returns -1 if a number is too long.
 */
static int
version_from (const char *s, size_t len, struct state *st)
{
  bool too_long = false;
  int major, minor;

  for (size_t i = 0; i < len; ++i) {
    size_t n;

    if (s[i] < '0' || s[i] > '9' || (i > 0 && s[i - 1] >= '0' &&
                                     s[i - 1] <= '9'))
      continue;
    n = digits (s + i, len - i, &major, &too_long);
    if (too_long)
      return -1;
    if (i + n + 1 < len && s[i + n] == '.' &&
        s[i + n + 1] >= '0' && s[i + n + 1] <= '9') {
      digits (s + i + n + 1, len - i - n - 1, &minor, &too_long);
      if (too_long)
        return -1;
      st->has_version = true;
      st->major = major;
      st->minor = minor;
      return 0;
    }
  }
  for (size_t i = 0; i < len; ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digits (s + i, len - i, &major, &too_long);
      if (too_long)
        return -1;
      st->has_version = true;
      st->major = major;
      st->minor = 0;
      return 0;
    }
  }
  return 0;
}

size_t
gk_shell_unquote (const char *s, size_t len, char *out)
{
  size_t o = 0;

  if (len >= 2 && s[0] == '\'' && s[len - 1] == '\'') {
    memcpy (out, s + 1, len - 2);
    o = len - 2;
  }
  else if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
    for (size_t i = 1; i < len - 1; ++i) {
      if (s[i] == '\\') {
        char c = s[++i];        /* at most s[len - 1], the quote */

        if (c == '\n')
          continue;
        if (c != '$' && c != '`' && c != '"' && c != '\\')
          out[o++] = '\\';
        out[o++] = c;
      }
      else
        out[o++] = s[i];
    }
  }
  else {
    memcpy (out, s, len);
    o = len;
  }
  out[o] = '\0';
  return o;
}

static bool
equals (const char *s, size_t len, const char *word)
{
  return strlen (word) == len && memcmp (s, word, len) == 0;
}

/* os-release IDs whose whole handling in libguestfs 1.48 (release
 * walk, package format and management) is modelled here, with
 * libguestfs's distro name.  Others (rocky, kylin, gentoo, pardus,
 * neokylin, coreos...) give "not sure".
 */
static const char *
distro_of_id (const char *v, size_t len)
{
  static const char *const map[][2] = {
    { "alpine", "alpinelinux" }, { "altlinux", "altlinux" },
    { "arch", "archlinux" }, { "centos", "centos" },
    { "debian", "debian" }, { "fedora", "fedora" },
    { "kali", "kalilinux" }, { "mageia", "mageia" },
    { "opensuse", "opensuse" }, { "rhel", "rhel" },
    { "sles", "sles" }, { "sled", "sles" }, { "ubuntu", "ubuntu" },
  };

  for (size_t i = 0; i < sizeof map / sizeof map[0]; ++i)
    if (equals (v, len, map[i][0]))
      return map[i][1];
  if (len > 9 && memcmp (v, "opensuse-", 9) == 0)
    return "opensuse";
  return NULL;
}

/* One "\n"-separated line at a time: *POS advances past it. */
static bool
next_line (const char *text, size_t len, size_t *pos,
           const char **line, size_t *line_len)
{
  const char *nl;

  if (*pos > len || (*pos == len && len > 0 && text[len - 1] == '\n') ||
      (*pos == len && len == 0))
    return false;
  *line = text + *pos;
  nl = memchr (*line, '\n', len - *pos);
  *line_len = nl ? (size_t) (nl - *line) : len - *pos;
  *pos += *line_len + 1;
  return true;
}

/* libguestfs's parse_os_release: true when the walk is over.  -1:
 * not sure.
 */
static int
os_release (const char *text, size_t len, struct state *st)
{
  size_t pos = 0, line_len;
  const char *line;
  char *value = xmalloc (len + 1);
  int r = 0;

  while (r == 0 && next_line (text, len, &pos, &line, &line_len)) {
    const char *eq;
    size_t klen, vlen;

    if (line_len == 0 || line[0] == '#')
      continue;
    eq = memchr (line, '=', line_len);
    klen = eq ? (size_t) (eq - line) : line_len;
    vlen = gk_shell_unquote (eq ? eq + 1 : "",
                             eq ? line_len - klen - 1 : 0, value);
    if (equals (line, klen, "ID")) {
      const char *d = distro_of_id (value, vlen);

      if (d == NULL)
        r = -1;                 /* unknown here: libguestfs may know it */
      else
        st->distro = d;
    }
    else if (equals (line, klen, "PRETTY_NAME"))
      st->product_name = true;
    else if (equals (line, klen, "VERSION_ID")) {
      /* NeoKylin's "V7Update6" has a rule of its own. */
      if (vlen > 0 && value[0] == 'V' && memmem (value, vlen, "Update", 6))
        r = -1;
      else if (version_from (value, vlen, st) == -1)
        r = -1;
    }
  }
  free (value);
  if (r == -1)
    return -1;
  if (st->distro == NULL || !st->product_name)
    return 0;
  if ((strcmp (st->distro, "debian") == 0 ||
       strcmp (st->distro, "centos") == 0) &&
      st->has_version && st->minor == 0)
    return 0;
  if (!st->has_version)
    return 0;                   /* (Void's rule is not needed: no "void") */
  return 1;
}

static size_t
first_line (const char *text, size_t len)
{
  const char *nl = memchr (text, '\n', len);

  return nl ? (size_t) (nl - text) : len;
}

/* "PREFIX.*release (\d+)(\.(\d+))?" on a line with one "release ":
 * 1 matched (*ST's version set), 0 not, -1 not sure.
 */
static int
release_regex (const char *line, size_t len, const char *prefix,
               bool want_minor, struct state *st)
{
  const char *p = memmem (line, len, prefix, strlen (prefix));
  const char *rel;
  size_t off, n;
  bool too_long = false;
  int major, minor = 0;

  if (p == NULL)
    return 0;
  off = (size_t) (p - line) + strlen (prefix);
  rel = memmem (line + off, len - off, "release ", 8);
  if (rel == NULL)
    return 0;
  off = (size_t) (rel - line) + 8;
  n = digits (line + off, len - off, &major, &too_long);
  if (too_long)
    return -1;
  if (n == 0)
    return 0;
  off += n;
  if (want_minor) {
    if (off + 1 >= len || line[off] != '.')
      return 0;
    n = digits (line + off + 1, len - off - 1, &minor, &too_long);
    if (too_long)
      return -1;
    if (n == 0)
      return 0;
  }
  st->has_version = true;
  st->major = major;
  st->minor = minor;
  return 1;
}

/* /etc/redhat-release: libguestfs's regular expressions in order,
 * each setting its distro before it is tried.  -1: not sure.
 */
static int
redhat_release (const char *text, size_t len, struct state *st)
{
  static const struct { const char *prefix; bool minor; const char *d; }
  rx[] = {
    { "Red Hat", true, "rhel" }, { "Red Hat", false, "rhel" },
    { "CentOS", true, "centos" }, { "CentOS", false, "centos" },
    { "Scientific Linux", true, "scientificlinux" },
    { "Scientific Linux", false, "scientificlinux" },
  };
  size_t n = first_line (text, len);
  const char *fedora;
  int r;

  if (n == 0) {
    st->distro = "redhat-based"; /* the walk's last redhat-release rule */
    return 1;
  }
  /* RHEL 3/4 and CentOS 4 "Update N" lines, and lines where several
   * "release " make the regular expressions' greed matter.
   */
  if (memmem (text, n, "Update", 6) != NULL)
    return -1;
  if ((fedora = memmem (text, n, "release ", 8)) != NULL &&
      memmem (fedora + 8, n - (size_t) (fedora + 8 - text), "release ", 8))
    return -1;
  /* "Fedora release (\d+)": the leftmost one with a digit. */
  st->distro = "fedora";
  for (const char *p = text; (p = memmem (p, n - (size_t) (p - text),
                                          "Fedora release ", 15)); p++) {
    bool too_long = false;
    int major;
    size_t off = (size_t) (p - text) + 15;

    if (digits (text + off, n - off, &major, &too_long) > 0) {
      st->has_version = true;
      st->major = major;
      st->minor = 0;
      return 1;
    }
    if (too_long)
      return -1;
  }
  for (size_t i = 0; i < sizeof rx / sizeof rx[0]; ++i) {
    st->distro = rx[i].d;
    r = release_regex (text, n, rx[i].prefix, rx[i].minor, st);
    if (r != 0)
      return r;
  }
  /* A generic Red Hat based distribution: libguestfs 1.48 may know it
   * by a file or rule of its own (Rocky, Alma...).
   */
  return -1;
}

int
gk_identify_linux (const struct gk_release_files *f,
                   struct gk_os_identity *id, const char **errmsg)
{
  struct state st = { 0 };
  int r = 0;

  memset (id, 0, sizeof *id);
  if ((f->os_release && f->os_release_len > GK_RELEASE_FILE_MAX) ||
      (f->redhat_release && f->redhat_release_len > GK_RELEASE_FILE_MAX) ||
      (f->debian_version && f->debian_version_len > GK_RELEASE_FILE_MAX)) {
    *errmsg = "a release file is too large";
    return -1;
  }
  if (f->os_release &&
      (r = os_release (f->os_release, f->os_release_len, &st)) == -1) {
    *errmsg = "os-release names a distribution or version not modelled";
    return -1;
  }
  if (r == 0 && f->lsb_release) {
    *errmsg = "lsb-release would be read";
    return -1;
  }
  if (r == 0 && f->rh_derivative) {
    *errmsg = "a Red Hat derivative's release file would be read";
    return -1;
  }
  if (r == 0 && f->redhat_release &&
      (r = redhat_release (f->redhat_release, f->redhat_release_len,
                           &st)) == -1) {
    *errmsg = "redhat-release names a release not modelled";
    return -1;
  }
  if (r == 0 && f->debian_version) {
    size_t n = first_line (f->debian_version, f->debian_version_len);

    if (n > 0) {
      st.distro = "debian";
      if (version_from (f->debian_version, n, &st) == -1) {
        *errmsg = "debian_version has a number too long";
        return -1;
      }
      r = 1;
    }
  }
  if (r == 0 && f->later) {
    *errmsg = "a release file of another distribution would be read";
    return -1;
  }
  if (st.distro)
    strcpy (id->distro, st.distro);
  id->has_version = st.has_version;
  id->major = st.major;
  id->minor = st.minor;
  return 0;
}

const char *
gk_package_format (const char *distro)
{
  static const char *const rpm[] = {
    "altlinux", "centos", "fedora", "mageia", "mandriva", "meego",
    "neokylin", "opensuse", "oraclelinux", "redhat-based", "rhel",
    "scientificlinux", "sles", "suse-based", NULL
  };
  static const char *const deb[] = {
    "debian", "kalilinux", "linuxmint", "ubuntu", NULL
  };

  for (size_t i = 0; rpm[i]; ++i)
    if (strcmp (distro, rpm[i]) == 0)
      return "rpm";
  for (size_t i = 0; deb[i]; ++i)
    if (strcmp (distro, deb[i]) == 0)
      return "deb";
  if (strcmp (distro, "archlinux") == 0)
    return "pacman";
  if (strcmp (distro, "gentoo") == 0)
    return "ebuild";
  if (strcmp (distro, "pardus") == 0)
    return "pisi";
  if (strcmp (distro, "alpinelinux") == 0)
    return "apk";
  if (strcmp (distro, "voidlinux") == 0)
    return "xbps";
  return "unknown";
}

bool
gk_needs_dnf_probe (const char *distro, int major)
{
  return strcmp (distro, "fedora") == 0 && major >= 22;
}

const char *
gk_package_management (const char *distro, int major, bool dnf)
{
  static const char *const rh[] = {
    "centos", "oraclelinux", "redhat-based", "rhel", "scientificlinux",
    NULL
  };
  static const char *const apt[] = {
    "altlinux", "debian", "kalilinux", "linuxmint", "ubuntu", NULL
  };
  static const char *const zypper[] = {
    "opensuse", "sles", "suse-based", NULL
  };

  if (strcmp (distro, "meego") == 0)
    return "yum";
  if (strcmp (distro, "fedora") == 0)
    return gk_needs_dnf_probe (distro, major) && dnf ? "dnf"
      : major >= 1 ? "yum" : "unknown";
  if (strcmp (distro, "neokylin") == 0)
    return "dnf";
  for (size_t i = 0; rh[i]; ++i)
    if (strcmp (distro, rh[i]) == 0)
      return major >= 8 ? "dnf" : major >= 5 ? "yum"
        : major >= 2 ? "up2date" : "unknown";
  for (size_t i = 0; apt[i]; ++i)
    if (strcmp (distro, apt[i]) == 0)
      return "apt";
  for (size_t i = 0; zypper[i]; ++i)
    if (strcmp (distro, zypper[i]) == 0)
      return "zypper";
  if (strcmp (distro, "archlinux") == 0)
    return "pacman";
  if (strcmp (distro, "gentoo") == 0)
    return "portage";
  if (strcmp (distro, "pardus") == 0)
    return "pisi";
  if (strcmp (distro, "mageia") == 0 || strcmp (distro, "mandriva") == 0)
    return "urpmi";
  if (strcmp (distro, "alpinelinux") == 0)
    return "apk";
  if (strcmp (distro, "voidlinux") == 0)
    return "xbps";
  return "unknown";
}
