#!/bin/bash
# GPT (names, GUIDs, disk GUID kept) and shrinking: the ext4 root is
# shrunk to fit a smaller partition (on an overlay: the source is not
# written) while the xfs partition grows into the rest of a smaller
# target.  Shrinking what does not fit is refused with the size needed.
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires_appliance
requires sfdisk --version
requires sgdisk --version
requires xfs_db -V

test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"

gpt_image "$t/gpt.img"
src_sum="$(sha256_of "$t/gpt.img")"
big="$(ext_file_sha "$t/gpt.img" 1 /big)"

# 512M source, 400M target: sda1 (200M ext4, ~3M used) goes to 60M,
# sda2 (xfs) takes what is left.
truncate -s 400M "$t/out.img"
"$vr" --resize sda1=60M --expand sda2 "$t/gpt.img" "$t/out.img" \
  | tee "$t/log"
grep -q '/dev/sda1: This partition will be resized from 200.0M to 60.0M.  The filesystem ext4 on /dev/sda1 will be shrunk to 60.0M using the ‘resize2fs’ method, if its data fits.' "$t/log"
grep -q 'Shrinking /dev/sda1 using the ‘resize2fs’ method' "$t/log"
grep -q 'Expanding /dev/sda2 using the ‘xfs_growfs’ method' "$t/log"

sgdisk -v "$t/out.img" | grep -q 'No problems found'
sfdisk -d "$t/gpt.img" > "$t/src-table"
sfdisk -d "$t/out.img" | tee "$t/table"
assert_eq "disk GUID" 8D3F5B2E-1A2B-4C3D-9E8F-0123456789AB \
  "$(sed -n 's/^label-id: //p' "$t/table")"
grep -q 'out.img1 : start= *2048, size= *122880, .*uuid=11111111-2222-4333-8444-555555555555, name="root"' "$t/table"
assert_eq "sda2 GUID" \
  "$(sed -n 's/.*gpt.img2 : .*uuid=\([^,]*\),.*/\1/p' "$t/src-table")" \
  "$(sed -n 's/.*out.img2 : .*uuid=\([^,]*\),.*/\1/p' "$t/table")"
grep -q 'out.img2 : .*name="data"' "$t/table"

part_extract "$t/out.img" 1 "$t/p1"
e2fsck -fn "$t/p1"
assert_eq "/big after shrinking" "$big" "$(ext_file_sha "$t/out.img" 1 /big)"
part_extract "$t/out.img" 2 "$t/p2"
xfs_repair -n "$t/p2"
blocks=$(xfs_db -r -c 'sb 0' -c 'p dblocks' "$t/p2" | sed 's/.* = //')
[ $((blocks * 4096)) -gt $((320 * 1024 * 1024)) ]

assert_eq "source checksum" "$src_sum" "$(sha256_of "$t/gpt.img")"
assert_no_leftovers "$TMPDIR"

# Too small for the data: refused, with the size it would need, read
# from the superblock of the (cleanly unmounted) ext4 on the host: no
# appliance (a launch would fail under /bin/false) and nothing written.
mkdir "$t/root"
head -c 150M /dev/urandom > "$t/root/filler"
mkfs.ext4 -q -F -d "$t/root" "$t/p1full" 200M > /dev/null
dd if="$t/p1full" of="$t/gpt.img" bs=512 seek=2048 conv=notrunc status=none
src_sum="$(sha256_of "$t/gpt.img")"
out_sum="$(sha256_of "$t/out.img")"
if LIBGUESTFS_HV=/bin/false "$vr" --resize sda1=60M --expand sda2 \
     "$t/gpt.img" "$t/out.img" > "$t/out" 2> "$t/err"; then
  echo "a shrink below the data's size was accepted" >&2; exit 1
fi
cat "$t/err"
grep -q "^virt-resize: error: /dev/sda1: the ext4 filesystem holds too much data to fit in 60.0M: it needs at least [0-9.]*M ([0-9]* bytes)" "$t/err"
assert_eq "source checksum after refusal" "$src_sum" "$(sha256_of "$t/gpt.img")"
assert_eq "target after refusal" "$out_sum" "$(sha256_of "$t/out.img")"
assert_no_leftovers "$TMPDIR"
