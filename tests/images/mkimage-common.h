/* guestkit test harness: what the test image builders and the other
 * test programs (check-guest, launch-once) share.
 *
 * They link only libguestfs (not libguestkit), so a test image can be
 * made before, and independently of, the library under test.  Hence
 * these few scope-cleanup helpers of their own.
 *
 * The static inline helpers need nothing else; the functions declared
 * at the end live in mkimage-common.c, which a program links only if it
 * uses them.
 */
#ifndef GUESTKIT_MKIMAGE_COMMON_H
#define GUESTKIT_MKIMAGE_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <guestfs.h>

static inline void
mk_cleanup_free (void *ptr)
{
  free (*(void **) ptr);
}

static inline void
mk_cleanup_free_string_list (void *ptr)
{
  char **list = *(char ***) ptr;
  size_t i;

  if (list == NULL)
    return;
  for (i = 0; list[i] != NULL; ++i)
    free (list[i]);
  free (list);
}

static inline void
mk_cleanup_guestfs_close (void *ptr)
{
  guestfs_h *g = *(guestfs_h **) ptr;

  if (g != NULL)
    guestfs_close (g);
}

#define MK_CLEANUP_FREE __attribute__ ((cleanup (mk_cleanup_free)))
#define MK_CLEANUP_FREE_STRING_LIST \
  __attribute__ ((cleanup (mk_cleanup_free_string_list)))
#define MK_CLEANUP_GUESTFS_CLOSE \
  __attribute__ ((cleanup (mk_cleanup_guestfs_close)))

/* libguestfs has already printed the error through its handler, so a
 * failed call just needs to stop the builder.
 */
#define CHECK(expr)                                                     \
  do {                                                                  \
    if ((expr) == -1) {                                                 \
      fprintf (stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #expr); \
      exit (EXIT_FAILURE);                                              \
    }                                                                   \
  } while (0)
#define CHECK_PTR(expr)                                                 \
  do {                                                                  \
    if ((expr) == NULL) {                                               \
      fprintf (stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #expr); \
      exit (EXIT_FAILURE);                                              \
    }                                                                   \
  } while (0)

/* ------------------------------------------------------------------
 * mkimage-common.c
 */

/* Progress with elapsed seconds since the first step, so slow steps
 * under TCG show up in the test logs.
 */
extern void mk_step (const char *fs, ...)
  __attribute__ ((format (printf, 1, 2)));

/* Create OUTPUT (FORMAT, SIZE bytes, sparse), add it read-write and
 * launch the appliance on it.
 */
extern guestfs_h *mk_create_and_launch (const char *output,
                                        const char *format, int64_t size);

/* Write CONTENT (a string) to PATH in the appliance's filesystem. */
extern void mk_write_file (guestfs_h *g, const char *path,
                           const char *content);

/* Mount DEVICE read-only on /, print its statvfs line to FP, unmount:
 *   CANONICAL-DEVICE<TAB>bsize<TAB>frsize<TAB>blocks<TAB>bfree<TAB>bavail
 *                   <TAB>files<TAB>ffree
 * the figures virt-df must print for it.
 */
extern void mk_print_statvfs (guestfs_h *g, FILE *fp, const char *device);

/* The Debian guests (mkimage-debian, mkimage-debian-lvm): the steps
 * that do not depend on the disk layout.  The guest's root filesystem
 * is mounted on / in the appliance.
 */

/* /etc/fstab (FSTAB), the hostname, /etc/hosts, GRUB's defaults (serial
 * console, no menu) and the unit that prints GUESTKIT-BOOT-OK on ttyS0
 * once multi-user is reached.
 */
extern void mk_debian_configure (guestfs_h *g, const char *hostname,
                                 const char *fstab);

/* The files of known content every Debian guest carries under DIR
 * (hello.txt, a fill pattern, incompressible data, a sparse file).
 */
extern void mk_debian_add_data (guestfs_h *g, const char *dir);

/* Known, incompressible content: SIZE bytes from SEED, the same on
 * every build.
 */
extern void mk_upload_random (guestfs_h *g, const char *path, size_t size,
                              uint64_t seed);

/* MANIFEST gets "PATH<TAB>SHA256" for every file in each of DIRS
 * (NULL-terminated), so later tests can check the data survived.
 */
extern void mk_write_manifest (guestfs_h *g, const char *manifest,
                               const char *const *dirs);

/* Install GRUB into the MBR of /dev/sda with the guest's own
 * grub-install, and fail unless grub.cfg passes the kernel ROOT_ARG
 * (e.g. "root=UUID=") and the serial console.
 */
extern void mk_debian_install_grub (guestfs_h *g, const char *root_arg);

#endif /* GUESTKIT_MKIMAGE_COMMON_H */
