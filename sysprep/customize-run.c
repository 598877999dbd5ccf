/* virt-sysprep: the customize operation, run last (order 99) with the
 * guest mounted: a random seed, then each customize option in
 * command-line order, then the passwords, the SELinux relabel flag and
 * the log's removal.
 *
 * Unlike upstream, an empty /etc/machine-id is left empty: systemd
 * gives the clone its own ID at first boot (upstream refilled it here,
 * after the machine-id operation emptied it, so every clone shared one
 * and got the same DHCP lease: reference §7 #11).
 */
#include <config.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "sysprep.h"

#define BUILDER_LOG "/tmp/builder.log"

/* "A:B" split at the first colon (caller frees both). */
static void
split2 (const char *arg, char **a, char **b)
{
  const char *colon = strchr (arg, ':');

  *a = xstrndup (arg, colon - arg);
  *b = xstrdup (colon + 1);
}

/* Run CMD in the guest (its /bin/sh), its output kept in the guest's
 * build log, as upstream's.
 */
static int
run_in_guest (struct guest *gu, const char *what, const char *cmd)
{
  CLEANUP_FREE char *out = guestfs_sh (gu->g, cmd);

  if (out == NULL) {
    gk_error_noexit ("%s: command exited with an error: %s", what,
                     guestfs_last_error (gu->g));
    return -1;
  }
  guestfs_push_error_handler (gu->g, NULL, NULL);
  guestfs_write_append (gu->g, BUILDER_LOG, out, strlen (out));
  guestfs_pop_error_handler (gu->g);
  return 0;
}

static char *
read_host_file (const char *path, size_t *len)
{
  CLEANUP_FCLOSE FILE *fp = fopen (path, "r");
  char *buf = NULL;
  size_t cap = 0;

  *len = 0;
  if (fp == NULL)
    gk_error_errno ("%s", path);
  for (;;) {
    size_t n;

    buf = xrealloc (buf, cap = cap * 2 + 4096);
    n = fread (buf + *len, 1, cap - *len, fp);
    *len += n;
    if (n == 0 || *len < cap)
      break;
  }
  if (ferror (fp))
    gk_error_errno ("%s", path);
  return buf;
}

static int
step_hostname (struct guest *gu, const char *name)
{
  CLEANUP_FREE char *old = guest_read (gu->g, "/etc/hostname", NULL);
  CLEANUP_FREE char *line = xasprintf ("%s\n", name);
  CLEANUP_FREE char *hosts = guest_read (gu->g, "/etc/hosts", NULL);

  gk_message ("Setting the hostname: %s", name);
  if (guest_write (gu->g, "/etc/hostname", line, strlen (line)) == -1)
    return -1;
  if (guest_is_file (gu->g, "/etc/sysconfig/network")) {
    CLEANUP_FREE char *net = guest_read (gu->g, "/etc/sysconfig/network",
                                         NULL);
    CLEANUP_FREE_STRING_LIST char **lines =
      gk_split_string ('\n', net ? net : "");
    CLEANUP_FREE char *out = NULL;

    for (size_t i = 0; lines[i]; ++i)
      if (STRPREFIX (lines[i], "HOSTNAME=")) {
        free (lines[i]);
        lines[i] = xasprintf ("HOSTNAME=%s", name);
      }
    out = gk_join_strings ("\n", lines);
    if (guest_write (gu->g, "/etc/sysconfig/network", out, strlen (out))
        == -1)
      return -1;
  }
  /* The old name in /etc/hosts (Debian's 127.0.1.1 line) follows. */
  if (old && hosts) {
    CLEANUP_FREE_STRING_LIST char **lines = gk_split_string ('\n', hosts);
    CLEANUP_FREE char *out = NULL;

    old[strcspn (old, "\r\n")] = '\0';
    if (old[0] == '\0')
      return 0;
    for (size_t i = 0; lines[i]; ++i) {
      CLEANUP_FREE_STRING_LIST char **words = NULL;
      bool changed = false;

      if (lines[i][0] == '#')
        continue;
      words = gk_split_string (' ', lines[i]);
      for (size_t j = 1; words[j]; ++j) {
        char *tab = strchr (words[j], '\t');

        if (tab == NULL && STREQ (words[j], old)) {
          free (words[j]);
          words[j] = xstrdup (name);
          changed = true;
        }
      }
      if (changed) {
        free (lines[i]);
        lines[i] = gk_join_strings (" ", words);
      }
    }
    out = gk_join_strings ("\n", lines);
    return guest_write (gu->g, "/etc/hosts", out, strlen (out));
  }
  return 0;
}

