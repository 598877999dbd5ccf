#!/bin/bash -
# guestkit test harness: the Debian 12 test guest builds, is laid out like
# a Debian installation (MBR, bootable sda1, swap in a logical sda5), is
# inspected by libguestfs as Debian 12, and its known files match the
# manifest.
set -e
source "$srcdir/../tests/functions.sh"

requires_appliance

requires which sfdisk
requires which debootstrap

img="$(debian_guest_image)"
manifest="$(debian_guest_manifest)"

# Layout, read on the host from the partition table itself.
table="$(sfdisk -d "$img")"
echo "$table"
echo "$table" | grep -q '^label: dos$'
echo "$table" | grep -Eq "^$img""1 : .*type=83, bootable$"
echo "$table" | grep -Eq "^$img""2 : .*type=(5|f)$"
echo "$table" | grep -Eq "^$img""5 : .*type=82$"
assert_eq "image size" 3221225472 "$(stat -c %s "$img")"

# The manifest lists the data files with full sha256 digests.
cat "$manifest"
test "$(wc -l < "$manifest")" -ge 4
if grep -Ev $'^/root/guestkit-data/[^\t]+\t[0-9a-f]{64}$' "$manifest"; then
  echo "$0: malformed manifest lines above" >&2
  exit 1
fi

out="$(check_guest "$img" "$manifest")"
echo "$out"
echo "$out" | grep -qx 'root: /dev/sda1'
echo "$out" | grep -qx 'type: linux'
echo "$out" | grep -qx 'distro: debian'
echo "$out" | grep -qx 'major_version: 12'
echo "$out" | grep -qx 'hostname: gktest-debian'
echo "$out" | grep -qx 'package_format: deb'
if echo "$out" | grep MISMATCH; then
  exit 1
fi
test "$(echo "$out" | grep -c '^ok ')" -eq "$(wc -l < "$manifest")"
