/* guestkit: /etc/fstab as libguestfs's inspection reads it (see
 * fstab.h).
 *
 * Each line is split the way Augeas's Fstab lens splits it: blank and
 * comment lines skipped, then spec, file, vfstype and the optional
 * options, dump and passno separated by blanks, a trailing comment
 * allowed.  Anything the lens might read differently (or reject, which
 * would empty libguestfs's whole list) is refused with a reason, so
 * that the caller asks libguestfs instead of guessing.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "ondisk/fstab.h"
#include "ondisk/osinfo.h"
#include "utils/alloc.h"

void
gk_fstab_free (gk_fstab *f)
{
  for (size_t i = 0; i < f->len; ++i) {
    free (f->ptr[i].spec);
    free (f->ptr[i].file);
    free (f->ptr[i].vfstype);
    free (f->ptr[i].subvol);
  }
  gk_fstab_reset (f);
}

void
gk_canonical_path (const char *path, char *out)
{
  size_t o = 0;
  bool absolute = path[0] == '/';

  if (absolute)
    out[o++] = '/';
  for (const char *p = path; *p; ) {
    size_t n;

    while (*p == '/')
      p++;
    n = strcspn (p, "/");
    if (n == 0)
      break;
    if (o > (absolute ? 1u : 0u))
      out[o++] = '/';
    memcpy (out + o, p, n);
    o += n;
    p += n;
  }
  out[o] = '\0';
}

static bool
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* The options field: "label[=value]" items separated by single
 * commas, no item empty, no '#' or quote anywhere.  The subvol= value
 * goes to *SUBVOL.  Returns false if the lens might disagree.
 */
static bool
parse_options (const char *opts, char **subvol)
{
  const char *p = opts;

  if (strpbrk (opts, "#\"'\\") != NULL)
    return false;
  for (;;) {
    size_t n = strcspn (p, ",");
    const char *eq = memchr (p, '=', n);
    size_t label = eq ? (size_t) (eq - p) : n;

    if (n == 0 || label == 0)
      return false;
    if (eq && memchr (eq + 1, '=', n - label - 1))
      return false;
    /* libguestfs takes the first subvol= option. */
    if (label == 6 && memcmp (p, "subvol", 6) == 0 && eq && !*subvol)
      *subvol = xstrndup (eq + 1, n - label - 1);
    if (p[n] == '\0')
      return true;
    p += n + 1;
  }
}