static int
step_timezone (struct guest *gu, const char *tz)
{
  CLEANUP_FREE char *zone = xasprintf ("/usr/share/zoneinfo/%s", tz);
  CLEANUP_FREE char *line = xasprintf ("%s\n", tz);

  gk_message ("Setting the timezone: %s", tz);
  if (!guest_is_file (gu->g, zone)) {
    gk_error_noexit ("--timezone: ‘%s’ is not a time zone of this guest "
                     "(%s not found)", tz, zone);
    return -1;
  }
  if (guest_check (gu->g, guestfs_ln_sf (gu->g, zone, "/etc/localtime"),
                   "/etc/localtime") == -1)
    return -1;
  if (guest_is_file (gu->g, "/etc/timezone"))
    return guest_write (gu->g, "/etc/timezone", line, strlen (line));
  return 0;
}

/* --append-line: a newline first if the file does not end with one,
 * in the file's own style (CRLF if it has any).
 */
static int
step_append_line (struct guest *gu, const char *arg)
{
  CLEANUP_FREE char *file = NULL, *line = NULL;
  CLEANUP_FREE char *text = NULL, *add = NULL;
  size_t len = 0;
  const char *nl;

  split2 (arg, &file, &line);
  gk_message ("Appending line to %s", file);
  text = guest_read (gu->g, file, &len);
  nl = text && memmem (text, len, "\r\n", 2) ? "\r\n" : "\n";
  if (text && len > 0 && text[len - 1] != '\n')
    add = xasprintf ("%s%s%s", nl, line, nl);
  else
    add = xasprintf ("%s%s", line, nl);
  return guest_check (gu->g, guestfs_write_append (gu->g, file, add,
                                                   strlen (add)), file);
}

static int
step_write (struct guest *gu, const char *arg)
{
  CLEANUP_FREE char *file = NULL, *content = NULL;

  split2 (arg, &file, &content);
  gk_message ("Writing: %s", file);
  return guest_write (gu->g, file, content, strlen (content));
}

static int
step_chmod (struct guest *gu, const char *arg)
{
  CLEANUP_FREE char *perms = NULL, *file = NULL;
  int mode;

  split2 (arg, &perms, &file);
  mode = (int) strtol (perms, NULL, perms[0] == '0' ? 8 : 10);
  gk_message ("Changing permissions of %s to %s", file, perms);
  return guest_check (gu->g, guestfs_chmod (gu->g, mode, file), file);
}

static int
step_chown (struct guest *gu, const char *arg)
{
  CLEANUP_FREE_STRING_LIST char **f = gk_split_string (':', arg);
  CLEANUP_FREE char *path = gk_join_strings (":", f + 2);

  gk_message ("Changing owner of %s to %s:%s", path, f[0], f[1]);
  return guest_check (gu->g, guestfs_chown (gu->g, atoi (f[0]), atoi (f[1]),
                                            path), path);
}

static int
step_link (struct guest *gu, const char *arg)
{
  CLEANUP_FREE_STRING_LIST char **f = gk_split_string (':', arg);

  for (size_t i = 1; f[i]; ++i) {
    gk_message ("Linking: %s -> %s", f[i], f[0]);
    if (guest_check (gu->g, guestfs_ln_sf (gu->g, f[0], f[i]), f[i]) == -1)
      return -1;
  }
  return 0;
}

