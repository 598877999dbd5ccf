/* guestkit: the LVM2 volume group metadata text (see lvm-metadata.h).
 *
 * The text is a tree of "name { ... }" sections and "key = value"
 * pairs, values being integers, strings or lists of them; the VG is the
 * one top-level section.  lvm-label.c finds the text on a PV.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondisk/lvm-metadata.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"

#define SECTOR 512
#define MAX_DEPTH 32

/* ---- The text format ---- */

enum value_type { V_NONE, V_INT, V_STR, V_LIST };

/* An integer or a string: a list's items. */
struct scalar {
  enum value_type type;         /* V_INT or V_STR */
  int64_t i;
  char *s;
};

DEFINE_VECTOR_TYPE (scalar_vector, struct scalar);

struct value {
  enum value_type type;
  int64_t i;                    /* V_INT */
  char *s;                      /* V_STR */
  scalar_vector items;          /* V_LIST */
};

struct node {
  char *key;
  bool section;
  struct value v;               /* when not a section */
  struct node *child;           /* when a section */
  struct node *next;
};

static void
free_value (struct value *v)
{
  free (v->s);
  vector_foreach (item, &v->items)
    free (item->s);
  scalar_vector_reset (&v->items);
}

static void
free_nodes (struct node *n)
{
  while (n) {
    struct node *next = n->next;
    free (n->key);
    free_value (&n->v);
    free_nodes (n->child);
    free (n);
    n = next;
  }
}

static void
cleanup_free_nodes (void *ptr)
{
  free_nodes (*(struct node **) ptr);
}

#define CLEANUP_FREE_NODES __attribute__ ((cleanup (cleanup_free_nodes)))

struct parser {
  const char *p, *end;
  char *error;
};

/* The error names where it happened with a few bytes of the text, which
 * come from the guest: never past the end, and only printable ASCII (a
 * terminal must not see escape sequences a guest chose).
 */
static bool
fail (struct parser *ps, const char *what)
{
  char near[21];
  size_t n = 0;

  if (ps->error)
    return false;
  for (const char *q = ps->p; q < ps->end && *q && n < sizeof near - 1; ++q)
    near[n++] = *q >= 0x20 && *q < 0x7f ? *q : '?';
  near[n] = '\0';
  ps->error = xasprintf ("LVM metadata: %s near \"%s\"", what, near);
  return false;
}

/* Whitespace and "#" comments to the end of the line. */
static void
skip_space (struct parser *ps)
{
  while (ps->p < ps->end) {
    if (isspace ((unsigned char) *ps->p))
      ps->p++;
    else if (*ps->p == '#') {
      while (ps->p < ps->end && *ps->p != '\n')
        ps->p++;
    }
    else if (*ps->p == '\0')    /* the buffer's terminator */
      ps->end = ps->p;
    else
      break;
  }
}

static bool
is_word_char (char c)
{
  return !isspace ((unsigned char) c) && c != '\0' &&
    strchr ("={}[],\"#", c) == NULL;
}

static char *
parse_word (struct parser *ps)
{
  const char *start = ps->p;

  while (ps->p < ps->end && is_word_char (*ps->p))
    ps->p++;
  if (ps->p == start)
    return NULL;
  return xstrndup (start, ps->p - start);
}

static bool
parse_scalar (struct parser *ps, struct scalar *v)
{
  if (ps->p < ps->end && *ps->p == '"') {
    const char *q;
    size_t len = 0;
    char *s;

    /* Find the end first, so the copy is the string's size. */
    ps->p++;
    for (q = ps->p; q < ps->end && *q != '"'; ++q)
      if (*q == '\\' && q + 1 < ps->end)
        q++;
    if (q >= ps->end)
      return fail (ps, "unterminated string");
    s = xmalloc (q - ps->p + 1);
    while (ps->p < q) {
      if (*ps->p == '\\')
        ps->p++;
      s[len++] = *ps->p++;
    }
    s[len] = '\0';
    ps->p++;
    v->type = V_STR;
    v->s = s;
    return true;
  }
  else {
    CLEANUP_FREE char *w = parse_word (ps);
    char *endp;

    if (w == NULL)
      return fail (ps, "expected a value");
    errno = 0;
    v->i = strtoll (w, &endp, 10);
    if (*endp == '\0' && errno == 0)
      v->type = V_INT;
    else {
      /* A float or a bare word: nothing we use, kept as text. */
      v->type = V_STR;
      v->s = w;
      w = NULL;
    }
    return true;
  }
}

