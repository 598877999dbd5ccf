/* virt-sysprep: the customize options, checked as they are parsed and
 * kept in command-line order (they run in that order, in the customize
 * operation: customize-run.c).
 *
 * Everything that can be wrong with an argument (a missing colon, a
 * host file that is not there, a bad regex, a malformed password
 * selector) is refused here, before any launch, with one line.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "sysprep.h"

static const struct option customize_long_options[] = {
  CUSTOMIZE_LONGOPTS,
  { NULL, 0, NULL, 0 }
};

static const char *
option_name (int c)
{
  for (size_t i = 0; customize_long_options[i].name; ++i)
    if (customize_long_options[i].val == c)
      return customize_long_options[i].name;
  return "?";
}

/* "A:B": the colon must be there and neither side empty. */
static void
need_colon (const char *opt, const char *arg, const char *form)
{
  const char *colon = strchr (arg, ':');

  if (colon == NULL || colon == arg || colon[1] == '\0')
    gk_error ("--%s: invalid argument ‘%s’: expecting %s", opt, arg, form);
}

static void
need_host_file (const char *opt, const char *path)
{
  if (access (path, R_OK) == -1)
    gk_error ("--%s: %s: %s", opt, path, strerror (errno));
}

/* The host side of "LOCAL:REMOTE". */
static void
need_host_source (const char *opt, const char *arg)
{
  CLEANUP_FREE char *local = xstrndup (arg, strcspn (arg, ":"));

  need_host_file (opt, local);
}

static void
check_number (const char *opt, const char *arg, const char *s, size_t len,
              int base)
{
  char *end;

  if (len == 0)
    gk_error ("--%s: invalid argument ‘%s’: expecting a number", opt, arg);
  errno = 0;
  (void) strtol (s, &end, base);
  if (errno || (size_t) (end - s) != len)
    gk_error ("--%s: invalid argument ‘%s’: ‘%.*s’ is not a number",
              opt, arg, (int) len, s);
}

static void
check_step (enum customize_kind kind, const char *opt, const char *arg)
{
  CLEANUP_FREE char *errmsg = NULL;

  if (STREQ (arg, ""))
    gk_error ("--%s: empty argument", opt);
  switch (kind) {
  case CUST_APPEND_LINE: need_colon (opt, arg, "FILE:LINE"); break;
  case CUST_WRITE:
    if (strchr (arg, ':') == NULL || arg[0] == ':')
      gk_error ("--%s: invalid argument ‘%s’: expecting FILE:CONTENT",
                opt, arg);
    break;
  case CUST_CHMOD: {
    size_t n = strcspn (arg, ":");

    need_colon (opt, arg, "PERMISSIONS:FILE");
    check_number (opt, arg, arg, n, arg[0] == '0' ? 8 : 10);
    break;
  }
  case CUST_CHOWN: {
    CLEANUP_FREE_STRING_LIST char **f = gk_split_string (':', arg);

    if (gk_count_strings (f) < 3 || STREQ (f[2], ""))
      gk_error ("--%s: invalid argument ‘%s’: expecting UID:GID:PATH",
                opt, arg);
    check_number (opt, arg, f[0], strlen (f[0]), 10);
    check_number (opt, arg, f[1], strlen (f[1]), 10);
    break;
  }
  case CUST_COPY: case CUST_MOVE:
    need_colon (opt, arg, "SOURCE:DEST");
    break;
  case CUST_COPY_IN:
    need_colon (opt, arg, "LOCALPATH:REMOTEDIR");
    need_host_source (opt, arg);
    break;
  case CUST_UPLOAD:
    need_colon (opt, arg, "FILE:DEST");
    need_host_source (opt, arg);
    break;
  case CUST_TAR_IN:
    need_colon (opt, arg, "TARFILE:REMOTEDIR");
    need_host_source (opt, arg);
    break;
  case CUST_LINK: need_colon (opt, arg, "TARGET:LINK[:LINK..]"); break;
  case CUST_RUN: case CUST_FIRSTBOOT: need_host_file (opt, arg); break;
  case CUST_EDIT: {
    const char *colon = strchr (arg, ':');
    struct edit_expr *e;

    need_colon (opt, arg, "FILE:EXPR");
    e = edit_compile (colon + 1, &errmsg);
    if (e == NULL)
      gk_error ("--%s: %s", opt, errmsg);
    edit_free (e);
    break;
  }
  case CUST_PASSWORD: case CUST_ROOT_PASSWORD: {
    const char *sel = arg;
    struct password_selector ps;

    if (kind == CUST_PASSWORD) {
      need_colon (opt, arg, "USER:SELECTOR");
      sel = strchr (arg, ':') + 1;
    }
    if (password_parse_selector (sel, &ps, &errmsg) == -1)
      gk_error ("--%s: %s", opt, errmsg);
    password_selector_free (&ps);
    break;
  }
  case CUST_SSH_INJECT: {
    CLEANUP_FREE char *key = NULL;

    if (arg[0] == ':')
      gk_error ("--%s: invalid argument ‘%s’: expecting USER[:SELECTOR]",
                opt, arg);
    key = ssh_key_from_selector (strchr (arg, ':') ? strchr (arg, ':') + 1
                                                   : NULL, &errmsg);
    if (key == NULL)
      gk_error ("--%s: %s", opt, errmsg);
    break;
  }
  case CUST_TIMEZONE:
    if (strstr (arg, "..") || arg[0] == '/')
      gk_error ("--%s: ‘%s’ is not a time zone name", opt, arg);
    break;
  default:
    break;
  }
}

