/* virt-sysprep: which operations run.
 *
 * Upstream's algebra: no option → the default set; --enable A,B →
 * exactly {A,B}; --operations LIST edits the current set left to right
 * (NAME, -NAME, defaults, -defaults, all, -all), and repeats keep
 * editing it.  Pure: errors come back as text for main.c to print.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "sysprep.h"

int
op_lookup (const char *name)
{
  for (size_t i = 0; i < sysprep_nr_ops; ++i)
    if (STREQ (sysprep_ops[i].name, name))
      return (int) i;
  return -1;
}

op_set
op_defaults (void)
{
  op_set s = 0;

  for (size_t i = 0; i < sysprep_nr_ops; ++i)
    if (sysprep_ops[i].default_on)
      s |= (op_set) 1 << i;
  return s;
}

op_set
op_all (void)
{
  return sysprep_nr_ops == 64 ? ~(op_set) 0
                              : ((op_set) 1 << sysprep_nr_ops) - 1;
}

int
op_parse_enable (const char *arg, op_set *set, char **errmsg)
{
  CLEANUP_FREE_STRING_LIST char **names = gk_split_string (',', arg);
  op_set s = 0;

  for (size_t i = 0; names[i] != NULL; ++i) {
    int n;

    if (STREQ (names[i], "")) {
      *errmsg = xstrdup ("--enable: empty operation name");
      return -1;
    }
    n = op_lookup (names[i]);
    if (n == -1) {
      *errmsg = xasprintf ("--enable: ‘%s’ is not a known operation",
                           names[i]);
      return -1;
    }
    s |= (op_set) 1 << n;
  }
  if (s == 0) {
    *errmsg = xstrdup ("--enable: empty operation name");
    return -1;
  }
  *set = s;
  return 0;
}

int
op_parse_operations (const char *arg, op_set *set, char **errmsg)
{
  CLEANUP_FREE_STRING_LIST char **items = gk_split_string (',', arg);
  op_set s = *set;

  if (items[0] == NULL) {
    *errmsg = xstrdup ("--operations: empty operation name");
    return -1;
  }
  for (size_t i = 0; items[i] != NULL; ++i) {
    const char *name = items[i];
    bool remove = name[0] == '-';
    op_set these;

    if (remove)
      name++;
    if (STREQ (name, "")) {
      *errmsg = xstrdup ("--operations: empty operation name");
      return -1;
    }
    if (STREQ (name, "defaults"))
      these = op_defaults ();
    else if (STREQ (name, "all"))
      these = op_all ();
    else {
      int n = op_lookup (name);

      if (n == -1) {
        *errmsg = xasprintf ("--operations: ‘%s’ is not a known operation",
                             name);
        return -1;
      }
      these = (op_set) 1 << n;
    }
    if (remove)
      s &= ~these;
    else
      s |= these;
  }
  *set = s;
  return 0;
}

void
op_list (FILE *fp)
{
  for (size_t i = 0; i < sysprep_nr_ops; ++i)
    fprintf (fp, "%s %s %s\n", sysprep_ops[i].name,
             sysprep_ops[i].default_on ? "*" : " ",
             sysprep_ops[i].heading);
}
