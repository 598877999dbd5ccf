#!/bin/bash
# The text table, LUKS with a key, btrfs subvolumes and MD, and bad
# disks among good ones, in one appliance: virt-df -q --keys-from-stdin
# --per-disk over the LUKS image, the btrfs-subvolume image, the multifs
# image and four small disks, under valgrind when it is installed (no
# invalid access, nothing definitely leaked, error paths included).
#
#   - multifs: every figure checked against the statvfs figures its
#     builder recorded itself (upstream's columns, 1K blocks, Use%
#     rounded up).
#   - LUKS (--keys-from-stdin here; --key in the virt-resize LUKS test):
#     the filesystem inside is measured.  Without a key it is reported
#     and skipped: test-virt-df-guests.
#   - The rows come in upstream's order (partitions, btrfs subvolumes but
#     the default one right after their volume, MD devices; the LUKS
#     volume after the partitions) and the broken ext4 is left out.
#   - Bad disks (virt-df's part of the fault matrix of issue 8, with
#     test-virt-df-bad-input): random bytes and a blank disk have no
#     filesystems (a warning: upstream prints the header and exits 0, and
#     a cron job over an image directory must not fail on one odd disk),
#     a truncated qcow2 is an error before the launch (exit status 1),
#     and none of them hides the good disks (a qcow2 with logical
#     partitions among them).  The same in JSON from libvirt:
#     test-virt-df-guests.
#
# One launch; no image may change.  (A test of its own beside
# test-virt-df-guests, so that make -j2 runs the two side by side.)
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires sfdisk --version
source "$srcdir/../resize/test-images.sh"

multifs="$(multifs_image)"
expected="$(multifs_expected)"
luks="$(luks_image)"
subvol="$(subvol_image)"
multifs_sum="$(sha256_of "$multifs")"
luks_stamp="$(file_stamp "$luks")"
subvol_stamp="$(file_stamp "$subvol")"
test_tmpdir
vdf="$top_builddir/df/virt-df"

bad_and_good_disks "$t"
bad=(random.img blank.img good.qcow2 truncated.qcow2)
declare -A sums
for f in "${bad[@]}"; do
  sums[$f]="$(sha256_of "$t/$f")"
done

valgrind=()
if command -v valgrind > /dev/null; then
  valgrind=(valgrind --quiet --error-exitcode=99 --leak-check=full
            --errors-for-leak-kinds=definite --show-leak-kinds=definite
            --log-file="$t/valgrind.log")
fi
# The LUKS image first: its device is the appliance's /dev/sda, so the
# opened volume's name is the one upstream prints for that guest alone.
status=0
echo "$LUKS_KEY" |
  "${valgrind[@]}" "$vdf" -q --keys-from-stdin --per-disk "$luks" "$subvol" \
    "$multifs" "${bad[@]/#/$t/}" > "$t/text" 2> "$t/err" || status=$?
cat "$t/text" "$t/err" "$t/valgrind.log" 2>/dev/null
assert_eq "exit status with a bad disk" 1 "$status"
nofs="no filesystems were found (not a disk image, or an empty or"
nofs+=" encrypted one?)"
assert_eq "stderr lines" 3 "$(wc -l < "$t/err")"
assert_eq "warnings" \
  "virt-df: warning: random.img: $nofs
virt-df: warning: blank.img: $nofs" \
  "$(grep -v truncated.qcow2 "$t/err")"
grep -q "^virt-df: error: .*truncated.qcow2: the qcow2 image is corrupt" \
  "$t/err"
python3 "$srcdir/check-df-rows.py" text "$expected" "$(basename "$multifs")" \
  < "$t/text"

# The rows as "GUEST DEVICE FIGURES..." (a label too long for its column
# is a line of its own, its figures on the next).
awk 'NR == 1 { next }
     /^ / { print label, $0; next }
     NF == 1 { label = $1; next }
     { print }' "$t/text" |
  sed 's/:/ /' | tr -s ' ' > "$t/rows"
luks_name="$(basename "$luks")" subvol_name="$(basename "$subvol")"
assert_eq "rows in upstream's order" \
  "$luks_name /dev/sda1
$luks_name /dev/mapper/cryptsda2
$subvol_name /dev/sda1
$subvol_name /dev/sda2
$subvol_name btrfsvol:/dev/sda2/@home
$subvol_name /dev/md0" \
  "$(grep -e "^$luks_name " -e "^$subvol_name " "$t/rows" | cut -d' ' -f1,2)"
assert_eq "rows of the bad disks and the good one among them" \
  "good.qcow2 /dev/sda1
good.qcow2 /dev/sda5" \
  "$(grep -v -e "^$luks_name " -e "^$subvol_name " \
       -e "^$(basename "$multifs") " "$t/rows" | cut -d' ' -f1,2)"
# A btrfs volume's figures are the whole filesystem's, from any
# subvolume (the default @ is what the device row shows).
assert_eq "btrfs rows" 2 "$(grep -c "^$subvol_name [^ ]*sda2" "$t/rows")"
assert_eq "btrfs figures" 1 \
  "$(grep "^$subvol_name [^ ]*sda2" "$t/rows" | cut -d' ' -f3- | sort -u |
     wc -l)"

assert_eq "multifs image" "$multifs_sum" "$(sha256_of "$multifs")"
assert_eq "LUKS image" "$luks_stamp" "$(file_stamp "$luks")"
assert_eq "subvol image" "$subvol_stamp" "$(file_stamp "$subvol")"
for f in "${bad[@]}"; do
  assert_eq "sha256 of $f" "${sums[$f]}" "$(sha256_of "$t/$f")"
done
