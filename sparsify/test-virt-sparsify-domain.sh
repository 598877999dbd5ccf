#!/bin/bash
# --in-place --dry-run -c URI -d DOMAIN: every disk of a shut-off
# domain (the dirty image and the LUKS image, opened with --key) in one
# appliance; each filesystem, the swap and the VG get a line saying
# what a trim would release, with the exact figure as JSON (checked
# against the free blocks of the image the dirty one was made from),
# and nothing is written: neither disk changes.
# Appliance launches: 1.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires which libvirtd virsh
requires sfdisk --version
requires start_libvirtd
start_libvirtd
uri="$GUESTKIT_TEST_LIBVIRT_URI"

img="$(dirty_image)" || exit $?
luks="$(luks_image)" || exit $?
expected="$(multifs_expected)" || exit $?
test_tmpdir --private-tmpdir
vs="$top_builddir/sparsify/virt-sparsify"

define_test_domain sparsify "$img" raw "$luks" raw
img_stamp="$(file_stamp "$img")"
luks_stamp="$(file_stamp "$luks")"

outer="${GUESTKIT_LAUNCH_LOG:-}"
export GUESTKIT_LAUNCH_LOG="$t/launches"
: > "$t/launches"
status=0
"$vs" --in-place --dry-run -c "$uri" -d "$test_domain" \
  --key "all:key:$LUKS_KEY" --machine-readable="file:$t/mr" \
  > "$t/log" 2>&1 || status=$?
[ -z "$outer" ] || cat "$t/launches" >> "$outer"
cat "$t/log" "$t/mr"
assert_eq "exit status" 0 "$status"
assert_eq "launches" 1 "$(wc -l < "$t/launches")"

# Nothing written, nothing trimmed.
assert_eq "dirty image" "$img_stamp" "$(file_stamp "$img")"
assert_eq "LUKS image" "$luks_stamp" "$(file_stamp "$luks")"
not grep -q 'Trimming\|Clearing\|Discard space' "$t/log"
assert_no_leftovers "$TMPDIR"

# A line for every filesystem, the swap and the VG of both disks,
# named with their disk (two disks share the appliance).
for dev in sda1 sda2 sda3 sda4 sda5; do
  grep -q "\] Would trim /dev/$dev ($img): [0-9.]*[KMG] free$" "$t/log"
done
# An LV may span disks: it is named alone.
for dev in gktestvg/lvext4 gktestvg/lvxfs; do
  grep -q "\] Would trim /dev/$dev: [0-9.]*[KMG] free$" "$t/log"
done
grep -q "\] Would clear Linux swap on /dev/sda6 ($img): .* (its header kept)$" \
  "$t/log"
grep -q "\] Would discard the free space of volgroup gktestvg: [0-9.]*[KMG]$" \
  "$t/log"
grep -q "\] Would trim /dev/sdb1 ($luks): " "$t/log"
# The LUKS volume was opened with the key; dm-crypt passes no discard,
# so its filesystem is skipped, as the real run would find.
grep -q "\] Would skip /dev/mapper/cryptsdb2 ($luks): it is inside an encrypted volume" \
  "$t/log"
grep -q '^virt-sparsify: Dry run: nothing was changed.  Up to ' "$t/log"

# The figures: a filesystem's free blocks (the dirty image's junk was
# deleted, so they are the clean image's: ext4, vfat and ntfs give
# them back exactly; xfs and btrfs keep some for themselves), the
# swap's body, the VG's free extents.
json_bytes () {
  sed -n "s|^{ \"device\": \"$1\", .*\"would-release\": \\([0-9]*\\) }$|\\1|p" \
    "$t/mr"
}
for dev in /dev/sda1 /dev/sda4 /dev/sda5 /dev/gktestvg/lvext4; do
  want="$(awk -v d="$dev" '$1 == d { printf "%d", $3 * $5 }' "$expected")"
  got="$(json_bytes "$dev")"
  echo "$dev: would release $got, free blocks $want"
  assert_eq "$dev would release" "$want" "$got"
done
swap_sectors="$(sfdisk -d "$img" | sed -n 's|.*6 : start=.*size= *\([0-9]*\),.*|\1|p')"
assert_eq "swap would release" $((swap_sectors * 512 - 4096)) \
  "$(json_bytes /dev/sda6)"
[ "$(json_bytes gktestvg)" -gt 0 ]
