/* virt-sysprep: the filesystem operations that do more than remove
 * globs (those are plain entries of operations.c).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "sysprep.h"

#define GLOBS(...) (const char *const[]) { __VA_ARGS__, NULL }

/* Every regular file below DIR whose name ends in one of SUFFIXES. */
static int
remove_by_suffix (guestfs_h *g, const char *dir,
                  const char *const *suffixes)
{
  CLEANUP_FREE_STRING_LIST char **names = NULL;

  if (!guest_is_dir (g, dir))
    return 0;
  names = guestfs_find (g, dir);
  if (names == NULL)
    return guest_check (g, -1, dir);
  for (size_t i = 0; names[i]; ++i) {
    bool match = false;

    for (size_t j = 0; suffixes[j] && !match; ++j)
      match = gk_str_has_suffix (names[i], suffixes[j]);
    if (match) {
      CLEANUP_FREE char *path =
        xasprintf ("%s%s%s", dir, STREQ (dir, "/") ? "" : "/", names[i]);

      if (guest_is_file (g, path) &&
          guest_check (g, guestfs_rm_f (g, path), path) == -1)
        return -1;
    }
  }
  return 0;
}

int
op_backup_files (struct guest *gu)
{
  static const char *const suffixes[] = { ".bak", "~", NULL };
  static const char *const unix_dirs[] = {
    "/etc", "/root", "/srv", "/tmp", "/var", NULL
  };
  static const char *const everywhere[] = { "/", NULL };
  const char *const *dirs =
    guest_is (gu, FOR_UNIX) ? unix_dirs : everywhere;

  for (size_t i = 0; dirs[i]; ++i)
    if (remove_by_suffix (gu->g, dirs[i], suffixes) == -1)
      return -1;
  return 0;
}

int
op_blkid_tab (struct guest *gu)
{
  static const char *const files[] = {
    "/var/run/blkid.tab", "/var/run/blkid.tab.old",
    "/etc/blkid/blkid.tab", "/etc/blkid/blkid.tab.old",
    "/etc/blkid.tab", "/etc/blkid.tab.old",
    "/dev/blkid.tab", "/dev/blkid.tab.old", NULL
  };

  for (size_t i = 0; files[i]; ++i) {
    int link;

    guestfs_push_error_handler (gu->g, NULL, NULL);
    link = guestfs_is_symlink (gu->g, files[i]);
    guestfs_pop_error_handler (gu->g);
    /* A symlink points somewhere another operation owns. */
    if (link == 0 &&
        guest_check (gu->g, guestfs_rm_f (gu->g, files[i]), files[i]) == -1)
      return -1;
  }
  return 0;
}

int
op_ca_certificates (struct guest *gu)
{
  static const char *const keep[] = {
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/tls/certs/ca-bundle.trust.crt", NULL
  };
  static const char *const globs[] = {
    "/etc/pki/CA/certs/*.crt", "/etc/pki/CA/crl/*.crt",
    "/etc/pki/CA/newcerts/*.crt", "/etc/pki/CA/private/*.key",
    "/etc/pki/tls/private/*.key", "/etc/pki/tls/certs/*.crt", NULL
  };

  for (size_t i = 0; globs[i]; ++i) {
    CLEANUP_FREE_STRING_LIST char **paths = guest_glob (gu->g, globs[i]);

    if (paths == NULL)
      return -1;
    for (size_t j = 0; paths[j]; ++j) {
      if (gk_string_list_contains ((char *const *) keep, paths[j]))
        continue;
      if (guest_check (gu->g, guestfs_rm_f (gu->g, paths[j]),
                       paths[j]) == -1)
        return -1;
      gu->update_ca_trust = true;
    }
  }
  return 0;
}

