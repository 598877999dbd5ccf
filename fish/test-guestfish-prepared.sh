#!/bin/bash
# -N prepared disks, in one launch: the default name (test1.img in the
# current directory), a filesystem, an LV with a filesystem on GPT,
# boot and root partitions, and a big sparse disk (8 TiB, GPT) whose
# sizes print exactly.  The files are sparse raw images on the host.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
test_tmpdir --private-tmpdir
fish="$builddir/guestfish"
cd "$t"

"$fish" -N fs:ext4:64M -N "$t/lv.img=lvfs:/dev/gkvg/gklv:ext4:64M:gpt" \
  -N "$t/br.img=bootroot:ext2:ext4:200M:32M" -N "$t/big.img=part:8T:gpt" \
  > "$t/out" <<'EOF'
list-filesystems | sort
echo --
part-get-parttype /dev/sda
part-get-parttype /dev/sdb
blockdev-getsize64 /dev/sda
blockdev-getsize64 /dev/sdc2
echo --
blockdev-getsize64 /dev/sdd
part-list /dev/sdd
EOF
cat "$t/out"
# The root partition of bootroot: from just after the 32M boot
# partition (which starts at sector 64) to 64 sectors before the end.
# part-disk starts at 64 KiB and leaves the GPT backup at the end.
cat > "$t/expected" <<'EOF'
/dev/gkvg/gklv: ext4
/dev/sda1: ext4
/dev/sdc1: ext2
/dev/sdc2: ext4
/dev/sdd1: unknown
--
msdos
gpt
67108864
176095744
--
8796093022208
[0] = {
  part_num: 1
  part_start: 65536
  part_end: 8796092957183
  part_size: 8796092891648
}
EOF
diff -u "$t/expected" "$t/out"
assert_eq "test1.img" 67108864 "$(stat -c %s "$t/test1.img")"
assert_eq "big.img" 8796093022208 "$(stat -c %s "$t/big.img")"
[ "$(du -k "$t/big.img" | cut -f1)" -lt 65536 ]
assert_no_leftovers "$TMPDIR"
