#!/bin/bash
# --unknown-filesystems for content virt-resize cannot grow by itself
# (LUKS without a key, unrecognised data), and LUKS content grown when
# its key is given.  Two appliance launches: the grow, and virt-df
# reading the result through the key.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

img="$(luks_image)"
test_tmpdir
vr="$top_builddir/resize/virt-resize"
vdf="$top_builddir/df/virt-df"
src_sha="$(sha256sum < "$img")"

# No key: the partition grows, what it holds cannot; a warning by
# default, and no appliance (any launch would fail under /bin/false).
truncate -s 400M "$t/out.img"
LIBGUESTFS_HV=/bin/false "$vr" --expand /dev/sda2 "$img" "$t/out.img" \
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

# With the key: the ext4 inside grows to fill the partition.
truncate -s 400M "$t/out.img"
"$vr" --expand /dev/sda2 --key "/dev/sda2:key:$LUKS_KEY" "$img" \
  "$t/out.img" > "$t/log" 2>&1 || { cat "$t/log"; exit 1; }
cat "$t/log"
grep -q "Expanding filesystem ext4 inside /dev/sda2 using the ‘resize2fs’ method" "$t/log"
if grep -q "warning: unknown/unavailable" "$t/log"; then
  echo "a warning although the key was given" >&2; exit 1
fi

"$vdf" --csv -q --key "/dev/sda2:key:$LUKS_KEY" -a "$t/out.img" > "$t/df"
cat "$t/df"
# The encrypted ext4 was ~110 MiB; now it spans ~350 MiB.
blocks="$(awk -F, 'NR > 1 && $2 != "/dev/sda1" { print $3 }' "$t/df")"
[ -n "$blocks" ] && [ "$blocks" -gt 300000 ] || {
  echo "the ext4 inside LUKS did not grow: $blocks 1K-blocks" >&2; exit 1; }

assert_eq "source after all runs" "$src_sha" "$(sha256sum < "$img")"
