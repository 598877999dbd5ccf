/* guestkit: files that remember answers between runs (see cache-file.h). */
#include <config.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cache-file.h"
#include "utils/cleanups.h"

#define CACHE_FILE_MAX 4096

char *
gk_cache_file_read (const char *path)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  char *buf;
  struct stat st;
  ssize_t n;

  if (fd == -1 || fstat (fd, &st) == -1 || !S_ISREG (st.st_mode)
      || st.st_uid != geteuid () || (st.st_mode & (S_IWGRP | S_IWOTH)))
    return NULL;
  buf = xmalloc (CACHE_FILE_MAX + 1);
  n = read (fd, buf, CACHE_FILE_MAX);
  if (n < 0) {
    free (buf);
    return NULL;
  }
  buf[n] = '\0';
  return buf;
}

void
gk_cache_file_write (const char *path, const char *contents)
{
  CLEANUP_FREE char *tmp = xasprintf ("%s.XXXXXX", path);
  size_t len = strlen (contents);
  int fd = mkostemp (tmp, O_CLOEXEC);   /* mode 0600, a fresh name */
  bool ok;

  if (fd == -1)
    return;
  ok = write (fd, contents, len) == (ssize_t) len;
  ok = close (fd) == 0 && ok;
  /* rename replaces PATH itself, even if it is a link. */
  if (!ok || rename (tmp, path) == -1)
    unlink (tmp);
}
