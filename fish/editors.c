/* guestfish: edit (vi, emacs), more (less), display and hexedit: a
 * guest file handed to a program on the host (fish.h).
 *
 * Each downloads the file (or a byte range of it) into a private
 * temporary file, runs the program the user chose ($EDITOR, $PAGER,
 * $GUESTFISH_DISPLAY_IMAGE, $HEXEDITOR: a shell command, as upstream,
 * so "emacs -nw" works) on it, and removes it on every path; the
 * directory holding it (gk_tmpdir) goes at exit and on signals too.
 *
 * The editors write back only what changed, compared byte for byte
 * with a pristine copy, so an editor that saves without a change (or
 * only touches the file) writes nothing to the guest.  edit replaces
 * the file as upstream does: the new content is uploaded under a random
 * name in the same guest directory, given the old file's owner, mode
 * and extended attributes (SELinux label), then renamed over it, so a
 * failed upload never leaves a half-written file.  hexedit writes only
 * the changed byte ranges in place (pwrite, or pwrite-device for a
 * device): a device or a huge file is never rewritten whole.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/messages.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "args.h"
#include "fish.h"

/* hexedit without a range refuses more than this, as upstream. */
#define HEXEDIT_MAX_WHOLE (16 * 1024 * 1024)
/* The largest piece written with one pwrite call: well under the
 * libguestfs message limit.
 */
#define WRITE_CHUNK (1024 * 1024)

/* A host temporary file, removed when it goes out of scope. */
struct tmpfile {
  char *path;
};

static void
tmpfile_cleanup (struct tmpfile *t)
{
  if (t->path) {
    unlink (t->path);
    free (t->path);
    t->path = NULL;
  }
}

#define CLEANUP_TMPFILE __attribute__ ((cleanup (tmpfile_cleanup)))

/* A new empty file in the private temporary directory.  Its name ends
 * with the guest file's base name when that is a plain one, so an
 * editor can pick its syntax from it.
 */
static int
tmpfile_make (struct tmpfile *t, const char *what, const char *guest_path)
{
  const char *base = strrchr (guest_path, '/');
  size_t suffix = 0;
  int fd;

  base = base ? base + 1 : guest_path;
  if (*base && strlen (base) < 64 &&
      strspn (base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
              "0123456789._-") == strlen (base)) {
    t->path = xasprintf ("%s/%s-XXXXXX-%s", gk_tmpdir (), what, base);
    suffix = strlen (base) + 1;
  }
  else
    t->path = xasprintf ("%s/%s-XXXXXX", gk_tmpdir (), what);
  fd = mkstemps (t->path, suffix);
  if (fd == -1) {
    fish_error ("%s: %s", t->path, strerror (errno));
    free (t->path);
    t->path = NULL;
    return -1;
  }
  close (fd);
  return 0;
}

/* PATH in single quotes for the shell, each ' written '\''. */
static char *
shell_quote (const char *path)
{
  char *q = xmalloc (strlen (path) * 4 + 3), *o = q;

  *o++ = '\'';
  for (const char *p = path; *p; p++) {
    if (*p == '\'') {
      memcpy (o, "'\\''", 4);
      o += 4;
    }
    else
      *o++ = *p;
  }
  *o++ = '\'';
  *o = '\0';
  return q;
}

/* Run the shell command PROGRAM with PATH after it, on the terminal.
 * 0, or -1 after an error if it failed (CMD is the guestfish command,
 * WRITES_BACK whether its failure means nothing is written).
 */
static int
run_program (const char *cmd, const char *program, const char *path,
             bool writes_back)
{
  CLEANUP_FREE char *quoted = shell_quote (path);
  CLEANUP_FREE char *line = xasprintf ("%s %s", program, quoted);
  int status;

  if (gk_verbose)
    fprintf (stderr, "%s\n", line);
  fflush (stdout);
  status = system (line);
  if (status == -1) {
    fish_error ("%s: %s: %s", cmd, program, strerror (errno));
    return -1;
  }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  if (WIFEXITED (status))
    fish_error ("%s: ‘%s’ failed (exit status %d)%s", cmd, program,
                WEXITSTATUS (status),
                writes_back ? ": nothing was written back" : "");
  else
    fish_error ("%s: ‘%s’ was killed by signal %d%s", cmd, program,
                WTERMSIG (status),
                writes_back ? ": nothing was written back" : "");
  return -1;
}

