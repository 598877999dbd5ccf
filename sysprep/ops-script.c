/* virt-sysprep: the script operation (--script, --scriptdir).
 *
 * Each script runs on the host, as upstream's, with /bin/sh -c and its
 * working directory the root of the guest's tree, which libguestfs's
 * mount-local serves through FUSE.  The FUSE loop must run in this
 * process (it holds the handle), so a child runs the scripts, one after
 * the other, and then unmounts the tree, which ends the loop.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/exec.h"
#include "utils/messages.h"
#include "utils/tmpfiles.h"
#include "sysprep.h"

/* In the child: SCRIPT in DIR.  Returns its wait status. */
static int
run_one (const char *dir, const char *script)
{
  pid_t pid = fork ();
  int status;

  if (pid == -1)
    return -1;
  if (pid == 0) {
    if (chdir (dir) == -1) {
      fprintf (stderr, "%s: %s: %s\n", gk_program_name, dir,
               strerror (errno));
      _exit (126);
    }
    execl ("/bin/sh", "sh", "-c", script, (char *) NULL);
    _exit (127);
  }
  if (waitpid (pid, &status, 0) == -1)
    return -1;
  return status;
}

/* In the child: the FUSE mount goes, which ends the parent's loop.
 * It may be busy for a moment while the kernel lets go of the
 * scripts' last references.
 */
static void
unmount (const char *dir)
{
  for (int i = 0; i < 50; ++i) {
    if (umount2 (dir, 0) == 0)
      return;
    if (errno != EBUSY)
      break;
    usleep (100000);
  }
  {
    const char *const argv[] = { "fusermount3", "-u", dir, NULL };
    const struct gk_command cmd = { .argv = argv };
    struct gk_command_result r = { 0 };

    if (gk_command_run (&cmd, &r) == 0 && gk_command_exited (&r, 0))
      return;
  }
  /* The last resort: detach it, the loop still ends. */
  umount2 (dir, MNT_DETACH);
}

/* Exits with 0, or 1 + the index of the script that failed (the
 * parent says which).
 */
static void __attribute__ ((noreturn))
scripts_child (const char *dir, const string_vector *scripts)
{
  size_t failed = 0;

  for (size_t i = 0; i < scripts->len && !failed; ++i) {
    int status = run_one (dir, scripts->ptr[i]);

    if (status == -1 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
      failed = i + 1 < 255 ? i + 1 : 255;
  }
  unmount (dir);
  _exit ((int) failed);
}

int
op_script (struct guest *gu)
{
  const struct sysprep_options *o = gu->o;
  CLEANUP_FREE char *made = NULL;
  const char *dir = o->scriptdir;
  pid_t pid;
  int status, r;

  if (o->scripts.len == 0)
    return 0;
  if (dir == NULL) {
    made = xasprintf ("%s/scriptdir.XXXXXX", gk_tmpdir ());
    if (mkdtemp (made) == NULL)
      gk_error_errno ("mkdtemp");
    dir = made;
  }
  if (guestfs_mount_local (gu->g, dir, -1) == -1) {
    gk_error_noexit ("cannot mount the guest on %s with FUSE: %s", dir,
                     guestfs_last_error (gu->g));
    return -1;
  }
  fflush (NULL);
  pid = fork ();
  if (pid == -1)
    gk_error_errno ("fork");
  if (pid == 0)
    scripts_child (dir, &o->scripts);
  gk_interrupt_add_child (pid, -1);
  r = guestfs_mount_local_run (gu->g);
  if (r == -1)
    gk_error_noexit ("serving the guest to the scripts failed: %s",
                     guestfs_last_error (gu->g));
  if (waitpid (pid, &status, 0) == -1)
    gk_error_errno ("waitpid");
  gk_interrupt_remove_child (pid);
  if (made)
    rmdir (made);
  if (r == -1)
    return -1;
  if (!WIFEXITED (status)) {
    gk_error_noexit ("the scripts were killed by signal %d",
                     WTERMSIG (status));
    return -1;
  }
  if (WEXITSTATUS (status) != 0) {
    size_t i = WEXITSTATUS (status) - 1;

    gk_error_noexit ("script failed: %s",
                     i < o->scripts.len ? o->scripts.ptr[i] : "?");
    return -1;
  }
  return 0;
}
