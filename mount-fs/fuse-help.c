/* guestmount-all --fuse-help: the -o options of the libfuse that
 * libguestfs's mount-local uses, in libfuse's own words.
 *
 * libguestfs links libfuse 2 (libfuse.so.2), so that library is on
 * every machine where mount-local works; asking it at run time needs
 * no FUSE headers to build guestkit, and always describes the library
 * that will really parse -o.  Given --help, fuse_main prints its usage
 * and option lists and mounts nothing, as upstream guestmount uses it.
 */
#include <config.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "utils/messages.h"
#include "mount-fs.h"

typedef int (*fuse_main_real_fn) (int argc, char *argv[], const void *op,
                                  size_t op_size, void *user_data);

void
fuse_help (void)
{
  static const char *const sonames[] = { "libfuse.so.2", "libfuse.so" };
  /* No operations: libfuse copies op_size (0) bytes of them. */
  static const char no_operations[64];
  char *argv[] = { (char *) gk_program_name, (char *) "--help", NULL };
  void *lib = NULL;
  fuse_main_real_fn fuse_main_real;

  for (size_t i = 0; lib == NULL && i < sizeof sonames / sizeof sonames[0];
       ++i)
    lib = dlopen (sonames[i], RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL)
    gk_error ("--fuse-help: cannot load libfuse: %s", dlerror ());
  fuse_main_real = (fuse_main_real_fn) dlsym (lib, "fuse_main_real");
  if (fuse_main_real == NULL)
    gk_error ("--fuse-help: libfuse has no fuse_main_real: %s", dlerror ());
  fflush (stdout);
  fuse_main_real (2, argv, no_operations, 0, NULL);
  exit (EXIT_SUCCESS);
}
