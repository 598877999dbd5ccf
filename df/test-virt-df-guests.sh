#!/bin/bash
# virt-df over the domains of a real libvirt daemon, every figure
# checked against the statvfs figures the multifs image builder recorded
# itself (GPT: ext4, xfs, btrfs, vfat, ntfs, swap, an LVM VG with two
# LVs).
#
#   1. Every domain of a real libvirt daemon, JSON: two qcow2 clones of
#      the multifs image (same LVM PV/VG and btrfs identities: they must
#      not share an appliance) and the Debian guest (it may share with
#      anyone), sorted by name.
#   2. -d UUID -d NAME --uuid -c, CSV with inodes: the Debian guest and
#      one clone share one appliance; each guest's rows must be what it
#      got in run 1, and a clone's rows what the builder recorded.
#
# Appliance launches: 3 (one shared, each clone rerun alone) + 1.
# The text table is test-virt-df-text's; the formats not seen in either
# (CSV blocks, -h) are unit-tested in test-df-output.  No input may change.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires which libvirtd virsh
start_libvirtd
uri="$GUESTKIT_TEST_LIBVIRT_URI"

multifs="$(multifs_image)"
expected="$(multifs_expected)"
debian="$(debian_guest_image)"
multifs_sum="$(sha256_of "$multifs")"
debian_stamp="$(file_stamp "$debian")"
test_tmpdir
vdf="$top_builddir/df/virt-df"

# The checks of figures, in one place: python3 over the builder's
# record (DEVICE bsize frsize blocks bfree bavail files ffree).
check_rows ()
{
  python3 "$srcdir/check-df-rows.py" "$@"
}

# ---------------------------------------------------------------------
# 1. Every domain.  Names chosen so that sorting by name differs from
# the order they were defined in.

qemu-img create -q -f qcow2 -F raw -b "$multifs" "$t/clone1.qcow2"
qemu-img create -q -f qcow2 -F raw -b "$multifs" "$t/clone2.qcow2"
define_test_domain c-debian "$debian"
dom_debian="$test_domain"
define_test_domain b-clone "$t/clone2.qcow2" qcow2
dom_clone2="$test_domain"
define_test_domain a-clone "$t/clone1.qcow2" qcow2
dom_clone1="$test_domain"
uuid_debian="$(virsh -q -c "$uri" domuuid "$dom_debian")"
uuid_clone2="$(virsh -q -c "$uri" domuuid "$dom_clone2")"

"$vdf" -v -c "$uri" --json > "$t/all.json" 2> "$t/all.log"
cat "$t/all.json"
python3 - "$t/all.json" "$dom_clone1" "$dom_clone2" "$dom_debian" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
order = []
for r in rows:
    if not order or order[-1] != r["guest"]:
        order.append(r["guest"])
assert order == sys.argv[2:], ("guests, sorted by name", order)
debian = [r["filesystem"] for r in rows if r["guest"] == sys.argv[4]]
assert "/dev/sda1" in debian and "/dev/sda5" not in debian, debian
PY
for dom in "$dom_clone1" "$dom_clone2"; do
  check_rows json "$expected" "$dom" < "$t/all.json"
done
# The clones were found to clash and rerun alone; the Debian guest kept
# its rows from the shared appliance.
grep -q "$dom_clone1: shares LVM or btrfs identities" "$t/all.log"
grep -q "$dom_clone2: shares LVM or btrfs identities" "$t/all.log"
! grep -q "$dom_debian: shares" "$t/all.log"

# ---------------------------------------------------------------------
# 2. -d by UUID and by name, --uuid, CSV with inodes.

"$vdf" -c "$uri" --csv -i --uuid -d "$uuid_debian" -d "$dom_clone2" \
  > "$t/two.csv"
cat "$t/two.csv"
assert_eq "csv header" "VirtualMachine,Filesystem,Inodes,IUsed,IFree,IUse%" \
  "$(head -n 1 "$t/two.csv")"
check_rows csv-inodes "$expected" "$uuid_clone2" < "$t/two.csv"
check_rows same-guest "$t/all.json" "$dom_debian" "$uuid_debian" \
  < "$t/two.csv"
assert_eq "guests of the -d run" "$uuid_debian $uuid_clone2" \
  "$(tail -n +2 "$t/two.csv" | cut -d, -f1 | uniq | tr '\n' ' ' |
     sed 's/ $//')"

# Unknown domain: one error line, exit 1, no launch.
if LIBGUESTFS_HV=/bin/false "$vdf" -c "$uri" -d gktest-no-such-domain \
     > "$t/out" 2> "$t/err"; then
  echo "unknown domain was accepted" >&2; exit 1
fi
cat "$t/err"
assert_eq "error lines" 1 "$(wc -l < "$t/err")"
grep -q "^virt-df: error: .*gktest-no-such-domain" "$t/err"

# Read-only, always.
assert_eq "multifs image" "$multifs_sum" "$(sha256_of "$multifs")"
assert_eq "Debian image" "$debian_stamp" "$(file_stamp "$debian")"
