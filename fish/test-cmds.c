/* guestfish: the generated command table (cmds.c) against the installed
 * API description, read here again on its own (XPath over the .gir),
 * and the hand-kept api-exceptions against both.  No appliance.
 *
 * It fails when the table leaves out an action, types an argument or a
 * result differently from the .gir, or when the exception list has a
 * line the .gir makes useless (or misses an action that needs one).
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "utils/tap.h"
#include "cmds.h"

#define SESSION "/*[local-name()='repository']/*[local-name()='namespace']" \
  "/*[local-name()='class'][@name='Session']"

static xmlDoc *doc;
static xmlXPathContext *xpc;

static xmlXPathObject *
query (const char *fs, ...)
{
  char expr[1024];
  va_list args;

  va_start (args, fs);
  vsnprintf (expr, sizeof expr, fs, args);
  va_end (args);
  return xmlXPathEvalExpression ((const xmlChar *) expr, xpc);
}

static int
count (const char *fs, const char *a, const char *b)
{
  xmlXPathObject *o = query (fs, a, b);
  int n = o && o->nodesetval ? o->nodesetval->nodeNr : 0;

  xmlXPathFreeObject (o);
  return n;
}

/* The gir type of method M's parameter P ("" if none). */
static char *
param_type (const char *m, const char *p)
{
  xmlXPathObject *o =
    query (SESSION "/*[local-name()='method'][@name='%s']"
           "/*[local-name()='parameters']/*[local-name()='parameter']"
           "[@name='%s']/*[local-name()='type' or local-name()='array']",
           m, p);
  char *r = NULL;

  if (o && o->nodesetval && o->nodesetval->nodeNr == 1) {
    xmlNode *n = o->nodesetval->nodeTab[0];

    if (strcmp ((const char *) n->name, "array") == 0)
      r = strdup ("array");
    else
      r = (char *) xmlGetProp (n, (const xmlChar *) "name");
  }
  xmlXPathFreeObject (o);
  return r ? r : strdup ("");
}

static char *
return_type (const char *m)
{
  xmlXPathObject *o =
    query (SESSION "/*[local-name()='method'][@name='%s']"
           "/*[local-name()='return-value']/*[local-name()='type']", m);
  char *r = NULL;

  if (o && o->nodesetval && o->nodesetval->nodeNr == 1)
    r = (char *) xmlGetProp (o->nodesetval->nodeTab[0],
                             (const xmlChar *) "name");
  xmlXPathFreeObject (o);
  return r ? r : strdup ("array");
}

static const char *
gir_name (const struct fish_cmd *cmd)
{
  return cmd->api->plain_name ? cmd->api->plain_name : cmd->api->name;
}

static const struct fish_cmd *
find (const char *name)
{
  for (size_t i = 0; i < fish_nr_cmds; ++i)
    if (strcmp (gir_name (&fish_cmds[i]), name) == 0)
      return &fish_cmds[i];
  return NULL;
}

static const struct fish_arg *
find_arg (const struct fish_cmd *cmd, const char *name)
{
  for (size_t i = 0; cmd && i < cmd->nr_args; ++i)
    if (strcmp (cmd->args[i].name, name) == 0)
      return &cmd->args[i];
  return NULL;
}

static const struct fish_optarg *
find_optarg (const struct fish_cmd *cmd, const char *name)
{
  for (size_t i = 0; cmd && i < cmd->nr_optargs; ++i)
    if (strcmp (cmd->optargs[i].name, name) == 0)
      return &cmd->optargs[i];
  return NULL;
}

/* Every public method of the .gir is a command, and no more. */
static void
test_coverage (void)
{
  xmlXPathObject *o = query (SESSION "/*[local-name()='method']");
  size_t expected = 0, missing = 0;

  for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; ++i) {
    char *name = (char *) xmlGetProp (o->nodesetval->nodeTab[i],
                                      (const xmlChar *) "name");

    /* Not callable from a shell: the test actions guestfs.h keeps
     * private, the handle's own close, and add_libvirt_dom (a C
     * pointer).
     */
    if ((strncmp (name, "internal_", 9) || gk_api_find (name)) &&
        strcmp (name, "close") && strcmp (name, "add_libvirt_dom")) {
      expected++;
      if (find (name) == NULL) {
        missing++;
        printf ("#   missing: %s\n", name);
      }
    }
    xmlFree (name);
  }
  xmlXPathFreeObject (o);
  ok (expected > 500, "the .gir has %zu public actions", expected);
  ok (missing == 0, "every one is a command (%zu missing)", missing);
  ok (fish_nr_cmds == expected, "the table has %zu commands, no more",
      fish_nr_cmds) || printf ("#   got: %zu\n", fish_nr_cmds);
}

