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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "appliance/fuse.h"
#include "utils/alloc.h"
#include "utils/cleanups.h"
#include "utils/fuse-unmount.h"
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
 * scripts' last references: tried for 5 s, then detached (the loop
 * still ends).
 */
static void
unmount (const char *dir)
{
  static const struct gk_unmount_retries how = {
    .retries = 49, .delay_ms = 100, .detach = true,
  };
  CLEANUP_FREE char *errmsg = NULL;

  if (gk_fuse_unmount_retrying (dir, &how, &errmsg) == GK_UNMOUNT_FAILED)
    gk_warning ("cannot unmount %s: %s", dir, errmsg);
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

struct scripts {
  const char *dir;
  const string_vector *scripts;
  pid_t pid;
};

/* The tree is mounted: the child runs the scripts while this process
 * serves it.
 */
static void
start_scripts (void *opaque)
{
  struct scripts *sc = opaque;

  fflush (NULL);
  sc->pid = fork ();
  if (sc->pid == -1)
    gk_error_errno ("fork");
  if (sc->pid == 0)
    scripts_child (sc->dir, sc->scripts);
  gk_interrupt_add_child (sc->pid, -1);
}

int
op_script (struct guest *gu)
{
  const struct sysprep_options *o = gu->o;
  CLEANUP_FREE char *made = NULL;
  CLEANUP_FREE char *dir = NULL;
  CLEANUP_FREE char *what = NULL;
  struct scripts sc = { .scripts = &o->scripts, .pid = -1 };
  int status, r;

  if (o->scripts.len == 0)
    return 0;
  if (o->scriptdir == NULL) {
    made = xasprintf ("%s/scriptdir.XXXXXX", gk_tmpdir ());
    if (mkdtemp (made) == NULL)
      gk_error_errno ("mkdtemp");
  }
  /* As the kernel's table names it, for the unmount. */
  dir = gk_mountpoint_canonical (made ? made : o->scriptdir);
  if (dir == NULL)
    gk_error_errno ("%s", made ? made : o->scriptdir);
  what = xasprintf ("the guest on %s", made ? made : o->scriptdir);
  sc.dir = dir;
  r = gk_fuse_serve (gu->g, &(const struct gk_fuse_serve) {
      .dir = dir, .what = what, .serving = "the guest to the scripts",
      .cachetimeout = -1, .ready = start_scripts, .opaque = &sc,
    });
  if (sc.pid == -1)
    return -1;                  /* not mounted: said why */
  if (waitpid (sc.pid, &status, 0) == -1)
    gk_error_errno ("waitpid");
  gk_interrupt_remove_child (sc.pid);
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
