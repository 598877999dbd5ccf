#!/bin/bash
# --in-place on six disks in one run: two clones of the dirty image
# (same filesystem UUIDs, PV UUIDs and VG name: they must not share an
# appliance), the LUKS image (opened with --key), a disk of two ext4
# partitions made on the host (--ignore sdc1, --zero sdc2) and a 5 GiB
# vfat (more free space than a FAT file can hold: upstream's zero file
# fails there) share the first one's, and a disk of random bytes fails.
# The failure is reported and the others still finish (exit 1);
# allocation shrinks, every file of a clone is intact, the swap header
# is kept, --ignore and --zero do what they say (--zero releases the
# space too), no warning says a name was unknown, and the run made
# exactly two launches.
# Appliance launches: 3 (two for sparsify, one to verify).
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires sfdisk --version
requires mke2fs -V
requires debugfs -V
requires which mkfs.vfat mcopy mdel

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
head -c 8M /dev/urandom > "$t/e.img"

# d.img: two ext4 partitions made on the host, each with a live file and
# 24 MiB of deleted junk in its free space.
mkdir "$t/fsdir"
echo "still here" > "$t/fsdir/keep.txt"
yes gk-in-place-junk | head -c 24M > "$t/fsdir/junk" || :
truncate -s 96M "$t/d.img"
printf 'label: dos\n2048,81920\n83968,,\n' | sfdisk -q "$t/d.img"
for n in 1 2; do
  truncate -s 40M "$t/p$n"
  mke2fs -q -F -t ext4 -d "$t/fsdir" "$t/p$n"
  debugfs -w -R "rm /junk" "$t/p$n"
done
dd if="$t/p1" of="$t/d.img" bs=512 seek=2048 conv=notrunc status=none
dd if="$t/p2" of="$t/d.img" bs=512 seek=83968 conv=notrunc status=none
rm -f "$t/p1" "$t/p2"
rm -r "$t/fsdir"
# part N OUT: partition N of d.img.
part () {
  local start size
  read -r start size < <(sfdisk -d "$t/d.img" |
    sed -n "s|.*$1 : start= *\\([0-9]*\\), size= *\\([0-9]*\\),.*|\\1 \\2|p")
  dd if="$t/d.img" of="$2" bs=512 skip="$start" count="$size" status=none
}
junk () { grep -a -o gk-in-place-junk "$1" | wc -l; }

# f.img: a 5 GiB vfat on the whole disk, with 32 MiB of deleted junk.
truncate -s 5G "$t/f.img"
mkfs.vfat -F 32 "$t/f.img" > /dev/null
yes gk-in-place-junk | head -c 32M > "$t/junk" || :
mcopy -i "$t/f.img" "$t/junk" ::junk
mdel -i "$t/f.img" ::junk
rm "$t/junk"
f_before="$(alloc "$t/f.img")"
[ "$f_before" -gt $((32 * MiB)) ]

d_before="$(alloc "$t/d.img")"
part 1 "$t/p1"
junk_d="$(junk "$t/p1")"
echo "junk in d.img's sdc1: $junk_d"
[ "$junk_d" -gt 1000000 ]
before="$(alloc "$t/a.img")"
live="$(alloc "$base")"

# Count this run's launches, and still report them to the harness.
outer="${GUESTKIT_LAUNCH_LOG:-}"
export GUESTKIT_LAUNCH_LOG="$t/launches"
: > "$t/launches"
status=0
"$vs" --in-place --key "all:key:$LUKS_KEY" \
  --ignore /dev/sdc1 --zero /dev/sdc2 \
  "$t/a.img" "$t/b.img" "$t/c.img" "$t/e.img" "$t/d.img" "$t/f.img" \
  > "$t/log" 2>&1 || status=$?
[ -z "$outer" ] || cat "$t/launches" >> "$outer"
cat "$t/log"
assert_eq "exit status" 1 "$status"
assert_eq "launches" 2 "$(wc -l < "$t/launches")"
grep -q "^virt-sparsify: error: $t/e.img: not a disk image" "$t/log"
assert_eq "last line" "virt-sparsify: error: 1 of 6 disks could not be sparsified" \
  "$(tail -1 "$t/log")"
not grep -q 'warning: --\(zero\|ignore\)' "$t/log"

# Upstream's messages; devices named with their disk where disks share
# the appliance (a.img and c.img), plainly where not (b.img).
grep -q "^\[ *[0-9.]*\] Trimming /dev/sda1 ($t/a.img)$" "$t/log"
grep -q "^\[ *[0-9.]*\] Trimming /dev/sdb1 ($t/c.img)$" "$t/log"
grep -q "^\[ *[0-9.]*\] Trimming /dev/sda1$" "$t/log"
grep -q "^\[ *[0-9.]*\] Clearing Linux swap on /dev/sda6" "$t/log"
[ "$(grep -c '\] Discard space in volgroup gktestvg$' "$t/log")" -eq 2 ]
grep -q "^\[ *[0-9.]*\] Trimming /dev/sda5 ($t/a.img)$" "$t/log"
grep -q "^\[ *[0-9.]*\] Zeroing /dev/sdc2 ($t/d.img)$" "$t/log"
not grep -q "/dev/sdc1" "$t/log"
grep -q "^virt-sparsify: $t/a.img: allocated .* before, .* after.$" "$t/log"

after="$(alloc "$t/a.img")"
echo "live $live, before $before, after $after"
[ "$after" -le $(( live * 11 / 10 + 4 * MiB )) ]
[ "$(alloc "$t/b.img")" -le $(( live * 11 / 10 + 4 * MiB )) ]
[ "$(alloc "$t/c.img")" -le "$(alloc "$luks")" ]
# The LUKS volume was opened with the key: its filesystem was reached
# (dm-crypt passes no discard, so it is only reported).
grep -q "/dev/mapper/cryptsdb2 ($t/c.img)" "$t/log"

# f.img: trimmed, its junk released.
grep -q "^\[ *[0-9.]*\] Trimming /dev/sdd ($t/f.img)$" "$t/log"
f_after="$(alloc "$t/f.img")"
echo "f.img: allocated $f_before before, $f_after after"
[ "$f_after" -le $(( f_before - 31 * MiB )) ]

# d.img: the ignored sdc1 keeps its junk and its file; sdc2 reads as
# zeroes.
part 1 "$t/p1"
assert_eq "junk in ignored sdc1" "$junk_d" "$(junk "$t/p1")"
assert_eq "sdc1 file" "still here" "$(debugfs -R "cat /keep.txt" "$t/p1" 2>/dev/null)"
part 2 "$t/p2"
assert_eq "bytes in zeroed sdc2" 0 "$(tr -d '\0' < "$t/p2" | wc -c)"
# ... and the zeroed partition was discarded, not written with zeroes:
# its 40 MiB (every block allocated by dd) are released.
d_after="$(alloc "$t/d.img")"
echo "d.img: allocated $d_before before, $d_after after"
[ "$d_after" -le $(( d_before - 38 * MiB )) ]

swap_start="$(sfdisk -d "$img" | sed -n 's|.*6 : start= *\([0-9]*\),.*|\1|p')"
for f in "$img" "$t/a.img" "$t/b.img"; do
  dd if="$f" bs=512 skip="$swap_start" count=8 status=none | sha256sum
done | uniq | wc -l | grep -qx 1

# Its appliance cache goes to TMPDIR: not in the tool's.
TMPDIR="$t" dirty_verify "$t/a.img" raw
assert_no_leftovers "$TMPDIR"
