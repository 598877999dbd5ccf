#!/bin/bash
# Make the quickstart's demo image with host tools only: a 256 MiB raw
# disk, GPT, an ext4 partition with some files and a FAT partition.
# Usage: make-demo-image.sh DIR   (writes DIR/demo.img; reuses it if there)
set -euo pipefail
dir="$1"
img="$dir/demo.img"
mkdir -p "$dir"
[ -s "$img" ] && exit 0

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
mkdir -p "$work/root/etc" "$work/root/data"
echo demo > "$work/root/etc/hostname"
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
