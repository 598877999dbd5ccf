/* guestfish: -N prepared disks (prep.c). */
#ifndef GUESTKIT_FISH_PREP_H
#define GUESTKIT_FISH_PREP_H

#include <stddef.h>
#include <stdint.h>

struct prep_type;

struct fish_prep {
  char *filename;               /* on the host */
  const struct prep_type *type;
  char **values;                /* the parameters given ("" = default) */
  size_t nr_values;
  int64_t size, bootsize;
  char *vg, *lv;                /* lv, lvfs, bootrootlv */
};

/* -N list: the types, their parameters and defaults. */
extern void fish_prep_list (void);

/* Parse the N-th -N ARG (N from 1, for the default name testN.img).
 * Pure: 0, or -1 with *ERRMSG.
 */
extern int fish_prep_parse (const char *arg, size_t n, struct fish_prep *p,
                            char **errmsg);
extern void fish_prep_free (struct fish_prep *p);

/* Before the launch: make the file and add it.  0 or -1 (libguestfs
 * said why).
 */
extern int fish_prep_create (const struct fish_prep *p);

/* After the launch: lay it out on DEV (/dev/sdX).  0 or -1. */
extern int fish_prep_run (const struct fish_prep *p, const char *dev);

#endif /* GUESTKIT_FISH_PREP_H */
