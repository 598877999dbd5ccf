/* Unit test of the JSON reader for qemu-img's output (qemu-json.c):
 * the shapes qemu-img prints, escapes, and text it must refuse.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diskio/qemu-json.h"
#include "utils/tap.h"

static struct gk_json *
parse_ok (const char *text, const char *what)
{
  char *errmsg = NULL;
  struct gk_json *v = gk_json_parse (text, &errmsg);

  if (!ok (v != NULL, "%s parses", what))
    printf ("#   error: %s\n", errmsg);
  free (errmsg);
  return v;
}

static void
parse_fails (const char *text, const char *what)
{
  char *errmsg = NULL;
  struct gk_json *v = gk_json_parse (text, &errmsg);

  ok (v == NULL && errmsg != NULL, "%s is refused", what);
  if (errmsg)
    printf ("#   %s\n", errmsg);
  gk_json_free (v);
  free (errmsg);
}

int
main (void)
{
  struct gk_json *v;
  int64_t n;
  char deep[300];

  /* qemu-img info --backing-chain --output=json, abridged. */
  v = parse_ok ("[\n  {\n    \"virtual-size\": 268435456,\n"
                "    \"filename\": \"over.qcow2\",\n"
                "    \"format-specific\": { \"type\": \"qcow2\", \"data\": "
                "{ \"compat\": \"1.1\", \"lazy-refcounts\": false } },\n"
                "    \"full-backing-filename\": \"base.img\"\n  },\n"
                "  { \"filename\": \"dir/b\\\"a\\\\se\\u00e9\\ud83d\\ude00.img\","
                " \"format\": \"raw\" }\n]\n", "a backing chain");
  if (v) {
    ok (v->type == GK_JSON_ARRAY && v->len == 2, "an array of two");
    is_str (gk_json_string (&v->items[0], "filename"), "over.qcow2",
            "the first filename");
    is_str (gk_json_string (&v->items[1], "filename"),
            "dir/b\"a\\se\xc3\xa9\xf0\x9f\x98\x80.img",
            "an escaped filename");
    ok (gk_json_int (&v->items[0], "virtual-size", &n) && n == 268435456,
        "an integer member");
    ok (gk_json_member (gk_json_member (gk_json_member (&v->items[0],
                                                        "format-specific"),
                                        "data"), "data-file") == NULL,
        "no data-file");
    ok (!gk_json_bool (gk_json_member (gk_json_member (&v->items[0],
                                                       "format-specific"),
                                       "data"), "lazy-refcounts", true),
        "a false member");
    ok (gk_json_string (&v->items[1], "nothing") == NULL,
        "an absent member");
    ok (gk_json_string (v, "filename") == NULL, "an array has no members");
  }
  gk_json_free (v);

  /* qemu-img map --output=json. */
  v = parse_ok ("[{ \"start\": 0, \"length\": 65536, \"depth\": 0, "
                "\"present\": true, \"zero\": false, \"data\": true, "
                "\"offset\": 327680},\n{ \"start\": 65536, \"length\": "
                "9223372036854775807, \"depth\": 1, \"present\": false, "
                "\"zero\": true, \"data\": false}]", "a map");
  if (v) {
    ok (gk_json_int (&v->items[0], "offset", &n) && n == 327680,
        "a map offset");
    ok (gk_json_bool (&v->items[0], "data", false), "a true member");
    ok (!gk_json_int (&v->items[1], "offset", &n), "no offset");
    ok (gk_json_int (&v->items[1], "length", &n) && n == INT64_MAX,
        "INT64_MAX");
  }
  gk_json_free (v);

  v = parse_ok ("{\"big\": 9223372036854775808, \"neg\": -5, "
                "\"real\": 1.5e3, \"nil\": null}", "numbers");
  if (v) {
    ok (!gk_json_int (v, "big", &n), "a number past int64_t is no integer");
    ok (gk_json_int (v, "neg", &n) && n == -5, "a negative integer");
    ok (!gk_json_int (v, "real", &n), "a real is no integer");
    ok (gk_json_member (v, "nil")->type == GK_JSON_NULL, "null");
  }
  gk_json_free (v);

  parse_fails ("", "nothing");
  parse_fails ("[1, 2", "an unterminated array");
  parse_fails ("{\"a\" 1}", "a member without ‘:’");
  parse_fails ("{\"a\": 1,}", "a trailing comma");
  parse_fails ("\"abc", "an unterminated string");
  parse_fails ("\"a\\u0000b\"", "a NUL in a string");
  parse_fails ("\"\\ud800\"", "a lone surrogate");
  parse_fails ("\"\\x\"", "a bad escape");
  parse_fails ("\"a\nb\"", "a raw newline in a string");
  parse_fails ("[] []", "text after the value");
  parse_fails ("tru", "a truncated literal");
  parse_fails ("-", "a lone minus");
  memset (deep, '[', sizeof deep - 1);
  deep[sizeof deep - 1] = '\0';
  parse_fails (deep, "nesting 299 deep");

  return tap_done ();
}
