/* guestkit test harness: what the image builders share.
 *
 * The builders link only libguestfs (not libguestkit), so a test image
 * can be made before, and independently of, the library under test.
 * Hence these few scope-cleanup helpers of their own.
 */
#ifndef GUESTKIT_MKIMAGE_COMMON_H
#define GUESTKIT_MKIMAGE_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

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

/* Progress with elapsed seconds, so slow steps under TCG show up in
 * the test logs.
 */
static inline void __attribute__ ((format (printf, 1, 2)))
mk_step (const char *fs, ...)
{
  static time_t start;
  va_list args;

  if (start == 0)
    start = time (NULL);
  fprintf (stderr, "[%4lds] ", (long) (time (NULL) - start));
  va_start (args, fs);
  vfprintf (stderr, fs, args);
  va_end (args);
  fputc ('\n', stderr);
}

/* An appliance handle with one raw disk, launched. */
static inline guestfs_h *
mk_launch (const char *disk, int readonly)
{
  guestfs_h *g = guestfs_create ();

  CHECK_PTR (g);
  CHECK (guestfs_add_drive_opts (g, disk,
                                 GUESTFS_ADD_DRIVE_OPTS_FORMAT, "raw",
                                 GUESTFS_ADD_DRIVE_OPTS_READONLY, readonly,
                                 -1));
  mk_step ("launching the appliance");
  CHECK (guestfs_launch (g));
  return g;
}

#endif /* GUESTKIT_MKIMAGE_COMMON_H */
