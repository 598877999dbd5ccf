/* guestkit: the --machine-readable fact list of a tool.
 *
 * `TOOL --machine-readable` with nothing to work on lists what this
 * TOOL can do, in upstream's words, so scripts written for upstream keep
 * working.  Some facts (which optional filesystems the appliance
 * supports) can only be known by asking an appliance.
 */
#ifndef GUESTKIT_APPLIANCE_FACTS_H
#define GUESTKIT_APPLIANCE_FACTS_H

/* Print FACTS (NULL-terminated, in order), then each of the optional
 * filesystems named in FEATURES ("ntfs", "btrfs", "xfs", "f2fs"; in the
 * order the tool's upstream prints them) that the appliance supports,
 * launching one to ask.  Exits 0.
 */
extern void gk_print_facts (const char *const *facts,
                            const char *const *features)
  __attribute__ ((noreturn));

#endif /* GUESTKIT_APPLIANCE_FACTS_H */
