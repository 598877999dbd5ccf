#!/bin/bash
# virt-resize's part of the bad-input and fault matrix (issue 8): bad
# options and sizes, missing, empty, directory, random bytes, truncated
# qcow2, damaged MBR and GPT, EBR loops, wrong and unknown formats of
# either disk, -d misused, an unknown domain, an unreachable URI, a
# read-only target, a target whose filesystem fills up and an ext4
# shrunk below its data's size.  Each gets one clear error line and
# exit 1; the source is never changed (a stamp per case, sha256 at the
# end), a refused run leaves the target as it was, and no temporary
# file or qemu-nbd is left.  The same file under
# another name and interruptions by signals are in
# test-virt-resize-safety.sh.  Planning happens on the host, so none of
# this launches the appliance (its hypervisor is /bin/false here).
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires sfdisk --version
requires mkfs.xfs -V

test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"
export LIBGUESTFS_HV=/bin/false

mbr_logical_image "$t/mbr.img"
gpt_image "$t/gpt.img"
src_sum="$(sha256_of "$t/mbr.img")"
gpt_sum="$(sha256_of "$t/gpt.img")"
truncate -s 1G "$t/out.img"
out_sum="$(sha256_of "$t/out.img")"
quietly () { "$@" > /dev/null 2>&1 || :; }
# After each case the stamps prove nothing was written (a full sha256
# of 1.75 GB per case made this test take minutes); the sums are
# checked once more at the end.
src_stamp="$(file_stamp "$t/mbr.img")"
gpt_stamp="$(file_stamp "$t/gpt.img")"
out_stamp="$(file_stamp "$t/out.img")"

expect_error () {
  local pattern="$1"; shift
  if "$vr" "$@" > "$t/out" 2> "$t/err"; then
    echo "accepted: $*" >&2; cat "$t/out" >&2; exit 1
  else
    status=$?
  fi
  cat "$t/err"
  assert_eq "exit status of $*" 1 "$status"
  assert_eq "error lines for $*" 1 "$(wc -l < "$t/err")"
  grep -q "^virt-resize: error: .*$pattern" "$t/err"
  unchanged "$*"
}

# unchanged CASE: the sources and the target were not written, and
# nothing is left behind.
unchanged ()
{
  assert_eq "source after $1" "$src_stamp" "$(file_stamp "$t/mbr.img")"
  assert_eq "gpt source after $1" "$gpt_stamp" "$(file_stamp "$t/gpt.img")"
  if [ -f "$t/out.img" ]; then
    assert_eq "target after $1" "$out_stamp" "$(file_stamp "$t/out.img")"
  fi
  assert_no_leftovers "$TMPDIR"
  if pgrep -af -- "$t/" >&2; then
    echo "$0: processes left after $1" >&2
    return 1
  fi
}

# Option errors.
expect_error "you cannot use options --expand and --shrink together" \
  --expand sda1 --shrink sda5 "$t/mbr.img" "$t/out.img"
expect_error "--expand option given more than once" \
  --expand sda1 --expand sda5 "$t/mbr.img" "$t/out.img"
expect_error "unknown --align-first option" \
  --align-first sometimes "$t/mbr.img" "$t/out.img"
expect_error "unknown --unknown-filesystems" \
  --unknown-filesystems maybe "$t/mbr.img" "$t/out.img"
expect_error "alignment cannot be < 1" --alignment 0 "$t/mbr.img" "$t/out.img"
expect_error "usage is: virt-resize" "$t/mbr.img"
expect_error "same disk image for input and output" "$t/mbr.img" "$t/mbr.img"
# A bogus option: getopt's line, then where to look.
status=0
"$vr" --bogus "$t/mbr.img" "$t/out.img" > "$t/out" 2> "$t/err" || status=$?
cat "$t/err"
assert_eq "exit status of --bogus" 1 "$status"
assert_eq "lines for --bogus" 2 "$(wc -l < "$t/err")"
grep -q "unrecognized option '--bogus'" "$t/err"
grep -q "^Try ‘virt-resize --help’" "$t/err"
unchanged --bogus
expect_error "--alignment: ‘x’ is not a numeric value" \
  --alignment x "$t/mbr.img" "$t/out.img"

# Malformed sizes and names, with the partitions it does know listed.
expect_error "cannot parse size field ‘12Q’" \
  --resize sda1=12Q "$t/mbr.img" "$t/out.img"
expect_error "missing size field" --resize sda1 "$t/mbr.img" "$t/out.img"
expect_error "new partition size is zero or negative" \
  --resize sda1=-1G "$t/mbr.img" "$t/out.img"
expect_error "/dev/sda9: partition not found .* are: /dev/sda1, /dev/sda2, /dev/sda5, /dev/sda6" \
  --expand sda9 "$t/mbr.img" "$t/out.img"
expect_error "/dev/gkvg/nope: logical volume not found .*no logical volumes" \
  --lv-expand /dev/gkvg/nope "$t/mbr.img" "$t/out.img"
