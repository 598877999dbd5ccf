/* virt-sysprep: a random seed for the guest's kernel entropy pool, so
 * clones do not start from the template's.  Every seed file the guest
 * has is overwritten; a systemd guest without one gets
 * /var/lib/systemd/random-seed (upstream warned "could not be set" on
 * such guests: its issue, reference §7 #14).
 */
#include <config.h>

#include <stdlib.h>
#include <sys/random.h>

#include "utils/messages.h"
#include "sysprep.h"

#define SEED_SIZE 512

int
write_random_seed (struct guest *gu)
{
  static const char *const seeds[] = {
    "/var/lib/random-seed", "/var/lib/urandom/random-seed",
    "/var/lib/misc/random-seed", "/var/lib/systemd/random-seed", NULL
  };
  char seed[SEED_SIZE];
  bool written = false;

  if (!guest_is (gu, FOR_LINUX)) {
    gk_warning ("random seed could not be set for this type of guest");
    return -1;
  }
  if (getrandom (seed, sizeof seed, 0) != (ssize_t) sizeof seed)
    gk_error_errno ("getrandom");
  for (size_t i = 0; seeds[i]; ++i) {
    if (!guest_is_file (gu->g, seeds[i]))
      continue;
    if (guest_write (gu->g, seeds[i], seed, sizeof seed) == -1)
      return -1;
    written = true;
  }
  if (!written && guest_is_dir (gu->g, "/var/lib/systemd")) {
    const char *path = "/var/lib/systemd/random-seed";

    if (guest_write (gu->g, path, seed, sizeof seed) == -1 ||
        guest_check (gu->g, guestfs_chmod (gu->g, 0600, path), path) == -1)
      return -1;
    written = true;
  }
  if (written)
    return 0;
  gk_warning ("random seed could not be set for this type of guest");
  return -1;
}
