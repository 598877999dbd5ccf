/* virt-sysprep: what its files share.
 *
 *   main.c        options and the pipeline: disks → launch → inspect →
 *                 per guest: mount, filesystem operations, unmount,
 *                 device operations
 *   operations.c  the table of operations (name, default, heading,
 *                 phase, what it does): adding one is one entry there
 *   selection.c   --enable / --operations: which operations run (pure)
 *   run.c         one guest in a launched appliance: its operations
 *                 around mounting it; the disks (or overlays) added
 *   per-disk.c    --per-disk: each -a disk a guest, one shared launch,
 *                 clones that cannot share rerun alone
 *   guest.c       the guest in the appliance: facts from inspection,
 *                 mounting as it mounts itself, glob removal helpers
 *   ops-*.c       operations that do more than remove globs
 *                 (ops-script.c: --script on the guest through FUSE)
 *   customize.c   the customize options, kept in command-line order,
 *                 and the `customize` operation that runs them
 *   password.c    --root-password / --password selectors and hashing
 *   edit.c        --edit FILE:s/regex/replacement/flags (PCRE2)
 *   firstboot.c   scripts run once at the guest's first boot
 */
#ifndef GUESTKIT_SYSPREP_H
#define GUESTKIT_SYSPREP_H

#include <stdbool.h>
#include <stdint.h>
#include <getopt.h>
#include <stdio.h>
#include <guestfs.h>

#include "appliance/inspect.h"
#include "appliance/owners.h"
#include "options/options.h"
#include "utils/vector.h"

/* ------------------------------------------------------------------ */
/* customize.c: the customize options, in command-line order. */

enum customize_kind {
  CUST_APPEND_LINE, CUST_CHMOD, CUST_CHOWN, CUST_COPY, CUST_COPY_IN,
  CUST_DELETE, CUST_EDIT, CUST_FIRSTBOOT, CUST_FIRSTBOOT_COMMAND,
  CUST_HOSTNAME, CUST_LINK, CUST_MKDIR, CUST_MOVE, CUST_PASSWORD,
  CUST_ROOT_PASSWORD, CUST_RUN, CUST_RUN_COMMAND, CUST_SCRUB,
  CUST_SSH_INJECT, CUST_TAR_IN, CUST_TIMEZONE, CUST_TOUCH, CUST_TRUNCATE,
  CUST_TRUNCATE_RECURSIVE, CUST_UPLOAD, CUST_WRITE,
  /* Package operations (need --network but --uninstall). */
  CUST_INSTALL, CUST_UNINSTALL, CUST_UPDATE, CUST_FIRSTBOOT_INSTALL,
};

/* Option values: a step's is COPT_STEP + its kind; the others follow. */
enum {
  COPT_STEP = 0x400,
  COPT_COMMANDS_FROM_FILE = COPT_STEP + 0x40,
  COPT_FIRSTBOOT_INSTALL, COPT_INJECT_BLNSVR, COPT_INJECT_QEMU_GA,
  COPT_INJECT_VIRTIO_WIN, COPT_INSTALL, COPT_NO_LOGFILE,
  COPT_NO_SELINUX_RELABEL, COPT_PASSWORD_CRYPTO, COPT_SELINUX_RELABEL,
  COPT_UNINSTALL, COPT_UPDATE,
};

#define COPT_ROW(name, kind) \
  { name, required_argument, NULL, COPT_STEP + (kind) }
/* The rows of a long_options[] table (main.c's, and customize.c's own
 * for --commands-from-file), as the man page lists them.
 */
