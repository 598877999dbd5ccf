#!/bin/bash
# The real Debian guests, each resized (one launch each, growing the
# root filesystem), then both checked in one launch and booted:
#
# - the plain one (MBR: sda1 ext4 root, sda2 extended, sda5 swap):
#   --expand its root into a bigger disk, in machine-readable mode,
#   whose output must parse.  It must keep every file's checksum and
#   its swap's UUID.
# - the one with its root on LVM, qcow2 to qcow2: grow the PV's
#   partition and --lv-expand the root LV.  It must keep its files'
#   checksums, and its root filesystem must have grown.
#
# Both must boot, and their sources must not change.  Appliance
# launches: 3 (plus two guest boots).
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires python3 --version

src="$(debian_guest_image)"
manifest="$(debian_guest_manifest)"
lvm_src="$(debian_lvm_guest_image)"
lvm_manifest="$(debian_lvm_guest_manifest)"
test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"

# ---------------------------------------------------------------------
# The plain guest.

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
# The progress lines count the copy's bytes: one series per partition
# copied, never going back, ending at that partition's size.  The
# appliance's launch is not among them (it counts in twelfths: "9/12").
sfdisk -d "$src" |
  sed -n 's/.* size= *\([0-9]*\), type=\([0-9a-f]*\).*/\1 \2/p' |
  awk '$2 != "5" && $2 != "f" { print $1 * 512 }' > "$t/sizes"
python3 - "$t/stdout" "$t/sizes" <<'PY'
import re, sys
series = []
for line in open(sys.argv[1]):
    m = re.fullmatch(r"(\d+)/(\d+)\n?", line)
    if not m:
        continue
    pos, total = int(m[1]), int(m[2])
    last = series[-1][-1] if series else None
    if last and last[0] < last[1]:
        assert total == last[1] and pos >= last[0], (last, line)
        series[-1].append((pos, total))
    else:
        series.append([(pos, total)])
ends = [s[-1] for s in series]
assert all(pos == total for pos, total in ends), ends
sizes = sorted(int(x) for x in open(sys.argv[2]))
assert sorted(total for _, total in ends) == sizes, (ends, sizes)
PY
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

# ---------------------------------------------------------------------
# The LVM guest.

lvm_sum="$(sha256_of "$lvm_src")"
qemu-img create -q -f qcow2 "$t/out.qcow2" 6G

"$vr" --expand /dev/sda2 --lv-expand /dev/gkvg/root "$lvm_src" \
  "$t/out.qcow2" | tee "$t/log"
grep -q 'The LVM PV on /dev/sda2 will be expanded using the ‘pvresize’ method' "$t/log"
grep -q '/dev/gkvg/root: This logical volume will be expanded to maximum size.  The filesystem ext4 on /dev/gkvg/root will be expanded using the ‘resize2fs’ method.' "$t/log"
grep -q 'Expanding /dev/gkvg/root using the ‘resize2fs’ method' "$t/log"
assert_eq "LVM source checksum" "$lvm_sum" "$(sha256_of "$lvm_src")"
assert_no_leftovers "$TMPDIR"

# Sparse: far less allocated than the 6G it holds.
alloc=$(qemu-img info --output=json "$t/out.qcow2" |
  sed -n 's/.*"actual-size": \([0-9]*\).*/\1/p')
[ "$alloc" -lt $((2 * 1024 * 1024 * 1024)) ]

# ---------------------------------------------------------------------
# Both results in one appliance: every file intact in each, and the
# LVM guest's root filesystem now spans more than 4G (it was under 2G).

check_guest "$t/out.img" "$manifest" + \
  --format qcow2 "$t/out.qcow2" "$lvm_manifest" > "$t/check" ||
  { cat "$t/check"; exit 1; }
cat "$t/check"
# Each image's lines: from its "image:" line to the next.
image_lines () { awk -v i="image: $1" '/^image: / { on = ($0 == i) } on' "$t/check"; }
image_lines "$t/out.img" | grep -qx 'root: /dev/sda1'
image_lines "$t/out.qcow2" | grep -qx 'root: /dev/gkvg/root'
for img in "$t/out.img" "$t/out.qcow2"; do
  image_lines "$img" | grep -qx 'distro: debian'
done
assert_eq "files checked" \
  "$(cat "$manifest" "$lvm_manifest" | grep -c $'\t')" \
  "$(grep -c '^ok ' "$t/check")"
root_size=$(image_lines "$t/out.qcow2" | sed -n 's/^root_size: //p')
[ "$root_size" -gt $((4 * 1024 * 1024 * 1024)) ]

# TCG on 2 cores needs well over a minute each; allow for a busy
# machine.
boot_check "$t/out.img" raw 400
boot_check "$t/out.qcow2" qcow2 400
