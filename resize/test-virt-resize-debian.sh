#!/bin/bash
# The real Debian guest (MBR: sda1 ext4 root, sda2 extended, sda5 swap):
# --expand its root into a bigger disk.  The result must boot, keep every
# file's checksum and its swap's UUID, and the source must not change.
# Run in machine-readable mode, whose output must parse.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires python3 --version

src="$(debian_guest_image)"
manifest="$(debian_guest_manifest)"
test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"

src_sum="$(sha256_of "$src")"
qemu-img create -q -f raw "$t/out.img" 5G
# Old contents of the target must not show through.
printf 'stale data' | dd of="$t/out.img" bs=1M seek=4000 conv=notrunc \
  status=none

"$vr" --expand /dev/sda1 --machine-readable=file:"$t/events" \
  "$src" "$t/out.img" > "$t/stdout"
cat "$t/stdout" "$t/events"

# Progress as "pos/total" lines on stdout, messages as JSON lines.
grep -Eq '^[0-9]+/[0-9]+$' "$t/stdout"
python3 - "$t/events" <<'PY'
import json, sys
types = set()
for line in open(sys.argv[1]):
    msg = json.loads(line)
    assert list(msg) == ["message", "timestamp", "type"], msg
    types.add(msg["type"])
assert {"message", "info"} <= types, types
PY
grep -q '"Expanding /dev/sda1 using the ‘resize2fs’ method"' "$t/events"

assert_eq "source checksum" "$src_sum" "$(sha256_of "$src")"
assert_no_leftovers "$TMPDIR"
if grep -a -q 'stale data' "$t/out.img"; then
  echo "the target's old contents survived" >&2; exit 1
fi

# Same numbers, ids and flags; sda1 fills the new space, exactly where
# upstream virt-resize puts it (same command, same layout).
sfdisk -d "$t/out.img" | tee "$t/table"
grep -q "out.img1 : start= *2048, size= *9954944, type=83, bootable" "$t/table"
grep -q "out.img2 : .*type=f" "$t/table"
grep -q "out.img5 : .*type=82" "$t/table"
assert_eq "disk signature" "$(sfdisk --disk-id "$src")" \
  "$(sfdisk --disk-id "$t/out.img")"

# The swap keeps its UUID (fstab may use it).
swap_uuid () {
  local start
  start=$(sfdisk -d "$1" | sed -n 's/.*5 : start= *\([0-9]*\),.*/\1/p')
  dd if="$1" bs=512 skip="$start" count=8 status=none > "$t/swaphead"
  blkid -p -o value -s UUID "$t/swaphead"
}
assert_eq "swap UUID" "$(swap_uuid "$src")" "$(swap_uuid "$t/out.img")"

check_guest "$t/out.img" "$manifest"
boot_check "$t/out.img" raw
