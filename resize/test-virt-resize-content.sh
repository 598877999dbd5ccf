#!/bin/bash
# What virt-resize grows and shrinks inside partitions, and what it
# cannot:
#
#   1. Every kind of content in one run: ext4 shrunk to fit a smaller
#      partition (on an overlay of the source: one launch, and the
#      source is not written), then btrfs, ntfs, xfs, an LVM PV with an
#      xfs LV (--lv-expand), swap (on the host) grown and vfat, which no
#      tool can grow (a warning, as upstream): a second launch.  GPT
#      GUIDs and names are kept; the results are checked on the host.
#   2. --unknown-filesystems for content it cannot grow by itself (LUKS
#      without a key, unrecognised data): no launch.
#   3. LUKS content grown when its key is given (one launch).
#
# One virt-df run (one shared launch) then reads the new sizes of both
# results, through the key.  Appliance launches: 4.  (Shrinking below
# the data's size is refused on the host: test-virt-resize-bad-input.)
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires_appliance
requires sfdisk --version
requires sgdisk --version
requires debugfs -V
requires xfs_db -V

src="$(multifs_image)"
img="$(luks_image)"
test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"
vdf="$top_builddir/df/virt-df"

# ---------------------------------------------------------------------
# 1. Every kind of content.

src_sum="$(sha256_of "$src")"
blob="$(ext_file_sha "$src" 1 /data/blob-2M)"
readme="$(ext_file_sha "$src" 1 /data/README)"
truncate -s 2G "$t/multifs-out.img"
"$vr" --resize sda1=60M --resize sda2=+100M \
  --resize sda3=+100M --resize sda5=+100M --resize sda4=+20M \
  --resize sda6=+16M --resize sda7=+100M --lv-expand /dev/gktestvg/lvxfs \
  "$src" "$t/multifs-out.img" > "$t/log" 2>&1
cat "$t/log"
for m in "/dev/sda1: This partition will be resized from 100.0M to 60.0M.  The filesystem ext4 on /dev/sda1 will be shrunk to 60.0M using the ‘resize2fs’ method, if its data fits." \
         "Shrinking /dev/sda1 using the ‘resize2fs’ method" \
         "Expanding /dev/sda2 using the ‘xfs_growfs’ method" \
         "Expanding /dev/sda3 using the ‘btrfs-filesystem-resize’ method" \
         "Expanding /dev/sda5 using the ‘ntfsresize’ method" \
         "Expanding /dev/sda6 using the ‘mkswap’ method" \
         "Expanding /dev/sda7 using the ‘pvresize’ method" \
         "Expanding /dev/gktestvg/lvxfs using the ‘xfs_growfs’ method" \
         "warning: unknown/unavailable method for expanding the vfat filesystem on /dev/sda4"
do
  grep -qF "$m" "$t/log"
done
assert_eq "source checksum" "$src_sum" "$(sha256_of "$src")"
assert_no_leftovers "$TMPDIR"
sgdisk -v "$t/multifs-out.img" | grep -q 'No problems found'

# GPT: the disk's GUID, and each partition's GUID and name, kept; sda1
# is now 60M.
sfdisk -d "$src" | sed -n 's/^label-id: //p; s/.*img\([0-9]\) : .*\(uuid=.*\)/\1 \2/p' \
  > "$t/src-ids"
sfdisk -d "$t/multifs-out.img" | tee "$t/table" |
  sed -n 's/^label-id: //p; s/.*img\([0-9]\) : .*\(uuid=.*\)/\1 \2/p' |
  head -n "$(wc -l < "$t/src-ids")" > "$t/out-ids"
cat "$t/table"
diff -u "$t/src-ids" "$t/out-ids"
grep -q 'multifs-out.img1 : start= *2048, size= *122880, ' "$t/table"

# The shrunk ext4: clean, its files intact.  The xfs grown: clean and
# bigger (it was 300M).
part_extract "$t/multifs-out.img" 1 "$t/p1"
e2fsck -fn "$t/p1"
rm -f "$t/p1"
assert_eq "/data/blob-2M after shrinking" "$blob" \
  "$(ext_file_sha "$t/multifs-out.img" 1 /data/blob-2M)"
assert_eq "/data/README after shrinking" "$readme" \
  "$(ext_file_sha "$t/multifs-out.img" 1 /data/README)"
part_extract "$t/multifs-out.img" 2 "$t/p2"
xfs_repair -n "$t/p2"
blocks=$(xfs_db -r -c 'sb 0' -c 'p dblocks' "$t/p2" | sed 's/.* = //')
rm -f "$t/p2"
[ $((blocks * 4096)) -gt $((380 * 1024 * 1024)) ]

# An unknown-filesystem policy of "error" refuses before writing.
out_sum="$(sha256_of "$t/multifs-out.img")"
if "$vr" --unknown-filesystems error --resize sda4=+20M "$src" \
     "$t/multifs-out.img" 2> "$t/err"; then
  echo "--unknown-filesystems error was ignored" >&2; exit 1
