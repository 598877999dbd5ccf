/* guestkit: unit test of cache-file.c: what is written is read back,
 * and a file someone else could have written or planted is not.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utils/tap.h"
#include "utils/alloc.h"
#include "utils/cache-file.h"
#include "utils/cleanups.h"

static char dir[] = "/tmp/gktest-cache.XXXXXX";

static char *
read_target (const char *path)
{
  FILE *fp = fopen (path, "r");
  char buf[64] = "";

  if (fp) {
    if (fgets (buf, sizeof buf, fp) == NULL)
      buf[0] = '\0';
    fclose (fp);
  }
  return xstrdup (buf);
}

int
main (void)
{
  CLEANUP_FREE char *path = NULL;
  CLEANUP_FREE char *victim = NULL;
  CLEANUP_FREE char *got = NULL;
  CLEANUP_FREE char *victim_text = NULL;
  CLEANUP_FREE char *cmd = NULL;
  FILE *fp;

  if (mkdtemp (dir) == NULL) {
    perror (dir);
    return EXIT_FAILURE;
  }
  path = xasprintf ("%s/answer", dir);
  victim = xasprintf ("%s/victim", dir);

  ok (gk_cache_file_read (path) == NULL, "a missing file reads as nothing");

  gk_cache_file_write (path, "key 1\n");
  got = gk_cache_file_read (path);
  is_str (got, "key 1\n", "what was written is read back");
  free (got);

  gk_cache_file_write (path, "key 2\n");
  got = gk_cache_file_read (path);
  is_str (got, "key 2\n", "a second write replaces the first");
  free (got);

  chmod (path, 0666);
  got = gk_cache_file_read (path);
  ok (got == NULL, "a file others may write is not trusted");
  free (got);

  /* A link planted at the cache's name: not followed on reading, and
   * replaced (not written through) on writing.
   */
  fp = fopen (victim, "w");
  fputs ("precious\n", fp);
  fclose (fp);
  unlink (path);
  ok (symlink (victim, path) == 0, "a link planted at the cache's name");
  got = gk_cache_file_read (path);
  ok (got == NULL, "the link is not followed on reading");
  free (got);
  gk_cache_file_write (path, "key 3\n");
  victim_text = read_target (victim);
  is_str (victim_text, "precious\n", "the link's target is not written");
  got = gk_cache_file_read (path);
  is_str (got, "key 3\n", "the link was replaced by the answer");

  cmd = xasprintf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    return EXIT_FAILURE;
  return tap_done ();
}