/* --upload keeps the host file's permissions and owner, as upstream. */
static int
step_upload (struct guest *gu, const char *arg)
{
  CLEANUP_FREE char *local = NULL, *dest = NULL, *target = NULL;
  CLEANUP_FREE char *copy = NULL;
  struct stat st;

  split2 (arg, &local, &dest);
  gk_message ("Uploading: %s to %s", local, dest);
  if (stat (local, &st) == -1)
    gk_error_errno ("--upload: %s", local);
  copy = xstrdup (local);
  target = guest_is_dir (gu->g, dest)
    ? xasprintf ("%s/%s", dest, basename (copy)) : xstrdup (dest);
  if (guest_check (gu->g, guestfs_upload (gu->g, local, target),
                   target) == -1 ||
      guest_check (gu->g, guestfs_chmod (gu->g, st.st_mode & 07777, target),
                   target) == -1 ||
      guest_check (gu->g, guestfs_chown (gu->g, st.st_uid, st.st_gid,
                                         target), target) == -1)
    return -1;
  return 0;
}

static int
step_two_paths (struct guest *gu, enum customize_kind kind, const char *arg)
{
  CLEANUP_FREE char *a = NULL, *b = NULL;
  int r;

  split2 (arg, &a, &b);
  switch (kind) {
  case CUST_COPY:
    gk_message ("Copying: %s to %s", a, b);
    r = guestfs_cp_a (gu->g, a, b);
    break;
  case CUST_MOVE:
    gk_message ("Moving: %s to %s", a, b);
    r = guestfs_mv (gu->g, a, b);
    break;
  case CUST_COPY_IN:
    gk_message ("Copying: %s to %s", a, b);
    if (!guest_is_dir (gu->g, b)) {
      gk_error_noexit ("--copy-in: %s is not a directory in the guest", b);
      return -1;
    }
    r = guestfs_copy_in (gu->g, a, b);
    break;
  default: {                    /* CUST_TAR_IN */
    const char *compress = NULL;

    gk_message ("Copying: %s to %s", a, b);
    if (gk_str_has_suffix (a, ".gz") || gk_str_has_suffix (a, ".tgz"))
      compress = "gzip";
    else if (gk_str_has_suffix (a, ".xz"))
      compress = "xz";
    else if (gk_str_has_suffix (a, ".bz2"))
      compress = "bzip2";
    r = compress
      ? guestfs_tar_in_opts (gu->g, a, b, GUESTFS_TAR_IN_OPTS_COMPRESS,
                             compress, -1)
      : guestfs_tar_in (gu->g, a, b);
  }
  }
  return guest_check (gu->g, r, b);
}

static int
step_truncate_recursive (struct guest *gu, const char *path)
{
  CLEANUP_FREE_STRING_LIST char **names = guestfs_find (gu->g, path);

  gk_message ("Recursively truncating: %s", path);
  if (names == NULL)
    return guest_check (gu->g, -1, path);
  for (size_t i = 0; names[i]; ++i) {
    CLEANUP_FREE char *p = xasprintf ("%s/%s", path, names[i]);

    if (guest_is_file (gu->g, p) &&
        guest_check (gu->g, guestfs_truncate (gu->g, p), p) == -1)
      return -1;
  }
  return 0;
}

static int
step_edit (struct guest *gu, const char *arg)
{
  CLEANUP_FREE char *file = NULL, *expr = NULL, *errmsg = NULL;
  CLEANUP_FREE char *in = NULL, *out = NULL;
  struct edit_expr *e;
  size_t len, outlen;

  split2 (arg, &file, &expr);
  gk_message ("Editing: %s", file);
  in = guestfs_read_file (gu->g, file, &len);
  if (in == NULL)
    return guest_check (gu->g, -1, file);
  e = edit_compile (expr, &errmsg);     /* checked when parsed */
  if (e == NULL)
    gk_error ("--edit: %s", errmsg);
  out = edit_apply (e, in, len, &outlen, &errmsg);
  edit_free (e);
  if (out == NULL) {
    gk_error_noexit ("--edit %s: %s", file, errmsg);
    return -1;
  }
  return guest_write (gu->g, file, out, outlen);
}

