#!/bin/bash
# Make the quickstart's demo image with host tools only: a 256 MiB raw
# disk, GPT, an ext4 partition with the skeleton of a Debian root (enough
# for libguestfs's inspection, so guestfish -i and virt-sysprep have an
# operating system to work on) and a FAT partition.
# Usage: make-demo-image.sh DIR   (writes DIR/demo.img; reuses it if there
# and made by this recipe)
set -euo pipefail
dir="$1"
img="$dir/demo.img"
recipe=2
mkdir -p "$dir"
[ -s "$img" ] && [ "$(cat "$dir/demo.recipe" 2>/dev/null)" = $recipe ] &&
  exit 0
rm -f "$img"

work=$(mktemp -d "$dir/work.XXXXXX")
trap 'rm -rf "$work"' EXIT

sector=512
ext4_start=2048 ext4_sectors=$((160 * 2048))
fat_start=$((ext4_start + ext4_sectors)) fat_sectors=$((64 * 2048))

truncate -s 256M "$work/demo.img"
sfdisk -q "$work/demo.img" <<SFDISK
label: gpt
start=$ext4_start, size=$ext4_sectors, type=linux, name=root
start=$fat_start, size=$fat_sectors, type=uefi, name=esp
SFDISK

# Some content, so "Used" means something.
mkdir -p "$work/root/etc" "$work/root/data" "$work/root/usr/bin" \
  "$work/root/var/lib/systemd" \
  "$work/root/var/log" "$work/root/root"
ln -s usr/bin "$work/root/bin"
echo demo > "$work/root/etc/hostname"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' \
  > "$work/root/etc/os-release"
echo 12.0 > "$work/root/etc/debian_version"
printf 'LABEL=demo-root / ext4 defaults 0 1\n' > "$work/root/etc/fstab"
printf '%s\n' 0123456789abcdef0123456789abcdef > "$work/root/etc/machine-id"
echo "demo boot log" > "$work/root/var/log/syslog"
echo "ls -l" > "$work/root/root/.bash_history"
head -c 20M /dev/urandom > "$work/root/data/random.bin"
truncate -s $((ext4_sectors * sector)) "$work/ext4.img"
mkfs.ext4 -q -F -L demo-root -d "$work/root" "$work/ext4.img"
truncate -s $((fat_sectors * sector)) "$work/fat.img"
mkfs.vfat -n DEMO-ESP "$work/fat.img" >/dev/null

dd if="$work/ext4.img" of="$work/demo.img" bs=$sector seek=$ext4_start \
   conv=notrunc,sparse status=none
dd if="$work/fat.img" of="$work/demo.img" bs=$sector seek=$fat_start \
   conv=notrunc,sparse status=none
mv "$work/demo.img" "$img"
echo $recipe > "$dir/demo.recipe"
