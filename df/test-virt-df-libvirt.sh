#!/bin/bash
# virt-df with a real libvirt daemon: -d by name and by UUID, -c, every
# domain when no disk is given (sorted, one appliance shared), --uuid.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

requires which libvirtd virsh
start_libvirtd
uri="$GUESTKIT_TEST_LIBVIRT_URI"

multifs="$(multifs_image)"
debian="$(debian_guest_image)"
test_tmpdir
vdf="$top_builddir/df/virt-df"

# Names chosen so that sorting puts "b" before "a"'s disk order.
define_test_domain b-debian "$debian"
dom_debian="$test_domain"
qemu-img create -q -f qcow2 -F raw -b "$multifs" "$t/multifs.qcow2"
define_test_domain a-multifs "$t/multifs.qcow2" qcow2
dom_multifs="$test_domain"
uuid_debian="$(virsh -q -c "$uri" domuuid "$dom_debian")"

# -d NAME and -c.
"$vdf" -c "$uri" --csv -d "$dom_debian" > "$t/by-name"
cat "$t/by-name"
grep -q "^$dom_debian,/dev/sda1," "$t/by-name"

# -d UUID names the guest by its name; --uuid prints the UUID.
"$vdf" -c "$uri" --csv --uuid -d "$uuid_debian" > "$t/by-uuid"
cat "$t/by-uuid"
sed "s/^$uuid_debian,/$dom_debian,/" "$t/by-uuid" | diff -u "$t/by-name" -

# No disk arguments: every domain, sorted by name, in one run.
"$vdf" -c "$uri" --csv > "$t/all"
cat "$t/all"
grep "^gktest-" "$t/all" | cut -d, -f1 | uniq > "$t/order"
grep -qx "$dom_multifs" "$t/order"
grep -qx "$dom_debian" "$t/order"
sort -c "$t/order"
grep "^$dom_debian," "$t/all" | diff -u <(tail -n +2 "$t/by-name") -
grep -q "^$dom_multifs,/dev/gktestvg/" "$t/all"

# Several -d: each domain is its own guest.
"$vdf" -c "$uri" --csv -d "$dom_debian" -d "$dom_multifs" > "$t/two"
grep "^$dom_debian," "$t/two" | diff -u <(tail -n +2 "$t/by-name") -
grep -q "^$dom_multifs,/dev/sda1," "$t/two"

# Unknown domain: one error line, exit 1.
if "$vdf" -c "$uri" -d gktest-no-such-domain > "$t/out" 2> "$t/err"; then
  echo "unknown domain was accepted" >&2; exit 1
fi
cat "$t/err"
assert_eq "error lines" 1 "$(wc -l < "$t/err")"
grep -q "^virt-df: error: .*gktest-no-such-domain" "$t/err"
