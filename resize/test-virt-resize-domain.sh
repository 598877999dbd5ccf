#!/bin/bash
# -d DOMAIN / -c URI as the source: the domain's disk (and its format) is
# used; a running domain is refused before anything is read or written.
# A real libvirt daemon for the shut-off case, libvirt's test driver for
# a running domain (starting a real guest would take minutes under TCG).
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires which libvirtd virsh
requires sfdisk --version

test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"

mbr_logical_image "$t/mbr.img"
qemu-img convert -O qcow2 "$t/mbr.img" "$t/guest.qcow2"
src_sum="$(sha256_of "$t/guest.qcow2")"

# The test driver (no daemon): "on" runs.
test_driver_node "$t/node.xml" "on:running:$t/guest.qcow2:qcow2"
truncate -s 1G "$t/out.img"
out_sum="$(sha256_of "$t/out.img")"
if "$vr" -c "test://$t/node.xml" -d on --expand sda1 "$t/out.img" \
     > "$t/out" 2> "$t/err"; then
  echo "a running domain was accepted" >&2; exit 1
fi
cat "$t/err"
grep -q "^virt-resize: error: domain ‘on’ is running: shut it down first" \
  "$t/err"
assert_eq "target after refusal" "$out_sum" "$(sha256_of "$t/out.img")"

# A real daemon and a shut-off domain whose disk is qcow2: the format
# comes from the domain.  --no-expand-content needs no appliance.
start_libvirtd
define_test_domain resize "$t/guest.qcow2" qcow2
"$vr" -c "$GUESTKIT_TEST_LIBVIRT_URI" -d "$test_domain" --expand sda5 \
  --no-expand-content "$t/out.img" | tee "$t/log"
grep -q "Examining $t/guest.qcow2" "$t/log"
grep -q '/dev/sda5: This partition will be resized from 48.0M to' "$t/log"
sfdisk -d "$t/out.img" | grep -q 'out.img6 : .*type=82'
assert_eq "domain disk after resize" "$src_sum" \
  "$(sha256_of "$t/guest.qcow2")"
assert_no_leftovers "$TMPDIR"
