/* guestkit: writes guestfish's command table (fish/cmds.c) at build
 * time.
 *
 *   gen-fish-cmds GIR EXCEPTIONS > cmds.c
 *
 * GIR is the installed Guestfs-1.0.gir (libguestfs-gobject-dev), which
 * says what guestfs.h cannot: Bool vs Int arguments (gboolean, gint32),
 * RErr vs RBool vs RInt (gboolean, gint8, gint32), hashtables
 * (GHashTable), optional strings (nullable), guest paths ("filename")
 * and the optional-argument types (Tristate for Bool).  Every action
 * is cross-checked with the guestfs.h table this program is linked with
 * (api-table.h): the same actions, arguments in the same order, C kinds
 * that agree.  EXCEPTIONS (fish/api-exceptions) says which "filename"
 * arguments are host files (FileIn/FileOut) and which text arguments
 * are passphrases (Key), the two things the .gir cannot tell.
 *
 * Anything not understood stops the build with "FILE:LINE: ...", so a
 * new kind in a future libguestfs is noticed, not left out quietly.
 * A one-shot build tool: what it allocates is released at exit.
 */
#include <config.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "api-table.h"

static const char *gir_path;

static void __attribute__ ((noreturn, format (printf, 2, 3)))
die_at (long line, const char *fs, ...)
{
  va_list args;

  fprintf (stderr, "%s:%ld: ", gir_path, line);
  va_start (args, fs);
  vfprintf (stderr, fs, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (EXIT_FAILURE);
}

static bool
is (const xmlNode *n, const char *name)
{
  return n->type == XML_ELEMENT_NODE &&
    strcmp ((const char *) n->name, name) == 0;
}

static xmlNode *
child (const xmlNode *n, const char *name)
{
  for (xmlNode *c = n->children; c; c = c->next)
    if (is (c, name))
      return c;
  return NULL;
}

/* An attribute, or NULL. */
static char *
attr (const xmlNode *n, const char *name)
{
  return (char *) xmlGetProp (n, (const xmlChar *) name);
}

static bool
attr_is (const xmlNode *n, const char *name, const char *value)
{
  char *v = attr (n, name);
  bool r = v && strcmp (v, value) == 0;

  xmlFree (v);
  return r;
}

/* The type of a return value, parameter or property, as
 * "NAME" (<type name=NAME>) or "array:ELEM" (<array><type name=ELEM>).
 */
static char *
type_of (const xmlNode *n)
{
  xmlNode *t = child (n, "type"), *a = child (n, "array");
  char buf[256];

  if (t)
    return attr (t, "name");
  if (a) {
    xmlNode *elem = child (a, "type");
    char *name = elem ? attr (elem, "name") : NULL;

    if (name == NULL)
      die_at (xmlGetLineNo (a), "an array without an element type");
    snprintf (buf, sizeof buf, "array:%s", name);
    xmlFree (name);
    return strdup (buf);
  }
  die_at (xmlGetLineNo (n), "no <type> or <array>");
}

/* Does the text of N's <doc> contain WHAT? */
static bool
doc_says (const xmlNode *n, const char *what)
{
  xmlNode *d = child (n, "doc");
  xmlChar *text;
  bool r;

  if (d == NULL)
    return false;
  text = xmlNodeGetContent (d);
  r = text && strstr ((const char *) text, what);
  xmlFree (text);
  return r;
}

/* ---- the hand-kept exceptions ---- */

struct exception {
  char action[128], arg[128], kind[16];
  bool used;
};
static struct exception exceptions[256];
static size_t nr_exceptions;

static void
read_exceptions (const char *path)
{
  FILE *fp = fopen (path, "r");
  char line[512];
  long lineno = 0;

  if (fp == NULL) {
    perror (path);
    exit (EXIT_FAILURE);
  }
  while (fgets (line, sizeof line, fp)) {
    struct exception *e = &exceptions[nr_exceptions];
    char *p = line;

    lineno++;
    while (isspace ((unsigned char) *p))
      p++;
    if (*p == '#' || *p == '\0')
      continue;
    if (nr_exceptions == sizeof exceptions / sizeof exceptions[0] ||
        sscanf (p, "%127s %127s %15s", e->action, e->arg, e->kind) != 3 ||
        (strcmp (e->kind, "filein") && strcmp (e->kind, "fileout") &&
         strcmp (e->kind, "key") && strcmp (e->kind, "none") &&
         strcmp (e->kind, "octal") && strcmp (e->kind, "hex"))) {
      fprintf (stderr, "%s:%ld: expected ACTION ARGUMENT "
               "filein|fileout|key|none|octal|hex\n", path, lineno);
      exit (EXIT_FAILURE);
    }
    nr_exceptions++;
  }
  fclose (fp);
}

static struct exception *
find_exception (const char *action, const char *arg)
{
  for (size_t i = 0; i < nr_exceptions; ++i)
    if (strcmp (exceptions[i].action, action) == 0 &&
        strcmp (exceptions[i].arg, arg) == 0)
      return &exceptions[i];
  return NULL;
}

/* ---- what the .gir says, per method ---- */

struct gir_param {
  char *name, *type;
  bool nullable;
  long line;
};

struct gir_method {
  const xmlNode *node;
  char *name;
  char *ret_type;
  bool ret_nullable;            /* "NULL does not indicate error" */
  struct gir_param params[32];
  size_t nr_params;
  char *optargs_class;          /* the class of its optargs, or NULL */
  bool cancellable;
  long line;
};

static struct gir_method methods[1024];
static size_t nr_methods;
static xmlNode *namespace_node;

static void
read_method (const xmlNode *n)
{
  struct gir_method *m = &methods[nr_methods++];
  xmlNode *ret = child (n, "return-value"), *params = child (n, "parameters");

  if (nr_methods == sizeof methods / sizeof methods[0])
    die_at (xmlGetLineNo (n), "too many methods");
  m->node = n;
  m->name = attr (n, "name");
  m->line = xmlGetLineNo (n);
  if (ret == NULL)
    die_at (m->line, "%s: no <return-value>", m->name);
  m->ret_type = type_of (ret);
  m->ret_nullable = doc_says (ret, "NULL does not indicate error");
  for (xmlNode *p = params ? params->children : NULL; p; p = p->next) {
    struct gir_param *gp;
    char *name;

    if (!is (p, "parameter"))
      continue;
    name = attr (p, "name");
    if (name == NULL)
      die_at (xmlGetLineNo (p), "%s: a parameter without a name", m->name);
    if (strcmp (name, "cancellable") == 0) {
      m->cancellable = true;
      xmlFree (name);
      continue;
    }
    if (attr_is (p, "direction", "out")) {
      xmlFree (name);
      continue;                 /* size_r of a buffer */
    }
    if (strcmp (name, "optargs") == 0) {
      m->optargs_class = type_of (p);
      xmlFree (name);
      continue;
    }
    if (m->nr_params == sizeof m->params / sizeof m->params[0])
      die_at (xmlGetLineNo (p), "too many parameters");
    gp = &m->params[m->nr_params++];
    gp->name = name;
    gp->type = type_of (p);
    gp->nullable = attr_is (p, "nullable", "1");
    gp->line = xmlGetLineNo (p);
    /* A buffer is the array and its gsize length: one argument. */
    if (strcmp (gp->type, "array:guint8") == 0) {
      xmlNode *len = p->next;
      while (len && !is (len, "parameter"))
        len = len->next;
      if (len == NULL)
        die_at (gp->line, "%s: a byte array without its length", name);
      p = len;
    }
  }
}

static xmlNode *
find_class (const char *name)
{
  for (xmlNode *c = namespace_node->children; c; c = c->next)
    if (is (c, "class") && attr_is (c, "name", name))
      return c;
  return NULL;
}

static void
read_gir (const char *path)
{
  xmlDoc *doc = xmlReadFile (path, NULL, XML_PARSE_NONET);
  xmlNode *session;

  if (doc == NULL) {
    fprintf (stderr, "%s: cannot parse the XML\n", path);
    exit (EXIT_FAILURE);
  }
  namespace_node = child (xmlDocGetRootElement (doc), "namespace");
  if (namespace_node == NULL)
    die_at (1, "no <namespace>");
  session = find_class ("Session");
  if (session == NULL)
    die_at (1, "no class Session");
  for (xmlNode *c = session->children; c; c = c->next)
    if (is (c, "method"))
      read_method (c);
}

static struct gir_method *
find_method (const char *name)
{
  for (size_t i = 0; i < nr_methods; ++i)
    if (strcmp (methods[i].name, name) == 0)
      return &methods[i];
  return NULL;
}

/* ---- resolving the kinds ---- */

static const char *
arg_type (const struct gir_method *m, const struct gir_param *p,
          const struct gk_api_arg *a)
{
  struct exception *e = find_exception (m->name, p->name);
  const char *t = p->type;

  switch (a->kind) {
  case GK_API_ARG_STRING:
    if (e) {
      e->used = true;
      if (strcmp (e->kind, "key") == 0 && strcmp (t, "utf8") == 0)
        return "FISH_ARG_KEY";
      if (strcmp (t, "filename") == 0 && strcmp (e->kind, "filein") == 0)
        return "FISH_ARG_FILE_IN";
      if (strcmp (t, "filename") == 0 && strcmp (e->kind, "fileout") == 0)
        return "FISH_ARG_FILE_OUT";
      die_at (p->line, "%s %s: api-exceptions says %s, the .gir says %s",
              m->name, p->name, e->kind, t);
    }
    if (p->nullable && (strcmp (t, "utf8") == 0 ||
                        strcmp (t, "filename") == 0))
      return "FISH_ARG_OPTSTRING";
    if (strcmp (t, "utf8") == 0)
      return "FISH_ARG_STRING";
    if (strcmp (t, "filename") == 0)
      return "FISH_ARG_PATH";
    break;
  case GK_API_ARG_STRING_LIST:
    /* array:filename: a list of devices (DeviceList). */
    if (strcmp (t, "array:utf8") == 0 || strcmp (t, "array:filename") == 0)
      return "FISH_ARG_STRING_LIST";
    break;
  case GK_API_ARG_INT:
    if (strcmp (t, "gboolean") == 0)
      return "FISH_ARG_BOOL";
    if (strcmp (t, "gint32") == 0)
      return "FISH_ARG_INT";
    break;
  case GK_API_ARG_INT64:
    if (strcmp (t, "gint64") == 0)
      return "FISH_ARG_INT64";
    break;
  case GK_API_ARG_BUFFER_IN:
    if (strcmp (t, "array:guint8") == 0)
      return "FISH_ARG_BUFFER_IN";
    break;
  case GK_API_ARG_POINTER:
    break;
  }
  die_at (p->line, "%s %s: the .gir says %s, guestfs.h says %s",
          m->name, p->name, t, gk_api_arg_kind_name (a->kind));
}

/* The fish type of optional argument O, from T, its property's type
 * in the .gir; NULL if they do not agree.
 */
static const char *
optarg_kind (const struct gk_api_optarg *o, const char *t)
{
  switch (o->kind) {
  case GK_API_ARG_STRING:
    if (strcmp (t, "utf8") == 0) return "FISH_ARG_STRING";
    break;
  case GK_API_ARG_STRING_LIST:
    if (strcmp (t, "array:utf8") == 0) return "FISH_ARG_STRING_LIST";
    break;
  case GK_API_ARG_INT:
    if (strcmp (t, "Tristate") == 0) return "FISH_ARG_BOOL";
    if (strcmp (t, "gint") == 0) return "FISH_ARG_INT";
    break;
  case GK_API_ARG_INT64:
    if (strcmp (t, "gint64") == 0) return "FISH_ARG_INT64";
    break;
  default:
    break;
  }
  return NULL;
}

static const char *
optarg_type (const struct gir_method *m, const xmlNode *cls,
             const struct gk_api_optarg *o)
{
  for (xmlNode *p = cls->children; p; p = p->next) {
    char *name, *t;
    const char *kind;
    bool match;

    if (!is (p, "property") || (name = attr (p, "name")) == NULL)
      continue;
    for (char *c = name; *c; c++)
      if (*c == '-')
        *c = '_';
    match = strcmp (name, o->name) == 0;
    xmlFree (name);
    if (!match)
      continue;
    t = type_of (p);
    kind = optarg_kind (o, t);
    if (kind == NULL)
      die_at (xmlGetLineNo (p), "%s optional %s: the .gir says %s, "
              "guestfs.h says %s", m->name, o->name, t,
              gk_api_arg_kind_name (o->kind));
    free (t);
    return kind;
  }
  /* The GObject binding leaves string-list optional arguments out; the
   * header's type is unambiguous for them.
   */
  if (o->kind == GK_API_ARG_STRING_LIST)
    return "FISH_ARG_STRING_LIST";
  die_at (xmlGetLineNo (cls), "%s: no property for the optional "
          "argument %s", m->name, o->name);
}

static const char *
ret_type (const struct gir_method *m, const struct gk_api_action *a)
{
  const char *t = m->ret_type;

  switch (a->ret) {
  case GK_API_RET_INT:
    if (strcmp (t, "gboolean") == 0) return "FISH_RET_ERR";
    if (strcmp (t, "gint8") == 0) return "FISH_RET_BOOL";
    if (strcmp (t, "gint32") == 0) return "FISH_RET_INT";
    break;
  case GK_API_RET_INT64:
    if (strcmp (t, "gint64") == 0) return "FISH_RET_INT64";
    break;
  case GK_API_RET_CONST_STRING:
    if (strcmp (t, "utf8") == 0)
      return m->ret_nullable ? "FISH_RET_CONST_OPTSTRING"
        : "FISH_RET_CONST_STRING";
    break;
  case GK_API_RET_STRING:
    if (strcmp (t, "utf8") == 0) return "FISH_RET_STRING";
    break;
  case GK_API_RET_STRING_LIST:
    if (strcmp (t, "array:utf8") == 0) return "FISH_RET_STRING_LIST";
    if (strcmp (t, "GLib.HashTable") == 0) return "FISH_RET_HASHTABLE";
    break;
  case GK_API_RET_STRUCT:
    if (strchr (t, ':') == NULL) return "FISH_RET_STRUCT";
    break;
  case GK_API_RET_STRUCT_LIST:
    if (strncmp (t, "array:", 6) == 0 && strcmp (t, "array:utf8") &&
        strcmp (t, "array:guint8"))
      return "FISH_RET_STRUCT_LIST";
    break;
  case GK_API_RET_BUFFER_OUT:
    if (strcmp (t, "array:guint8") == 0) return "FISH_RET_BUFFER_OUT";
    break;
  }
  die_at (m->line, "%s: the .gir returns %s, guestfs.h %s", m->name, t,
          gk_api_ret_name (a->ret));
}

/* ---- output ---- */

static char *
upper (const char *s)
{
  char *u = strdup (s);

  for (char *c = u; *c; c++)
    *c = toupper ((unsigned char) *c);
  return u;
}

static const char *const field_kinds[] = {
  [GK_API_FIELD_STRING] = "GK_API_FIELD_STRING",
  [GK_API_FIELD_BUFFER] = "GK_API_FIELD_BUFFER",
  [GK_API_FIELD_UUID] = "GK_API_FIELD_UUID",
  [GK_API_FIELD_CHAR] = "GK_API_FIELD_CHAR",
  [GK_API_FIELD_INT32] = "GK_API_FIELD_INT32",
  [GK_API_FIELD_UINT32] = "GK_API_FIELD_UINT32",
  [GK_API_FIELD_INT64] = "GK_API_FIELD_INT64",
  [GK_API_FIELD_UINT64] = "GK_API_FIELD_UINT64",
  [GK_API_FIELD_OPTPERCENT] = "GK_API_FIELD_OPTPERCENT",
};

static void
emit_structs (void)
{
  for (size_t i = 0; i < gk_api_nr_structs; ++i) {
    const struct gk_api_struct *s = &gk_api_structs[i];

    printf ("static const struct fish_field fields_%s[] = {\n", s->name);
    for (size_t j = 0; j < s->nr_fields; ++j) {
      const struct gk_api_field *f = &s->fields[j];

      printf ("  { \"%s\", %s, offsetof (struct guestfs_%s, %s), ",
              f->name, field_kinds[f->kind], s->name, f->name);
      if (f->kind == GK_API_FIELD_BUFFER)
        printf ("offsetof (struct guestfs_%s, %s_len) },\n",
                s->name, f->name);
      else
        printf ("0 },\n");
    }
    printf ("};\n"
            "static void free_%s (void *p) { guestfs_free_%s (p); }\n",
            s->name, s->name);
    if (s->has_list)
      printf ("static void free_%s_list (void *p) "
              "{ guestfs_free_%s_list (p); }\n", s->name, s->name);
  }
  printf ("\nconst struct fish_struct fish_structs[] = {\n");
  for (size_t i = 0; i < gk_api_nr_structs; ++i) {
    const struct gk_api_struct *s = &gk_api_structs[i];

    printf ("  { \"%s\", fields_%s, %zu, sizeof (struct guestfs_%s), "
            "free_%s, ", s->name, s->name, s->nr_fields, s->name, s->name);
    if (s->has_list)
      printf ("free_%s_list },\n", s->name);
    else
      printf ("NULL },\n");
  }
  printf ("};\nconst size_t fish_nr_structs = %zu;\n", gk_api_nr_structs);
  for (size_t i = 0; i < gk_api_nr_structs; ++i)
    printf ("#define fish_struct_%s (&fish_structs[%zu])\n",
            gk_api_structs[i].name, i);
  printf ("\n");
}

/* The thunk: converted arguments in, the C call, the result out. */
static void
emit_call (const struct gk_api_action *a)
{
  printf ("static void\ncall_%s (guestfs_h *g, const union fish_value *a, "
          "const void *o,\n    union fish_result *r, size_t *size_r)\n{\n",
          a->name);
  if (!a->has_optargs)
    printf ("  (void) o;\n");
  if (a->ret != GK_API_RET_BUFFER_OUT)
    printf ("  (void) size_r;\n");
  switch (a->ret) {
  case GK_API_RET_INT: printf ("  r->i = "); break;
  case GK_API_RET_INT64: printf ("  r->i64 = "); break;
  case GK_API_RET_CONST_STRING: printf ("  r->cs = "); break;
  case GK_API_RET_STRING:
  case GK_API_RET_BUFFER_OUT: printf ("  r->s = "); break;
  case GK_API_RET_STRING_LIST: printf ("  r->sl = "); break;
  case GK_API_RET_STRUCT:
  case GK_API_RET_STRUCT_LIST: printf ("  r->p = "); break;
  }
  printf ("guestfs_%s%s (g", a->name, a->has_optargs ? "_argv" : "");
  for (size_t i = 0; i < a->nr_args; ++i) {
    switch (a->args[i].kind) {
    case GK_API_ARG_STRING: printf (", a[%zu].s", i); break;
    case GK_API_ARG_STRING_LIST: printf (", a[%zu].sl", i); break;
    case GK_API_ARG_INT: printf (", a[%zu].i", i); break;
    case GK_API_ARG_INT64: printf (", a[%zu].i64", i); break;
    case GK_API_ARG_BUFFER_IN:
      printf (", a[%zu].buf.ptr, a[%zu].buf.len", i, i);
      break;
    case GK_API_ARG_POINTER: abort ();
    }
  }
  if (a->ret == GK_API_RET_BUFFER_OUT)
    printf (", size_r");
  if (a->has_optargs)
    printf (", o");
  printf (");\n}\n\n");
}

/* How an int result is printed: 8 or 16 where api-exceptions says
 * so (upstream prints a umask in octal), else 10.
 */
static int
output_base (const struct gk_api_action *a, const struct gir_method *m)
{
  const char *gname = a->plain_name ? a->plain_name : a->name;

  for (size_t i = 0; i < nr_exceptions; ++i) {
    struct exception *e = &exceptions[i];
    bool octal = strcmp (e->kind, "octal") == 0;

    if (strcmp (e->action, gname) != 0 ||
        (!octal && strcmp (e->kind, "hex") != 0))
      continue;
    if (strcmp (m->ret_type, "gint32") != 0)
      die_at (m->line, "%s: api-exceptions says %s, but it does not "
              "return an int", gname, e->kind);
    e->used = true;
    return octal ? 8 : 16;
  }
  return 10;
}

/* The name a shell user types: add_drive_opts is "add-drive". */
static char *
fish_name (const struct gk_api_action *a)
{
  char *name = strdup (a->plain_name ? a->plain_name : a->name);

  for (char *c = name; *c; c++)
    if (*c == '_')
      *c = '-';
  return name;
}

struct entry {
  char *name;
  const struct gk_api_action *api;
  size_t api_index;
};

static int
compare_entries (const void *x, const void *y)
{
  const struct entry *a = x, *b = y;

  return strcmp (a->name, b->name);
}

int
main (int argc, char *argv[])
{
  static struct entry entries[1024];
  size_t nr_entries = 0;

  if (argc != 3) {
    fprintf (stderr, "usage: gen-fish-cmds GIR EXCEPTIONS > cmds.c\n");
    return EXIT_FAILURE;
  }
  gir_path = argv[1];
  read_exceptions (argv[2]);
  read_gir (gir_path);

  printf ("/* Generated by gen-fish-cmds from %s and\n"
          " * api-exceptions, cross-checked with %s.\n"
          " * Do not edit.\n */\n"
          "#include <config.h>\n\n#include <stddef.h>\n"
          "#include <guestfs.h>\n\n#include \"cmds.h\"\n\n"
          "/* guestfish offers the deprecated actions too. */\n"
          "#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"\n\n"
          "const char fish_cmds_source[] = \"%s\";\n\n",
          gir_path, gk_api_source, gir_path);
  emit_structs ();

  for (size_t i = 0; i < gk_api_nr_actions; ++i) {
    const struct gk_api_action *a = &gk_api_actions[i];
    const char *gname = a->plain_name ? a->plain_name : a->name;
    struct gir_method *m;
    const xmlNode *cls = NULL;
    bool pointer = false;

    /* NAME and NAME_opts are one command; the .gir has only NAME. */
    if (a->opts_name)
      continue;
    for (size_t j = 0; j < a->nr_args; ++j)
      pointer |= a->args[j].kind == GK_API_ARG_POINTER;
    m = find_method (gname);
    if (pointer) {
      /* add_libvirt_dom: a C pointer no shell can give. */
      if (m)
        m->node = NULL;
      continue;
    }
    if (m == NULL)
      die_at (1, "%s (in %s) is not in the .gir", a->name, gk_api_source);
    m->node = NULL;             /* matched */
    if (m->nr_params != a->nr_args)
      die_at (m->line, "%s: %zu arguments in the .gir, %zu in guestfs.h",
              gname, m->nr_params, a->nr_args);
    if (!a->has_optargs != !m->optargs_class)
      die_at (m->line, "%s: the .gir and guestfs.h disagree on optional "
              "arguments", gname);
    if (m->optargs_class) {
      cls = find_class (m->optargs_class);
      if (cls == NULL)
        die_at (m->line, "%s: no class %s", gname, m->optargs_class);
    }

    printf ("/* %s */\nstatic const struct fish_arg args_%s[] = {\n",
            a->name, a->name);
    for (size_t j = 0; j < a->nr_args; ++j) {
      if (strcmp (m->params[j].name, a->args[j].name) != 0)
        die_at (m->params[j].line, "%s: argument %zu is %s in the .gir, "
                "%s in guestfs.h", gname, j + 1, m->params[j].name,
                a->args[j].name);
      printf ("  { \"%s\", %s },\n", a->args[j].name,
              arg_type (m, &m->params[j], &a->args[j]));
    }
    printf ("  { NULL, 0 }\n};\n");
    if (a->has_optargs) {
      char *uname = upper (a->name);

      printf ("static const struct fish_optarg optargs_%s[] = {\n",
              a->name);
      for (size_t j = 0; j < a->nr_optargs; ++j) {
        const struct gk_api_optarg *o = &a->optargs[j];
        char *uopt = upper (o->name);

        printf ("  { \"%s\", %s, GUESTFS_%s_%s_BITMASK,\n"
                "    offsetof (struct guestfs_%s_argv, %s) },\n",
                o->name, optarg_type (m, cls, o), uname, uopt,
                a->name, o->name);
        free (uopt);
      }
      printf ("};\n");
      free (uname);
    }
    emit_call (a);
    entries[nr_entries++] = (struct entry) { fish_name (a), a, i };
  }

  qsort (entries, nr_entries, sizeof entries[0], compare_entries);
  printf ("const struct fish_cmd fish_cmds[] = {\n");
  for (size_t i = 0; i < nr_entries; ++i) {
    const struct gk_api_action *a = entries[i].api;
    const char *gname = a->plain_name ? a->plain_name : a->name;
    struct gir_method *m = find_method (gname);

    printf ("  { \"%s\", &gk_api_actions[%zu], %s, ", entries[i].name,
            entries[i].api_index, ret_type (m, a));
    if (a->ret_struct)
      printf ("fish_struct_%s,\n", a->ret_struct->name);
    else
      printf ("NULL,\n");
    printf ("    args_%s, %zu, ", a->name, a->nr_args);
    if (a->has_optargs)
      printf ("optargs_%s, %zu, sizeof (struct guestfs_%s_argv),\n",
              a->name, a->nr_optargs, a->name);
    else
      printf ("NULL, 0, 0,\n");
    printf ("    call_%s, %d },\n", a->name, output_base (a, m));
  }
  printf ("};\nconst size_t fish_nr_cmds = %zu;\n", nr_entries);

  for (size_t i = 0; i < nr_methods; ++i)
    if (methods[i].node && strncmp (methods[i].name, "internal_", 9) &&
        strcmp (methods[i].name, "close"))
      die_at (methods[i].line, "%s is not in %s", methods[i].name,
              gk_api_source);
  for (size_t i = 0; i < nr_exceptions; ++i) {
    struct exception *e = &exceptions[i];
    struct gir_method *m = find_method (e->action);

    if (strcmp (e->kind, "none") == 0 && m && m->cancellable)
      e->used = true;
    if (!e->used) {
      fprintf (stderr, "%s: %s %s: no such argument of that kind\n",
               argv[2], e->action, e->arg);
      return EXIT_FAILURE;
    }
  }
  for (size_t i = 0; i < nr_methods; ++i) {
    bool listed = false;

    if (!methods[i].cancellable ||
        strncmp (methods[i].name, "internal_", 9) == 0)
      continue;
    for (size_t j = 0; j < nr_exceptions; ++j)
      listed |= strcmp (exceptions[j].action, methods[i].name) == 0;
    if (!listed)
      die_at (methods[i].line, "%s moves data to or from the host: say in "
              "%s which of its arguments are host files (or none)",
              methods[i].name, argv[2]);
  }

  return EXIT_SUCCESS;
}