/* USER's uid, gid and home from the guest's /etc/passwd. */
static int
passwd_entry (struct guest *gu, const char *user, int *uid, int *gid,
              char **home)
{
  CLEANUP_FREE char *passwd = guest_read (gu->g, "/etc/passwd", NULL);
  CLEANUP_FREE_STRING_LIST char **lines =
    gk_split_string ('\n', passwd ? passwd : "");

  for (size_t i = 0; lines[i]; ++i) {
    CLEANUP_FREE_STRING_LIST char **f = gk_split_string (':', lines[i]);

    if (gk_count_strings (f) >= 6 && STREQ (f[0], user)) {
      *uid = atoi (f[2]);
      *gid = atoi (f[3]);
      *home = xstrdup (f[5]);
      return 0;
    }
  }
  gk_error_noexit ("--ssh-inject: no user ‘%s’ in the guest", user);
  return -1;
}

static int
step_ssh_inject (struct guest *gu, const char *arg)
{
  const char *colon = strchr (arg, ':');
  CLEANUP_FREE char *user = colon ? xstrndup (arg, colon - arg)
                                  : xstrdup (arg);
  CLEANUP_FREE char *key = NULL, *errmsg = NULL, *home = NULL;
  CLEANUP_FREE char *dir = NULL, *file = NULL, *old = NULL, *line = NULL;
  int uid, gid;

  gk_message ("SSH key inject: %s", user);
  key = ssh_key_from_selector (colon ? colon + 1 : NULL, &errmsg);
  if (key == NULL)
    gk_error ("--ssh-inject: %s", errmsg);
  if (passwd_entry (gu, user, &uid, &gid, &home) == -1)
    return -1;
  dir = xasprintf ("%s/.ssh", home);
  file = xasprintf ("%s/authorized_keys", dir);
  if (!guest_is_dir (gu->g, dir) &&
      (guest_check (gu->g, guestfs_mkdir_mode (gu->g, dir, 0700), dir) == -1
       || guest_check (gu->g, guestfs_chown (gu->g, uid, gid, dir), dir)
          == -1))
    return -1;
  old = guest_read (gu->g, file, NULL);
  if (old && strstr (old, key))
    return 0;
  line = xasprintf ("%s%s\n", old && *old && old[strlen (old) - 1] != '\n'
                    ? "\n" : "", key);
  if (guest_check (gu->g, guestfs_write_append (gu->g, file, line,
                                                strlen (line)), file) == -1
      || guest_check (gu->g, guestfs_chmod (gu->g, 0600, file), file) == -1
      || guest_check (gu->g, guestfs_chown (gu->g, uid, gid, file), file)
         == -1)
    return -1;
  return 0;
}

/* The package manager's command for KIND with PKGS ("a,b"). */
static char *
package_command (struct guest *gu, enum customize_kind kind,
                 const char *pkgs)
{
  const char *pm = gu->package_management;
  CLEANUP_FREE_STRING_LIST char **list =
    gk_split_string (',', pkgs ? pkgs : "");
  CLEANUP_FREE char *names = gk_join_strings (" ", list);
  bool install = kind == CUST_INSTALL || kind == CUST_FIRSTBOOT_INSTALL;

  if (STREQ (pm, "apt")) {
    const char *env = "DEBIAN_FRONTEND=noninteractive apt-get -y "
      "-o Dpkg::Options::=--force-confnew";

    if (kind == CUST_UPDATE)
      return xasprintf ("apt-get update && %s dist-upgrade", env);
    return xasprintf ("%s %s%s %s", env, install ? "apt-get update && " : "",
                      install ? "install" : "remove", names);
  }
  if (STREQ (pm, "dnf") || STREQ (pm, "yum")) {
    if (kind == CUST_UPDATE)
      return xasprintf ("%s -y upgrade", pm);
    return xasprintf ("%s -y %s %s", pm, install ? "install" : "remove",
                      names);
  }
  if (STREQ (pm, "zypper")) {
    if (kind == CUST_UPDATE)
      return xstrdup ("zypper -n update");
    return xasprintf ("zypper -n %s %s", install ? "in" : "rm", names);
  }
  gk_error_noexit ("cannot manage packages with ‘%s’ yet", pm);
  return NULL;
}

