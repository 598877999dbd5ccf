#!/bin/bash
# Every kind of content grown in one run (one appliance launch): btrfs,
# ntfs, an LVM PV with an xfs LV (--lv-expand), swap (on the host), and
# vfat, which no tool can grow (a warning, as upstream).  Our virt-df
# then reads the new sizes.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

src="$(multifs_image)"
test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"
vdf="$top_builddir/df/virt-df"

src_sum="$(sha256_of "$src")"
truncate -s 2G "$t/out.img"
"$vr" --resize sda3=+100M --resize sda5=+100M --resize sda4=+20M \
  --resize sda6=+16M --resize sda7=+100M --lv-expand /dev/gktestvg/lvxfs \
  "$src" "$t/out.img" > "$t/log" 2>&1
cat "$t/log"
for m in "Expanding /dev/sda3 using the ‘btrfs-filesystem-resize’ method" \
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
sgdisk -v "$t/out.img" | grep -q 'No problems found'

"$vdf" --csv -a "$t/out.img" | tee "$t/df"
kib () { awk -F, -v d="$1" '$2 == d { print $3 }' "$t/df"; }
[ "$(kib /dev/sda3)" -gt 250000 ]                  # btrfs: was 163840
[ "$(kib /dev/sda5)" -gt 190000 ]                  # ntfs: was ~102400
[ "$(kib /dev/gktestvg/lvxfs)" -gt 300000 ]        # xfs LV: was 241664
[ "$(kib /dev/sda4)" -lt 70000 ]                   # vfat: not grown

# An unknown-filesystem policy of "error" refuses before writing.
out_sum="$(sha256_of "$t/out.img")"
if "$vr" --unknown-filesystems error --resize sda4=+20M "$src" \
     "$t/out.img" 2> "$t/err"; then
  echo "--unknown-filesystems error was ignored" >&2; exit 1
fi
grep -q "^virt-resize: error: unknown/unavailable method for expanding the vfat filesystem on /dev/sda4" "$t/err"
assert_eq "target after refusal" "$out_sum" "$(sha256_of "$t/out.img")"
