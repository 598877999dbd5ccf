#!/bin/bash
# The real Debian guest, taken from a shut-off libvirt domain (-c, -d:
# the disk and its format come from the domain), through a prebuilt
# overlay (--tmp prebuilt:FILE, kept afterwards), into a compressed
# qcow2 (--convert qcow2 --compress, zlib): the copy still boots to
# multi-user, the source is not written, and the copy's clusters are
# compressed.
# Appliance launches: 1 (and one boot of the copy under qemu).
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires which qemu-system-x86_64 qemu-img libvirtd virsh
requires start_libvirtd
start_libvirtd
uri="$GUESTKIT_TEST_LIBVIRT_URI"

debian="$(debian_guest_image)" || exit $?
test_tmpdir --private-tmpdir
vs="$top_builddir/sparsify/virt-sparsify"

define_test_domain debian "$debian" raw
in_stamp="$(file_stamp "$debian")"
qemu-img create -q -f qcow2 -F raw -b "$debian" "$t/prebuilt.qcow2"

"$vs" -c "$uri" -d "$test_domain" --tmp "prebuilt:$t/prebuilt.qcow2" \
  --convert qcow2 --compress "$t/out.qcow2" > "$t/log"
cat "$t/log"
sed -n 's/^\[ *[0-9.]*\] //p' "$t/log" | grep -v '^[0-9]*/[0-9]*$' |
  head -2 | tr '\n' '|' | grep -qx \
  "Using prebuilt file $t/prebuilt.qcow2 as overlay|Examine source disk|"
grep -q '\] Fill free space in /dev/sda1 with zero$' "$t/log"
grep -q '^virt-sparsify: Sparsify operation completed with no errors.$' \
  "$t/log"

# The source is untouched; the prebuilt overlay is kept, and it is
# what the appliance wrote to.
assert_eq "source" "$in_stamp" "$(file_stamp "$debian")"
qemu-img check -q "$t/prebuilt.qcow2"
qemu-img map --output=json "$t/prebuilt.qcow2" | grep -q '"depth": 0'
assert_no_leftovers "$TMPDIR"

# Compressed: the file is well under the data it holds.
qemu-img check -q "$t/out.qcow2"
qemu-img info "$t/out.qcow2" | grep -q '^file format: qcow2$'
data="$(qemu-img map --output=json "$t/out.qcow2" |
  awk -F'[:,]' '/"data": true/ { s += $4 } END { printf "%d", s }')"
file="$(stat -c %s "$t/out.qcow2")"
echo "data $data bytes in a $file-byte file"
[ "$data" -gt $((200 * 1024 * 1024)) ]
[ "$file" -lt $((data * 3 / 4)) ]

# TCG on 2 cores needs well over a minute; allow for a busy machine.
boot_check "$t/out.qcow2" qcow2 600
