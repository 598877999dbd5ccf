/* guestkit test harness: exit 0 if KVM works on this host, 1 if the
 * appliance must run under software emulation.  Uses the same probe as
 * the tools (lib/kvm-probe.c), so tests and tools agree.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "appliance/kvm-probe.h"
#include "utils/messages.h"

int
main (int argc, char *argv[])
{
  gk_init_program ("kvm-probe");
  if (gk_kvm_usable ()) {
    printf ("kvm: usable\n");
    return EXIT_SUCCESS;
  }
  printf ("kvm: not usable, software emulation (TCG) required\n");
  return EXIT_FAILURE;
}