static void
add_step (struct customize_options *co, enum customize_kind kind,
          const char *arg)
{
  struct customize_step s = { kind, arg ? xstrdup (arg) : NULL };

  customize_steps_append (&co->steps, s);
}

bool
customize_option (struct customize_options *co, int c, const char *arg)
{
  const char *opt = option_name (c);

  if (c >= COPT_STEP && c < COPT_COMMANDS_FROM_FILE) {
    check_step (c - COPT_STEP, opt, arg);
    add_step (co, c - COPT_STEP, arg);
    return true;
  }
  switch (c) {
  case COPT_COMMANDS_FROM_FILE:
    customize_commands_from_file (co, arg);
    return true;
  case COPT_INSTALL: case COPT_UNINSTALL: case COPT_FIRSTBOOT_INSTALL:
    if (STREQ (arg, "") || strstr (arg, ",,") || arg[0] == ',')
      gk_error ("--%s: invalid package list ‘%s’", opt, arg);
    for (const char *p = arg; *p; ++p)
      if (!(strchr ("+-._:~,", *p) || (*p >= 'a' && *p <= 'z') ||
            (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
        gk_error ("--%s: ‘%s’ is not a package name", opt, arg);
    add_step (co, c == COPT_INSTALL ? CUST_INSTALL
                : c == COPT_UNINSTALL ? CUST_UNINSTALL
                : CUST_FIRSTBOOT_INSTALL, arg);
    return true;
  case COPT_UPDATE: add_step (co, CUST_UPDATE, NULL); return true;
  case COPT_INJECT_BLNSVR: case COPT_INJECT_QEMU_GA:
  case COPT_INJECT_VIRTIO_WIN:
    gk_error ("--%s is not supported yet (Windows guests)", opt);
  case COPT_NO_LOGFILE: co->no_logfile = true; return true;
  case COPT_NO_SELINUX_RELABEL: co->no_selinux_relabel = true; return true;
  case COPT_SELINUX_RELABEL: co->selinux_relabel = true; return true;
  case COPT_PASSWORD_CRYPTO:
    if (password_crypto_prefix (arg) == NULL)
      gk_error ("--password-crypto: unknown method ‘%s’: use md5, sha256, "
                "sha512 or yescrypt", arg);
    co->password_crypto = arg;
    return true;
  }
  return false;
}

/* One line of a --commands-from-file file: "option arg" or "option".
 * The argument is the rest of the line, as upstream reads it.
 */
static void
command_line (struct customize_options *co, const char *path, size_t lineno,
              char *line)
{
  char *space = line + strcspn (line, " \t");
  const char *arg = NULL;

  if (*space) {
    *space = '\0';
    arg = space + 1 + strspn (space + 1, " \t");
  }
  for (size_t i = 0; customize_long_options[i].name; ++i) {
    const struct option *o = &customize_long_options[i];

    if (STRNEQ (o->name, line))
      continue;
    if (o->has_arg == required_argument && arg == NULL)
      gk_error ("%s:%zu: --%s needs an argument", path, lineno, line);
    if (o->has_arg == no_argument && arg != NULL && *arg)
      gk_error ("%s:%zu: --%s takes no argument", path, lineno, line);
    customize_option (co, o->val, arg);
    return;
  }
  gk_error ("%s:%zu: ‘%s’ is not a customize option", path, lineno, line);
}

void
customize_commands_from_file (struct customize_options *co,
                              const char *path)
{
  CLEANUP_FCLOSE FILE *fp = fopen (path, "r");
  CLEANUP_FREE char *line = NULL;
  size_t cap = 0, lineno = 0;
  ssize_t n;

  if (fp == NULL)
    gk_error ("--commands-from-file: %s: %s", path, strerror (errno));
  while ((n = getline (&line, &cap, fp)) != -1) {
    char *p;

    lineno++;
    if (n > 0 && line[n - 1] == '\n')
      line[--n] = '\0';
    p = line + strspn (line, " \t");
    if (*p == '\0' || *p == '#')
      continue;
    if (STRPREFIX (p, "--"))
      p += 2;
    command_line (co, path, lineno, p);
  }
}

void
customize_check (const struct customize_options *co,
                 const struct sysprep_options *o, op_set ops)
{
  bool customize_on = ops & ((op_set) 1 << op_lookup ("customize"));
  bool users_on = ops & ((op_set) 1 << op_lookup ("user-account"));

  if (!customize_on && (co->steps.len > 0 || co->no_logfile))
    gk_error ("customize options were given but the customize operation "
              "is not enabled");
  if (!(ops & ((op_set) 1 << op_lookup ("script"))) &&
      (o->scripts.len || o->scriptdir))
    gk_error ("--script and --scriptdir need the script operation");
  if (!users_on && (o->remove_users.len || o->keep_users.len))
    gk_error ("--remove-user-accounts and --keep-user-accounts need the "
              "user-account operation (--operations defaults,user-account)");
  for (size_t i = 0; i < co->steps.len; ++i) {
    const struct customize_step *s = &co->steps.ptr[i];

    if ((s->kind == CUST_INSTALL || s->kind == CUST_UPDATE) && !o->network)
      gk_error ("--%s needs the appliance network: add --network",
                s->kind == CUST_INSTALL ? "install" : "update");
  }
}
