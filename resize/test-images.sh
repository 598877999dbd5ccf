# Small test images for the virt-resize tests, made with host tools only
# (sfdisk, mkfs -d, dd): seconds to build, no appliance, no loop device.
#
#   source "$srcdir/test-images.sh"
#   mbr_logical_image FILE   MBR: sda1 ext4 (bootable), sda2 extended with
#                            sda5 ext4 and sda6 swap (label gkswap)
#   gpt_image FILE           GPT: sda1 ext4 "root", sda2 xfs "data"
#   part_extract IMG N OUT   copy partition N of IMG into file OUT
#   ext_file_sha IMG N PATH  sha256 of a file inside ext partition N
#
# Damaged copies, for the bad-input tests (MBR is a mbr_logical_image,
# GPT a gpt_image):
#   ebr_loop_image MBR OUT     its first EBR (at byte $EBR1_BYTE) links
#                              to itself
#   ebr_cycle_image MBR OUT    its second EBR (at byte $(ebr2_byte MBR))
#                              links back to the first
#   mbr_overlap_image MBR OUT  its extended partition starts where sda1
#                              does
#   gpt_damaged_image GPT OUT  its primary GPT header's checksum is wrong
#   bad_and_good_disks DIR     DIR/random.img (8 MiB of random bytes),
#                              blank.img (8 MiB of zeroes), good.qcow2
#                              (a mbr_logical_image) and truncated.qcow2
#                              (its first half)

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

bad_and_good_disks ()
{
  local size
  head -c 8M /dev/urandom > "$1/random.img"
  truncate -s 8M "$1/blank.img"
  mbr_logical_image "$1/good.img"
  qemu-img convert -O qcow2 "$1/good.img" "$1/good.qcow2"
  size=$(stat -c %s "$1/good.qcow2")
  head -c $((size / 2)) "$1/good.qcow2" > "$1/truncated.qcow2"
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

EBR1_BYTE=$((133120 * 512))     # mbr_logical_image's extended partition

# _poke FILE OFFSET BYTES: write BYTES (printf escapes) at OFFSET.
_poke ()
{
  printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

ebr2_byte ()
{
  echo $(( EBR1_BYTE + 512 * $(dd if="$1" bs=1 skip=$((EBR1_BYTE + 462 + 8)) \
                                  count=4 status=none | od -An -tu4) ))
}

# An EBR's link is its second entry (byte 462): type, then the start
# relative to the extended partition (byte 8) and the size (byte 12).
ebr_loop_image ()
{
  cp "$1" "$2"
  _poke "$2" $((EBR1_BYTE + 462 + 8)) '\x00\x00\x00\x00'
}

ebr_cycle_image ()
{
  local second
  second="$(ebr2_byte "$1")"
  cp "$1" "$2"
  _poke "$2" $((second + 462 + 4)) \
    '\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00'
}

mbr_overlap_image ()
{
  cp "$1" "$2"
  _poke "$2" $((446 + 16 + 8)) '\x00\x08\x00\x00'
}

gpt_damaged_image ()
{
  cp "$1" "$2"
  _poke "$2" $((512 + 16)) 'XX'
}
