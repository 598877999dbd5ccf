/* guestkit: the KVM probe (see kvm-probe.c for why it exists). */
#ifndef GUESTKIT_KVM_PROBE_H
#define GUESTKIT_KVM_PROBE_H

#include <stdbool.h>

enum gk_kvm_state {
  GK_KVM_ABSENT,            /* no usable /dev/kvm: qemu picks TCG itself */
  GK_KVM_WORKS,
  GK_KVM_BROKEN,            /* /dev/kvm exists but qemu cannot use it */
};

/* Probe (or read the cached answer for) the hypervisor binary QEMU. */
extern enum gk_kvm_state gk_kvm_state (const char *qemu);

/* Whether KVM works on this host (cached per boot).  Exposed for the
 * test harness.
 */
extern bool gk_kvm_usable (void);

#endif /* GUESTKIT_KVM_PROBE_H */
