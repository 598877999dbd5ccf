#!/bin/bash
# A PV shrunk in the guest can be shrunk by virt-resize (issue 8 item
# 5).  pvresize --setphysicalvolumesize of a PV in a VG rewrites the VG
# metadata, not the PV label, so the PV's size is what the newest
# metadata says.  The PV is made by the host's LVM on a loop device,
# with nothing activated (no device-mapper needed), and read back the
# same way; virt-resize needs no appliance for a PV it does not grow.
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires test "$(id -u)" = 0
requires losetup --version
requires pvcreate --version
requires vgcfgbackup --version
requires sfdisk --version

test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"
export LVM_SUPPRESS_FD_WARNINGS=1
vg="gkpvshrink$$"
loop=

# LVM looking at our loop device only, leaving no backup or archive in
# /etc/lvm and activating nothing.
lvm_ ()
{
  local cmd="$1"
  shift
  "$cmd" --config "devices { use_devicesfile = 0
                             filter = [ \"a|^$loop\$|\", \"r|.*|\" ] }
                   backup { backup = 0 archive = 0 }
                   global { activation = 0 }" "$@"
}
attach ()
{
  loop="$(losetup -f --show "$1")"
  cleanup_fn detach "$loop"
}
detach ()
{
  [ -b "$1" ] && losetup -d "$1" 2>/dev/null || :
}

# The PV: 200M, 4M extents from 1M, an LV "data" of 40M (10 extents)
# holding random bytes, then shrunk to 100M as a guest would.
truncate -s 200M "$t/pv.img"
attach "$t/pv.img"
lvm_ pvcreate -q -f "$loop"
lvm_ vgcreate -q -s 4m "$vg" "$loop"
lvm_ lvcreate -q -y -an -Zn -Wn -n data -L 40m "$vg"
pe_start=$(lvm_ pvs --noheadings --units b --nosuffix -o pe_start "$loop" |
  tr -d ' ')
head -c 40M /dev/urandom > "$t/data"
dd if="$t/data" of="$t/pv.img" bs=1M seek=$((pe_start / 1048576)) \
   conv=notrunc status=none
lvm_ pvresize -q -y --setphysicalvolumesize 100m "$loop"
# What LVM wrote: the label keeps 200M, the metadata has the new size.
lvm_ vgcfgbackup -q -f "$t/vg.txt" "$vg"
dev_size=$(sed -n 's/^[[:space:]]*dev_size = \([0-9]*\).*/\1/p' "$t/vg.txt")
pe_count=$(sed -n 's/^[[:space:]]*pe_count = \([0-9]*\).*/\1/p' "$t/vg.txt")
[ -n "$dev_size" ]
[ -n "$pe_count" ]
pv_size=$((dev_size * 512))
end=$((pe_start + pe_count * 4 * 1048576))
[ $end -le $pv_size ] || pv_size=$end
echo "PV: dev_size $dev_size sectors, $pe_count extents, size $pv_size"
[ $pv_size -le $((100 * 1048576)) ]
sync
cp --sparse=always "$t/pv.img" "$t/pv-copy.img"
lvm_ vgremove -q -f "$vg"
lvm_ pvremove -q -ff -y "$loop"
detach "$loop"

# The disk: sda1 ext4 (16M), sda2 the PV (200M).
mkdir "$t/root"
echo "guestkit pv shrink test" > "$t/root/hello"
mkfs.ext4 -q -F -L root -d "$t/root" "$t/p1" 16M > /dev/null
truncate -s 256M "$t/src.img"
sfdisk -q "$t/src.img" <<'SFDISK'
label: dos
start=2048, size=32768, type=83
start=34816, size=409600, type=8e
SFDISK
dd if="$t/p1" of="$t/src.img" bs=512 seek=2048 conv=notrunc status=none
dd if="$t/pv-copy.img" of="$t/src.img" bs=512 seek=34816 \
   conv=notrunc,sparse status=none
src_sum="$(sha256_of "$t/src.img")"

# Below the PV's size: refused, naming the size from the metadata.
# 110M leaves sda2 about 93M.
truncate -s 110M "$t/small.img"
small_stamp="$(file_stamp "$t/small.img")"
if "$vr" --shrink /dev/sda2 "$t/src.img" "$t/small.img" \
     > "$t/out" 2> "$t/err"; then
  echo "a shrink below the PV's size was accepted" >&2; exit 1
fi
cat "$t/err"
grep -q "^virt-resize: error: /dev/sda2: This partition contains an LVM physical volume which will be damaged by shrinking it below $pv_size bytes" "$t/err"
assert_eq "target after refusal" "$small_stamp" \
  "$(file_stamp "$t/small.img")"

# To the PV's size and a little more: accepted (upstream accepts it
# too; before, the label's 200M was taken as the PV's size).
truncate -s 120M "$t/out.img"
"$vr" --shrink /dev/sda2 "$t/src.img" "$t/out.img" | tee "$t/log"
grep -q "/dev/sda2: This partition will be resized from 200.0M to " \
  "$t/log"
assert_eq "source checksum" "$src_sum" "$(sha256_of "$t/src.img")"
assert_no_leftovers "$TMPDIR"

# The result: sda2 holds the whole PV, and the host's LVM finds the VG,
# its LV and the LV's bytes where they were.
sfdisk -d "$t/out.img" | tee "$t/table"
size2=$(sed -n 's|.*out.img2 : start= *[0-9]*, size= *\([0-9]*\).*|\1|p' \
  "$t/table")
[ $((size2 * 512)) -ge $pv_size ]
[ $((size2 * 512)) -lt $((200 << 20)) ]
part_extract "$t/out.img" 2 "$t/p2"
part_extract "$t/out.img" 1 "$t/p1out"
e2fsck -fn "$t/p1out"
attach "$t/p2"
lvm_ vgck "$vg"
lvm_ pvck "$loop"
assert_eq "the VG's LVs" "data" \
  "$(lvm_ lvs --noheadings -o lv_name "$vg" | tr -d ' ')"
assert_eq "the PV's extents" "$pe_count" \
  "$(lvm_ pvs --noheadings -o pv_pe_count "$loop" | tr -d ' ')"
detach "$loop"
assert_eq "the LV's bytes" "$(sha256_of "$t/data")" \
  "$(dd if="$t/p2" bs=1M skip=$((pe_start / 1048576)) count=40 \
       status=none | sha256sum | cut -d' ' -f1)"
