#!/bin/bash
# LUKS: without a key the encrypted partition is reported and skipped;
# with the key (--keys-from-stdin here; --key in the virt-resize LUKS
# test) the filesystem inside is measured.  The keyed run shares its
# appliance with the btrfs-subvolume image (--per-disk): its rows come in
# upstream's order (partitions, btrfs subvolumes but the default one
# right after their volume, MD devices; the LUKS volume after the
# partitions) and the broken ext4 is left out.  Two appliance launches.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

img="$(luks_image)"
subvol="$(subvol_image)"
test_tmpdir
vdf="$top_builddir/df/virt-df"

"$vdf" --csv -a "$img" > "$t/out" 2> "$t/err" < /dev/null
cat "$t/out" "$t/err"
grep -q "^virt-df: warning: /dev/sda2 is encrypted and no key was given" \
  "$t/err"
assert_eq "rows without a key" 1 "$(grep -c "^$(basename "$img")," "$t/out")"

echo "$LUKS_KEY" | "$vdf" --csv -q --keys-from-stdin --per-disk "$img" \
  "$subvol" > "$t/out" 2> "$t/err"
cat "$t/out" "$t/err"
[ ! -s "$t/err" ]
luks_name="$(basename "$img")" subvol_name="$(basename "$subvol")"
assert_eq "rows in upstream's order" \
  "$luks_name /dev/sda1
$luks_name /dev/mapper/cryptsda2
$subvol_name /dev/sda1
$subvol_name /dev/sda2
$subvol_name btrfsvol:/dev/sda2/@home
$subvol_name /dev/md0" \
  "$(tail -n +2 "$t/out" | cut -d, -f1,2 | tr , ' ')"
# A btrfs volume's figures are the whole filesystem's, from any
# subvolume (the default @ is what the device row shows).
assert_eq "btrfs figures" 1 \
  "$(grep "^$subvol_name,[^,]*sda2" "$t/out" | cut -d, -f3- | sort -u |
     wc -l)"
