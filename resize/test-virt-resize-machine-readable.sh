#!/bin/bash
# --machine-readable with no disks: upstream's fact list, then the
# filesystems the appliance can grow (this host's appliance has
# libguestfs-xfs, btrfs and ntfs-3g, so those must be listed).
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

test_tmpdir
vr="$top_builddir/resize/virt-resize"

"$vr" --machine-readable > "$t/facts"
cat "$t/facts"
printf '%s\n' virt-resize ntfsresize-force 32bitok 128-sector-alignment \
  alignment align-first infile-uri > "$t/expected"
head -7 "$t/facts" | diff -u "$t/expected" -
for fs in xfs btrfs ntfs; do
  grep -qx "$fs" "$t/facts"
done

# Other channels.
"$vr" --machine-readable=file:"$t/facts2" > "$t/stdout"
diff -u "$t/facts" "$t/facts2"
if "$vr" --machine-readable=bogus 2> "$t/err"; then exit 1; fi
grep -q '^virt-resize: error: .*invalid' "$t/err"
