#!/bin/bash
# --in-place on three disks in one run: two clones of the dirty image
# (same filesystem UUIDs, PV UUIDs and VG name: they must not share an
# appliance) and the LUKS image (shares the first one's).  Allocation
# shrinks, every file of a clone is intact, the swap header is kept,
# and the run made exactly two launches.
# Appliance launches: 3 (two for sparsify, one to verify).
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires sfdisk --version

img="$(dirty_image)" || exit $?
base="$(multifs_image)" || exit $?
luks="$(luks_image)" || exit $?
test_tmpdir --private-tmpdir
vs="$top_builddir/sparsify/virt-sparsify"
MiB=$((1024 * 1024))
alloc () { echo $(( $(stat -c %b "$1") * 512 )); }

cp --sparse=always "$img" "$t/a.img"
cp --sparse=always "$img" "$t/b.img"
cp --sparse=always "$luks" "$t/c.img"
before="$(alloc "$t/a.img")"
live="$(alloc "$base")"

# Count this run's launches, and still report them to the harness.
outer="${GUESTKIT_LAUNCH_LOG:-}"
export GUESTKIT_LAUNCH_LOG="$t/launches"
: > "$t/launches"
status=0
"$vs" --in-place --key "all:key:$LUKS_KEY" \
  "$t/a.img" "$t/b.img" "$t/c.img" > "$t/log" 2>&1 || status=$?
[ -z "$outer" ] || cat "$t/launches" >> "$outer"
cat "$t/log"
assert_eq "exit status" 0 "$status"
assert_eq "launches" 2 "$(wc -l < "$t/launches")"

# Upstream's messages; devices named with their disk where disks share
# the appliance (a.img and c.img), plainly where not (b.img).
grep -q "^\[ *[0-9.]*\] Trimming /dev/sda1 ($t/a.img)$" "$t/log"
grep -q "^\[ *[0-9.]*\] Trimming /dev/sdb1 ($t/c.img)$" "$t/log"
grep -q "^\[ *[0-9.]*\] Trimming /dev/sda1$" "$t/log"
grep -q "^\[ *[0-9.]*\] Clearing Linux swap on /dev/sda6" "$t/log"
[ "$(grep -c '\] Discard space in volgroup gktestvg$' "$t/log")" -eq 2 ]
grep -q "^\[ *[0-9.]*\] Trimming /dev/sda5 ($t/a.img)$" "$t/log"
grep -q \
  '^virt-sparsify: Sparsify in-place operation completed with no errors$' \
  "$t/log"
grep -q "^virt-sparsify: $t/a.img: allocated .* before, .* after.$" "$t/log"

after="$(alloc "$t/a.img")"
echo "live $live, before $before, after $after"
[ "$after" -le $(( live * 11 / 10 + 4 * MiB )) ]
[ "$(alloc "$t/b.img")" -le $(( live * 11 / 10 + 4 * MiB )) ]
[ "$(alloc "$t/c.img")" -le "$(alloc "$luks")" ]

swap_start="$(sfdisk -d "$img" | sed -n 's|.*6 : start= *\([0-9]*\),.*|\1|p')"
for f in "$img" "$t/a.img" "$t/b.img"; do
  dd if="$f" bs=512 skip="$swap_start" count=8 status=none | sha256sum
done | uniq | wc -l | grep -qx 1

# Its appliance cache goes to TMPDIR: not in the tool's.
TMPDIR="$t" dirty_verify "$t/a.img" raw
assert_no_leftovers "$TMPDIR"