int
op_cron_spool (struct guest *gu)
{
  /* Files only: the spool directories themselves (Debian's
   * /var/spool/cron/crontabs) must stay for cron and at to start.
   * Dot files (the at job counter .SEQ) are not matched by '*'.
   */
  static const char *const seqs[] = {
    "/var/spool/at/.SEQ", "/var/spool/atjobs/.SEQ",
    "/var/spool/cron/atjobs/.SEQ", NULL
  };

  if (remove_globs (gu->g, GLOBS ("/var/spool/cron/*",
                                  "/var/spool/cron/crontabs/*",
                                  "/var/spool/cron/atjobs/*",
                                  "/var/spool/cron/atspool/*",
                                  "/var/spool/atjobs/*",
                                  "/var/spool/atspool/*",
                                  "/var/spool/at/*",
                                  "/var/spool/at/spool/*"),
                    REMOVE_FILES) == -1)
    return -1;
  for (size_t i = 0; seqs[i]; ++i)
    if (guest_is_file (gu->g, seqs[i]) &&
        guest_write (gu->g, seqs[i], "00000\n", 6) == -1)
      return -1;
  return 0;
}

int
op_flag_reconfiguration (struct guest *gu)
{
  return guest_check (gu->g, guestfs_touch (gu->g, "/.unconfigured"),
                      "/.unconfigured");
}

int
op_kerberos_data (struct guest *gu)
{
  static const char *const keep[] = {
    "/var/kerberos/krb5kdc/kadm5.acl", "/var/kerberos/krb5kdc/kdc.conf",
    NULL
  };
  CLEANUP_FREE_STRING_LIST char **paths =
    guest_glob (gu->g, "/var/kerberos/krb5kdc/*");

  if (paths == NULL)
    return -1;
  for (size_t i = 0; paths[i]; ++i)
    if (!gk_string_list_contains ((char *const *) keep, paths[i]) &&
        guest_check (gu->g, guestfs_rm_rf (gu->g, paths[i]),
                     paths[i]) == -1)
      return -1;
  return 0;
}

/* Emptied, not removed: systemd gives an empty /etc/machine-id a new
 * ID at first boot, a missing one may leave the system read-only.
 */
int
op_machine_id (struct guest *gu)
{
  static const char *const files[] = {
    "/etc/machine-id", "/var/lib/dbus/machine-id", NULL
  };

  for (size_t i = 0; files[i]; ++i) {
    int link;

    guestfs_push_error_handler (gu->g, NULL, NULL);
    link = guestfs_is_symlink (gu->g, files[i]);
    guestfs_pop_error_handler (gu->g);
    if (link == 0 && guest_is_file (gu->g, files[i]) &&
        guest_check (gu->g, guestfs_truncate (gu->g, files[i]),
                     files[i]) == -1)
      return -1;
  }
  return 0;
}

/* Process accounting: the RH family keeps it in /var/account, Debian
 * (acct) in /var/log/account.  The empty file stays, as accton needs it.
 */
int
op_pacct_log (struct guest *gu)
{
  const char *dir = guest_is (gu, FOR_RH) ? "/var/account"
                                          : "/var/log/account";
  CLEANUP_FREE char *glob = xasprintf ("%s/pacct*", dir);
  CLEANUP_FREE char *pacct = xasprintf ("%s/pacct", dir);
  CLEANUP_FREE_STRING_LIST char **paths = guest_glob (gu->g, glob);
  bool had = false;

  if (paths == NULL)
    return -1;
  for (size_t i = 0; paths[i]; ++i) {
    had = true;
    if (guest_check (gu->g, guestfs_rm_f (gu->g, paths[i]),
                     paths[i]) == -1)
      return -1;
  }
  if (had && guest_check (gu->g, guestfs_touch (gu->g, pacct), pacct) == -1)
    return -1;
  return 0;
}

/* The downloaded packages, files only (the directories belong to the
 * package manager).
 */
