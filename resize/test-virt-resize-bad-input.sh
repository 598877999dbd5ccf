#!/bin/bash
# Bad input gets one clear error line and exit 1, the source is never
# changed, and a refused run leaves the target and TMPDIR as they were.
# Planning happens on the host, so none of this launches the appliance.
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires sfdisk --version
requires mkfs.xfs -V

test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"

mbr_logical_image "$t/mbr.img"
gpt_image "$t/gpt.img"
src_sum="$(sha256_of "$t/mbr.img")"
gpt_sum="$(sha256_of "$t/gpt.img")"
truncate -s 1G "$t/out.img"
out_sum="$(sha256_of "$t/out.img")"
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
  assert_eq "source after $*" "$src_stamp" "$(file_stamp "$t/mbr.img")"
  assert_eq "gpt source after $*" "$gpt_stamp" "$(file_stamp "$t/gpt.img")"
  if [ -f "$t/out.img" ]; then
    assert_eq "target after $*" "$out_stamp" "$(file_stamp "$t/out.img")"
  fi
  assert_no_leftovers "$TMPDIR"
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

# Missing, empty, corrupt or unreadable disks.
expect_error "missing.img: No such file or directory" \
  "$t/mbr.img" "$t/missing.img"
expect_error "missing.img: No such file or directory" \
  "$t/missing.img" "$t/out.img"
head -c 8M /dev/urandom > "$t/random.img"
expect_error "random.img: .*no MBR or GPT partition table" \
  "$t/random.img" "$t/out.img"
qemu-img convert -O qcow2 "$t/mbr.img" "$t/full.qcow2"
head -c $(( $(stat -c %s "$t/full.qcow2") / 2 )) "$t/full.qcow2" \
  > "$t/truncated.qcow2"
expect_error "truncated.qcow2" "$t/truncated.qcow2" "$t/out.img"
# A damaged GPT is caught up front, with what to do about it.
cp "$t/gpt.img" "$t/damaged.img"
printf 'XX' | dd of="$t/damaged.img" bs=1 seek=$((512 + 16)) conv=notrunc \
  status=none
expect_error "damaged.img: .*primary GPT header .*damaged" \
  "$t/damaged.img" "$t/out.img"
# A wrong --format.
expect_error "mbr.img" --format qcow2 "$t/mbr.img" "$t/out.img"

# --dry-run changes nothing, anywhere.
"$vr" --dry-run --expand sda5 "$t/mbr.img" "$t/out.img" > "$t/out"
cat "$t/out"
grep -q "^virt-resize: /dev/sda5: This partition will be resized from 48.0M to" \
  "$t/out"
assert_eq "source after --dry-run" "$src_sum" "$(sha256_of "$t/mbr.img")"
assert_eq "target after --dry-run" "$out_sum" "$(sha256_of "$t/out.img")"
assert_eq "gpt source at the end" "$gpt_sum" "$(sha256_of "$t/gpt.img")"
assert_no_leftovers "$TMPDIR"
