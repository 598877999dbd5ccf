#!/bin/bash
# --machine-readable: the fact list (probing the appliance once: one
# launch, then remembered), and errors as JSON lines on the chosen
# channel.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

test_tmpdir
vdf="$top_builddir/df/virt-df"

# The appliance's features are asked of an appliance once, then
# remembered until its files change: forget them first, so this run
# launches (and remembers), and the second answers without a launch (a
# launch would fail under /bin/false) with the same list.
rm -f "${LIBGUESTFS_CACHEDIR:-/var/tmp}/guestkit-features.$(id -u)"
"$vdf" --machine-readable > "$t/facts"
cat "$t/facts"
LIBGUESTFS_HV=/bin/false "$vdf" --machine-readable > "$t/facts-cached"
diff -u "$t/facts" "$t/facts-cached"
assert_eq "first fact" virt-df "$(head -n 1 "$t/facts")"
for fact in csv json human-readable inodes uuid per-disk; do
  grep -qx "$fact" "$t/facts"
done
# Probed: the appliance on these machines has btrfs and xfs.
grep -qx btrfs "$t/facts"
grep -qx xfs "$t/facts"
not grep -v '^[a-z0-9-]*$' "$t/facts"

# An error: the usual line on stderr, and a JSON line on the channel,
# whichever is chosen (no launch: the image is missing).
if "$vdf" --machine-readable=stream:stderr -a "$t/missing.img" \
     > "$t/out" 2> "$t/err"; then
  exit 1
fi
if "$vdf" --machine-readable=file:"$t/channel" -a "$t/missing.img" \
     > "$t/stdout" 2> "$t/err2"; then
  exit 1
fi
cat "$t/err" "$t/err2" "$t/channel"
[ ! -s "$t/stdout" ]
grep -q '^virt-df: error: .*missing.img' "$t/err"
grep -q '^virt-df: error: .*missing.img' "$t/err2"
not grep -q '^{' "$t/err2"
diff -u <(grep -v '^{' "$t/err") "$t/err2"
for channel in "$t/err" "$t/channel"; do
  grep '^{' "$channel" | python3 -c '
import json, re, sys
msgs = [json.loads(l) for l in sys.stdin]
assert msgs and msgs[-1]["type"] == "error", msgs
assert "missing.img" in msgs[-1]["message"], msgs
assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}[+-]\d\d:\d\d$",
                msgs[-1]["timestamp"]), msgs
print("json messages ok")
'
done
