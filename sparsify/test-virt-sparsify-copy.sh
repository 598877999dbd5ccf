#!/bin/bash
# Copy mode on the dirty image (ext4, xfs, btrfs, vfat, ntfs, swap and
# an LVM VG, every free byte allocated and non-zero): the output holds
# the live data and little else, every file is intact, the swap keeps
# its UUID and label, and the input is not changed.  Then --convert
# qcow2 --compress=zstd with --ignore and --zero.
# Appliance launches: 3 (sparsify, verify, sparsify again).
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires qemu-img --version
requires sfdisk --version

img="$(dirty_image)" || exit $?
base="$(multifs_image)" || exit $?
test_tmpdir --private-tmpdir
vs="$top_builddir/sparsify/virt-sparsify"
MiB=$((1024 * 1024))

in_sum="$(sha256_of "$img")"
alloc () { echo $(( $(stat -c %b "$1") * 512 )); }
# Live data: the clean image the dirty one was made from.
live="$(alloc "$base")"
dirty="$(alloc "$img")"
echo "live data $live bytes, dirty image $dirty bytes allocated"
# Else the test would prove nothing (the junk is 170 MiB).
[ "$dirty" -gt $((live * 3 / 2)) ]

"$vs" --machine-readable="file:$t/mr" "$img" "$t/out.img" > "$t/log"
cat "$t/log"

# Upstream's messages, in order.
grep -v '^[0-9]*/[0-9]*$' "$t/log" | sed -n 's/^\[ *[0-9.]*\] //p' > "$t/steps"
head -2 "$t/steps" | tr '\n' '|' | grep -qx \
  "Create overlay file in $TMPDIR to protect source disk|Examine source disk|"
grep -qx 'Fill free space in /dev/sda1 with zero' "$t/steps"
grep -qx 'Fill free space in /dev/gktestvg/lvxfs with zero' "$t/steps"
grep -qx 'Clearing Linux swap on /dev/sda6' "$t/steps"
grep -qx 'Fill free space in volgroup gktestvg with zero' "$t/steps"
assert_eq "last step" "Copy to destination and make sparse" \
  "$(tail -1 "$t/steps")"
grep -q '^virt-sparsify: Sparsify operation completed with no errors.$' \
  "$t/log"
grep -q '^virt-sparsify: Before deleting the old disk, carefully check' \
  "$t/log"
# Machine-readable: every message as JSON, and the reclaimed figures.
grep -q '^{ "message": "Examine source disk", "timestamp": ".*", '\
'"type": "message" }$' "$t/mr"
grep -q '"allocated-after": ' "$t/mr"

out="$(alloc "$t/out.img")"
echo "output $out bytes allocated"
[ "$out" -le $(( live * 11 / 10 + 4 * MiB )) ]
assert_eq "input unchanged" "$in_sum" "$(sha256_of "$img")"
assert_eq "output size" "$(stat -c %s "$img")" "$(stat -c %s "$t/out.img")"
assert_no_leftovers "$TMPDIR"

# The swap header (signature, UUID, label) is the input's.
swap_start="$(sfdisk -d "$img" | sed -n 's|.*6 : start= *\([0-9]*\),.*|\1|p')"
for f in "$img" "$t/out.img"; do
  dd if="$f" bs=512 skip="$swap_start" count=8 status=none | sha256sum
done | uniq | wc -l | grep -qx 1
dd if="$t/out.img" bs=512 skip="$swap_start" count=8 status=none |
  grep -qa gkswap

# Its appliance cache goes to TMPDIR: not in the tool's.
TMPDIR="$t" dirty_verify "$t/out.img" raw

# part IMAGE N OUT: partition N of the raw IMAGE, into OUT.
part () {
  local start size
  read -r start size < <(sfdisk -d "$1" |
    sed -n "s|.*$2 : start= *\\([0-9]*\\), size= *\\([0-9]*\\),.*|\\1 \\2|p")
  dd if="$1" of="$3" bs=512 skip="$start" count="$size" conv=sparse \
    status=none
}
junk () { grep -a -o guestkit-dirty-bytes "$1" | wc -l; }

# The ignored xfs keeps its junk, the zeroed vfat is all zeroes, and
# the raw output had neither (all but what shares a 4 KiB block of the
# overlay with live data).
part "$img" 2 "$t/p2"
junk_in="$(junk "$t/p2")"
part "$t/out.img" 2 "$t/p2"
junk_out="$(junk "$t/p2")"
echo "junk in sda2: $junk_in in the input, $junk_out in the output"
[ "$junk_in" -gt 100000 ]
[ "$junk_out" -le $(( junk_in / 100 )) ]

# qcow2, compressed with zstd, --ignore and --zero.  Each run mounts
# the filesystems, so their metadata differ from the raw output's; the
# files are checked on the host instead of by another launch: the ext4
# partition, with e2fsck and debugfs.
"$vs" --convert qcow2 --compress=zstd --ignore /dev/sda2 --zero sda4 \
  "$img" "$t/out.qcow2" > "$t/log2"
cat "$t/log2"
! grep -q 'Fill free space in /dev/sda2 ' "$t/log2"
grep -q '\] Zeroing /dev/sda4$' "$t/log2"
qemu-img info "$t/out.qcow2" | grep -q 'compression type: zstd'
qemu-img check -q "$t/out.qcow2"
assert_no_leftovers "$TMPDIR"
qemu-img convert -O raw "$t/out.qcow2" "$t/q.raw"
part "$t/q.raw" 2 "$t/p2"
[ "$(junk "$t/p2")" -ge $(( junk_in / 2 )) ]
part "$t/q.raw" 4 "$t/p4"
assert_eq "bytes in zeroed sda4" 0 "$(tr -d '\0' < "$t/p4" | wc -c)"
if command -v debugfs >/dev/null && command -v e2fsck >/dev/null; then
  part "$t/q.raw" 1 "$t/p1"
  e2fsck -fn "$t/p1"
  n=0
  while IFS=$'\t' read -r dev path sum; do
    [ "$dev" = /dev/sda1 ] || continue
    debugfs -R "dump $path $t/f" "$t/p1" 2>/dev/null
    assert_eq "$path" "$sum" "$(sha256_of "$t/f")"
    n=$((n + 1))
  done < "${img%.img}.manifest"
  [ "$n" -gt 0 ]
fi
