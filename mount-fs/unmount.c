/* guestkit: is a path a FUSE mount, and unmounting it.
 *
 * Both tools need it: guestunmount, and guestmount-all when a signal
 * asks it to stop.  The kernel's table (/proc/self/mountinfo) is the
 * truth, so a dead mount whose process was killed ("Transport endpoint
 * is not connected": stat fails on it) is still found and removed.
 * root unmounts with umount2 directly; anybody else through fusermount,
 * the setuid helper FUSE provides for that.
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
#include "utils/string-list.h"
#include "mount-fs.h"

char *
mountpoint_canonical (const char *path)
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
fuse_mounted (const char *cpath)
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

static enum unmount_result
unmount_as_root (const char *cpath, bool lazy, char **errmsg)
{
  if (umount2 (cpath, (lazy ? MNT_DETACH : 0) | UMOUNT_NOFOLLOW) == 0)
    return UNMOUNT_OK;
  if (errno == EBUSY)
    return UNMOUNT_BUSY;
  if (errno == EINVAL)
    return UNMOUNT_NOT_MOUNTED;
  *errmsg = xstrdup (strerror (errno));
  return UNMOUNT_FAILED;
}

/* fusermount3 (FUSE 3) or fusermount (FUSE 2): either unmounts any
 * FUSE mount its user made.
 */
static enum unmount_result
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
      return UNMOUNT_FAILED;
    }
    if (gk_command_exited (&res, 127))
      continue;                 /* not installed: try the other */
    if (gk_command_exited (&res, 0))
      return UNMOUNT_OK;
    /* fusermount says why only in words: ask the kernel's table. */
    switch (fuse_mounted (cpath)) {
    case 0: return UNMOUNT_NOT_MOUNTED;
    case 1: return UNMOUNT_BUSY;
    default:
      *errmsg = xstrdup ("not a FUSE filesystem");
      return UNMOUNT_FAILED;
    }
  }
  *errmsg = xstrdup ("fusermount is not installed (Debian package fuse3)");
  return UNMOUNT_FAILED;
}

enum unmount_result
fuse_unmount (const char *cpath, bool lazy, char **errmsg)
{
  *errmsg = NULL;
  switch (fuse_mounted (cpath)) {
  case 0: return UNMOUNT_NOT_MOUNTED;
  case 2:
    *errmsg = xstrdup ("not a FUSE filesystem: not unmounting it");
    return UNMOUNT_FAILED;
  }
  if (geteuid () == 0)
    return unmount_as_root (cpath, lazy, errmsg);
  return unmount_with_fusermount (cpath, lazy, errmsg);
}
