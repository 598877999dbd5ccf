#!/bin/bash
# A real guest: -i on the Debian guest (inspection, its filesystems
# mounted where it mounts them, read-only).  One launch.  (A passphrase
# read with --keys-from-stdin, on the LUKS image, shares a launch with
# the -m session of test-guestfish-multifs.sh.)
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
test_tmpdir --private-tmpdir
fish="$builddir/guestfish"
deb="$(debian_guest_image)"
stamp="$(file_stamp "$deb")"

"$fish" --ro -a "$deb" -i > "$t/out" <<'EOF'
inspect-get-roots | wc -l
inspect-get-distro /dev/sda1
mountpoints | grep -c ': /$'
is-file /etc/debian_version
cat /etc/debian_version | cut -d. -f1
EOF
cat "$t/out"
assert_eq "inspection" "$(printf '1\ndebian\n1\ntrue\n12')" "$(cat "$t/out")"
assert_eq "the guest is untouched" "$stamp" "$(file_stamp "$deb")"

assert_no_leftovers "$TMPDIR"
