/* guestkit: the functions behind the CLEANUP_* attributes. */
#include <config.h>

#include <stdlib.h>
#include <unistd.h>

#include "utils/cleanups.h"
#include "utils/string-list.h"

void
gk_cleanup_free (void *ptr)
{
  free (*(void **) ptr);
}

void
gk_cleanup_free_string_list (void *ptr)
{
  gk_free_string_list (*(char ***) ptr);
}

void
gk_cleanup_close (void *ptr)
{
  int fd = *(int *) ptr;

  if (fd >= 0)
    close (fd);
}

void
gk_cleanup_fclose (void *ptr)
{
  FILE *fp = *(FILE **) ptr;

  if (fp)
    fclose (fp);
}

