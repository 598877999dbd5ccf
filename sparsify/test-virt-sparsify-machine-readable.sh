#!/bin/bash
# --machine-readable with no disks: upstream's fact list, then the
# optional filesystems the appliance supports (this host's appliance
# has btrfs and ntfs-3g, so both must be listed).
# Appliance launches: 1.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

test_tmpdir
vs="$top_builddir/sparsify/virt-sparsify"

"$vs" --machine-readable > "$t/facts"
cat "$t/facts"
printf '%s\n' virt-sparsify linux-swap zero check-tmpdir in-place \
  tmp-option ntfs btrfs | diff -u - "$t/facts"

if "$vs" --machine-readable=bogus 2> "$t/err"; then exit 1; fi
grep -q '^virt-sparsify: error: .*invalid' "$t/err"