expect_error "partition already deleted" \
  --delete sda5 --expand sda5 "$t/mbr.img" "$t/out.img"

# Too small a target: the error says by how much.
truncate -s 100M "$t/small.img"
expect_error "There is a deficit of [0-9]* bytes (.*).  You need to make the target disk larger" \
  "$t/mbr.img" "$t/small.img"
truncate -s 192M "$t/same.img"
expect_error "You need to make the target disk larger by at least [0-9.]*[KMG] ([0-9]* bytes)" \
  --expand sda1 "$t/mbr.img" "$t/same.img"
# XFS cannot shrink: a clear refusal, before anything is written.
expect_error "/dev/sda2: .*xfs filesystem of 300.0M which cannot be shrunk" \
  --resize sda2=100M "$t/gpt.img" "$t/out.img"
# An ext4 holding too much data for the size asked: refused, with the
# size it would need, read from the superblock of the (cleanly
# unmounted) filesystem on the host.
mkdir "$t/root"
head -c 150M /dev/urandom > "$t/root/filler"
mkfs.ext4 -q -F -d "$t/root" "$t/p1full" 200M > /dev/null
cp "$t/gpt.img" "$t/gptfull.img"
dd if="$t/p1full" of="$t/gptfull.img" bs=512 seek=2048 conv=notrunc \
  status=none
rm -rf "$t/root" "$t/p1full"
full_stamp="$(file_stamp "$t/gptfull.img")"
expect_error "/dev/sda1: the ext4 filesystem holds too much data to fit in 60.0M: it needs at least [0-9.]*M ([0-9]* bytes)" \
  --resize sda1=60M --expand sda2 "$t/gptfull.img" "$t/out.img"
assert_eq "source after the refused shrink" "$full_stamp" \
  "$(file_stamp "$t/gptfull.img")"
rm -f "$t/gptfull.img"

# Missing, empty, corrupt or unreadable disks, on either side.
expect_error "missing.img: No such file or directory" \
  "$t/mbr.img" "$t/missing.img"
expect_error "missing.img: No such file or directory" \
  "$t/missing.img" "$t/out.img"
: > "$t/empty.img"
expect_error "empty.img: file is too small to be a disk image (0 bytes)" \
  "$t/empty.img" "$t/out.img"
expect_error "empty.img: file is too small to be a disk image (0 bytes)" \
  "$t/mbr.img" "$t/empty.img"
mkdir "$t/dir.img"
expect_error "dir.img: is a directory, not a disk image" \
  "$t/dir.img" "$t/out.img"
expect_error "dir.img: is a directory, not a disk image" \
  "$t/mbr.img" "$t/dir.img"
expect_error "dir.img: is a directory, not a disk image" \
  --format raw "$t/dir.img" "$t/out.img"
head -c 8M /dev/urandom > "$t/random.img"
expect_error "random.img: .*no MBR or GPT partition table" \
  "$t/random.img" "$t/out.img"
qemu-img convert -O qcow2 "$t/mbr.img" "$t/full.qcow2"
head -c $(( $(stat -c %s "$t/full.qcow2") / 2 )) "$t/full.qcow2" \
  > "$t/truncated.qcow2"
expect_error "truncated.qcow2: the qcow2 image is corrupt or truncated" \
  "$t/truncated.qcow2" "$t/out.img"
# Damaged tables are caught up front, with what is wrong: a GPT whose
# primary header is damaged, an MBR whose extended partition overlaps
# the first one, a raw image cut short, no 0x55AA.
gpt_damaged_image "$t/gpt.img" "$t/damaged.img"
expect_error "damaged.img: .*primary GPT header .*damaged" \
  "$t/damaged.img" "$t/out.img"
mbr_overlap_image "$t/mbr.img" "$t/overlap.img"
expect_error "overlap.img: partition 1 .* overlaps partition 2 .*: the partition table is corrupt" \
  "$t/overlap.img" "$t/out.img"
cp "$t/mbr.img" "$t/cut.img"
truncate -s 100M "$t/cut.img"
expect_error "cut.img: partition 2 ends at byte [0-9]* but the disk is only 104857600 bytes: the image looks truncated" \
  "$t/cut.img" "$t/out.img"
cp "$t/mbr.img" "$t/nosig.img"
printf '\x00\x00' | dd of="$t/nosig.img" bs=1 seek=510 conv=notrunc status=none
expect_error "nosig.img: no MBR or GPT partition table found" \
  "$t/nosig.img" "$t/out.img"
# EBR loops: the first EBR links to itself; the second back to the
# first.
ebr_loop_image "$t/mbr.img" "$t/loop.img"
expect_error "loop.img: the extended boot record at byte $EBR1_BYTE links to byte $EBR1_BYTE, backwards (a loop)" \
  "$t/loop.img" "$t/out.img"
ebr_cycle_image "$t/mbr.img" "$t/loop2.img"
expect_error "loop2.img: the extended boot record at byte $(ebr2_byte "$t/mbr.img") links to byte $EBR1_BYTE, backwards (a loop)" \
  "$t/loop2.img" "$t/out.img"