/* Each argument and result typed as the .gir types it. */
static void
test_types (void)
{
  size_t bad = 0;

  for (size_t i = 0; i < fish_nr_cmds; ++i) {
    const struct fish_cmd *cmd = &fish_cmds[i];
    const char *m = gir_name (cmd);
    char *rt = return_type (m);
    bool rok;

    switch (cmd->ret) {
    case FISH_RET_ERR: rok = strcmp (rt, "gboolean") == 0; break;
    case FISH_RET_BOOL: rok = strcmp (rt, "gint8") == 0; break;
    case FISH_RET_INT: rok = strcmp (rt, "gint32") == 0; break;
    case FISH_RET_INT64: rok = strcmp (rt, "gint64") == 0; break;
    case FISH_RET_HASHTABLE: rok = strcmp (rt, "GLib.HashTable") == 0; break;
    case FISH_RET_STRING_LIST: rok = strcmp (rt, "array") == 0; break;
    default: rok = true;
    }
    if (!rok) {
      bad++;
      printf ("#   %s returns %s in the .gir, %s in the table\n", m, rt,
              fish_ret_type_name (cmd->ret));
    }
    free (rt);
    if (cmd->nr_args > 32)
      bad++;
    for (size_t j = 0; j < cmd->nr_args; ++j) {
      char *t = param_type (m, cmd->args[j].name);
      bool aok;

      switch (cmd->args[j].type) {
      case FISH_ARG_BOOL: aok = strcmp (t, "gboolean") == 0; break;
      case FISH_ARG_INT: aok = strcmp (t, "gint32") == 0; break;
      case FISH_ARG_INT64: aok = strcmp (t, "gint64") == 0; break;
      case FISH_ARG_STRING_LIST:
      case FISH_ARG_BUFFER_IN: aok = strcmp (t, "array") == 0; break;
      case FISH_ARG_PATH:
      case FISH_ARG_FILE_IN:
      case FISH_ARG_FILE_OUT: aok = strcmp (t, "filename") == 0; break;
      case FISH_ARG_STRING:
      case FISH_ARG_KEY: aok = strcmp (t, "utf8") == 0; break;
      default: aok = *t != '\0';
      }
      if (!aok) {
        bad++;
        printf ("#   %s %s is %s in the .gir, %s in the table\n", m,
                cmd->args[j].name, t,
                fish_arg_type_name (cmd->args[j].type));
      }
      free (t);
    }
  }
  ok (bad == 0, "arguments and results are typed as in the .gir");
}