#define CUSTOMIZE_LONGOPTS                                              \
  COPT_ROW ("append-line", CUST_APPEND_LINE),                           \
  COPT_ROW ("chmod", CUST_CHMOD),                                       \
  COPT_ROW ("chown", CUST_CHOWN),                                       \
  { "commands-from-file", required_argument, NULL,                      \
    COPT_COMMANDS_FROM_FILE },                                          \
  COPT_ROW ("copy", CUST_COPY),                                         \
  COPT_ROW ("copy-in", CUST_COPY_IN),                                   \
  COPT_ROW ("delete", CUST_DELETE),                                     \
  COPT_ROW ("edit", CUST_EDIT),                                         \
  COPT_ROW ("firstboot", CUST_FIRSTBOOT),                               \
  COPT_ROW ("firstboot-command", CUST_FIRSTBOOT_COMMAND),               \
  { "firstboot-install", required_argument, NULL,                       \
    COPT_FIRSTBOOT_INSTALL },                                           \
  COPT_ROW ("hostname", CUST_HOSTNAME),                                 \
  { "inject-blnsvr", required_argument, NULL, COPT_INJECT_BLNSVR },     \
  { "inject-qemu-ga", required_argument, NULL, COPT_INJECT_QEMU_GA },   \
  { "inject-virtio-win", required_argument, NULL,                       \
    COPT_INJECT_VIRTIO_WIN },                                           \
  { "install", required_argument, NULL, COPT_INSTALL },                 \
  COPT_ROW ("link", CUST_LINK),                                         \
  COPT_ROW ("mkdir", CUST_MKDIR),                                       \
  COPT_ROW ("move", CUST_MOVE),                                         \
  { "no-logfile", no_argument, NULL, COPT_NO_LOGFILE },                 \
  { "no-selinux-relabel", no_argument, NULL, COPT_NO_SELINUX_RELABEL }, \
  COPT_ROW ("password", CUST_PASSWORD),                                 \
  { "password-crypto", required_argument, NULL, COPT_PASSWORD_CRYPTO }, \
  COPT_ROW ("root-password", CUST_ROOT_PASSWORD),                       \
  COPT_ROW ("run", CUST_RUN),                                           \
  COPT_ROW ("run-command", CUST_RUN_COMMAND),                           \
  COPT_ROW ("scrub", CUST_SCRUB),                                       \
  { "selinux-relabel", no_argument, NULL, COPT_SELINUX_RELABEL },       \
  COPT_ROW ("ssh-inject", CUST_SSH_INJECT),                             \
  COPT_ROW ("tar-in", CUST_TAR_IN),                                     \
  COPT_ROW ("timezone", CUST_TIMEZONE),                                 \
  COPT_ROW ("touch", CUST_TOUCH),                                       \
  COPT_ROW ("truncate", CUST_TRUNCATE),                                 \
  COPT_ROW ("truncate-recursive", CUST_TRUNCATE_RECURSIVE),             \
  { "uninstall", required_argument, NULL, COPT_UNINSTALL },             \
  { "update", no_argument, NULL, COPT_UPDATE },                         \
  COPT_ROW ("upload", CUST_UPLOAD),                                     \
  COPT_ROW ("write", CUST_WRITE)

struct customize_step {
  enum customize_kind kind;
  char *arg;                    /* as given */
};
DEFINE_VECTOR_TYPE (customize_steps, struct customize_step);

struct customize_options {
  customize_steps steps;
  const char *password_crypto;  /* NULL: the strongest the guest has */
  bool no_logfile;
  bool selinux_relabel;         /* --selinux-relabel given */
  bool no_selinux_relabel;
};

/* The option handler: returns true if C was a customize option
 * (checked and recorded).  Exits on a malformed argument.
 */
extern bool customize_option (struct customize_options *co, int c,
                              const char *arg);
/* --commands-from-file FILE: each line "option arg" (or "option"),
 * # comments and blank lines skipped, appended in order.
 */
extern void customize_commands_from_file (struct customize_options *co,
                                          const char *path);

/* ------------------------------------------------------------------ */
/* The operations. */

struct sysprep_options {
  struct gk_options *opts;
  bool dry_run;
  bool network;
  bool per_disk;                /* --per-disk: each -a disk a guest */
  const char *mount_options;    /* "mp:opts;mp:opts" */
  string_vector remove_users;   /* --remove-user-accounts */
  string_vector keep_users;     /* --keep-user-accounts */
  string_vector scripts;        /* --script, in order */
  const char *scriptdir;        /* --scriptdir, NULL: a temporary one */
  struct customize_options customize;
};

/* --per-disk: the guests sharing one appliance, each a span of its
 * disks, and what tells their devices apart.
 */
struct disk_owners {
  const struct gk_disk_span *spans;
  size_t n;
  char **fses;                  /* (device, type) pairs, all guests' */
  gk_owned_id_list pv_owners;
};

/* What a filesystem operation sees: the guest, mounted. */
struct guest {
  guestfs_h *g;
  const char *root;             /* inspection's root device */
  char *type;                   /* "linux", "windows", ... */
  char *distro;                 /* "debian", "fedora", "rhel", ... */
  char *package_format;         /* "rpm", "deb", ... */
  char *package_management;     /* "apt", "dnf", "yum", ... */
  int major_version;
  const struct sysprep_options *o;
  /* --per-disk: the guest is OWNERS->spans[INDEX] of a shared
   * appliance and device operations touch its devices only; NULL:
   * every device of the appliance is the guest's.
   */
  const struct disk_owners *owners;
  size_t index;
  /* Set by operations, acted on after them. */
  bool update_ca_trust;
  bool ssh_hostkeys_removed;
};

