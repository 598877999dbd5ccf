/* virt-sparsify: where the overlay of copy mode lives (--tmp), whether
 * there is room for it (--check-tmpdir), and creating it (with
 * lib/diskio/overlay.c, the overlay virt-resize uses too).
 *
 * The overlay receives every write the appliance makes, so in the worst
 * case (a filesystem that cannot discard and is zero-filled) it grows to
 * the virtual size of the source.  Upstream compares that with the free
 * space of the directory; so do we, with the same over-estimate: a
 * user who sized TMPDIR for upstream is not surprised.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "diskio/overlay.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/sizes.h"
#include "utils/string-list.h"
#include "utils/tmpfiles.h"
#include "sparsify.h"

/* A discard only zeroes whole clusters of the overlay: with qcow2's
 * default 64 KiB, a free block next to a used one keeps its old bytes.
 * 4 KiB clusters match the filesystems' blocks; their bigger mapping
 * tables only grow where the appliance writes.
 */
#define OVERLAY_OPTIONS "compat=1.1,cluster_size=4096"

int
run_qemu_img (const char *what, const char *const *argv)
{
  struct gk_command cmd = { .argv = argv };
  struct gk_command_result res = { 0 };
  CLEANUP_FREE char *errfile = xasprintf ("%s/qemu-img.err", gk_tmpdir ());
  CLEANUP_FREE char *msg = NULL;

  cmd.stderr_path = errfile;
  if (gk_command_run (&cmd, &res) == -1)
    return -1;
  free (res.output);
  if (gk_command_exited (&res, 0))
    return 0;
  /* qemu-img's own reason, on one line. */
  {
    CLEANUP_FCLOSE FILE *fp = fopen (errfile, "r");
    char line[1024] = "";

    if (fp && fgets (line, sizeof line, fp))
      msg = gk_one_line (line);
  }
  gk_error_noexit ("%s: %s", what, msg && *msg ? msg : "failed");
  return -1;
}

/* --check-tmpdir: is there room for an overlay of VIRTUAL_SIZE in DIR? */
static void
check_room (const struct sparsify_options *o, const char *dir,
            uint64_t virtual_size)
{
  struct statvfs sv;
  uint64_t free_space;

  if (o->check_tmpdir == CHECK_TMPDIR_IGNORE)
    return;
  if (statvfs (dir, &sv) == -1)
    gk_error_errno ("statvfs: %s", dir);
  free_space = (uint64_t) sv.f_bavail * sv.f_frsize;
  if (free_space >= virtual_size)
    return;

  {
    CLEANUP_FREE char *need = gk_human_size (virtual_size);
    CLEANUP_FREE char *have = gk_human_size (free_space);
    CLEANUP_FREE char *more = gk_human_size (virtual_size - free_space);

    gk_warning ("There may not be enough free space on %s.  You may need "
                "to set TMPDIR to point to a directory with more free "
                "space.  Max needed: %s.  Free: %s.  May need another %s.  "
                "Note this is an overestimate.  If the guest disk is full "
                "of data then not as much temporary space will be "
                "required.  The tool reserves space assuming the worst "
                "case.  Use --check-tmpdir=ignore to suppress this warning "
                "and the check.", dir, need, have, more);
  }
  switch (o->check_tmpdir) {
  case CHECK_TMPDIR_IGNORE:
  case CHECK_TMPDIR_CONTINUE:
    return;
  case CHECK_TMPDIR_WARN: {
    char line[64];

    printf ("Press RETURN to continue or ^C to quit.\n");
    fflush (stdout);
    if (fgets (line, sizeof line, stdin) == NULL)
      gk_error ("no answer on stdin: stopping (use --check-tmpdir=continue "
                "to go on without asking)");
    return;
  }
  case CHECK_TMPDIR_FAIL:
    fprintf (stderr, "Exiting because --check-tmpdir=fail was set.\n");
    gk_tmpfiles_cleanup ();
    exit (EXIT_CHECK_TMPDIR);
  }
}

/* --tmp prebuilt:FILE (for oVirt): an existing qcow2 overlay of the
 * source, used as it is and kept afterwards.
 */
static void
use_prebuilt (const char *file, struct overlay *ov)
{
  CLEANUP_FREE char *format = NULL;
  const char *const argv[] = {
    QEMU_IMG, "info", "--output=json", "--", file, NULL
  };
  struct gk_command cmd = { .argv = argv, .capture_stdout = true };
  struct gk_command_result res = { 0 };
  bool qcow2, backed;

  if (access (file, R_OK | W_OK) == -1)
    gk_error ("--tmp prebuilt:%s: %m", file);
  if (gk_command_run (&cmd, &res) == -1)
    exit (EXIT_FAILURE);
  qcow2 = res.output && strstr (res.output, "\"format\": \"qcow2\"");
  backed = res.output && strstr (res.output, "\"backing-filename\"");
  free (res.output);
  if (!gk_command_exited (&res, 0) || !qcow2)
    gk_error ("--tmp prebuilt:%s: the file must be a qcow2 overlay", file);
  if (!backed)
    gk_error ("--tmp prebuilt:%s: the file must have a backing file (the "
              "source disk)", file);
  gk_message ("Using prebuilt file %s as overlay", file);
  ov->path = xstrdup (file);
  ov->prebuilt = true;
}

/* A private directory in DIR (--tmp DIR), removed at exit. */
static char *
private_dir_in (const char *dir)
{
  char *path = xasprintf ("%s/sparsify.XXXXXX", dir);

  if (mkdtemp (path) == NULL)
    gk_error_errno ("--tmp %s: cannot create a temporary directory", dir);
  gk_tmpfile_register (path);
  return path;
}

void
overlay_create (const struct sparsify_options *o, const char *format,
                uint64_t virtual_size, struct overlay *ov)
{
  CLEANUP_FREE char *dir = NULL;
  CLEANUP_FREE char *path = NULL;
  struct stat st;
  bool device = false;

  if (o->tmp && STRPREFIX (o->tmp, "prebuilt:")) {
    use_prebuilt (o->tmp + 9, ov);
    return;
  }
  if (o->tmp) {
    if (stat (o->tmp, &st) == -1)
      gk_error ("--tmp %s: %m", o->tmp);
    if (S_ISBLK (st.st_mode))
      device = true;
    else if (!S_ISDIR (st.st_mode))
      gk_error ("--tmp %s: not a directory, a block device or "
                "prebuilt:FILE", o->tmp);
  }

  if (device) {
    /* Upstream's --tmp BLOCKDEV: the overlay is written on it, erasing
     * what it held; it is the user's device, so it is not removed,
     * and its size is the user's choice (upstream checks nothing).
     */
    gk_message ("Create overlay device %s to protect source disk", o->tmp);
    path = xstrdup (o->tmp);
  }
  else {
    const char *env = getenv ("TMPDIR");
    const char *base = o->tmp ? o->tmp : env && *env ? env : "/tmp";

    check_room (o, base, virtual_size);
    dir = o->tmp ? private_dir_in (base) : xstrdup (gk_tmpdir ());
    gk_message ("Create overlay file in %s to protect source disk", base);
    path = xasprintf ("%s/overlay.qcow2", dir);
    gk_tmpfile_register (path);
  }
  ov->path = gk_overlay_create_opts (o->indisk, format, path,
                                     OVERLAY_OPTIONS);
  if (ov->path == NULL)
    exit (EXIT_FAILURE);
}
