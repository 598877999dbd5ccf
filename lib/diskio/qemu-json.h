/* guestkit: the JSON that qemu-img prints (info, map), read into a
 * tree.  Internal to diskio/.  A pure parser: it prints nothing.
 */
#ifndef GUESTKIT_DISKIO_QEMU_JSON_H
#define GUESTKIT_DISKIO_QEMU_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gk_json_type {
  GK_JSON_NULL, GK_JSON_BOOL, GK_JSON_NUMBER, GK_JSON_STRING,
  GK_JSON_ARRAY, GK_JSON_OBJECT
};

struct gk_json {
  enum gk_json_type type;
  bool boolean;                 /* GK_JSON_BOOL */
  bool is_integer;              /* GK_JSON_NUMBER that fits int64_t */
  int64_t integer;
  char *string;                 /* GK_JSON_STRING, NUL-terminated UTF-8 */
  size_t len;                   /* GK_JSON_ARRAY, GK_JSON_OBJECT */
  struct gk_json *items;        /* array items, object values */
  char **keys;                  /* object keys */
};

/* Parse TEXT (one JSON value, nested at most 64 deep).  Returns the
 * tree (gk_json_free), or NULL with the reason in *ERRMSG (caller
 * frees).
 */
extern struct gk_json *gk_json_parse (const char *text, char **errmsg);
extern void gk_json_free (struct gk_json *v);

/* The member KEY of object V, or NULL (also if V is not an object). */
extern const struct gk_json *gk_json_member (const struct gk_json *v,
                                             const char *key);
/* Its string, or NULL if absent or not a string. */
extern const char *gk_json_string (const struct gk_json *v,
                                   const char *key);
/* Its integer in *OUT; false if absent or not an integer. */
extern bool gk_json_int (const struct gk_json *v, const char *key,
                         int64_t *out);
/* Its boolean; DEF if absent or not a boolean. */
extern bool gk_json_bool (const struct gk_json *v, const char *key,
                          bool def);

#endif /* GUESTKIT_DISKIO_QEMU_JSON_H */
