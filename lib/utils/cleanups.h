/* guestkit: scope-based cleanup helpers.
 *
 * Every resource a function owns is declared with one of these, so an
 * early return cannot leak it and no function needs a goto ladder.
 */
#ifndef GUESTKIT_CLEANUPS_H
#define GUESTKIT_CLEANUPS_H

#include <stdio.h>

#define CLEANUP_FREE \
  __attribute__ ((cleanup (gk_cleanup_free)))
#define CLEANUP_FREE_STRING_LIST \
  __attribute__ ((cleanup (gk_cleanup_free_string_list)))
#define CLEANUP_CLOSE \
  __attribute__ ((cleanup (gk_cleanup_close)))
#define CLEANUP_FCLOSE \
  __attribute__ ((cleanup (gk_cleanup_fclose)))

extern void gk_cleanup_free (void *ptr);
extern void gk_cleanup_free_string_list (void *ptr);
extern void gk_cleanup_close (void *ptr);
extern void gk_cleanup_fclose (void *ptr);

#endif /* GUESTKIT_CLEANUPS_H */
