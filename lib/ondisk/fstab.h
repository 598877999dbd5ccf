/* guestkit: a guest's /etc/fstab, read on the host, and what
 * libguestfs's inspection (1.48, daemon/inspect_fs_unix_fstab.ml) makes
 * of each entry.
 *
 * libguestfs reads fstab through Augeas: a line its lens rejects makes
 * the whole file unreadable (no mountpoints at all), so the parser here
 * accepts only lines the lens surely takes and says "not sure" for the
 * rest.  Guest bytes are hostile: sizes and the number of entries are
 * capped, nothing is printed, errors come back as static strings.
 */
#ifndef GUESTKIT_ONDISK_FSTAB_H
#define GUESTKIT_ONDISK_FSTAB_H

#include <stdbool.h>
#include <stddef.h>

#include "utils/vector.h"

#define GK_FSTAB_MAX_SIZE 1000000
#define GK_FSTAB_MAX_ENTRIES 256

struct gk_fstab_entry {
  char *spec;                   /* as written */
  char *file;                   /* the mountpoint, canonical ("//a/" → "/a") */
  char *vfstype;
  char *subvol;                 /* the subvol= option's value, or NULL */
};
DEFINE_VECTOR_TYPE (gk_fstab, struct gk_fstab_entry);

/* Parse LEN bytes of fstab TEXT into *OUT (appended; free with
 * gk_fstab_free).  Returns 0, or -1 with *ERRMSG when a line is not
 * one Augeas's Fstab lens surely reads the same way, or the file is too
 * large or has too many entries (*OUT is then emptied).
 */
extern int gk_fstab_parse (const char *text, size_t len, gk_fstab *out,
                           const char **errmsg);
extern void gk_fstab_free (gk_fstab *f);

/* How libguestfs resolves an entry's spec. */
enum gk_spec_kind {
  GK_SPEC_IGNORE,               /* not a mountpoint of the guest */
  GK_SPEC_UUID,                 /* VALUE: findfs by filesystem UUID */
  GK_SPEC_LABEL,                /* ... by filesystem label */
  GK_SPEC_PARTUUID,
  GK_SPEC_PARTLABEL,
  GK_SPEC_ROOT,                 /* /dev/root: the root filesystem */
  GK_SPEC_MAPPER,               /* /dev/mapper/NAME: an LV's canonical
                                   name, unless crypttab names it */
  GK_SPEC_XDEV,                 /* /dev/(h|s|v|xv)dLETTERSDIGITS: DISK
                                   (index) and PART (digits, maybe "") */
  GK_SPEC_DEVICE,               /* any other /dev path, kept as it is */
  GK_SPEC_UNSURE,               /* a scheme not modelled here */
};

struct gk_spec {
  enum gk_spec_kind kind;
  char *value;                  /* UUID, LABEL...: unquoted (caller
                                   frees); NULL for the other kinds */
  size_t disk;                  /* XDEV */
  char part[16];                /* XDEV */
};

/* What libguestfs does with entry E.  Fills *S; returns S->kind. */
extern enum gk_spec_kind gk_fstab_spec (const struct gk_fstab_entry *e,
                                        struct gk_spec *s);

/* libguestfs's unix_canonical_path into OUT (at least strlen (PATH) +
 * 1 bytes).
 */
extern void gk_canonical_path (const char *path, char *out);

#endif /* GUESTKIT_ONDISK_FSTAB_H */