/* Known actions, known kinds: the anchors of each kind. */
static void
test_anchors (void)
{
  const struct fish_cmd *c;
  const struct fish_optarg *o;

  c = find ("mount");
  ok (c && c->ret == FISH_RET_ERR && c->nr_args == 2 &&
      c->args[0].type == FISH_ARG_PATH && c->args[1].type == FISH_ARG_STRING,
      "mount: path, string; returns nothing");
  c = find ("is_dir");
  ok (c && c->ret == FISH_RET_BOOL, "is_dir returns a bool");
  o = find_optarg (c, "followsymlinks");
  ok (o && o->type == FISH_ARG_BOOL, "is_dir followsymlinks: is a bool");
  c = find ("list_filesystems");
  ok (c && c->ret == FISH_RET_HASHTABLE, "list_filesystems: a hashtable");
  c = find ("upload");
  ok (c && c->args[0].type == FISH_ARG_FILE_IN &&
      c->args[1].type == FISH_ARG_PATH, "upload: FileIn, then a guest path");
  c = find ("download");
  ok (c && c->args[0].type == FISH_ARG_PATH &&
      c->args[1].type == FISH_ARG_FILE_OUT, "download: a path, FileOut");
  c = find ("add_drive");
  ok (c && strcmp (c->name, "add-drive") == 0 &&
      strcmp (c->api->name, "add_drive_opts") == 0,
      "add-drive calls add_drive_opts");
  ok ((o = find_optarg (c, "readonly")) && o->type == FISH_ARG_BOOL,
      "add-drive readonly: is a bool");
  ok ((o = find_optarg (c, "blocksize")) && o->type == FISH_ARG_INT,
      "add-drive blocksize: is an int");
  ok ((o = find_optarg (c, "server")) && o->type == FISH_ARG_STRING_LIST,
      "add-drive server: is a list");
  c = find ("get_append");
  ok (c && c->ret == FISH_RET_CONST_OPTSTRING, "get_append may be NULL");
  c = find ("get_path");
  ok (c && c->ret == FISH_RET_CONST_STRING, "get_path is never NULL");
  c = find ("aug_defvar");
  ok (c && c->args[1].type == FISH_ARG_OPTSTRING, "aug_defvar expr: "
      "an optional string");
  c = find ("luks_open");
  ok (find_arg (c, "key") && find_arg (c, "key")->type == FISH_ARG_KEY,
      "luks_open key: a passphrase");
  c = find ("set_memsize");
  ok (c && c->args[0].type == FISH_ARG_INT, "set_memsize: an int");
  c = find ("set_verbose");
  ok (c && c->args[0].type == FISH_ARG_BOOL, "set_verbose: a bool");
  c = find ("filesize");
  ok (c && c->ret == FISH_RET_INT64, "filesize: an int64");
  c = find ("lvs_full");
  ok (c && c->ret == FISH_RET_STRUCT_LIST &&
      strcmp (c->ret_struct->name, "lvm_lv") == 0, "lvs_full: lvm_lv list");
  c = find ("statvfs");
  ok (c && c->ret == FISH_RET_STRUCT, "statvfs: a struct");
  c = find ("pread");
  ok (c && c->ret == FISH_RET_BUFFER_OUT, "pread: bytes");
  c = find ("pwrite");
  ok (c && c->args[1].type == FISH_ARG_BUFFER_IN, "pwrite content: bytes");
  c = find ("get_umask");
  ok (c && c->output_base == 8, "get_umask prints in octal");
}

/* Each line of api-exceptions is still needed (the .gir alone types the
 * argument as a guest path or as text) and accurate (the table follows
 * it); every action the .gir marks as moving host data is listed.
 */
