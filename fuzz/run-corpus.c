/* guestkit fuzz targets without libFuzzer: replay a corpus.
 *
 * Usage: fuzz-NAME FILE|DIR...  Each file (each file of each folder) is
 * given to LLVMFuzzerTestOneInput once, as libFuzzer would with -runs=0.
 * A crash or a failed check aborts, which fails "make check"; under
 * ./configure --enable-sanitizers this also catches what ASan and UBSan
 * see.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "utils/alloc.h"

static size_t runs;

static int
run_file (const char *path)
{
  FILE *fp = fopen (path, "rb");
  uint8_t *data = NULL;
  size_t len = 0, cap = 0, n;

  if (fp == NULL) {
    perror (path);
    return -1;
  }
  do {
    if (len == cap) {
      cap = cap ? 2 * cap : 65536;
      data = xrealloc (data, cap);
    }
    n = fread (data + len, 1, cap - len, fp);
    len += n;
  } while (n > 0);
  fclose (fp);
  /* An exact-size copy, so ASan sees reads past the input. */
  {
    uint8_t *exact = xmalloc (len ? len : 1);
    memcpy (exact, data, len);
    free (data);
    LLVMFuzzerTestOneInput (exact, len);
    free (exact);
  }
  runs++;
  return 0;
}

static int
run_path (const char *path)
{
  struct stat st;
  DIR *dir;
  struct dirent *d;
  int r = 0;

  if (stat (path, &st) == -1) {
    perror (path);
    return -1;
  }
  if (!S_ISDIR (st.st_mode))
    return run_file (path);
  dir = opendir (path);
  if (dir == NULL) {
    perror (path);
    return -1;
  }
  while ((d = readdir (dir)) != NULL) {
    char *sub;

    if (d->d_name[0] == '.')
      continue;
    sub = xasprintf ("%s/%s", path, d->d_name);
    if (run_path (sub) == -1)
      r = -1;
    free (sub);
  }
  closedir (dir);
  return r;
}

int
main (int argc, char *argv[])
{
  int r = 0;

  if (argc < 2) {
    fprintf (stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; ++i)
    if (argv[i][0] != '-' && run_path (argv[i]) == -1)
      r = 1;
  printf ("%s: %zu inputs replayed\n", argv[0], runs);
  return r;
}