static int
step_packages (struct guest *gu, enum customize_kind kind, const char *arg)
{
  CLEANUP_FREE char *cmd = package_command (gu, kind, arg);

  if (cmd == NULL)
    return -1;
  switch (kind) {
  case CUST_INSTALL:
    gk_message ("Installing packages: %s", arg);
    return run_in_guest (gu, "--install", cmd);
  case CUST_UNINSTALL:
    gk_message ("Uninstalling packages: %s", arg);
    return run_in_guest (gu, "--uninstall", cmd);
  case CUST_UPDATE:
    gk_message ("Updating packages");
    return run_in_guest (gu, "--update", cmd);
  default: {
    CLEANUP_FREE char *script = xasprintf ("#!/bin/sh\n%s\n", cmd);

    gk_message ("Installing firstboot packages: %s", arg);
    return firstboot_add (gu, "install-packages", script, strlen (script));
  }
  }
}

static int
step_run (struct guest *gu, const char *path)
{
  size_t len;
  CLEANUP_FREE char *script = read_host_file (path, &len);
  CLEANUP_FREE char *copy = xstrdup (path);
  const char *tmp = "/tmp/virt-sysprep-run.sh";
  int r;

  gk_message ("Running: %s", path);
  if (guest_check (gu->g, guestfs_mkdir_p (gu->g, "/tmp"), "/tmp") == -1 ||
      guest_write (gu->g, tmp, script, len) == -1 ||
      guest_check (gu->g, guestfs_chmod (gu->g, 0755, tmp), tmp) == -1)
    return -1;
  r = run_in_guest (gu, path, tmp);
  guestfs_push_error_handler (gu->g, NULL, NULL);
  guestfs_rm_f (gu->g, tmp);
  guestfs_pop_error_handler (gu->g);
  return r;
}

static int
step_firstboot (struct guest *gu, enum customize_kind kind, const char *arg)
{
  if (kind == CUST_FIRSTBOOT) {
    size_t len;
    CLEANUP_FREE char *script = read_host_file (arg, &len);
    CLEANUP_FREE char *copy = xstrdup (arg);

    gk_message ("Installing firstboot script: %s", arg);
    return firstboot_add (gu, basename (copy), script, len);
  }
  else {
    CLEANUP_FREE char *script = xasprintf ("#!/bin/sh\n%s\n", arg);

    gk_message ("Installing firstboot command: %s", arg);
    return firstboot_add (gu, "command", script, strlen (script));
  }
}

