/* virt-sysprep: passwords and keys for the guest's users.
 *
 * Selectors (upstream's): password:PASSWORD, file:FILENAME (its first
 * line), random, disabled, and locked:SELECTOR (the account exists but
 * cannot log in with it until unlocked).  The cleartext never leaves
 * this program: the hash is made here with libcrypt and only the hash
 * is written to /etc/shadow, so neither -v nor -x shows a password.
 */
#include <config.h>

#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "sysprep.h"

/* The first line of PATH, or NULL with *ERRMSG. */
static char *
first_line (const char *what, const char *path, char **errmsg)
{
  CLEANUP_FCLOSE FILE *fp = fopen (path, "r");
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  if (fp == NULL) {
    *errmsg = xasprintf ("%s: %s: %s", what, path, strerror (errno));
    return NULL;
  }
  n = getline (&line, &cap, fp);
  if (n <= 0) {
    free (line);
    *errmsg = xasprintf ("%s: %s is empty", what, path);
    return NULL;
  }
  line[strcspn (line, "\r\n")] = '\0';
  return line;
}

int
password_parse_selector (const char *selector, struct password_selector *ps,
                         char **errmsg)
{
  memset (ps, 0, sizeof *ps);
  if (STRPREFIX (selector, "locked:")) {
    ps->locked = true;
    selector += 7;
  }
  if (STRPREFIX (selector, "password:")) {
    ps->kind = PASSWORD_SET;
    ps->password = xstrdup (selector + 9);
  }
  else if (STRPREFIX (selector, "file:")) {
    ps->kind = PASSWORD_SET;
    ps->password = first_line ("password file", selector + 5, errmsg);
    if (ps->password == NULL)
      return -1;
  }
  else if (STREQ (selector, "random"))
    ps->kind = PASSWORD_RANDOM;
  else if (STREQ (selector, "disabled") && !ps->locked)
    ps->kind = PASSWORD_DISABLED;
  else {
    /* Never echo the selector: it may hold the password. */
    *errmsg = xstrdup ("invalid password selector: use password:PASSWORD, "
                       "file:FILENAME, random, disabled or locked:...");
    return -1;
  }
  if (ps->kind == PASSWORD_SET && ps->password[0] == '\0') {
    free (ps->password);
    ps->password = NULL;
    *errmsg = xstrdup ("the password is empty");
    return -1;
  }
  return 0;
}

void
password_selector_free (struct password_selector *ps)
{
  if (ps->password) {
    explicit_bzero (ps->password, strlen (ps->password));
    free (ps->password);
  }
  ps->password = NULL;
}

const char *
password_crypto_prefix (const char *crypto)
{
  if (crypto == NULL) return NULL;
  if (STREQ (crypto, "md5")) return "$1$";
  if (STREQ (crypto, "sha256")) return "$5$";
  if (STREQ (crypto, "sha512")) return "$6$";
  if (STREQ (crypto, "yescrypt")) return "$y$";
  return NULL;
}

char *
ssh_key_from_selector (const char *selector, char **errmsg)
{
  static const char *const defaults[] = {
    "id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub", NULL
  };

  if (selector && STRPREFIX (selector, "string:")) {
    if (selector[7] == '\0') {
      *errmsg = xstrdup ("empty key in string: selector");
      return NULL;
    }
    return xstrdup (selector + 7);
  }
  if (selector && STRPREFIX (selector, "file:"))
    return first_line ("ssh key", selector + 5, errmsg);
  if (selector) {
    *errmsg = xasprintf ("invalid ssh key selector ‘%s’: use "
                         "file:FILENAME or string:KEY", selector);
    return NULL;
  }
  for (size_t i = 0; defaults[i]; ++i) {
    const char *home = getenv ("HOME");
    CLEANUP_FREE char *path = xasprintf ("%s/.ssh/%s", home ? home : "",
                                         defaults[i]);
    CLEANUP_FREE char *ignored = NULL;
    char *key = first_line ("ssh key", path, &ignored);

    if (key)
      return key;
  }
  *errmsg = xstrdup ("no public key in ~/.ssh (id_ed25519.pub, "
                     "id_ecdsa.pub, id_rsa.pub): give file:FILENAME");
  return NULL;
}

/* The strongest method the guest's libcrypt understands: yescrypt
 * where PAM is set up for it (Debian 11+, Fedora 35+), else SHA-512.
 */