static bool
parse_value (struct parser *ps, struct value *v)
{
  struct scalar one = { .type = V_NONE };

  skip_space (ps);
  if (ps->p < ps->end && *ps->p == '[') {
    ps->p++;
    v->type = V_LIST;
    for (;;) {
      skip_space (ps);
      if (ps->p >= ps->end)
        return fail (ps, "unterminated list");
      if (*ps->p == ']') {
        ps->p++;
        return true;
      }
      if (v->items.len > 0) {
        if (*ps->p != ',')
          return fail (ps, "expected ',' in a list");
        ps->p++;
        skip_space (ps);
        if (ps->p < ps->end && *ps->p == ']')
          continue;
      }
      {
        struct scalar item = { .type = V_NONE };

        if (!parse_scalar (ps, &item))
          return false;
        scalar_vector_append (&v->items, item);
      }
    }
  }
  if (!parse_scalar (ps, &one))
    return false;
  v->type = one.type;
  v->i = one.i;
  v->s = one.s;
  return true;
}

/* The entries of one section up to its "}" (or the end, at the top). */
static bool
parse_body (struct parser *ps, struct node **list, int depth)
{
  struct node **tail = list;

  if (depth > MAX_DEPTH)
    return fail (ps, "sections nested too deeply");
  for (;;) {
    struct node *n;

    skip_space (ps);
    if (ps->p >= ps->end)
      return depth == 0 ? true : fail (ps, "unterminated section");
    if (*ps->p == '}') {
      if (depth == 0)
        return fail (ps, "unexpected '}'");
      ps->p++;
      return true;
    }

    n = xcalloc (1, sizeof *n);
    *tail = n;
    tail = &n->next;
    n->key = parse_word (ps);
    if (n->key == NULL)
      return fail (ps, "expected a name");
    skip_space (ps);
    if (ps->p < ps->end && *ps->p == '{') {
      ps->p++;
      n->section = true;
      if (!parse_body (ps, &n->child, depth + 1))
        return false;
    }
    else if (ps->p < ps->end && *ps->p == '=') {
      ps->p++;
      if (!parse_value (ps, &n->v))
        return false;
    }
    else
      return fail (ps, "expected '=' or '{'");
  }
}

static const struct node *
find_node (const struct node *list, const char *key, bool section)
{
  for (; list; list = list->next)
    if (list->section == section && STREQ (list->key, key))
      return list;
  return NULL;
}

static const struct value *
find_value (const struct node *section, const char *key)
{
  const struct node *n = find_node (section->child, key, false);
  return n ? &n->v : NULL;
}

static char *
get_str (const struct node *section, const char *key)
{
  const struct value *v = find_value (section, key);
  return v && v->type == V_STR ? xstrdup (v->s) : NULL;
}

static bool
get_u64 (const struct node *section, const char *key, uint64_t *r)
{
  const struct value *v = find_value (section, key);

  if (!v || v->type != V_INT || v->i < 0)
    return false;
  *r = v->i;
  return true;
}

static bool
list_has (const struct value *v, const char *s)
{
  if (v == NULL || v->type != V_LIST)
    return false;
  for (size_t i = 0; i < v->items.len; ++i)
    if (v->items.ptr[i].type == V_STR && STREQ (v->items.ptr[i].s, s))
      return true;
  return false;
}

static int
compare_segments (const struct gk_lvm_segment *x,
                  const struct gk_lvm_segment *y)
{
  return x->start_extent < y->start_extent ? -1 :
    x->start_extent > y->start_extent;
}

static struct gk_lvm_lv
read_lv (const struct node *sec)
{
  struct gk_lvm_lv lv = { .segments = empty_vector };

  lv.name = xstrdup (sec->key);
  lv.id = get_str (sec, "id");
  lv.visible = list_has (find_value (sec, "status"), "VISIBLE");
  lv.writable = list_has (find_value (sec, "status"), "WRITE");

  /* Segments are the subsections with extents ("segment1" ...). */
  for (const struct node *c = sec->child; c; c = c->next) {
    struct gk_lvm_segment s = { .type = NULL };
    const struct value *stripes;
    uint64_t u;

    if (!c->section || !find_value (c, "start_extent"))
      continue;
    get_u64 (c, "start_extent", &s.start_extent);
    get_u64 (c, "extent_count", &s.extent_count);
    s.type = get_str (c, "type");
    if (get_u64 (c, "stripe_count", &u))
      s.stripe_count = u;
    stripes = find_value (c, "stripes");
    if (stripes && stripes->type == V_LIST && stripes->items.len >= 2 &&
        stripes->items.ptr[0].type == V_STR &&
        stripes->items.ptr[1].type == V_INT) {
      s.pv_name = xstrdup (stripes->items.ptr[0].s);
      s.pv_start_extent = stripes->items.ptr[1].i;
    }
    gk_lvm_segment_vector_append (&lv.segments, s);
  }
  gk_lvm_segment_vector_sort (&lv.segments, compare_segments);
  return lv;
}