static bool
all_digits (const char *s)
{
  if (*s == '\0')
    return false;
  for (; *s; ++s)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

/* One line (NUL-terminated, no newline) into *OUT.  Returns 0 (blank
 * or comment lines add nothing), or -1 with *ERRMSG.
 */
static int
parse_line (char *line, gk_fstab *out, const char **errmsg)
{
  char *field[7];
  size_t n = 0;
  char *p = line;
  struct gk_fstab_entry e = { 0 };

  for (;;) {
    while (is_blank (*p))
      p++;
    if (*p == '\0' || *p == '#')
      break;
    if (n == 6) {
      *errmsg = "an fstab line has more than six fields";
      return -1;
    }
    field[n++] = p;
    while (*p && !is_blank (*p))
      p++;
    if (*p)
      *p++ = '\0';
  }
  if (n == 0)
    return 0;
  if (n < 3) {
    *errmsg = "an fstab line has fewer than three fields";
    return -1;
  }
  if (field[0][0] == ',' || strchr (field[1], '#') ||
      strpbrk (field[2], ",=#")) {
    *errmsg = "an fstab line has a field Augeas may read differently";
    return -1;
  }
  if ((n >= 4 && !parse_options (field[3], &e.subvol)) ||
      (n >= 5 && !all_digits (field[4])) ||
      (n >= 6 && !all_digits (field[5]))) {
    free (e.subvol);
    *errmsg = "an fstab line has options, dump or passno Augeas may reject";
    return -1;
  }
  if (out->len >= GK_FSTAB_MAX_ENTRIES) {
    free (e.subvol);
    *errmsg = "fstab has too many entries";
    return -1;
  }
  e.spec = xstrdup (field[0]);
  e.file = xmalloc (strlen (field[1]) + 1);
  gk_canonical_path (field[1], e.file);
  e.vfstype = xstrdup (field[2]);
  gk_fstab_append (out, e);
  return 0;
}

int
gk_fstab_parse (const char *text, size_t len, gk_fstab *out,
                const char **errmsg)
{
  char *copy;
  char *line;
  int r = 0;

  if (len > GK_FSTAB_MAX_SIZE) {
    *errmsg = "fstab is too large";
    return -1;
  }
  for (size_t i = 0; i < len; ++i) {
    unsigned char c = (unsigned char) text[i];

    /* NUL, CR and other control characters: the lens's character
     * classes are not ours to guess.
     */
    if (c < 0x20 && c != '\n' && c != '\t') {
      *errmsg = "fstab has control characters";
      return -1;
    }
  }
  copy = xmalloc (len + 1);
  memcpy (copy, text, len);
  copy[len] = '\0';
  line = copy;
  while (r == 0 && *line) {
    char *nl = strchr (line, '\n');

    if (nl)
      *nl = '\0';
    r = parse_line (line, out, errmsg);
    if (nl == NULL)
      break;
    line = nl + 1;
  }
  free (copy);
  if (r == -1)
    gk_fstab_free (out);
  return r;
}

static bool
starts (const char *s, const char *prefix)
{
  return strncmp (s, prefix, strlen (prefix)) == 0;
}

/* libguestfs's drive_index: "a" 0, "z" 25, "aa" 26. */
static bool
drive_index (const char *letters, size_t n, size_t *index)
{
  size_t i = 0;

  if (n == 0 || n > 4)
    return false;
  for (size_t k = 0; k < n; ++k)
    i = i * 26 + (size_t) (letters[k] - 'a' + 1);
  *index = i - 1;
  return true;
}

/* /dev/(h|s|v|xv)d([a-z]+)(\d*) */
static bool
xdev (const char *spec, struct gk_spec *s)
{
  const char *p = spec + 5;
  size_t letters, digits;

  if (starts (p, "xv"))
    p += 2;
  else if (*p == 'h' || *p == 's' || *p == 'v')
    p++;
  else
    return false;
  if (*p++ != 'd')
    return false;
  letters = strspn (p, "abcdefghijklmnopqrstuvwxyz");
  digits = strspn (p + letters, "0123456789");
  if (letters == 0 || p[letters + digits] != '\0' ||
      digits >= sizeof s->part)
    return false;
  if (!drive_index (p, letters, &s->disk))
    return false;
  memcpy (s->part, p + letters, digits);
  s->part[digits] = '\0';
  return true;
}

/* OpenBSD's DUID form: 16 lowercase hex digits, '.', a letter. */
static bool
openbsd_duid (const char *spec)
{
  for (size_t i = 0; i < 16; ++i)
    if (!strchr ("0123456789abcdef", spec[i]) || spec[i] == '\0')
      return false;
  return spec[16] == '.' && spec[17] >= 'a' && spec[17] <= 'z';
}

static enum gk_spec_kind
valued (struct gk_spec *s, enum gk_spec_kind kind, const char *v)
{
  size_t len = strlen (v);

  s->value = xmalloc (len + 1);
  gk_shell_unquote (v, len, s->value);
  return s->kind = kind;
}

enum gk_spec_kind
gk_fstab_spec (const struct gk_fstab_entry *e, struct gk_spec *s)
{
  const char *spec = e->spec, *mp = e->file;

  memset (s, 0, sizeof *s);
  /* Floppies and CD-ROMs. */
  if ((starts (spec, "/dev/fd") && spec[7] >= '0' && spec[7] <= '9') ||
      (starts (spec, "/dev/cd") && spec[7] >= '0' && spec[7] <= '9') ||
      strcmp (spec, "/dev/floppy") == 0 || strcmp (spec, "/dev/cdrom") == 0 ||
      starts (spec, "/dev/iso9660/"))
    return s->kind = GK_SPEC_IGNORE;
  if (starts (mp, "/dev/") || strcmp (mp, "/dev") == 0 ||
      starts (mp, "/media/") || starts (mp, "/proc/") ||
      strcmp (mp, "/proc") == 0 || starts (mp, "/selinux/") ||
      strcmp (mp, "/selinux") == 0 || starts (mp, "/sys/") ||
      strcmp (mp, "/sys") == 0)
    return s->kind = GK_SPEC_IGNORE;
  if (starts (spec, "UUID="))
    return valued (s, GK_SPEC_UUID, spec + 5);
  if (starts (spec, "LABEL="))
    return valued (s, GK_SPEC_LABEL, spec + 6);
  if (starts (spec, "PARTUUID="))
    return valued (s, GK_SPEC_PARTUUID, spec + 9);
  if (starts (spec, "PARTLABEL="))
    return valued (s, GK_SPEC_PARTLABEL, spec + 10);
  if (strcmp (spec, "/dev/root") == 0)
    return s->kind = GK_SPEC_ROOT;
  if (starts (spec, "/dev/")) {
    if (starts (spec, "/dev/mapper/") && spec[12] != '\0' &&
        strchr (spec + 12, '/') == NULL)
      return s->kind = GK_SPEC_MAPPER;
    if (starts (spec, "/dev/mapper"))
      return s->kind = GK_SPEC_UNSURE;
    if (xdev (spec, s))
      return s->kind = GK_SPEC_XDEV;
    /* by-id, by-uuid, by-path, MD, cciss and the BSDs' and Hurd's
     * names have rules of their own, which changed between releases.
     */
    if (starts (spec, "/dev/disk/") || starts (spec, "/dev/md") ||
        starts (spec, "/dev/cciss/") || starts (spec, "/dev/ad") ||
        starts (spec, "/dev/vtbd") || starts (spec, "/dev/hd") ||
        starts (spec, "/dev/ld") || starts (spec, "/dev/sd") ||
        starts (spec, "/dev/wd"))
      return s->kind = GK_SPEC_UNSURE;
    return s->kind = GK_SPEC_DEVICE;
  }
  if (openbsd_duid (spec))
    return s->kind = GK_SPEC_UNSURE;
  /* tmpfs, proc, NFS, bind mounts, Pardus's /.swap... */
  return s->kind = GK_SPEC_IGNORE;
}
