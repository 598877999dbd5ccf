#!/bin/bash
# Copy mode on the dirty image (ext4, xfs, btrfs, vfat, ntfs, swap and
# an LVM VG, every free byte allocated and non-zero): the output holds
# the live data and little else, every file is intact, the swap keeps
# its UUID and label, and the input is not changed; what the host-side
# parsers know (device types, LVs, swap, the VG's free extents) is not
# asked or done again in the appliance.
# Then a disk made on the host for what the dirty image lacks, in one
# more run: a 5 GiB vfat (more free space than a FAT file can hold:
# upstream's zero file fails with "File too large"), a minix (no
# discard: the zero-fill fallback, said in the output), the LUKS
# partition of the LUKS image (its key read with --keys-from-stdin),
# an ext4 --ignore'd and one --zero'ed; into a qcow2 with
# --compress=zstd, the overlay on a loop device (--tmp BLOCKDEV).
# Every check of that output is on the host.
# Appliance launches: 3 (sparsify, verify, sparsify again).
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires qemu-img --version
requires sfdisk --version
requires mke2fs -V
requires debugfs -V
requires which mkfs.vfat mcopy mdel mtype fsck.vfat mkfs.minix fsck.minix

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

LIBGUESTFS_TRACE=1 "$vs" --machine-readable="file:$t/mr" "$img" \
  "$t/out.img" > "$t/log" 2> "$t/trace"
cat "$t/log"
# What the host-side parsers found (sparsify/host.c) is not asked again
# in the appliance: no blkid per device, no LVM listing, the swap
# neither read nor discarded there.
grep -q 'trace: list_partitions = ' "$t/trace"
not grep -E 'trace: (vfs_type|lvs|lvs_full|vgs_full|pread_device|blkdiscard)( |$)' \
  "$t/trace"

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
  dd if="$1" of="$3" bs=1M skip=$((start * 512)) count=$((size * 512)) \
    iflag=skip_bytes,count_bytes conv=sparse status=none
}
junk () { grep -a -o guestkit-dirty-bytes "$1" | wc -l; }

# The xfs's junk is gone (all but what shares a 4 KiB block of the
# overlay with live data).
part "$img" 2 "$t/p2"
junk_in="$(junk "$t/p2")"
part "$t/out.img" 2 "$t/p2"
junk_out="$(junk "$t/p2")"
echo "junk in sda2: $junk_in in the input, $junk_out in the output"
[ "$junk_in" -gt 100000 ]
[ "$junk_out" -le $(( junk_in / 100 )) ]

# ---------------------------------------------------------------------
# The second disk, made on the host.  put N FILE: FILE into partition N
# of x.img.
luks="$(luks_image)" || exit $?
start_of () {
  sfdisk -d "$1" | sed -n "s|.*$2 : start= *\([0-9]*\),.*|\1|p"
}
put () {
  local start
  start="$(start_of "$t/x.img" "$1")"
  dd if="$2" of="$t/x.img" bs=1M seek=$((start * 512)) oflag=seek_bytes \
    conv=notrunc,sparse status=none
  rm -f "$2"
}
xjunk () { grep -a -o gk-copy-junk "$1" | wc -l; }
part "$luks" 2 "$t/luks.part"
luks_sectors=$(( $(stat -c %s "$t/luks.part") / 512 ))
truncate -s $(( 5 * 1024 + 256 ))M "$t/x.img"
printf 'label: gpt\nsize=5G\nsize=48M\nsize=%s\nsize=40M\nsize=40M\n' \
  "$luks_sectors" | sfdisk -q "$t/x.img"
mkdir "$t/fsdir"
echo "kept in place" > "$t/fsdir/keep.txt"
yes gk-copy-junk | head -c 24M > "$t/fsdir/junk" || :
# sda1: vfat, 5 GiB, a live file and 24 MiB of deleted junk.
truncate -s 5G "$t/p"
mkfs.vfat -F 32 "$t/p" > /dev/null
mcopy -i "$t/p" "$t/fsdir/keep.txt" "$t/fsdir/junk" ::
mdel -i "$t/p" ::junk
put 1 "$t/p"
# sda2: minix, which cannot discard; junk under its free zones.
yes gk-copy-junk | head -c 48M > "$t/p" || :
mkfs.minix -3 "$t/p" > /dev/null
put 2 "$t/p"
# sda3: LUKS.  sda4 (--ignore) and sda5 (--zero): ext4 with junk.
put 3 "$t/luks.part"
for n in 4 5; do
  truncate -s 40M "$t/p"
  mke2fs -q -F -t ext4 -d "$t/fsdir" "$t/p"
  debugfs -w -R "rm /junk" "$t/p" 2>/dev/null
  put $n "$t/p"