# Formats: unknown to qemu, or not the disk's, on either side.
qemu-img create -q -f qcow2 "$t/out.qcow2" 1G
out_qcow2_stamp="$(file_stamp "$t/out.qcow2")"
expect_error "--format bogus: unknown disk format" \
  --format bogus "$t/mbr.img" "$t/out.img"
expect_error "--output-format bogus: unknown disk format" \
  --output-format bogus "$t/mbr.img" "$t/out.img"
expect_error "mbr.img: --format qcow2 was given, but the image is raw" \
  --format qcow2 "$t/mbr.img" "$t/out.img"
expect_error "full.qcow2: --format raw was given, but the image is qcow2" \
  --format raw "$t/full.qcow2" "$t/out.img"
expect_error "out.qcow2: --output-format raw was given, but the target is qcow2" \
  --output-format raw "$t/mbr.img" "$t/out.qcow2"
expect_error "out.img: --output-format qcow2 was given, but the target is raw" \
  --output-format qcow2 "$t/mbr.img" "$t/out.img"
assert_eq "out.qcow2 after the refusals" "$out_qcow2_stamp" \
  "$(file_stamp "$t/out.qcow2")"

# -d names a domain (upstream's -d was --debug): used the old way, the
# error says so and points to -v.  The test driver's libvirt has only
# the domain "test".
expect_error "-d .*mbr.img: this is a disk, not a libvirt domain: .*use -v" \
  -c test:///default -d "$t/mbr.img" "$t/out.img"
expect_error "-d .*mbr.img: two disks follow, .*use -v" \
  -c test:///default -d "$t/mbr.img" "$t/gpt.img" "$t/out.img"
expect_error "no libvirt domain called 'nosuch'" \
  -c test:///default -d nosuch "$t/out.img"
# Nobody listens on port 1.
expect_error "nbd://127.0.0.1:1/x: .*Connection refused" \
  nbd://127.0.0.1:1/x "$t/out.img"
expect_error "nbd://127.0.0.1:1/x: .*Connection refused" \
  "$t/mbr.img" nbd://127.0.0.1:1/x

# A target that cannot be written: on a read-only filesystem (root is
# not stopped by chmod), or immutable.  Refused before anything else.
mkdir "$t/ro"
if mount -t tmpfs -o size=4M tmpfs "$t/ro" 2>/dev/null; then
  cleanup_fn quietly umount "$t/ro"
  truncate -s 1G "$t/ro/out.img"
  mount -o remount,ro "$t/ro"
  expect_error "ro/out.img: the disk image cannot be written: Read-only file system" \
    --expand /dev/sda1 "$t/mbr.img" "$t/ro/out.img"
  umount "$t/ro"
else
  echo "$0: note: cannot mount a tmpfs (not root?): read-only target not tested"
fi
truncate -s 1G "$t/immutable.img"
if chattr +i "$t/immutable.img" 2>/dev/null; then
  cleanup_fn quietly chattr -i "$t/immutable.img"
  expect_error "immutable.img: the disk image cannot be written: Operation not permitted" \
    --expand /dev/sda1 "$t/mbr.img" "$t/immutable.img"
  chattr -i "$t/immutable.img"
else
  echo "$0: note: no immutable files here: that case not tested"
fi

# A target whose filesystem fills up (a sparse 1G file on a 2M tmpfs):
# one error when the copy cannot write, exit 1, and the target has no
# partition table (the old one is wiped first, the new one written
# last).
mkdir "$t/small"
if mount -t tmpfs -o size=2M tmpfs "$t/small" 2>/dev/null; then
  cleanup_fn quietly umount "$t/small"
  # The source's MBR: a table that must not survive.
  head -c 1M "$t/mbr.img" > "$t/small/out.img"
  truncate -s 1G "$t/small/out.img"
  sfdisk -d "$t/small/out.img" > /dev/null
  expect_error "small/out.img: writing at offset [0-9]* failed: No space left on device" \
    --no-expand-content --expand /dev/sda1 "$t/mbr.img" "$t/small/out.img"
  if sfdisk -d "$t/small/out.img" > /dev/null 2>&1; then
    echo "$0: the full target still has a partition table" >&2; exit 1
  fi
  umount "$t/small"
else
  echo "$0: note: cannot mount a tmpfs (not root?): full target not tested"
fi

# --dry-run changes nothing, anywhere.
"$vr" --dry-run --expand sda5 "$t/mbr.img" "$t/out.img" > "$t/out"
cat "$t/out"
grep -q "^virt-resize: /dev/sda5: This partition will be resized from 48.0M to" \
  "$t/out"
assert_eq "source after --dry-run" "$src_sum" "$(sha256_of "$t/mbr.img")"
assert_eq "target after --dry-run" "$out_sum" "$(sha256_of "$t/out.img")"
assert_eq "gpt source at the end" "$gpt_sum" "$(sha256_of "$t/gpt.img")"
assert_no_leftovers "$TMPDIR"