/* Which guests an operation applies to. */
enum op_guests {
  FOR_ALL,                      /* every guest */
  FOR_UNIX,                     /* not Windows */
  FOR_LINUX,
  FOR_RH,                       /* Red Hat family: Fedora, RHEL, CentOS.. */
  FOR_RHEL,                     /* RHEL proper (subscription, RHN) */
  FOR_RPM,                      /* rpm-based */
  FOR_YUM,                      /* yum/dnf managed */
};

enum op_phase { PHASE_FILESYSTEMS, PHASE_DEVICES };

/* Glob removal: what remove_globs does with each match. */
enum op_remove {
  REMOVE_NONE,                  /* the operation has its own function */
  REMOVE_FILES,                 /* rm -f: files (and symlinks) only */
  REMOVE_TREES,                 /* rm -rf */
};

struct sysprep_op {
  const char *name;
  bool default_on;
  const char *heading;          /* --list-operations, no final '.' */
  int order;                    /* operations run by (order, name) */
  enum op_phase phase;
  enum op_guests guests;
  enum op_remove remove;
  const char *const *globs;     /* for REMOVE_*: NULL-terminated */
  /* Anything more, after the globs.  Returns 0, or -1 after
   * reporting (the run fails).  The device ops get a guest with only
   * g set, and the filesystems unmounted.
   */
  int (*perform) (struct guest *gu);
};

extern const struct sysprep_op sysprep_ops[];
extern const size_t sysprep_nr_ops;

/* ------------------------------------------------------------------ */
/* selection.c: a set of operations is a bit per index of sysprep_ops. */

typedef uint64_t op_set;

extern int op_lookup (const char *name);
extern op_set op_defaults (void);
extern op_set op_all (void);
/* --enable ARG: exactly these.  Returns 0, or -1 with *ERRMSG. */
extern int op_parse_enable (const char *arg, op_set *set, char **errmsg);
/* --operations ARG applied to *SET.  Returns 0, or -1 with *ERRMSG. */
extern int op_parse_operations (const char *arg, op_set *set,
                                char **errmsg);
/* --list-operations, upstream's format. */
extern void op_list (FILE *fp);

/* customize.c: before any launch, what can be refused is refused:
 * package options without --network, customize options, user lists
 * or scripts whose operation is not enabled.  Exits on error.
 */
extern void customize_check (const struct customize_options *co,
                             const struct sysprep_options *o, op_set ops);

/* ------------------------------------------------------------------ */
/* run.c and per-disk.c (the program's, beside main.c). */

/* Add drive D to G, or with DRY_RUN a throwaway overlay of it.  Exits
 * on error.
 */
extern void sysprep_add_disk (guestfs_h *g, const struct gk_drive *d,
                              bool dry_run);
/* Every operation of OPS on the operating system OS (appliance/
 * inspect.h): mounted, the filesystem operations, unmounted, the
 * device operations (on OWNERS->spans[INDEX]'s devices only if OWNERS
 * is not NULL).  Returns 0, or -1 after reporting, the filesystems
 * unmounted.
 */
extern int sysprep_root (guestfs_h *g, const struct gk_os *os,
                         const struct sysprep_options *o, op_set ops,
                         const struct disk_owners *owners, size_t index);
/* --per-disk: each -a disk a guest.  Returns the exit status. */
extern int sysprep_per_disk (const struct sysprep_options *o, op_set ops);

/* ------------------------------------------------------------------ */
/* guest.c */

/* Inspection's facts of OS into GU (g set by the caller). */
extern void guest_facts (struct guest *gu, const struct gk_os *os);
extern void guest_free (struct guest *gu);
/* Mount OS's filesystems as the guest's fstab says (parents first),
 * with --mount-options.  Returns 0, or -1 after reporting.
 */
extern int guest_mount (guestfs_h *g, const struct gk_os *os,
                        const char *mount_options);
extern bool guest_is (const struct guest *gu, enum op_guests which);
/* Whether the appliance's device DEV (a disk, partition, MD device, LV
 * or LUKS mapping) or the VG named VG is the guest's (always true
 * without --per-disk).
 */
extern bool guest_owns_device (const struct guest *gu, const char *dev);
/* Which span of D holds DEV, or -1. */
extern ssize_t disk_owner_of (guestfs_h *g, const struct disk_owners *d,
                              const char *dev);
extern bool guest_owns_vg (const struct guest *gu, const char *vg);
/* Remove what each glob matches (MODE: files only or trees). */
extern int remove_globs (guestfs_h *g, const char *const *globs,
                         enum op_remove mode);
