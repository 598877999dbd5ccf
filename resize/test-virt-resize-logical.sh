#!/bin/bash
# Logical partitions (which upstream cannot touch) and runs that need no
# appliance at all; the one run that launches is watched by valgrind.  The images are made with host tools and checked
# with host tools (sfdisk, e2fsck, debugfs, blkid).
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires_appliance
requires sfdisk --version
requires debugfs -V

test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"

mbr_logical_image "$t/mbr.img"
src_sum="$(sha256_of "$t/mbr.img")"
hello="$(ext_file_sha "$t/mbr.img" 5 /hello)"
big="$(ext_file_sha "$t/mbr.img" 5 /big)"

check_ext () {        # IMAGE N: clean filesystem with the same files
  part_extract "$1" "$2" "$t/part"
  e2fsck -fn "$t/part"
  assert_eq "/hello in partition $2" "$hello" "$(ext_file_sha "$1" "$2" /hello)"
  assert_eq "/big in partition $2" "$big" "$(ext_file_sha "$1" "$2" /big)"
}
ext_bytes () {        # IMAGE N: the filesystem's size
  part_extract "$1" "$2" "$t/part"
  dumpe2fs -h "$t/part" 2>/dev/null |
    awk -F: '/^Block count/ {c=$2} /^Block size/ {s=$2} END {print c*s}'
}
swap_pages () {       # IMAGE N: last_page + 1 of the swap header
  part_extract "$1" "$2" "$t/part"
  echo $(( $(od -An -tu4 -j1028 -N4 "$t/part") + 1 ))
}

# 1. Grow the swap inside the extended partition.  Swap headers are
# rewritten on the host: a run that would launch the appliance fails
# here, because LIBGUESTFS_HV points at /bin/false.
truncate -s 512M "$t/out1.img"
LIBGUESTFS_HV=/bin/false \
  "$vr" --expand sda6 "$t/mbr.img" "$t/out1.img"
sfdisk -d "$t/out1.img" | tee "$t/table1"
grep -q 'out1.img5 : start= *135168, size= *98304, type=83' "$t/table1"
grep -q 'out1.img6 : .*type=82' "$t/table1"
part_extract "$t/out1.img" 6 "$t/swap"
assert_eq "swap UUID" "$SWAP_UUID" "$(blkid -p -o value -s UUID "$t/swap")"
assert_eq "swap label" gkswap "$(blkid -p -o value -s LABEL "$t/swap")"
swap_size=$(( $(stat -c %s "$t/swap") / 4096 ))
assert_eq "swap pages" "$swap_size" "$(swap_pages "$t/out1.img" 6)"
[ "$swap_size" -gt 4096 ]
check_ext "$t/out1.img" 5

# 2. Expand an ext4 logical partition and resize a primary in the same
# run: one appliance launch grows both filesystems.  Under valgrind when
# it is installed (a copy on the host and a launch): no invalid access,
# nothing definitely leaked.
valgrind=()
if command -v valgrind > /dev/null; then
  valgrind=(valgrind --quiet --error-exitcode=99 --leak-check=full
            --errors-for-leak-kinds=definite --show-leak-kinds=definite
            --log-file="$t/valgrind.log")
fi
truncate -s 512M "$t/out2.img"
"${valgrind[@]}" "$vr" --expand /dev/sda5 --resize /dev/sda1=+30M \
  "$t/mbr.img" "$t/out2.img" > "$t/log2" ||
  { cat "$t/log2" "$t/valgrind.log" 2>/dev/null; exit 1; }
cat "$t/log2"
assert_eq "expansions" 2 "$(grep -c 'Expanding /dev/sda[15] using the ‘resize2fs’ method' "$t/log2")"
sfdisk -d "$t/out2.img" | tee "$t/table2"
grep -q 'out2.img1 : .*bootable' "$t/table2"
grep -q 'out2.img2 : .*type=5' "$t/table2"
grep -q 'out2.img6 : .*type=82' "$t/table2"
check_ext "$t/out2.img" 5
[ "$(ext_bytes "$t/out2.img" 5)" -gt $((300 * 1024 * 1024)) ]
[ "$(ext_bytes "$t/out2.img" 1)" -gt $((90 * 1024 * 1024)) ]
assert_eq "label-id" 0x1234abcd "$(sfdisk --disk-id "$t/out2.img")"

# 3. Delete a logical partition: the next one moves up (the EBR chain
# cannot have holes) and keeps its contents.  --no-expand-content: no
# appliance.
truncate -s 512M "$t/out3.img"
LIBGUESTFS_HV=/bin/false \
  "$vr" --delete sda5 --expand sda1 --no-expand-content \
  "$t/mbr.img" "$t/out3.img" | tee "$t/log3"
grep -q '/dev/sda6: This partition will be left alone.  It will be /dev/sda5 on the target.' "$t/log3"
sfdisk -d "$t/out3.img" | tee "$t/table3"
grep -q 'out3.img5 : .*type=82' "$t/table3"
! grep -q 'out3.img6' "$t/table3"
part_extract "$t/out3.img" 5 "$t/swap"
assert_eq "moved swap UUID" "$SWAP_UUID" \
  "$(blkid -p -o value -s UUID "$t/swap")"

assert_eq "source checksum" "$src_sum" "$(sha256_of "$t/mbr.img")"
assert_no_leftovers "$TMPDIR"