static int
run_step (struct guest *gu, const struct customize_step *s)
{
  guestfs_h *g = gu->g;
  const char *a = s->arg;

  switch (s->kind) {
  case CUST_APPEND_LINE: return step_append_line (gu, a);
  case CUST_CHMOD: return step_chmod (gu, a);
  case CUST_CHOWN: return step_chown (gu, a);
  case CUST_COPY: case CUST_MOVE: case CUST_COPY_IN: case CUST_TAR_IN:
    return step_two_paths (gu, s->kind, a);
  case CUST_DELETE:
    gk_message ("Deleting: %s", a);
    return guest_check (g, guestfs_rm_rf (g, a), a);
  case CUST_EDIT: return step_edit (gu, a);
  case CUST_FIRSTBOOT: case CUST_FIRSTBOOT_COMMAND:
    return step_firstboot (gu, s->kind, a);
  case CUST_HOSTNAME: return step_hostname (gu, a);
  case CUST_LINK: return step_link (gu, a);
  case CUST_MKDIR:
    gk_message ("Making directory: %s", a);
    return guest_check (g, guestfs_mkdir_p (g, a), a);
  case CUST_PASSWORD: case CUST_ROOT_PASSWORD:
    return 0;                   /* after the other steps, as upstream */
  case CUST_RUN: return step_run (gu, a);
  case CUST_RUN_COMMAND:
    gk_message ("Running: %s", a);
    return run_in_guest (gu, a, a);
  case CUST_SCRUB:
    gk_message ("Scrubbing: %s", a);
    return guest_check (g, guestfs_scrub_file (g, a), a);
  case CUST_SSH_INJECT: return step_ssh_inject (gu, a);
  case CUST_TIMEZONE: return step_timezone (gu, a);
  case CUST_TOUCH:
    gk_message ("Touching: %s", a);
    return guest_check (g, guestfs_touch (g, a), a);
  case CUST_TRUNCATE:
    gk_message ("Truncating: %s", a);
    return guest_check (g, guestfs_truncate (g, a), a);
  case CUST_TRUNCATE_RECURSIVE: return step_truncate_recursive (gu, a);
  case CUST_UPLOAD: return step_upload (gu, a);
  case CUST_WRITE: return step_write (gu, a);
  case CUST_INSTALL: case CUST_UNINSTALL: case CUST_UPDATE:
  case CUST_FIRSTBOOT_INSTALL:
    return step_packages (gu, s->kind, a);
  }
  return 0;
}

static int
set_passwords (struct guest *gu, const struct customize_options *co)
{
  bool said = false;

  for (size_t i = 0; i < co->steps.len; ++i) {
    const struct customize_step *s = &co->steps.ptr[i];
    struct password_selector ps;
    CLEANUP_FREE char *user = NULL, *errmsg = NULL;
    const char *sel = s->arg;
    int r;

    if (s->kind != CUST_PASSWORD && s->kind != CUST_ROOT_PASSWORD)
      continue;
    if (!said)
      gk_message ("Setting passwords");
    said = true;
    if (s->kind == CUST_PASSWORD) {
      sel = strchr (s->arg, ':') + 1;
      user = xstrndup (s->arg, sel - 1 - s->arg);
    }
    else
      user = xstrdup ("root");
    if (password_parse_selector (sel, &ps, &errmsg) == -1)
      gk_error ("--password: %s", errmsg);
    r = password_set (gu, user, &ps, co->password_crypto);
    password_selector_free (&ps);
    if (r == -1)
      return -1;
  }
  return 0;
}

/* SELinux guests relabel at next boot (the guest's own tools know its
 * policy; upstream's --selinux-relabel is kept as the default).
 */
static int
selinux_relabel (struct guest *gu, const struct customize_options *co)
{
  CLEANUP_FREE char *config = NULL;

  if (co->no_selinux_relabel)
    return 0;
  config = guest_read (gu->g, "/etc/selinux/config", NULL);
  if (config == NULL || strstr (config, "\nSELINUX=disabled") ||
      STRPREFIX (config, "SELINUX=disabled"))
    return 0;
  gk_message ("SELinux relabelling");
  return guest_check (gu->g, guestfs_touch (gu->g, "/.autorelabel"),
                      "/.autorelabel");
}

int
op_customize (struct guest *gu)
{
  const struct customize_options *co = &gu->o->customize;

  gk_message ("Setting a random seed");
  write_random_seed (gu);       /* a warning when it cannot */
  for (size_t i = 0; i < co->steps.len; ++i)
    if (run_step (gu, &co->steps.ptr[i]) == -1)
      return -1;
  if (set_passwords (gu, co) == -1 || selinux_relabel (gu, co) == -1)
    return -1;
  if (co->no_logfile && guest_is_file (gu->g, BUILDER_LOG))
    return guest_check (gu->g, guestfs_scrub_file (gu->g, BUILDER_LOG),
                        BUILDER_LOG);
  return 0;
}
