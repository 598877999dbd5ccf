/* guestfish: FileIn arguments (fish.h).  "-" is stdin; "-<<END" is a
 * here-document: the lines that follow the command, up to a line that
 * is END, go into a temporary file that is uploaded and then removed.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "fish.h"

static char *heredoc_path;

const char *
fish_file_in (const char *word, char **errmsg)
{
  const char *end;
  CLEANUP_FREE char *line = NULL;
  size_t n = 0;
  ssize_t len;
  FILE *fp;
  bool found = false;

  if (STREQ (word, "-"))
    return "/dev/stdin";
  if (!STRPREFIX (word, "-<<"))
    return word;
  end = word + 3;
  if (*end == '\0') {
    *errmsg = xstrdup ("-<< must be followed by the word that ends the "
                       "here-document");
    return NULL;
  }
  fish_file_in_done ();
  heredoc_path = xasprintf ("%s/heredoc", gk_tmpdir ());
  fp = fopen (heredoc_path, "w");
  if (fp == NULL) {
    *errmsg = xasprintf ("%s: %m", heredoc_path);
    return NULL;
  }
  while ((len = getline (&line, &n, fish.input ? fish.input : stdin)) != -1) {
    fish.lineno++;
    if (len > 0 && line[len - 1] == '\n')
      line[len - 1] = '\0';
    if (STREQ (line, end)) {
      found = true;
      break;
    }
    fprintf (fp, "%s\n", line);
  }
  if (fclose (fp) == EOF || !found) {
    *errmsg = found ? xasprintf ("%s: %m", heredoc_path)
      : xasprintf ("the here-document ended before its end word ‘%s’", end);
    return NULL;
  }
  return heredoc_path;
}

void
fish_file_in_done (void)
{
  if (heredoc_path) {
    unlink (heredoc_path);
    free (heredoc_path);
    heredoc_path = NULL;
  }
}