done
rm -r "$t/fsdir"
for n in 1 2 4; do
  part "$t/x.img" $n "$t/p$n.in"
done
echo "junk: sda1 $(xjunk "$t/p1.in"), sda2 $(xjunk "$t/p2.in")," \
  "sda4 $(xjunk "$t/p4.in")"
[ "$(xjunk "$t/p1.in")" -gt 1000000 ]
[ "$(xjunk "$t/p2.in")" -gt 1000000 ]
x_stamp="$(file_stamp "$t/x.img")"

# --tmp BLOCKDEV: a loop device over a sparse file, if this host has
# them (the overlay is written on it and left there, as upstream).
tmp_opt=() loop=""
truncate -s 512M "$t/loop.file"
if loop="$(losetup -f --show "$t/loop.file" 2>/dev/null)"; then
  cleanup_fn losetup -d "$loop"
  tmp_opt=(--tmp "$loop")
else
  echo "$0: no loop device: --tmp BLOCKDEV not tested" >&2
fi

echo "$LUKS_KEY" |
  "$vs" "${tmp_opt[@]}" --convert qcow2 --compress=zstd --keys-from-stdin \
    --ignore /dev/sda4 --zero sda5 "$t/x.img" "$t/out.qcow2" > "$t/log2" 2>&1
cat "$t/log2"
if [ -n "$loop" ]; then
  grep -q "\] Create overlay device $loop to protect source disk$" \
    "$t/log2"
  qemu-img info "$loop" | grep -q "^backing file: $t/x.img"
fi
grep -q '\] Fill free space in /dev/sda1 with zero$' "$t/log2"
grep -q '\] Fill free space in /dev/sda2 with zero$' "$t/log2"
grep -q '^virt-sparsify: /dev/sda2 (minix) cannot discard: filling its free space with zeroes instead' \
  "$t/log2"
grep -q '^virt-sparsify: /dev/mapper/cryptsda3 is inside an encrypted volume' \
  "$t/log2"
not grep -q 'Fill free space in /dev/sda4 ' "$t/log2"
grep -q '\] Zeroing /dev/sda5$' "$t/log2"
not grep -qv 'KVM' <(grep 'warning' "$t/log2")
not grep -q 'no key was given' "$t/log2"
assert_eq "input unchanged" "$x_stamp" "$(file_stamp "$t/x.img")"
qemu-img info "$t/out.qcow2" | grep -q 'compression type: zstd'
qemu-img check -q "$t/out.qcow2"
assert_no_leftovers "$TMPDIR"
qemu-img convert -O raw "$t/out.qcow2" "$t/x.out"
for n in 1 2 3 4 5; do
  part "$t/x.out" $n "$t/p$n"
done
# vfat: junk gone (trimmed), filesystem and file intact.
echo "junk left: sda1 $(xjunk "$t/p1"), sda2 $(xjunk "$t/p2")"
[ "$(xjunk "$t/p1")" -le 100 ]
fsck.vfat -n "$t/p1"
assert_eq "vfat file" "kept in place" "$(mtype -i "$t/p1" ::keep.txt)"
# minix: zero-filled (but for a few blocks it keeps for itself), still
# sound.
[ "$(xjunk "$t/p2")" -le 1000 ]
fsck.minix -f "$t/p2"
# LUKS: still LUKS, its header (UUID, key slots) the input's.
part "$t/x.img" 3 "$t/p3.in"
cmp -n 16384 "$t/p3.in" "$t/p3"
# ext4 --ignore'd: its junk and its file; --zero'ed: all zeroes.
assert_eq "junk in ignored sda4" "$(xjunk "$t/p4.in")" "$(xjunk "$t/p4")"
assert_eq "sda4 file" "kept in place" \
  "$(debugfs -R "cat /keep.txt" "$t/p4" 2>/dev/null)"
assert_eq "bytes in zeroed sda5" 0 "$(tr -d '\0' < "$t/p5" | wc -c)"
