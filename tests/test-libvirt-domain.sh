#!/bin/bash -
# guestkit test harness: test domains can be defined over test images on
# the test's private qemu:///system daemon and are undefined again when
# the test exits.
set -e
source "$srcdir/../tests/functions.sh"

requires which virsh
requires start_libvirtd

test_tmpdir d
truncate -s 10M "$d/a.img"
qemu-img create -q -f qcow2 "$d/b.qcow2" 10M

# In a subshell, so its exit runs the cleanup we want to check (a
# subshell inherits neither the EXIT trap nor, usefully, our cleanups).
(
  _gk_cleanups=()
  trap _gk_run_cleanups EXIT
  define_test_domain libvirt "$d/a.img" "$d/b.qcow2" qcow2
  echo "$test_domain" > "$d/name"
  virsh -c "$GUESTKIT_TEST_LIBVIRT_URI" list --all --name | grep -qx "$test_domain"
  xml="$(virsh -c "$GUESTKIT_TEST_LIBVIRT_URI" dumpxml "$test_domain")"
  echo "$xml" | grep -q "<source file='$d/a.img'/>"
  echo "$xml" | grep -q "<driver name='qemu' type='qcow2'/>"
  test "$(virsh -c "$GUESTKIT_TEST_LIBVIRT_URI" domstate "$test_domain")" = "shut off"
)
name="$(cat "$d/name")"
case "$name" in gktest-libvirt-$$) ;; *) echo "bad name $name"; exit 1 ;; esac
if virsh -c "$GUESTKIT_TEST_LIBVIRT_URI" list --all --name | grep -qx "$name"; then
  echo "$0: $name is still defined after its test exited" >&2
  exit 1
fi