/* The parsed text to a gk_lvm_vg: the VG is the one top-level section. */
static struct gk_lvm_vg *
tree_to_vg (const struct node *top, char **errmsg)
{
  const struct node *vgsec = NULL, *pvs, *lvs;
  struct gk_lvm_vg *vg;
  uint64_t u;

  for (const struct node *n = top; n; n = n->next)
    if (n->section) {
      vgsec = n;
      break;
    }
  if (vgsec == NULL || !find_value (vgsec, "extent_size")) {
    *errmsg = xstrdup ("LVM metadata: no volume group in the text");
    return NULL;
  }

  vg = xcalloc (1, sizeof *vg);
  vg->name = xstrdup (vgsec->key);
  vg->id = get_str (vgsec, "id");
  get_u64 (vgsec, "seqno", &vg->seqno);
  if (get_u64 (vgsec, "extent_size", &u) && u <= UINT64_MAX / SECTOR)
    vg->extent_size = u * SECTOR;

  pvs = find_node (vgsec->child, "physical_volumes", true);
  for (const struct node *c = pvs ? pvs->child : NULL; c; c = c->next) {
    struct gk_lvm_pv pv = { .name = NULL };

    if (!c->section)
      continue;
    pv.name = xstrdup (c->key);
    pv.id = get_str (c, "id");
    if (get_u64 (c, "pe_start", &u))
      pv.pe_start = u <= UINT64_MAX / SECTOR ? u * SECTOR : UINT64_MAX;
    get_u64 (c, "pe_count", &pv.pe_count);
    if (get_u64 (c, "dev_size", &u))
      pv.dev_size = u <= UINT64_MAX / SECTOR ? u * SECTOR : UINT64_MAX;
    gk_lvm_pv_vector_append (&vg->pvs, pv);
  }

  lvs = find_node (vgsec->child, "logical_volumes", true);
  for (const struct node *c = lvs ? lvs->child : NULL; c; c = c->next)
    if (c->section)
      gk_lvm_lv_vector_append (&vg->lvs, read_lv (c));
  return vg;
}

int
gk_lvm_parse_metadata (const char *text, size_t len,
                       struct gk_lvm_vg **vg_r, char **errmsg)
{
  struct parser ps = { .p = text, .end = text + len, .error = NULL };
  CLEANUP_FREE_NODES struct node *top = NULL;

  *vg_r = NULL;
  *errmsg = NULL;
  if (!parse_body (&ps, &top, 0)) {
    *errmsg = ps.error;
    return -1;
  }
  *vg_r = tree_to_vg (top, errmsg);
  return *vg_r ? 0 : -1;
}

/* ---- Questions about a VG ---- */

const struct gk_lvm_pv *
gk_lvm_find_pv (const struct gk_lvm_vg *vg, const char *pv_id)
{
  /* LVM prints UUIDs with and without dashes; compare without. */
  for (size_t i = 0; i < vg->pvs.len; ++i) {
    const char *a = vg->pvs.ptr[i].id, *b = pv_id;
    if (a == NULL)
      continue;
    for (;;) {
      while (*a == '-')
        a++;
      while (*b == '-')
        b++;
      if (*a != *b || *a == '\0')
        break;
      a++;
      b++;
    }
    if (*a == '\0' && *b == '\0')
      return &vg->pvs.ptr[i];
  }
  return NULL;
}

const struct gk_lvm_lv *
gk_lvm_find_lv (const struct gk_lvm_vg *vg, const char *name)
{
  for (size_t i = 0; i < vg->lvs.len; ++i)
    if (STREQ (vg->lvs.ptr[i].name, name))
      return &vg->lvs.ptr[i];
  return NULL;
}

int64_t
gk_lvm_lv_start (const struct gk_lvm_vg *vg, const struct gk_lvm_lv *lv,
                 const char *pv_name)
{
  const struct gk_lvm_segment *s;
  const struct gk_lvm_pv *pv = NULL;

  if (lv->segments.len == 0)
    return -1;
  s = &lv->segments.ptr[0];     /* sorted by start_extent */
  if (s->start_extent != 0 || s->type == NULL ||
      STRNEQ (s->type, "striped") || s->stripe_count != 1 ||
      s->pv_name == NULL || STRNEQ (s->pv_name, pv_name))
    return -1;
  for (size_t i = 0; i < vg->pvs.len; ++i)
    if (STREQ (vg->pvs.ptr[i].name, pv_name))
      pv = &vg->pvs.ptr[i];
  /* Numbers from the guest: an LV that starts past what a disk can
   * hold starts nowhere.
   */
  if (pv == NULL || vg->extent_size == 0 ||
      s->pv_start_extent > (uint64_t) INT64_MAX / vg->extent_size ||
      pv->pe_start > (uint64_t) INT64_MAX -
      s->pv_start_extent * vg->extent_size)
    return -1;
  return pv->pe_start + s->pv_start_extent * vg->extent_size;
}