static void
test_exceptions (void)
{
  FILE *fp = fopen (API_EXCEPTIONS, "r");
  char line[512], action[128], arg[128], kind[16];
  size_t lines = 0, bad = 0, unlisted = 0;
  xmlXPathObject *o;

  if (!ok (fp != NULL, "%s opens", API_EXCEPTIONS))
    return;
  while (fgets (line, sizeof line, fp)) {
    const struct fish_cmd *cmd;
    const struct fish_arg *a;
    char *t;

    if (sscanf (line, "%127s %127s %15s", action, arg, kind) != 3 ||
        action[0] == '#')
      continue;
    lines++;
    cmd = find (action);
    if (cmd == NULL) {
      bad++;
      printf ("#   %s: no such action\n", action);
      continue;
    }
    if (strcmp (kind, "none") == 0) {
      if (count (SESSION "/*[local-name()='method'][@name='%s']"
                 "//*[local-name()='parameter'][@name='cancellable']",
                 action, NULL) != 1) {
        bad++;
        printf ("#   %s: not marked as moving host data\n", action);
      }
      continue;
    }
    if (strcmp (kind, "octal") == 0 || strcmp (kind, "hex") == 0) {
      if (cmd->ret != FISH_RET_INT ||
          cmd->output_base != (kind[0] == 'o' ? 8 : 16))
        bad++;
      continue;
    }
    a = find_arg (cmd, arg);
    t = param_type (action, arg);
    if (a == NULL ||
        (strcmp (kind, "key") == 0 &&
         (a->type != FISH_ARG_KEY || strcmp (t, "utf8"))) ||
        (strcmp (kind, "filein") == 0 &&
         (a->type != FISH_ARG_FILE_IN || strcmp (t, "filename"))) ||
        (strcmp (kind, "fileout") == 0 &&
         (a->type != FISH_ARG_FILE_OUT || strcmp (t, "filename")))) {
      bad++;
      printf ("#   %s %s %s: not what the table or the .gir say (%s)\n",
              action, arg, kind, t);
    }
    free (t);
  }
  fclose (fp);
  ok (lines > 30, "api-exceptions has %zu lines", lines);
  ok (bad == 0, "each is needed and accurate (%zu are not)", bad);

  o = query (SESSION "/*[local-name()='method'][.//*[local-name()="
             "'parameter'][@name='cancellable']]");
  for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; ++i) {
    char *name = (char *) xmlGetProp (o->nodesetval->nodeTab[i],
                                      (const xmlChar *) "name");
    bool listed = false;

    fp = fopen (API_EXCEPTIONS, "r");
    while (fp && fgets (line, sizeof line, fp))
      listed |= sscanf (line, "%127s", action) == 1 &&
        strcmp (action, name) == 0;
    if (fp)
      fclose (fp);
    if (!listed && strncmp (name, "internal_", 9)) {
      unlisted++;
      printf ("#   %s moves host data but is not listed\n", name);
    }
    xmlFree (name);
  }
  xmlXPathFreeObject (o);
  ok (unlisted == 0, "every action that moves host data is listed");

  /* And the table has no host-file or passphrase argument the list
   * does not name.
   */
  bad = 0;
  for (size_t i = 0; i < fish_nr_cmds; ++i)
    for (size_t j = 0; j < fish_cmds[i].nr_args; ++j) {
      enum fish_arg_type t = fish_cmds[i].args[j].type;
      char want[300];
      bool found = false;

      if (t != FISH_ARG_FILE_IN && t != FISH_ARG_FILE_OUT &&
          t != FISH_ARG_KEY)
        continue;
      snprintf (want, sizeof want, "%s %s", gir_name (&fish_cmds[i]),
                fish_cmds[i].args[j].name);
      fp = fopen (API_EXCEPTIONS, "r");
      while (fp && fgets (line, sizeof line, fp))
        if (sscanf (line, "%127s %127s", action, arg) == 2) {
          char got[300];
          snprintf (got, sizeof got, "%s %s", action, arg);
          found |= strcmp (got, want) == 0;
        }
      if (fp)
        fclose (fp);
      bad += !found;
    }
  ok (bad == 0, "every host-file and passphrase argument is listed");
}

static void
test_layout (void)
{
  size_t unsorted = 0, bad = 0;

  for (size_t i = 1; i < fish_nr_cmds; ++i)
    unsorted += strcmp (fish_cmds[i - 1].name, fish_cmds[i].name) >= 0;
  ok (unsorted == 0, "commands are sorted by name");
  for (size_t i = 0; i < fish_nr_cmds; ++i) {
    const struct fish_cmd *c = &fish_cmds[i];
    uint64_t seen = 0;

    for (size_t j = 0; j < c->nr_optargs; ++j) {
      const struct fish_optarg *o = &c->optargs[j];

      bad += o->offset < sizeof (uint64_t) || o->offset >= c->optargs_size
        || (seen & o->bitmask) || o->bitmask == 0;
      seen |= o->bitmask;
    }
  }
  ok (bad == 0, "optional arguments: distinct bits, inside their struct");
}

int
main (void)
{
  doc = xmlReadFile (GUESTFS_GIR, NULL, XML_PARSE_NONET);
  if (!ok (doc != NULL, "%s parses", GUESTFS_GIR))
    return tap_done ();
  xpc = xmlXPathNewContext (doc);
  ok (strcmp (fish_cmds_source, GUESTFS_GIR) == 0,
      "the table was generated from %s", GUESTFS_GIR);
  test_coverage ();
  test_types ();
  test_anchors ();
  test_exceptions ();
  test_layout ();
  xmlXPathFreeContext (xpc);
  xmlFreeDoc (doc);
  return tap_done ();
}
