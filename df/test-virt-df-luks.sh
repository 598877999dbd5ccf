#!/bin/bash
# LUKS: without a key the encrypted partition is reported and skipped;
# with the key (--keys-from-stdin here; --key in the virt-resize LUKS
# test) the filesystem inside is measured.  Two appliance launches.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

img="$(luks_image)"
test_tmpdir
vdf="$top_builddir/df/virt-df"

"$vdf" --csv -a "$img" > "$t/out" 2> "$t/err" < /dev/null
cat "$t/out" "$t/err"
grep -q "^virt-df: warning: /dev/sda2 is encrypted and no key was given" \
  "$t/err"
assert_eq "rows without a key" 1 "$(grep -c "^$(basename "$img")," "$t/out")"

echo "$LUKS_KEY" | "$vdf" --csv -q --keys-from-stdin -a "$img" \
  > "$t/out" 2> "$t/err"
cat "$t/out" "$t/err"
[ ! -s "$t/err" ]
grep -q "^$(basename "$img"),/dev/sda1," "$t/out"
grep -q "^$(basename "$img"),/dev/mapper/[^,]*sda2,[0-9]*,[0-9]*," "$t/out"