/* Copy the host file SRC to DST (a pristine copy to compare with). */
static int
copy_file (const char *src, const char *dst)
{
  CLEANUP_CLOSE int in = open (src, O_RDONLY | O_CLOEXEC);
  CLEANUP_CLOSE int out = -1;
  char buf[65536];
  ssize_t n;

  if (in == -1) {
    fish_error ("%s: %s", src, strerror (errno));
    return -1;
  }
  out = open (dst, O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (out == -1) {
    fish_error ("%s: %s", dst, strerror (errno));
    return -1;
  }
  while ((n = read (in, buf, sizeof buf)) > 0) {
    for (ssize_t done = 0, w; done < n; done += w) {
      w = write (out, buf + done, n - done);
      if (w == -1) {
        fish_error ("%s: %s", dst, strerror (errno));
        return -1;
      }
    }
  }
  if (n == -1) {
    fish_error ("%s: %s", src, strerror (errno));
    return -1;
  }
  return 0;
}

/* read() until LEN bytes or the end of the file. */
static ssize_t
read_full (int fd, char *buf, size_t len)
{
  size_t got = 0;

  while (got < len) {
    ssize_t n = read (fd, buf + got, len - got);

    if (n == -1 && errno == EINTR)
      continue;
    if (n == -1)
      return -1;
    if (n == 0)
      break;
    got += n;
  }
  return got;
}

/* 1 if the host files A and B differ, 0 if they are the same, -1 on
 * error.
 */
static int
files_differ (const char *a, const char *b)
{
  CLEANUP_CLOSE int fa = open (a, O_RDONLY | O_CLOEXEC);
  CLEANUP_CLOSE int fb = open (b, O_RDONLY | O_CLOEXEC);
  char ba[65536], bb[65536];

  if (fa == -1 || fb == -1) {
    fish_error ("%s: %s", fa == -1 ? a : b, strerror (errno));
    return -1;
  }
  for (;;) {
    ssize_t na = read_full (fa, ba, sizeof ba);
    ssize_t nb = read_full (fb, bb, sizeof bb);

    if (na == -1 || nb == -1) {
      fish_error ("%s: %s", na == -1 ? a : b, strerror (errno));
      return -1;
    }
    if (na != nb || memcmp (ba, bb, na) != 0)
      return 1;
    if (na == 0)
      return 0;
  }
}

/* ---- edit, vi, emacs ---- */

/* A name in the same directory as PATH, unlikely to exist. */
static char *
random_sibling (const char *path)
{
  static const char chars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const char *slash = strrchr (path, '/');
  unsigned char rnd[12];
  char name[sizeof rnd + 1];

  if (getrandom (rnd, sizeof rnd, 0) != (ssize_t) sizeof rnd)
    for (size_t i = 0; i < sizeof rnd; ++i)
      rnd[i] = (unsigned char) (random () ^ getpid ());
  for (size_t i = 0; i < sizeof rnd; ++i)
    name[i] = chars[rnd[i] % (sizeof chars - 1)];
  name[sizeof rnd] = '\0';
  return xasprintf ("%.*s.guestfish-%s", (int) (slash - path + 1), path,
                    name);
}

/* Replace the guest file PATH by the host file LOCAL, keeping its
 * owner, mode and extended attributes.
 */
static int
write_back (const char *path, const char *local)
{
  CLEANUP_FREE char *real = NULL, *newname = NULL;

  /* A symbolic link stays one: its target gets the new content. */
  real = guestfs_realpath (fish.g, path);
  if (real == NULL)
    return -1;
  newname = random_sibling (real);
  if (guestfs_upload (fish.g, local, newname) == -1 ||
      guestfs_copy_attributes (fish.g, real, newname,
                               GUESTFS_COPY_ATTRIBUTES_ALL, 1, -1) == -1 ||
      guestfs_mv (fish.g, newname, real) == -1) {
    /* The file itself is intact: leave no stray copy beside it. */
    guestfs_push_error_handler (fish.g, NULL, NULL);
    guestfs_rm_f (fish.g, newname);
    guestfs_pop_error_handler (fish.g);
    return -1;
  }
  return 0;
}

int
fish_edit (char *const *words)
{
  CLEANUP_TMPFILE struct tmpfile work = { NULL }, orig = { NULL };
  const char *cmd = words[0], *editor;
  int r;

  if (fish_check_argc (words, 1, 1) == -1)
    return -1;
  if (STREQ (cmd, "vi"))
    editor = "vi";
  else if (STREQ (cmd, "emacs"))
    editor = "emacs -nw";
  else {
    editor = getenv ("EDITOR");
    if (editor == NULL || *editor == '\0')
      editor = "vi";
  }

  if (tmpfile_make (&work, "edit", words[1]) == -1 ||
      tmpfile_make (&orig, "orig", "") == -1)
    return -1;
  if (guestfs_download (fish.g, words[1], work.path) == -1)
    return -1;
  if (copy_file (work.path, orig.path) == -1)
    return -1;
  if (run_program (cmd, editor, work.path, true) == -1)
    return -1;
  r = files_differ (orig.path, work.path);
  if (r <= 0)
    return r;
  return write_back (words[1], work.path);
}

/* ---- more, less, display ---- */

/* Download PATH and run PROGRAM on the copy. */
static int
view (const char *cmd, const char *program, const char *path)
{
  CLEANUP_TMPFILE struct tmpfile t = { NULL };

  if (tmpfile_make (&t, cmd, path) == -1)
    return -1;
  if (guestfs_download (fish.g, path, t.path) == -1)
    return -1;
  return run_program (cmd, program, t.path, false);
}

int
fish_more (char *const *words)
{
  const char *pager;

  if (fish_check_argc (words, 1, 1) == -1)
    return -1;
  if (STREQ (words[0], "less"))
    pager = "less";
  else {
    pager = getenv ("PAGER");
    if (pager == NULL || *pager == '\0')
      pager = "more";
  }
  return view (words[0], pager, words[1]);
}

int
fish_display (char *const *words)
{
  const char *display = getenv ("GUESTFISH_DISPLAY_IMAGE");

  if (fish_check_argc (words, 1, 1) == -1)
    return -1;
  if (display == NULL || *display == '\0')
    display = "display";
  return view (words[0], display, words[1]);
}

/* ---- hexedit ---- */

/* Write LEN bytes of the host file FD at OFFSET to the guest file or
 * device PATH at BASE + OFFSET.
 */
static int
write_range (const char *path, bool device, int fd, int64_t base,
             int64_t offset, int64_t len)
{
  CLEANUP_FREE char *buf = xmalloc (WRITE_CHUNK);

  while (len > 0) {
    size_t want = len < WRITE_CHUNK ? (size_t) len : WRITE_CHUNK;
    ssize_t n = pread (fd, buf, want, offset);

    if (n <= 0) {
      fish_error ("hexedit: reading the edited copy: %s",
                  n == 0 ? "unexpected end of file" : strerror (errno));
      return -1;
    }
    for (ssize_t done = 0; done < n; ) {
      int w = device ?
        guestfs_pwrite_device (fish.g, path, buf + done, n - done,
                               base + offset + done) :
        guestfs_pwrite (fish.g, path, buf + done, n - done,
                        base + offset + done);

      if (w == -1)
        return -1;
      if (w == 0) {
        fish_error ("hexedit: %s: nothing could be written at %" PRIi64,
                    path, base + offset + done);
        return -1;
      }
      done += w;
    }
    offset += n;
    len -= n;
  }
  return 0;
}

/* Write back the bytes of EDITED that differ from ORIG: runs of
 * changes less than a block apart are written together.  Bytes added
 * at the end are written only where MAY_GROW (the range ends at the end
 * of a file): elsewhere they would land on bytes the user never saw.
 */
static int
write_changes (const char *path, bool device, int64_t start,
               const char *orig, const char *edited, bool may_grow)
{
  CLEANUP_CLOSE int fo = open (orig, O_RDONLY | O_CLOEXEC);
  CLEANUP_CLOSE int fn = open (edited, O_RDONLY | O_CLOEXEC);
  enum { BLOCK = 65536 };
  CLEANUP_FREE char *bo = xmalloc (BLOCK), *bn = xmalloc (BLOCK);
  int64_t off = 0, run_start = -1, run_end = -1;
  struct stat so, sn;

  if (fo == -1 || fn == -1 || fstat (fo, &so) == -1 ||
      fstat (fn, &sn) == -1) {
    fish_error ("hexedit: %s", strerror (errno));
    return -1;
  }
  if (sn.st_size > so.st_size && !may_grow) {
    fish_error ("hexedit: the edited copy is longer than the range "
                "(%" PRIi64 " bytes from %" PRIi64 "): nothing was written "
                "back", (int64_t) so.st_size, start);
    return -1;
  }
  if (sn.st_size < so.st_size)
    gk_warning ("hexedit: the edited copy is shorter: the bytes after "
                "offset %" PRIi64 " are left as they were",
                start + (int64_t) sn.st_size);
  for (;;) {
    ssize_t no = read_full (fo, bo, BLOCK);
    ssize_t nn = read_full (fn, bn, BLOCK);
    ssize_t first = -1, last = -1;

    if (no == -1 || nn == -1) {
      fish_error ("hexedit: %s", strerror (errno));
      return -1;
    }
    if (nn == 0)
      break;
    for (ssize_t i = 0; i < nn; ++i)
      if (i >= no || bo[i] != bn[i]) {
        if (first == -1)
          first = i;
        last = i;
      }
    if (first != -1) {
      if (run_start != -1 && off + first - run_end > BLOCK) {
        if (write_range (path, device, fn, start, run_start,
                         run_end - run_start) == -1)
          return -1;
        run_start = -1;
      }
      if (run_start == -1)
        run_start = off + first;
      run_end = off + last + 1;
    }
    off += nn;
  }
  if (run_start != -1)
    return write_range (path, device, fn, start, run_start,
                        run_end - run_start);
  return 0;
}

int
fish_hexedit (char *const *words)
{
  CLEANUP_TMPFILE struct tmpfile work = { NULL }, orig = { NULL };
  size_t argc = gk_count_strings (words) - 1;
  const char *path = words[1], *editor = getenv ("HEXEDITOR");
  int64_t size, start = 0, max = 0;
  char *errmsg = NULL;
  bool device;
  int r;

  if (fish_check_argc (words, 1, 3) == -1)
    return -1;
  device = STRPREFIX (path, "/dev/");
  /* hexedit PATH MAX, or hexedit PATH START MAX */
  if ((argc == 2 && fish_parse_int64 (words[2], &max, &errmsg) == -1) ||
      (argc == 3 &&
       (fish_parse_int64 (words[2], &start, &errmsg) == -1 ||
        fish_parse_int64 (words[3], &max, &errmsg) == -1))) {
    fish_error ("hexedit: %s", errmsg);
    free (errmsg);
    return -1;
  }
  size = device ? guestfs_blockdev_getsize64 (fish.g, path)
    : guestfs_filesize (fish.g, path);
  if (size == -1)
    return -1;
  if (size == 0) {
    fish_error ("hexedit: %s is empty", path);
    return -1;
  }
  if (argc == 1) {
    if (size > HEXEDIT_MAX_WHOLE) {
      fish_error ("hexedit: %s is larger than 16M: give the size to edit "
                  "(hexedit %s 1M) or a range (hexedit %s START SIZE)",
                  path, path, path);
      return -1;
    }
    max = size;
  }
  if (start < 0 || start >= size || max <= 0) {
    fish_error ("hexedit: invalid range (%s is %" PRIi64 " bytes)", path,
                size);
    return -1;
  }
  if (max > size - start)
    max = size - start;
  if (editor == NULL || *editor == '\0')
    editor = "hexedit";

  if (tmpfile_make (&work, "hexedit", "") == -1 ||
      tmpfile_make (&orig, "orig", "") == -1)
    return -1;
  if (guestfs_download_offset (fish.g, path, work.path, start, max) == -1)
    return -1;
  if (copy_file (work.path, orig.path) == -1)
    return -1;
  if (run_program ("hexedit", editor, work.path, true) == -1)
    return -1;
  r = files_differ (orig.path, work.path);
  if (r <= 0)
    return r;
  return write_changes (path, device, start, orig.path, work.path,
                        !device && start + max == size);
}