static int
remove_files_below (guestfs_h *g, const char *dir)
{
  CLEANUP_FREE_STRING_LIST char **names = NULL;

  if (!guest_is_dir (g, dir))
    return 0;
  names = guestfs_find (g, dir);
  if (names == NULL)
    return guest_check (g, -1, dir);
  for (size_t i = 0; names[i]; ++i) {
    CLEANUP_FREE char *path = xasprintf ("%s/%s", dir, names[i]);

    if (guest_is_file (g, path) &&
        guest_check (g, guestfs_rm_f (g, path), path) == -1)
      return -1;
  }
  return 0;
}

int
op_package_manager_cache (struct guest *gu)
{
  const char *pm = gu->package_management;
  const char *glob = NULL;
  CLEANUP_FREE_STRING_LIST char **dirs = NULL;

  if (STREQ (pm, "apt"))
    glob = "/var/cache/apt/archives";
  else if (STREQ (pm, "dnf"))
    glob = "/var/cache/dnf";
  else if (STREQ (pm, "yum"))
    glob = "/var/cache/yum";
  else if (STREQ (pm, "zypper"))
    glob = "/var/cache/zypp*";
  if (glob == NULL)
    return 0;
  dirs = guest_glob (gu->g, glob);
  if (dirs == NULL)
    return -1;
  for (size_t i = 0; dirs[i]; ++i)
    if (remove_files_below (gu->g, dirs[i]) == -1)
      return -1;
  return 0;
}

/* Beyond upstream: Debian and Ubuntu do not make host keys at boot,
 * so sshd would not start on the clone (vagrant-libvirt#759).  A unit
 * makes any missing key before sshd starts (ssh-keygen -A only makes
 * what is missing, so it costs nothing on later boots).
 */
static const char ssh_keygen_unit[] =
  "[Unit]\n"
  "Description=Generate missing SSH host keys (virt-sysprep)\n"
  "Before=ssh.service sshd.service\n"
  "ConditionPathExists=/usr/bin/ssh-keygen\n"
  "\n"
  "[Service]\n"
  "Type=oneshot\n"
  "ExecStart=/usr/bin/ssh-keygen -A\n"
  "RemainAfterExit=yes\n"
  "\n"
  "[Install]\n"
  "WantedBy=multi-user.target\n";

#define SSH_KEYGEN_UNIT "/etc/systemd/system/guestkit-ssh-keygen.service"
#define SSH_KEYGEN_WANTS \
  "/etc/systemd/system/multi-user.target.wants/guestkit-ssh-keygen.service"

static bool
is_debian_family (const struct guest *gu)
{
  return STREQ (gu->package_format, "deb");
}

int
op_ssh_hostkeys (struct guest *gu)
{
  CLEANUP_FREE_STRING_LIST char **keys = guest_glob (gu->g,
                                                     "/etc/ssh/*_host_*");

  if (keys == NULL)
    return -1;
  for (size_t i = 0; keys[i]; ++i)
    if (guest_check (gu->g, guestfs_rm_f (gu->g, keys[i]), keys[i]) == -1)
      return -1;
  if (keys[0] == NULL || !is_debian_family (gu) ||
      !guest_is_dir (gu->g, "/etc/systemd/system"))
    return 0;
  if (guest_write (gu->g, SSH_KEYGEN_UNIT, ssh_keygen_unit,
                   sizeof ssh_keygen_unit - 1) == -1)
    return -1;
  if (guest_check (gu->g, guestfs_mkdir_p (gu->g,
                     "/etc/systemd/system/multi-user.target.wants"),
                   "multi-user.target.wants") == -1)
    return -1;
  guestfs_push_error_handler (gu->g, NULL, NULL);
  guestfs_rm_f (gu->g, SSH_KEYGEN_WANTS);
  guestfs_pop_error_handler (gu->g);
  return guest_check (gu->g, guestfs_ln_s (gu->g, SSH_KEYGEN_UNIT,
                                           SSH_KEYGEN_WANTS),
                      SSH_KEYGEN_WANTS);
}