static const char *
guest_crypto (struct guest *gu)
{
  static const char *const pam[] = {
    "/etc/pam.d/common-password", "/etc/pam.d/system-auth", NULL
  };

  for (size_t i = 0; pam[i]; ++i) {
    CLEANUP_FREE char *text = guest_read (gu->g, pam[i], NULL);

    if (text && strstr (text, "yescrypt"))
      return "yescrypt";
  }
  return "sha512";
}

static char *
random_password (void)
{
  static const char chars[] =
    "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  unsigned char bytes[16];
  char *pw = xmalloc (sizeof bytes + 1);

  if (getrandom (bytes, sizeof bytes, 0) != (ssize_t) sizeof bytes)
    gk_error_errno ("getrandom");
  /* 57 symbols: 256 % 57 leaves a bias of under 1 in 200 per symbol;
   * reject the top of the range to have none.
   */
  for (size_t i = 0; i < sizeof bytes; ++i) {
    while (bytes[i] >= 256 - 256 % (sizeof chars - 1))
      if (getrandom (&bytes[i], 1, 0) != 1)
        gk_error_errno ("getrandom");
    pw[i] = chars[bytes[i] % (sizeof chars - 1)];
  }
  pw[sizeof bytes] = '\0';
  return pw;
}

static char *
hash_password (const char *password, const char *crypto)
{
  struct crypt_data data;
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  const char *h;

  if (crypt_gensalt_rn (password_crypto_prefix (crypto), 0, NULL, 0,
                        setting, sizeof setting) == NULL)
    gk_error ("cannot make a %s salt: %s", crypto, strerror (errno));
  memset (&data, 0, sizeof data);
  h = crypt_r (password, setting, &data);
  if (h == NULL || h[0] == '*')
    gk_error ("cannot hash a password with %s", crypto);
  return xstrdup (h);
}

struct shadow_edit {
  const char *user;
  const char *field;            /* the new second field */
  bool found;
};

/* The new /etc/shadow: USER's line with its password field replaced
 * (and the date of the last change set to today).
 */
static char *
edit_shadow (const char *shadow, struct shadow_edit *e)
{
  string_vector out = empty_vector;
  CLEANUP_FREE_STRING_LIST char **lines = gk_split_string ('\n', shadow);
  char *r;

  for (size_t i = 0; lines[i]; ++i) {
    CLEANUP_FREE_STRING_LIST char **f = gk_split_string (':', lines[i]);

    if (gk_count_strings (f) >= 3 && STREQ (f[0], e->user)) {
      free (f[1]);
      f[1] = xstrdup (e->field);
      free (f[2]);
      f[2] = xasprintf ("%ld", (long) (time (NULL) / 86400));
      string_vector_append (&out, gk_join_strings (":", f));
      e->found = true;
    }
    else
      string_vector_append (&out, xstrdup (lines[i]));
  }
  string_vector_append (&out, NULL);
  r = gk_join_strings ("\n", out.ptr);
  string_vector_free_all (&out);
  return r;
}

int
password_set (struct guest *gu, const char *user,
              const struct password_selector *ps, const char *crypto)
{
  CLEANUP_FREE char *shadow = guest_read (gu->g, "/etc/shadow", NULL);
  CLEANUP_FREE char *hash = NULL;
  CLEANUP_FREE char *field = NULL;
  CLEANUP_FREE char *out = NULL;
  struct shadow_edit e = { .user = user };

  if (shadow == NULL) {
    gk_error_noexit ("cannot set the password of %s: the guest has no "
                     "/etc/shadow", user);
    return -1;
  }
  if (ps->kind == PASSWORD_DISABLED)
    field = xstrdup ("*");
  else {
    CLEANUP_FREE char *pw = ps->kind == PASSWORD_RANDOM
      ? random_password () : xstrdup (ps->password);

    hash = hash_password (pw, crypto ? crypto : guest_crypto (gu));
    if (ps->kind == PASSWORD_RANDOM)
      gk_info ("Setting random password of %s to %s", user, pw);
    explicit_bzero (pw, strlen (pw));
    field = xasprintf ("%s%s", ps->locked ? "!" : "", hash);
  }
  e.field = field;
  out = edit_shadow (shadow, &e);
  if (!e.found) {
    gk_error_noexit ("cannot set the password of %s: no such user in "
                     "/etc/shadow", user);
    return -1;
  }
  return guest_write (gu->g, "/etc/shadow", out, strlen (out));
}
