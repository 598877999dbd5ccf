#!/bin/bash
# The Debian guest with its root on LVM, qcow2 to qcow2: grow the PV's
# partition and --lv-expand the root LV.  The result must boot, keep its
# files' checksums, and its root filesystem must have grown.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

src="$(debian_lvm_guest_image)"
manifest="$(debian_lvm_guest_manifest)"
test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"

src_sum="$(sha256_of "$src")"
qemu-img create -q -f qcow2 "$t/out.qcow2" 6G

"$vr" --expand /dev/sda2 --lv-expand /dev/gkvg/root "$src" "$t/out.qcow2" \
  | tee "$t/log"
grep -q 'The LVM PV on /dev/sda2 will be expanded using the ‘pvresize’ method' "$t/log"
grep -q '/dev/gkvg/root: This logical volume will be expanded to maximum size.  The filesystem ext4 on /dev/gkvg/root will be expanded using the ‘resize2fs’ method.' "$t/log"
grep -q 'Expanding /dev/gkvg/root using the ‘resize2fs’ method' "$t/log"
assert_eq "source checksum" "$src_sum" "$(sha256_of "$src")"
assert_no_leftovers "$TMPDIR"

# Sparse: far less allocated than the 6G it holds.
alloc=$(qemu-img info --output=json "$t/out.qcow2" |
  sed -n 's/.*"actual-size": \([0-9]*\).*/\1/p')
[ "$alloc" -lt $((2 * 1024 * 1024 * 1024)) ]

# Every file intact, and the root LV's filesystem now spans more than
# 4G (it was under 2G).
check_guest --format qcow2 "$t/out.qcow2" "$manifest" > "$t/check" ||
  { cat "$t/check"; exit 1; }
cat "$t/check"
root_size=$(sed -n 's/^root_size: //p' "$t/check")
[ "$root_size" -gt $((4 * 1024 * 1024 * 1024)) ]
boot_check "$t/out.qcow2" qcow2