/* Paths matching GLOB (caller frees), NULL after reporting. */
extern char **guest_glob (guestfs_h *g, const char *glob);
/* Quiet probes: no libguestfs error printed, false on any failure. */
extern bool guest_is_file (guestfs_h *g, const char *path);
extern bool guest_is_dir (guestfs_h *g, const char *path);
extern bool guest_exists (guestfs_h *g, const char *path);
/* A file's content (caller frees) or NULL, quietly. */
extern char *guest_read (guestfs_h *g, const char *path, size_t *size);
/* Write and report; 0 or -1. */
extern int guest_write (guestfs_h *g, const char *path, const char *data,
                        size_t size);
/* Rewrite PATH without the lines (each with its newline) for which
 * DROP returns true; the file is not written when nothing is dropped.
 * Returns the number of lines dropped, or -1 after reporting.
 */
extern int guest_drop_lines (guestfs_h *g, const char *path,
                             bool (*drop) (const char *line, size_t len,
                                           void *opaque),
                             void *opaque);
/* libguestfs call results that report once: R == -1 → error line. */
extern int guest_check (guestfs_h *g, int r, const char *what);

/* ------------------------------------------------------------------ */
/* ops-*.c: the operations with functions of their own. */

extern int op_cron_spool (struct guest *gu);
extern int op_customize (struct guest *gu);
extern int op_flag_reconfiguration (struct guest *gu);
extern int op_fs_uuids (struct guest *gu);
extern int op_kerberos_data (struct guest *gu);
extern int op_lvm_uuids (struct guest *gu);
extern int op_machine_id (struct guest *gu);
extern int op_net_hostname (struct guest *gu);
extern int op_net_hwaddr (struct guest *gu);
extern int op_pacct_log (struct guest *gu);
extern int op_package_manager_cache (struct guest *gu);
extern int op_ca_certificates (struct guest *gu);
extern int op_script (struct guest *gu);
extern int op_ssh_hostkeys (struct guest *gu);
extern int op_user_account (struct guest *gu);
extern int op_backup_files (struct guest *gu);
extern int op_blkid_tab (struct guest *gu);

/* ops-random-seed.c: 0, or -1 after a warning that it could not. */
extern int write_random_seed (struct guest *gu);

/* ------------------------------------------------------------------ */
/* firstboot.c: install the firstboot service (once) and add SCRIPT as
 * the next script named NAME.  Returns 0 or -1 after reporting.
 */
extern int firstboot_add (struct guest *gu, const char *name,
                          const char *script, size_t len);

/* ------------------------------------------------------------------ */
/* password.c */

enum password_kind {
  PASSWORD_SET,                 /* password:STR or file:FILE */
  PASSWORD_RANDOM,
  PASSWORD_DISABLED,            /* no password login ("*") */
};

struct password_selector {
  enum password_kind kind;
  bool locked;                  /* locked:... ("!" before the hash) */
  char *password;               /* PASSWORD_SET: the cleartext */
};

/* Parse SELECTOR (reading file: files).  Returns 0, or -1 with
 * *ERRMSG.  Pure but for file:.
 */
extern int password_parse_selector (const char *selector,
                                    struct password_selector *ps,
                                    char **errmsg);
extern void password_selector_free (struct password_selector *ps);
/* The crypt(3) setting prefix for CRYPTO ("md5", "sha256", "sha512",
 * "yescrypt"), or NULL if unknown.
 */
extern const char *password_crypto_prefix (const char *crypto);
/* --ssh-inject's SELECTOR: "file:PATH", "string:KEY", or NULL for the
 * caller's own ~/.ssh/id_{ed25519,ecdsa,rsa}.pub.  Returns the key (one
 * line, caller frees), or NULL with *ERRMSG.
 */
extern char *ssh_key_from_selector (const char *selector, char **errmsg);
/* Set USER's password in GU's /etc/shadow.  Returns 0 or -1. */
extern int password_set (struct guest *gu, const char *user,
                         const struct password_selector *ps,
                         const char *crypto);

/* ------------------------------------------------------------------ */
/* edit.c: s/REGEX/REPLACEMENT/FLAGS. */

struct edit_expr;
/* Compile EXPR.  Returns the compiled expression, or NULL with
 * *ERRMSG.
 */
extern struct edit_expr *edit_compile (const char *expr, char **errmsg);
/* Apply to IN (LEN bytes); returns the new text (caller frees) with
 * *OUTLEN, or NULL with *ERRMSG.
 */
extern char *edit_apply (const struct edit_expr *e, const char *in,
                         size_t len, size_t *outlen, char **errmsg);
extern void edit_free (struct edit_expr *e);

#endif /* GUESTKIT_SYSPREP_H */
