/* guestkit: turning what qemu-img and qemu-nbd print on stderr into
 * the one line a user needs.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diskio/image-internal.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"

bool
gk_is_uri (const char *path)
{
  return strstr (path, "://") != NULL;
}

/* A temporary file for one child's stderr. */
char *
gk_qemu_errfile (const char *what)
{
  static unsigned counter;

  return xasprintf ("%s/%s-%u.err", gk_tmpdir (), what, ++counter);
}

char *
gk_read_small_file (const char *path)
{
  CLEANUP_FCLOSE FILE *fp = fopen (path, "r");
  char *text;
  size_t n;

  if (fp == NULL)
    return xstrdup ("");
  text = xmalloc (8192);
  n = fread (text, 1, 8191, fp);
  text[n] = '\0';
  return text;
}

/* Drop "PREFIX 'anything': " from the front of *MSG. */
static bool
strip_quoted_prefix (const char **msg, const char *prefix)
{
  const char *p = *msg;
  size_t len = strlen (prefix);

  if (strncmp (p, prefix, len) != 0 || p[len] != '\'')
    return false;
  p = strstr (p + len + 1, "': ");
  if (p == NULL)
    return false;
  *msg = p + 3;
  return true;
}

/* Condense what qemu-img or qemu-nbd wrote on stderr into the part a
 * user needs: the last line qemu itself prefixed, minus the program
 * name and the "Could not open 'PATH': " repetitions (our message
 * already names the image).  NULL if nothing was said.
 */
char *
gk_qemu_message (const char *text)
{
  CLEANUP_FREE_STRING_LIST char **lines = gk_split_string ('\n', text);
  const char *best = NULL;
  const char *msg;
  size_t n;

  if (strstr (text, "Failed to get") && strstr (text, "lock"))
    return xstrdup ("the image is in use by another program "
                    "(qemu could not lock it)");
  for (size_t i = 0; lines[i]; ++i) {
    if (STRPREFIX (lines[i], "qemu-nbd: ") ||
        STRPREFIX (lines[i], "qemu-img: "))
      best = lines[i];
    else if (best == NULL && lines[i][0] != '\0')
      best = lines[i];
  }
  if (best == NULL)
    return NULL;
  msg = best;
  if (STRPREFIX (msg, "qemu-nbd: ") || STRPREFIX (msg, "qemu-img: "))
    msg += 10;
  while (strip_quoted_prefix (&msg, "Failed to blk_new_open ") ||
         strip_quoted_prefix (&msg, "Could not open "))
    ;
  n = strlen (msg);
  while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == '\r'))
    n--;
  return n > 0 ? xstrndup (msg, n) : NULL;
}