static int
compare_ranges (const void *a, const void *b)
{
  const struct gk_lvm_range *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

/* The PV's used extents (start, count in extents), sorted; -1 with
 * *ERRMSG if any segment of the VG cannot be accounted for exactly.
 */
static int
used_extents (const struct gk_lvm_vg *vg, const struct gk_lvm_pv *pv,
              gk_lvm_range_vector *used, char **errmsg)
{
  for (size_t i = 0; i < vg->lvs.len; ++i) {
    const struct gk_lvm_lv *lv = &vg->lvs.ptr[i];

    for (size_t j = 0; j < lv->segments.len; ++j) {
      const struct gk_lvm_segment *s = &lv->segments.ptr[j];

      /* Any other kind of segment may own extents this parser does not
       * list (the other stripes, mirror images, a pool's data).
       */
      if (s->type == NULL || STRNEQ (s->type, "striped") ||
          s->stripe_count != 1 || s->pv_name == NULL) {
        *errmsg = xasprintf ("LV %s has a segment that is not linear",
                             lv->name);
        return -1;
      }
      if (STRNEQ (s->pv_name, pv->name) || s->extent_count == 0)
        continue;
      if (s->pv_start_extent > pv->pe_count ||
          s->extent_count > pv->pe_count - s->pv_start_extent) {
        *errmsg = xasprintf ("LV %s has extents past the end of PV %s",
                             lv->name, pv->name);
        return -1;
      }
      gk_lvm_range_vector_append (used, (struct gk_lvm_range) {
          s->pv_start_extent, s->extent_count });
    }
  }
  if (used->len > 1)
    qsort (used->ptr, used->len, sizeof *used->ptr, compare_ranges);
  for (size_t i = 1; i < used->len; ++i)
    if (used->ptr[i].start < used->ptr[i - 1].start + used->ptr[i - 1].len) {
      *errmsg = xasprintf ("two LVs share extent %" PRIu64 " of PV %s",
                           used->ptr[i].start, pv->name);
      return -1;
    }
  return 0;
}

int
gk_lvm_pv_free_ranges (const struct gk_lvm_vg *vg, const struct gk_lvm_pv *pv,
                       gk_lvm_range_vector *free_r, char **errmsg)
{
  gk_lvm_range_vector used = empty_vector;
  gk_lvm_range_vector out = empty_vector;
  uint64_t next = 0;            /* extents before it are accounted for */

  /* Every byte offset computed below is at most pe_start + pe_count *
   * extent_size, checked here once.
   */
  if (vg->extent_size == 0 || pv->pe_count > UINT64_MAX / vg->extent_size ||
      pv->pe_start > UINT64_MAX - pv->pe_count * vg->extent_size) {
    *errmsg = xasprintf ("PV %s: its extents do not fit in 64 bits",
                         pv->name);
    return -1;
  }
  if (used_extents (vg, pv, &used, errmsg) == -1) {
    free (used.ptr);
    return -1;
  }
  for (size_t i = 0; i <= used.len; ++i) {
    uint64_t end = i < used.len ? used.ptr[i].start : pv->pe_count;

    if (end > next)
      gk_lvm_range_vector_append (&out, (struct gk_lvm_range) {
          pv->pe_start + next * vg->extent_size,
          (end - next) * vg->extent_size });
    if (i < used.len)
      next = used.ptr[i].start + used.ptr[i].len;
  }
  free (used.ptr);
  for (size_t i = 0; i < out.len; ++i)
    gk_lvm_range_vector_append (free_r, out.ptr[i]);
  free (out.ptr);
  return 0;
}

uint64_t
gk_lvm_lv_size (const struct gk_lvm_vg *vg, const struct gk_lvm_lv *lv)
{
  uint64_t extents = 0;

  /* Saturating: the counts come from the guest. */
  for (size_t i = 0; i < lv->segments.len; ++i) {
    if (lv->segments.ptr[i].extent_count > UINT64_MAX - extents)
      return UINT64_MAX;
    extents += lv->segments.ptr[i].extent_count;
  }
  if (vg->extent_size && extents > UINT64_MAX / vg->extent_size)
    return UINT64_MAX;
  return extents * vg->extent_size;
}

void
gk_lvm_vg_free (struct gk_lvm_vg *vg)
{
  if (vg == NULL)
    return;
  vector_foreach (pv, &vg->pvs) {
    free (pv->name);
    free (pv->id);
  }
  gk_lvm_pv_vector_reset (&vg->pvs);
  vector_foreach (lv, &vg->lvs) {
    vector_foreach (s, &lv->segments) {
      free (s->type);
      free (s->pv_name);
    }
    gk_lvm_segment_vector_reset (&lv->segments);
    free (lv->name);
    free (lv->id);
  }
  gk_lvm_lv_vector_reset (&vg->lvs);
  free (vg->name);
  free (vg->id);
  free (vg);
}
