/* guestkit: the format of an image as qemu-img sees it. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "diskio/image-internal.h"
#include "diskio/format.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/exec.h"
#include "utils/messages.h"

/* The top-level "format" member of qemu-img's JSON.  Nested objects
 * (backing images, format-specific data) are skipped by depth.
 */
static char *
json_top_level_format (const char *json)
{
  int depth = 0;
  const char *p = json;

  while (*p) {
    if (*p == '"') {
      const char *start = ++p;
      const char *end;

      while (*p && *p != '"') {
        if (*p == '\\' && p[1])
          p++;
        p++;
      }
      if (*p == '\0')
        return NULL;
      end = p++;
      if (depth == 1 && end - start == 6 && memcmp (start, "format", 6) == 0) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
          p++;
        if (*p != ':')
          continue;
        p++;
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
          p++;
        if (*p != '"')
          return NULL;
        start = ++p;
        /* Format names never contain escapes. */
        while (*p && *p != '"' && *p != '\\')
          p++;
        if (*p != '"')
          return NULL;
        return xstrndup (start, p - start);
      }
      continue;
    }
    if (*p == '{' || *p == '[')
      depth++;
    else if (*p == '}' || *p == ']')
      depth--;
    p++;
  }
  return NULL;
}

char *
gk_image_detect_format (const char *path)
{
  CLEANUP_FREE char *errfile = NULL;
  CLEANUP_FREE char *errtext = NULL;
  CLEANUP_FREE char *msg = NULL;
  struct stat st;
  struct gk_command_result result;
  CLEANUP_FREE char *out = NULL;
  char *format;

  /* "-U": only the header is read, and an image in use deserves the
   * clearer error gk_image_open gives.
   */
  const char *argv[] = { QEMU_IMG, "info", "-U", "--output=json", path,
                         NULL };
  struct gk_command cmd = { .argv = argv, .capture_stdout = true };

  if (!gk_is_uri (path) && stat (path, &st) == -1) {
    gk_error_noexit ("%s: %s", path, strerror (errno));
    return NULL;
  }
  errfile = gk_qemu_errfile ("qemu-img");
  cmd.stderr_path = errfile;
  if (gk_command_run (&cmd, &result) == -1)
    return NULL;
  out = result.output;
  errtext = gk_read_small_file (errfile);
  unlink (errfile);
  if (!gk_command_exited (&result, 0)) {
    msg = gk_qemu_message (errtext);
    gk_error_noexit ("%s: %s", path,
                     msg ? msg : "qemu-img cannot read this image");
    return NULL;
  }
  format = json_top_level_format (out);
  if (format == NULL)
    gk_error_noexit ("%s: could not find the image format in the output "
                     "of qemu-img info", path);
  return format;
}
