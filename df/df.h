/* virt-df: the data shared by main.c, guests.c, batch.c and output.c. */
#ifndef VIRT_DF_H
#define VIRT_DF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <guestfs.h>

#include "libvirt/domain-xml.h"
#include "options/options.h"
#include "utils/vector.h"


/* One filesystem's figures, with the device named as the guest sees it
 * (its own first disk is /dev/sda even when it shared an appliance).
 */
struct df_row {
  char *device;
  char *type;
  struct guestfs_statvfs st;
};
DEFINE_VECTOR_TYPE (df_row_list, struct df_row);

DEFINE_VECTOR_TYPE (drive_ptr_list, const struct gk_drive *);

/* A guest: a set of disks whose filesystems are reported under one name. */
struct df_guest {
  char *name;                   /* display name */
  char *uuid;                   /* libvirt UUID, or NULL */
  bool from_libvirt_scan;       /* found by listing every domain */
  drive_ptr_list drives;        /* -a disks of this guest (borrowed) */
  struct gk_domain domain;      /* or: a libvirt domain (owned) */
  bool is_domain;

  /* Filled in by the batch runner. */
  size_t first_index;           /* index of its first disk in the appliance */
  size_t n_disks;
  df_row_list rows;
  bool done;
  bool failed;                  /* an error was reported for it */
  char *table_problem;          /* what the host's parser finds wrong
                                   with a partition table, or NULL */
};
DEFINE_VECTOR_TYPE (df_guest_list, struct df_guest);

enum df_format { FORMAT_TEXT, FORMAT_CSV, FORMAT_JSON };

struct df_settings {
  enum df_format format;
  bool human;                   /* -h */
  bool inodes;                  /* -i */
  bool uuid;                    /* --uuid */
  bool one_per_guest;           /* --one-per-guest: never share appliances */
  size_t max_threads;           /* -P, 0 = automatic */
  const struct gk_options *opts;
};

/* batch.c: fill in rows for every guest.  Returns 0, or -1 if some guest
 * failed (its error was already printed).
 */
extern int df_run (df_guest_list *guests, const struct df_settings *s);

/* tables.c: read the partition table of a local disk on the host.
 * A chain of logical partitions that loops is refused (the appliance
 * would never finish with it): returns -1 after reporting.  Other
 * damage is left to the appliance: returns 0, with what is wrong in
 * *PROBLEM (caller frees) for when nothing is found on the disk.
 */
extern int df_check_partition_table (const struct gk_drive *d,
                                     char **problem);

/* devices.c: naming devices relative to a guest's first disk. */
extern char *df_rename_device (const char *dev, size_t first_index);
/* The order of libguestfs's list_filesystems, which virt-df's rows keep:
 * whole disks, partitions (sda2 before sda10), MD devices, LVs, then
 * opened LUKS volumes.  strcmp-like.
 */
extern int df_compare_list_order (const char *a, const char *b);

/* output.c */
extern void df_print_header (FILE *fp, const struct df_settings *s);
extern void df_print_guest (FILE *fp, const struct df_guest *guest,
                            const struct df_settings *s);
extern void df_print_footer (FILE *fp, const struct df_settings *s);
extern void df_write_csv_field (FILE *fp, const char *field);

/* guests.c */
/* Every domain of the libvirt connection, sorted by name. */
extern void df_add_all_domains (df_guest_list *guests,
                                const struct gk_options *opts);
/* The command line's drives as guests: -a disks form one guest (as
 * upstream) unless PER_DISK; every -d is a guest of its own.
 */
extern void df_make_guests (df_guest_list *guests,
                            const struct gk_options *opts, bool per_disk);
extern void df_free_guests (df_guest_list *guests);
/* True if there were guests and all of them failed. */
extern bool df_all_failed (const df_guest_list *guests);

#endif /* VIRT_DF_H */
