/* guestkit: is a path a FUSE mount, and unmounting it (see
 * fuse-unmount.h).
 */
#include <config.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/exec.h"
#include "utils/fuse-unmount.h"
#include "utils/messages.h"
#include "utils/string-list.h"

char *
gk_mountpoint_canonical (const char *path)
{
  CLEANUP_FREE char *dcopy = xstrdup (path);
  CLEANUP_FREE char *bcopy = xstrdup (path);
  CLEANUP_FREE char *dir = NULL;
  const char *base;
  char *p = realpath (path, NULL);

  if (p)
    return p;
  /* A dead FUSE mount cannot be stat'ed, but its parent can. */
  dir = realpath (dirname (dcopy), NULL);
  if (dir == NULL)
    return NULL;
  base = basename (bcopy);
  if (STREQ (base, ".") || STREQ (base, "..") || STREQ (base, "/"))
    return NULL;
  return xasprintf ("%s/%s", STREQ (dir, "/") ? "" : dir, base);
}

/* mountinfo escapes blanks, newlines and backslashes as \ooo. */
static void
unescape (char *s)
{
  char *out = s;

  while (*s) {
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' &&
        s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
      *out++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
      s += 4;
    }
    else
      *out++ = *s++;
  }
  *out = '\0';
}

int
gk_fuse_mounted (const char *cpath)
{
  CLEANUP_FCLOSE FILE *fp = fopen ("/proc/self/mountinfo", "re");
  CLEANUP_FREE char *line = NULL;
  size_t n = 0;
  int r = 0;

  if (fp == NULL)
    return 0;
  /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE SRC SOPTS.
   * The last entry for a path is the one on top.
   */
  while (getline (&line, &n, fp) != -1) {
    char *fields[5], *save = NULL, *tok, *sep;
    size_t i = 0;

    sep = strstr (line, " - ");
    if (sep == NULL)
      continue;
    *sep = '\0';
    for (tok = strtok_r (line, " ", &save); tok && i < 5;
         tok = strtok_r (NULL, " ", &save))
      fields[i++] = tok;
    if (i < 5)
      continue;
    unescape (fields[4]);
    if (STRNEQ (fields[4], cpath))
      continue;
    tok = strtok_r (sep + 3, " ", &save);
    r = tok && (STREQ (tok, "fuse") || STREQ (tok, "fuseblk") ||
                STRPREFIX (tok, "fuse.")) ? 1 : 2;
  }
  return r;
}

static enum gk_unmount_result
unmount_as_root (const char *cpath, bool lazy, char **errmsg)
{
  if (umount2 (cpath, (lazy ? MNT_DETACH : 0) | UMOUNT_NOFOLLOW) == 0)
    return GK_UNMOUNT_OK;
  if (errno == EBUSY)
    return GK_UNMOUNT_BUSY;
  if (errno == EINVAL)
    return GK_UNMOUNT_NOT_MOUNTED;
  *errmsg = xstrdup (strerror (errno));
  return GK_UNMOUNT_FAILED;
}

/* fusermount3 (FUSE 3) or fusermount (FUSE 2): either unmounts any
 * FUSE mount its user made.
 */
static enum gk_unmount_result
unmount_with_fusermount (const char *cpath, bool lazy, char **errmsg)
{
  static const char *const helpers[] = { "fusermount3", "fusermount" };

  for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; ++i) {
    const char *argv[] = { helpers[i], "-u", "-q", lazy ? "-z" : cpath,
                           lazy ? cpath : NULL, NULL };
    const struct gk_command cmd = { .argv = argv };
    struct gk_command_result res;

    if (gk_command_run (&cmd, &res) == -1) {
      *errmsg = xstrdup ("could not run fusermount");
      return GK_UNMOUNT_FAILED;
    }
    if (gk_command_exited (&res, 127))
      continue;                 /* not installed: try the other */
    if (gk_command_exited (&res, 0))
      return GK_UNMOUNT_OK;
    /* fusermount says why only in words: ask the kernel's table. */
    switch (gk_fuse_mounted (cpath)) {
    case 0: return GK_UNMOUNT_NOT_MOUNTED;
    case 1: return GK_UNMOUNT_BUSY;
    default:
      *errmsg = xstrdup ("not a FUSE filesystem");
      return GK_UNMOUNT_FAILED;
    }
  }
  *errmsg = xstrdup ("fusermount is not installed (Debian package fuse3)");
  return GK_UNMOUNT_FAILED;
}

enum gk_unmount_result
gk_fuse_unmount (const char *cpath, bool lazy, char **errmsg)
{
  *errmsg = NULL;
  switch (gk_fuse_mounted (cpath)) {
  case 0: return GK_UNMOUNT_NOT_MOUNTED;
  case 2:
    *errmsg = xstrdup ("not a FUSE filesystem: not unmounting it");
    return GK_UNMOUNT_FAILED;
  }
  if (geteuid () == 0)
    return unmount_as_root (cpath, lazy, errmsg);
  return unmount_with_fusermount (cpath, lazy, errmsg);
}

enum gk_unmount_result
gk_fuse_unmount_retrying (const char *cpath,
                          const struct gk_unmount_retries *how,
                          char **errmsg)
{
  unsigned delay = how->delay_ms;
  enum gk_unmount_result r;

  for (unsigned i = 0; ; ++i) {
    r = gk_fuse_unmount (cpath, false, errmsg);
    if (r != GK_UNMOUNT_BUSY || i >= how->retries)
      break;
    if (delay % 1000 == 0)
      gk_debug ("%s is busy: trying again in %u s", cpath, delay / 1000);
    else
      gk_debug ("%s is busy: trying again in %u ms", cpath, delay);
    usleep (delay % 1000 * 1000);
    sleep (delay / 1000);
    if (how->backoff)
      delay = delay * 2 > 64000 ? 64000 : delay * 2;
  }
  if (r == GK_UNMOUNT_BUSY && how->detach) {
    /* Open files keep it: detached, it goes when they are closed. */
    gk_debug ("%s is busy: detaching it", cpath);
    r = gk_fuse_unmount (cpath, true, errmsg);
  }
  return r;
}
