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

# Other channels (on an error: no second launch).
if "$vr" --machine-readable=file:"$t/channel" "$t/missing.img" \
     "$t/out.img" > "$t/stdout" 2> "$t/err"; then
  exit 1
fi
cat "$t/stdout" "$t/err" "$t/channel"
not grep -q '^{' "$t/stdout" "$t/err"
grep -q '^virt-resize: error: .*missing.img' "$t/err"
python3 -c '
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1])]
assert msgs[-1]["type"] == "error" and "missing.img" in msgs[-1]["message"], msgs
' "$t/channel"
if "$vr" --machine-readable=bogus 2> "$t/err"; then exit 1; fi
grep -q '^virt-resize: error: .*invalid' "$t/err"
