#!/bin/bash
# -N prepared disks, in one launch: the default name (test1.img in the
# current directory), a filesystem, an LV with a filesystem on GPT,
# boot and root partitions, and a big sparse disk (8 TiB, GPT) whose
# sizes print exactly.  The files are sparse raw images on the host.
# In the same launch, a huge disk as sysadmins try one: a 1 EiB qcow2
# made by disk-create (no launch), partitioned with part-disk; every
# size prints exactly, nothing overflows.  Given after the -N disks, it
# is /dev/sde: disks come in command-line order, as upstream.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
test_tmpdir --private-tmpdir
fish="$builddir/guestfish"
cd "$t"

# qcow2 reaches an exbibyte with 2 MiB clusters.
"$fish" disk-create "$t/huge.qcow2" qcow2 1E clustersize:2097152
"$fish" -N fs:ext4:64M -N "$t/lv.img=lvfs:/dev/gkvg/gklv:ext4:64M:gpt" \
  -N "$t/br.img=bootroot:ext2:ext4:200M:32M" -N "$t/big.img=part:8T:gpt" \
  -a "$t/huge.qcow2" > "$t/out" <<'EOF'
list-filesystems | sort
echo --
part-get-parttype /dev/sda
part-get-parttype /dev/sdb
blockdev-getsize64 /dev/sda
blockdev-getsize64 /dev/sdc2
echo --
blockdev-getsize64 /dev/sdd
part-list /dev/sdd
echo --
blockdev-getsize64 /dev/sde
part-disk /dev/sde gpt
part-list /dev/sde
blockdev-getsize64 /dev/sde1
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
/dev/sde: unknown
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
--
1152921504606846976
[0] = {
  part_num: 1
  part_start: 65536
  part_end: 1152921504606781951
  part_size: 1152921504606716416
}
1152921504606716416
EOF
diff -u "$t/expected" "$t/out"
assert_eq "test1.img" 67108864 "$(stat -c %s "$t/test1.img")"
assert_eq "big.img" 8796093022208 "$(stat -c %s "$t/big.img")"
[ "$(du -k "$t/big.img" | cut -f1)" -lt 65536 ]
[ "$(du -k "$t/huge.qcow2" | cut -f1)" -lt 65536 ]
assert_no_leftovers "$TMPDIR"
