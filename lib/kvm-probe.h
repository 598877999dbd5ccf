/* guestkit: the KVM probe (see kvm-probe.c for why it exists). */
#ifndef GUESTKIT_KVM_PROBE_H
#define GUESTKIT_KVM_PROBE_H

enum gk_kvm_state {
  GK_KVM_ABSENT,            /* no usable /dev/kvm: qemu picks TCG itself */
  GK_KVM_WORKS,
  GK_KVM_BROKEN,            /* /dev/kvm exists but qemu cannot use it */
};

/* Probe (or read the cached answer for) the hypervisor binary QEMU. */
extern enum gk_kvm_state gk_kvm_state (const char *qemu);

#endif /* GUESTKIT_KVM_PROBE_H */
