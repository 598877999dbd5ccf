#!/bin/bash
# Many images in one run share an appliance where that is safe.  Two
# clones of one image carry the same LVM PV/VG identities and btrfs UUID,
# so they must not share; the Debian guest can share with anyone.  Each
# guest's rows must be exactly what it gets when checked on its own.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

multifs="$(multifs_image)"
debian="$(debian_guest_image)"
test_tmpdir
vdf="$top_builddir/df/virt-df"

# Two qcow2 clones of the multifs image: identical contents, cheap.
qemu-img create -q -f qcow2 -F raw -b "$multifs" "$t/clone1.qcow2"
qemu-img create -q -f qcow2 -F raw -b "$multifs" "$t/clone2.qcow2"

# Reference: each guest alone (the Debian one through --one-per-guest,
# which is also what that option must give: one appliance for it alone).
"$vdf" --csv -a "$t/clone1.qcow2" > "$t/alone1"
"$vdf" --csv --one-per-guest --per-disk "$debian" > "$t/alone-debian"
sed 's/^clone1.qcow2,/clone2.qcow2,/' "$t/alone1" | tail -n +2 > "$t/alone2"

# All three in one run, -v to see how they were batched.
"$vdf" -v -P 1 --csv --per-disk "$t/clone1.qcow2" "$debian" \
  "$t/clone2.qcow2" > "$t/together" 2> "$t/log"
cat "$t/together"
{
  cat "$t/alone1"
  tail -n +2 "$t/alone-debian"
  cat "$t/alone2"
} > "$t/expected"
diff -u "$t/expected" "$t/together"

# The clones were detected and rerun alone; -P 1 means one appliance at
# a time, so sharing is what made this run cheaper than three launches.
grep -q "clone1.qcow2: shares LVM or btrfs identities" "$t/log"
grep -q "clone2.qcow2: shares LVM or btrfs identities" "$t/log"
! grep -q "$(basename "$debian"): shares" "$t/log"

# The Debian guest: root on /dev/sda1, swap (/dev/sda5) not listed.
grep -q "^$(basename "$debian"),/dev/sda1," "$t/together"
! grep -q "/dev/sda5" "$t/together"

# --one-per-guest never shares, so the clones met no conflict there:
# its log (above) has no rerun, and its rows are the Debian guest's
# rows in the shared run.
grep -q "^$(basename "$debian"),/dev/sda1," "$t/alone-debian"