fi
grep -q "^virt-resize: error: unknown/unavailable method for expanding the vfat filesystem on /dev/sda4" "$t/err"
assert_eq "target after refusal" "$out_sum" "$(sha256_of "$t/multifs-out.img")"

src_sha="$(sha256sum < "$img")"

# ---------------------------------------------------------------------
# 2. No key: the partition grows, what it holds cannot; a warning by
# default, and no appliance (any launch would fail under /bin/false).
truncate -s 400M "$t/luks-out.img"
LIBGUESTFS_HV=/bin/false "$vr" --expand /dev/sda2 "$img" "$t/luks-out.img" \
  > "$t/log" 2>&1 || { cat "$t/log"; exit 1; }
cat "$t/log"
grep -q "^virt-resize: warning: unknown/unavailable method for expanding the LUKS encrypted data on /dev/sda2" "$t/log"

# --unknown-filesystems error: refused before anything is written.
truncate -s 400M "$t/untouched.img"
before="$(sha256sum < "$t/untouched.img")"
if LIBGUESTFS_HV=/bin/false "$vr" --unknown-filesystems error \
     --expand /dev/sda2 "$img" "$t/untouched.img" 2> "$t/err"; then
  echo "LUKS without a key was accepted with --unknown-filesystems error" >&2
  exit 1
fi
cat "$t/err"
grep -q "^virt-resize: error: unknown/unavailable method for expanding the LUKS encrypted data on /dev/sda2" "$t/err"
assert_eq "target after a refusal" "$before" "$(sha256sum < "$t/untouched.img")"

# Unrecognised content (random bytes) is treated the same way.
truncate -s 64M "$t/unknown.img"
sfdisk -q "$t/unknown.img" <<'SFDISK'
label: dos
start=2048, size=40960, type=83
start=43008, type=83
SFDISK
dd if=/dev/urandom of="$t/unknown.img" bs=512 seek=43008 count=40960 \
  conv=notrunc status=none
truncate -s 128M "$t/unknown-out.img"
LIBGUESTFS_HV=/bin/false "$vr" --expand /dev/sda2 "$t/unknown.img" \
  "$t/unknown-out.img" > "$t/log" 2>&1 || { cat "$t/log"; exit 1; }
grep -q "^virt-resize: warning: unknown/unavailable method for expanding the unknown data on /dev/sda2" "$t/log"
if LIBGUESTFS_HV=/bin/false "$vr" --unknown-filesystems error \
     --expand /dev/sda2 "$t/unknown.img" "$t/unknown-out.img" 2> "$t/err"
then
  echo "unknown data was accepted with --unknown-filesystems error" >&2
  exit 1
fi
grep -q "^virt-resize: error: unknown/unavailable method for expanding the unknown data on /dev/sda2" "$t/err"

# ---------------------------------------------------------------------
# 3. With the key: the ext4 inside grows to fill the partition.
truncate -s 400M "$t/luks-out.img"
"$vr" --expand /dev/sda2 --key "/dev/sda2:key:$LUKS_KEY" "$img" \
  "$t/luks-out.img" > "$t/log" 2>&1 || { cat "$t/log"; exit 1; }
cat "$t/log"
grep -q "Expanding filesystem ext4 inside /dev/sda2 using the ‘resize2fs’ method" "$t/log"
if grep -q "warning: unknown/unavailable" "$t/log"; then
  echo "a warning although the key was given" >&2; exit 1
fi

assert_eq "source after all runs" "$src_sha" "$(sha256sum < "$img")"

# ---------------------------------------------------------------------
# The new sizes, as virt-df reads them: both results in one appliance.

"$vdf" --csv -q --key "all:key:$LUKS_KEY" --per-disk "$t/multifs-out.img" \
  "$t/luks-out.img" > "$t/df"
cat "$t/df"
kib () { awk -F, -v g="$1" -v d="$2" '$1 == g && $2 == d { print $3 }' "$t/df"; }
[ "$(kib multifs-out.img /dev/sda3)" -gt 250000 ]            # btrfs: was 163840
[ "$(kib multifs-out.img /dev/sda5)" -gt 190000 ]            # ntfs: was ~102400
[ "$(kib multifs-out.img /dev/gktestvg/lvxfs)" -gt 300000 ]  # xfs LV: was 241664
[ "$(kib multifs-out.img /dev/sda4)" -lt 70000 ]             # vfat: not grown
[ "$(kib multifs-out.img /dev/sda1)" -lt 62000 ]             # ext4: was ~100000
# The encrypted ext4 was ~110 MiB; now it spans ~350 MiB.
blocks="$(awk -F, '$1 == "luks-out.img" && $2 != "/dev/sda1" { print $3 }' "$t/df")"
[ -n "$blocks" ] && [ "$blocks" -gt 300000 ] || {
  echo "the ext4 inside LUKS did not grow: $blocks 1K-blocks" >&2; exit 1; }
