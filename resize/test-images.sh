# Small test images for the virt-resize tests, made with host tools only
# (sfdisk, mkfs -d, dd): seconds to build, no appliance, no loop device.
#
#   source "$srcdir/test-images.sh"
#   mbr_logical_image FILE   MBR: sda1 ext4 (bootable), sda2 extended with
#                            sda5 ext4 and sda6 swap (label gkswap)
#   gpt_image FILE           GPT: sda1 ext4 "root", sda2 xfs "data"
#   part_extract IMG N OUT   copy partition N of IMG into file OUT
#   ext_file_sha IMG N PATH  sha256 of a file inside ext partition N

SWAP_UUID=5f1e0a40-7c35-4d5e-9a11-8a2a3c0d1e77

# Files of every size class, so a copy that drops a block shows.
_fill_dir ()
{
  mkdir -p "$1/dir"
  head -c 3000000 /dev/urandom > "$1/big"
  head -c 5000 /dev/urandom > "$1/dir/small"
  echo "guestkit resize test" > "$1/hello"
}

# _place DISK START_SECTOR FILE: write FILE into DISK at START_SECTOR.
_place ()
{
  dd if="$3" of="$1" bs=512 seek="$2" conv=notrunc,sparse status=none
}

mbr_logical_image ()
{
  local out="$1" d
  d="$(mktemp -d)"
  _fill_dir "$d/root"
  _fill_dir "$d/data"
  truncate -s 256M "$out"
  sfdisk -q "$out" <<'SFDISK'
label: dos
label-id: 0x1234abcd
start=2048, size=131072, type=83, bootable
start=133120, size=260096, type=5
start=135168, size=98304, type=83
start=235520, size=32768, type=82
SFDISK
  mkfs.ext4 -q -F -L root -d "$d/root" "$d/p1" 64M >/dev/null
  mkfs.ext4 -q -F -L data -d "$d/data" "$d/p5" 48M >/dev/null
  truncate -s 16M "$d/p6"
  mkswap -q -L gkswap -U "$SWAP_UUID" "$d/p6" >/dev/null
  _place "$out" 2048 "$d/p1"
  _place "$out" 135168 "$d/p5"
  _place "$out" 235520 "$d/p6"
  rm -rf "$d"
}

gpt_image ()
{
  local out="$1" d
  d="$(mktemp -d)"
  _fill_dir "$d/root"
  truncate -s 512M "$out"
  sfdisk -q "$out" <<'SFDISK'
label: gpt
label-id: 8D3F5B2E-1A2B-4C3D-9E8F-0123456789AB
start=2048, size=409600, name=root, uuid=11111111-2222-4333-8444-555555555555
start=411648, size=614400, name=data, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4
SFDISK
  mkfs.ext4 -q -F -L root -d "$d/root" "$d/p1" 200M >/dev/null
  truncate -s 300M "$d/p2"
  mkfs.xfs -q -f -L data "$d/p2"
  _place "$out" 2048 "$d/p1"
  _place "$out" 411648 "$d/p2"
  rm -rf "$d"
}

part_extract ()
{
  local img="$1" n="$2" out="$3" start size
  read -r start size < <(sfdisk -d "$img" |
    sed -n "s|^$img$n : start= *\([0-9]*\), size= *\([0-9]*\).*|\1 \2|p")
  dd if="$img" of="$out" bs=512 skip="$start" count="$size" \
     conv=sparse status=none
}

ext_file_sha ()
{
  local img="$1" n="$2" path="$3" tmp
  tmp="$(mktemp)"
  part_extract "$img" "$n" "$tmp"
  debugfs -R "cat $path" "$tmp" 2>/dev/null | sha256sum | cut -d' ' -f1
  rm -f "$tmp"
}
