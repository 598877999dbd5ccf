#!/bin/bash -
# guestkit test harness: the Debian 12 LVM test guest builds, is laid out
# like a Debian "guided LVM" installation (qcow2, MBR, bootable sda1
# /boot, sda2 an LVM PV of VG gkvg with LVs root and swap), is inspected
# by libguestfs as Debian 12 with its root on the LV, its known files
# on both filesystems match the manifest, and it boots to multi-user
# (the initramfs activates the VG) without the image changing.
set -e
source "$srcdir/../tests/functions.sh"

requires_appliance

requires which debootstrap
requires which apt-get
requires which qemu-img
requires which sfdisk
requires which qemu-system-x86_64

img="$(debian_lvm_guest_image)"
manifest="$(debian_lvm_guest_manifest)"

info="$(qemu-img info --output=json "$img")"
echo "$info"
echo "$info" | grep -q '"format": "qcow2"'
echo "$info" | grep -q '"virtual-size": 2684354560,'

# The partition table, read on the host from a raw copy of the first
# MiB (both partitions are primary, so the MBR is all there is).
test_tmpdir d
qemu-img dd -f qcow2 -O raw if="$img" of="$d/head" bs=1M count=1
truncate -s 2684354560 "$d/head"
table="$(sfdisk -d "$d/head")"
echo "$table"
echo "$table" | grep -q '^label: dos$'
p1="start= *2048, size= *614400, type=83, bootable"
echo "$table" | grep -Eq "^$d/head1 : $p1\$"
echo "$table" | grep -Eq "^$d/head2 : start= *616448, .*type=8e\$"
test "$(echo "$table" | grep -c "^$d/head")" -eq 2

cat "$manifest"
test "$(grep -c '^/root/guestkit-data/' "$manifest")" -ge 4
test "$(grep -c '^/boot/guestkit-data/' "$manifest")" -ge 2
if grep -Ev $'^/(root|boot)/guestkit-data/[^\t]+\t[0-9a-f]{64}$' "$manifest"
then
  echo "$0: malformed manifest lines above" >&2
  exit 1
fi

before="$(stat -c %Y "$img")"

# One appliance: inspection, then the checksums with /boot mounted from
# the guest's fstab.
out="$(check_guest --format qcow2 "$img" "$manifest")"
echo "$out"
echo "$out" | grep -qx 'root: /dev/gkvg/root'
echo "$out" | grep -qx 'type: linux'
echo "$out" | grep -qx 'distro: debian'
echo "$out" | grep -qx 'major_version: 12'
echo "$out" | grep -qx 'hostname: gktest-debian-lvm'
echo "$out" | grep -qx 'package_format: deb'
if echo "$out" | grep MISMATCH; then
  exit 1
fi
test "$(echo "$out" | grep -c '^ok ')" -eq "$(wc -l < "$manifest")"

# Then the boot: GRUB from the MBR, /boot on sda1, root on the LV.
# TCG on 2 cores needs well over a minute; allow for a busy machine.
boot_check "$img" qcow2 400

assert_eq "image mtime after inspection and boot" \
          "$before" "$(stat -c %Y "$img")"
