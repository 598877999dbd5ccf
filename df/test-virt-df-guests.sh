#!/bin/bash
# virt-df over the domains of a real libvirt daemon, every figure
# checked against the statvfs figures the multifs image builder recorded
# itself (GPT: ext4, xfs, btrfs, vfat, ntfs, swap, an LVM VG with two
# LVs).
#
#   1. Every domain of a real libvirt daemon, JSON: two qcow2 clones of
#      the multifs image (same LVM PV/VG and btrfs identities: they must
#      not share an appliance), the Debian guest (it may share with
#      anyone), and bad disks among the good ones (virt-df's part of the
#      fault matrix of issue 8, with test-virt-df-bad-input): random
#      bytes and a blank disk have no filesystems (a warning), a
#      truncated qcow2 is an error before any launch, a qcow2 with
#      logical partitions is still reported, the output is valid JSON,
#      sorted by name, and exit status 1.
#   2. -d NAME -d UUID -d NAME --uuid -c, CSV with inodes: the LUKS image
#      without a key (reported and skipped), the Debian guest and one
#      clone share one appliance; each guest's rows must be what it got
#      in run 1, and a clone's rows what the builder recorded.
#
# Appliance launches: 3 (one shared, each clone rerun alone) + 1.
# The text table, and LUKS with a key, are test-virt-df-text's; the
# formats not seen in either (CSV blocks, -h) are unit-tested in
# test-df-output.  No input may change, and nothing is left behind.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires which libvirtd virsh
requires sfdisk --version
source "$srcdir/../resize/test-images.sh"
start_libvirtd
uri="$GUESTKIT_TEST_LIBVIRT_URI"

multifs="$(multifs_image)"
expected="$(multifs_expected)"
debian="$(debian_guest_image)"
luks="$(luks_image)"
multifs_sum="$(sha256_of "$multifs")"
debian_stamp="$(file_stamp "$debian")"
luks_stamp="$(file_stamp "$luks")"
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
bad_and_good_disks "$t"
inputs=(random.img blank.img good.qcow2 truncated.qcow2)
declare -A sums
for f in "${inputs[@]}"; do
  sums[$f]="$(sha256_of "$t/$f")"
done

define_test_domain g-truncated "$t/truncated.qcow2" qcow2
dom_truncated="$test_domain"
define_test_domain f-good "$t/good.qcow2" qcow2
dom_good="$test_domain"
define_test_domain e-blank "$t/blank.img"
dom_blank="$test_domain"
define_test_domain d-random "$t/random.img"
dom_random="$test_domain"
define_test_domain c-debian "$debian"
dom_debian="$test_domain"
define_test_domain b-clone "$t/clone2.qcow2" qcow2
dom_clone2="$test_domain"
define_test_domain a-clone "$t/clone1.qcow2" qcow2
dom_clone1="$test_domain"
uuid_debian="$(virsh -q -c "$uri" domuuid "$dom_debian")"
uuid_clone2="$(virsh -q -c "$uri" domuuid "$dom_clone2")"

# A private TMPDIR for virt-df, which must be empty again afterwards.
mkdir "$t/tmp"
status=0
TMPDIR="$t/tmp" "$vdf" -v -c "$uri" --json > "$t/all.json" 2> "$t/all.log" ||
  status=$?
cat "$t/all.json"
grep '^virt-df: [we]' "$t/all.log" || :
assert_eq "exit status with a bad guest" 1 "$status"
python3 - "$t/all.json" "$dom_clone1" "$dom_clone2" "$dom_debian" \
  "$dom_good" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
order = []
for r in rows:
    if not order or order[-1] != r["guest"]:
        order.append(r["guest"])
assert order == sys.argv[2:], ("guests, sorted by name", order)
debian = [r["filesystem"] for r in rows if r["guest"] == sys.argv[4]]
assert "/dev/sda1" in debian and "/dev/sda5" not in debian, debian
good = [r["filesystem"] for r in rows if r["guest"] == sys.argv[5]]
assert good == ["/dev/sda1", "/dev/sda5"], ("logical partitions", good)
PY
for dom in "$dom_clone1" "$dom_clone2"; do
  check_rows json "$expected" "$dom" < "$t/all.json"
done
# The clones were found to clash and rerun alone; the other guests kept
# their rows from the shared appliance.
grep -q "$dom_clone1: shares LVM or btrfs identities" "$t/all.log"
grep -q "$dom_clone2: shares LVM or btrfs identities" "$t/all.log"
for dom in "$dom_debian" "$dom_good" "$dom_random" "$dom_blank"; do
  not grep -q "$dom: shares" "$t/all.log"
done
# No filesystems is a warning (upstream prints the header and exits 0; a
# cron job over many guests must not fail on one odd disk), a bad disk
# is an error, and nothing else is said (-v's debug lines aside).
grep -q "^virt-df: warning: $dom_random: no filesystems were found" \
  "$t/all.log"
grep -q "^virt-df: warning: $dom_blank: no filesystems were found" \
  "$t/all.log"
grep -q "^virt-df: error: .*truncated.qcow2: the qcow2 image is corrupt" \
  "$t/all.log"
assert_eq "warnings and errors" 3 \
  "$(grep '^virt-df: [a-z]*:' "$t/all.log" |
     grep -v -e '^virt-df: debug:' -e '^virt-df: warning: KVM' | wc -l)"
assert_no_leftovers "$t/tmp"
for f in "${inputs[@]}"; do
  assert_eq "sha256 of $f" "${sums[$f]}" "$(sha256_of "$t/$f")"
done
assert_no_process_naming "$t" "the run"

# ---------------------------------------------------------------------
# 2. -d by name and by UUID, --uuid, CSV with inodes.  The LUKS guest
# first: its device is the appliance's /dev/sda, as upstream names it.

define_test_domain luks "$luks"
dom_luks="$test_domain"
uuid_luks="$(virsh -q -c "$uri" domuuid "$dom_luks")"
"$vdf" -c "$uri" --csv -i --uuid -d "$dom_luks" -d "$uuid_debian" \
  -d "$dom_clone2" > "$t/two.csv" 2> "$t/two.err" < /dev/null
cat "$t/two.csv" "$t/two.err"
assert_eq "csv header" "VirtualMachine,Filesystem,Inodes,IUsed,IFree,IUse%" \
  "$(head -n 1 "$t/two.csv")"
check_rows csv-inodes "$expected" "$uuid_clone2" < "$t/two.csv"
check_rows same-guest "$t/all.json" "$dom_debian" "$uuid_debian" \
  < "$t/two.csv"
assert_eq "guests of the -d run" "$uuid_luks $uuid_debian $uuid_clone2" \
  "$(tail -n +2 "$t/two.csv" | cut -d, -f1 | uniq | tr '\n' ' ' |
     sed 's/ $//')"
# No key: the encrypted partition is reported and skipped.
grep -q "^virt-df: warning: /dev/sda2 is encrypted and no key was given" \
  "$t/two.err"
assert_eq "LUKS rows without a key" "$uuid_luks,/dev/sda1" \
  "$(grep "^$uuid_luks," "$t/two.csv" | cut -d, -f1,2)"

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
assert_eq "LUKS image" "$luks_stamp" "$(file_stamp "$luks")"
