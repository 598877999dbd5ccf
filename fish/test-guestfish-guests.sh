#!/bin/bash
# Real guests: -i on the Debian guest (inspection, its filesystems
# mounted where it mounts them, read-only), and a passphrase argument
# read with --keys-from-stdin on the LUKS image (a wrong one fails,
# tolerated by -cmd; the right one opens the device).  Two launches.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
test_tmpdir --private-tmpdir
fish="$builddir/guestfish"
deb="$(debian_guest_image)"
luks="$(luks_image)"
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

printf 'wrong key\n%s\n' "$LUKS_KEY" |
  "$fish" --ro -a "$luks" --keys-from-stdin run : \
    -luks-open-ro /dev/sda2 bad : luks-open-ro /dev/sda2 sec : \
    mount-ro /dev/mapper/sec / : ls / \
    > "$t/out" 2> "$t/err"
cat "$t/err"
grep -qx 'secret.txt' "$t/out"
assert_eq "one error: the wrong key" 1 "$(wc -l < "$t/err")"
grep -q '^libguestfs: error: luks_open_ro:' "$t/err"
assert_no_leftovers "$TMPDIR"
