/* virt-sysprep: user-account removes the guest's user accounts (UIDs
 * in login.defs' [UID_MIN, UID_MAX]), their groups of the same name,
 * their home directories and mail; --remove-user-accounts limits it to
 * the names given, --keep-user-accounts spares the names given.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "sysprep.h"

static bool
in_list (const string_vector *v, const char *name)
{
  for (size_t i = 0; i < v->len; ++i)
    if (STREQ (v->ptr[i], name))
      return true;
  return false;
}

/* login.defs KEY, or DEFAULT. */
static long
login_defs (guestfs_h *g, const char *key, long dflt)
{
  CLEANUP_FREE char *defs = guest_read (g, "/etc/login.defs", NULL);
  size_t klen = strlen (key);

  if (defs == NULL)
    return dflt;
  for (char *line = defs; line && *line; ) {
    char *next = strchr (line, '\n');

    if (next)
      *next++ = '\0';
    line += strspn (line, " \t");
    if (STREQLEN (line, key, klen) && (line[klen] == ' ' ||
                                       line[klen] == '\t')) {
      char *end;
      long v;

      errno = 0;
      v = strtol (line + klen, &end, 10);
      if (errno == 0 && end != line + klen)
        return v;
    }
    line = next;
  }
  return dflt;
}

static bool
names_user (const char *line, size_t len, void *opaque)
{
  const string_vector *users = opaque;
  const char *colon = memchr (line, ':', len);

  if (colon == NULL)
    return false;
  for (size_t i = 0; i < users->len; ++i)
    if (strlen (users->ptr[i]) == (size_t) (colon - line) &&
        STREQLEN (line, users->ptr[i], colon - line))
      return true;
  return false;
}

int
op_user_account (struct guest *gu)
{
  const struct sysprep_options *o = gu->o;
  long uid_min = login_defs (gu->g, "UID_MIN", 1000);
  long uid_max = login_defs (gu->g, "UID_MAX", 60000);
  CLEANUP_FREE char *passwd = guest_read (gu->g, "/etc/passwd", NULL);
  string_vector users = empty_vector, homes = empty_vector;
  static const char *const files[] = {
    "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", NULL
  };
  int r = 0;

  if (passwd == NULL)
    return 0;
  for (char *line = passwd; line && *line; ) {
    char *next = strchr (line, '\n');
    CLEANUP_FREE_STRING_LIST char **f = NULL;

    if (next)
      *next++ = '\0';
    f = gk_split_string (':', line);
    if (gk_count_strings (f) >= 6) {
      char *end;
      long uid = strtol (f[2], &end, 10);

      if (*end == '\0' && end != f[2] && uid >= uid_min && uid <= uid_max &&
          (o->remove_users.len == 0 || in_list (&o->remove_users, f[0])) &&
          !in_list (&o->keep_users, f[0])) {
        string_vector_append (&users, xstrdup (f[0]));
        string_vector_append (&homes, xstrdup (f[5]));
      }
    }
    line = next;
  }
  for (size_t i = 0; files[i] && r == 0; ++i)
    if (guest_drop_lines (gu->g, files[i], names_user, &users) == -1)
      r = -1;
  for (size_t i = 0; i < users.len && r == 0; ++i) {
    CLEANUP_FREE char *spool = xasprintf ("/var/spool/mail/%s",
                                          users.ptr[i]);
    CLEANUP_FREE char *mail = xasprintf ("/var/mail/%s", users.ptr[i]);

    /* A home of "/" or a system path is not the user's to lose. */
    if (STRPREFIX (homes.ptr[i], "/home/") &&
        guest_check (gu->g, guestfs_rm_rf (gu->g, homes.ptr[i]),
                     homes.ptr[i]) == -1)
      r = -1;
    else if (guest_check (gu->g, guestfs_rm_f (gu->g, spool), spool) == -1 ||
             guest_check (gu->g, guestfs_rm_f (gu->g, mail), mail) == -1)
      r = -1;
  }
  string_vector_free_all (&users);
  string_vector_free_all (&homes);
  return r;
}
