#!/bin/bash
# Bad input and bad options get one clear error line and exit 1 (2 for
# --check-tmpdir=fail), before any appliance is started (LIBGUESTFS_HV
# points at /bin/false, so a launch would fail differently): the input
# is never changed, and no output, overlay or temporary file is left.
source "$srcdir/../tests/functions.sh"
set -e
requires sfdisk --version
requires qemu-img --version

test_tmpdir --private-tmpdir
export LIBGUESTFS_HV=/bin/false
vs="$top_builddir/sparsify/virt-sparsify"

# A small valid-looking disk: an MBR with one partition.
truncate -s 64M "$t/in.img"
printf 'label: dos\n,32M\n' | sfdisk -q "$t/in.img"
in_sum="$(sha256_of "$t/in.img")"

expect_error () {
  local status_wanted="$1" pattern="$2" status=0
  shift 2
  "$vs" "$@" > "$t/out" 2> "$t/err" || status=$?
  cat "$t/err"
  assert_eq "exit status of $*" "$status_wanted" "$status"
  if [ "$status_wanted" = 1 ]; then
    assert_eq "error lines for $*" 1 "$(wc -l < "$t/err")"
    grep -q "^virt-sparsify: error: .*$pattern" "$t/err"
  else
    grep -q -- "$pattern" "$t/err"
  fi
  not grep -q 'could not start the libguestfs appliance' "$t/err"
  assert_eq "input after $*" "$in_sum" "$(sha256_of "$t/in.img")"
  [ ! -e "$t/out.img" ]
  [ -z "$(find "$t" -maxdepth 2 -name '.out.img.sparsify-*')" ]
  assert_no_leftovers "$TMPDIR"
}

# Options.
expect_error 1 "usage is: virt-sparsify" "$t/in.img"
expect_error 1 "usage is: virt-sparsify .*--in-place" --in-place
expect_error 1 "--convert option cannot be used in --in-place mode" \
  --in-place --convert qcow2 "$t/in.img"
expect_error 1 "--tmp option cannot be used in --in-place mode" \
  --in-place --tmp /tmp "$t/in.img"
expect_error 1 "--check-tmpdir option cannot be used in --in-place mode" \
  --in-place --check-tmpdir fail "$t/in.img"
expect_error 1 "--compress option cannot be used in --in-place mode" \
  --in-place --compress "$t/in.img"
expect_error 1 "-o option cannot be used in --in-place mode" \
  --in-place -o compat=1.1 "$t/in.img"
expect_error 1 "--check-tmpdir: unknown argument ‘sometimes’" \
  --check-tmpdir sometimes "$t/in.img" "$t/out.img"
expect_error 1 "--compress: unknown compression type ‘lzma’" \
  --compress=lzma "$t/in.img" "$t/out.img"
expect_error 1 "--compress cannot be used for raw output" \
  --compress "$t/in.img" "$t/out.img"
expect_error 1 "-c/--connect is only used with -d" \
  -c test:///default "$t/in.img" "$t/out.img"

# Inputs.
expect_error 1 "$t/missing.img: No such file or directory" \
  "$t/missing.img" "$t/out.img"
: > "$t/empty.img"
expect_error 1 "empty.img: the disk is empty" "$t/empty.img" "$t/out.img"
head -c 4M /dev/urandom > "$t/random.img"
expect_error 1 "random.img: not a disk image with partitions or a filesystem" \
  "$t/random.img" "$t/out.img"
qemu-img convert -f raw -O qcow2 "$t/in.img" "$t/in.qcow2"
head -c 100000 "$t/in.qcow2" > "$t/truncated.qcow2"
expect_error 1 "truncated.qcow2: " "$t/truncated.qcow2" "$t/out.img"
expect_error 1 "in.img: .*qcow2" --format qcow2 "$t/in.img" "$t/out.img"
# Two primary partitions over each other.
cp "$t/in.img" "$t/overlap.img"
printf 'label: dos\n,32M\n' | sfdisk -q "$t/overlap.img"
printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00\x00\x01\x00' |
  dd of="$t/overlap.img" bs=1 seek=$((446 + 16 + 8 - 8)) conv=notrunc \
     status=none
printf '\x00\x08\x00\x00\x00\x00\x01\x00' |
  dd of="$t/overlap.img" bs=1 seek=$((446 + 16 + 8)) conv=notrunc status=none
printf '\x83' | dd of="$t/overlap.img" bs=1 seek=$((446 + 16 + 4)) \
  conv=notrunc status=none
expect_error 1 "overlap.img: not a disk image" "$t/overlap.img" "$t/out.img"

# Outputs.
expect_error 1 "same disk image for input and output" "$t/in.img" "$t/in.img"
ln -s in.img "$t/link.img"
expect_error 1 "same disk image for input and output" \
  "$t/in.img" "$t/link.img"
expect_error 1 "nodir/out.img: cannot write the output" \
  "$t/in.img" "$t/nodir/out.img"
expect_error 1 "is a directory" "$t/in.img" "$t"

# Too little temporary space: an 8 TiB (sparse) disk cannot fit.
truncate -s 8T "$t/huge.img"
printf 'label: dos\n,32M\n' | sfdisk -q "$t/huge.img"
expect_error 2 "Exiting because --check-tmpdir=fail was set." \
  --check-tmpdir=fail "$t/huge.img" "$t/out.img"
grep -q "warning: There may not be enough free space on $TMPDIR" "$t/err"
# warn (the default) with no answer on stdin stops too: the warning,
# the prompt, then the error.
if "$vs" "$t/huge.img" "$t/out.img" < /dev/null > "$t/out" 2> "$t/err"; then
  exit 1
fi
grep -q "Press RETURN to continue or ^C to quit." "$t/out"
assert_eq "lines" 2 "$(wc -l < "$t/err")"
tail -1 "$t/err" | grep -q "^virt-sparsify: error: no answer on stdin"
[ ! -e "$t/out.img" ]
assert_no_leftovers "$TMPDIR"
# Every spelling of --check-tmpdir: fail (f, error) exits 2, warn (w,
# warning) prompts, continue (c, cont) warns and goes on, ignore (i)
# goes on without a word; going on reaches the launch, which fails here
# (no appliance: LIBGUESTFS_HV), so those are counted as no launch.
for arg in f error; do
  expect_error 2 "Exiting because --check-tmpdir=fail was set." \
    --check-tmpdir="$arg" "$t/huge.img" "$t/out.img"
done
for arg in w warning c cont i; do
  status=0
  GUESTKIT_LAUNCH_LOG= "$vs" --check-tmpdir "$arg" "$t/huge.img" \
    "$t/out.img" < /dev/null > "$t/out" 2> "$t/err" || status=$?
  assert_eq "exit status of --check-tmpdir $arg" 1 "$status"
  case "$arg" in
    w|warning)
      grep -q "Press RETURN to continue or ^C to quit." "$t/out"
      not grep -q "Create overlay file" "$t/out" ;;
    c|cont)
      grep -q "warning: There may not be enough free space" "$t/err"
      grep -q "Create overlay file in $TMPDIR" "$t/out" ;;
    i)
      not grep -q "warning: There may not" "$t/err"
      grep -q "Create overlay file in $TMPDIR" "$t/out" ;;
  esac
  [ ! -e "$t/out.img" ]
  assert_no_leftovers "$TMPDIR"
done
rm -f "$t/huge.img"

# --dry-run belongs to --in-place.
expect_error 1 "--dry-run is only used with --in-place" \
  --dry-run "$t/in.img" "$t/out.img"

# --in-place on a disk whose format cannot pass a discard through:
# upstream's exit status 3 for "no discard support", said before any
# launch; the disk is not changed.
qemu-img convert -f raw -O vdi "$t/in.img" "$t/in.vdi"
vdi_stamp="$(file_stamp "$t/in.vdi")"
expect_error 3 "^virt-sparsify: error: discard/trim is not supported: $t/in.vdi: qemu does not support discard for vdi disks" \
  --in-place "$t/in.vdi"
assert_eq "error lines" 1 "$(wc -l < "$t/err")"
assert_eq "vdi after --in-place" "$vdi_stamp" "$(file_stamp "$t/in.vdi")"
# With another disk that fails otherwise, it is 1: something else
# went wrong too.  Each disk says why, then the count.
status=0
"$vs" --in-place "$t/in.vdi" "$t/random.img" 2> "$t/err" || status=$?
cat "$t/err"
assert_eq "exit status, vdi and random" 1 "$status"
assert_eq "error lines" 3 "$(wc -l < "$t/err")"
grep -q "^virt-sparsify: error: discard/trim is not supported: $t/in.vdi: " \
  "$t/err"
grep -q "^virt-sparsify: error: $t/random.img: not a disk image" "$t/err"
tail -1 "$t/err" | grep -q "^virt-sparsify: error: 2 of 2 disks could not"

# --tmp prebuilt:FILE must be an existing qcow2 overlay.
expect_error 1 "--tmp prebuilt:$t/none.qcow2: No such file" \
  --tmp "prebuilt:$t/none.qcow2" "$t/in.img" "$t/out.img"
expect_error 1 "prebuilt:$t/in.img: the file must be a qcow2 overlay" \
  --tmp "prebuilt:$t/in.img" "$t/in.img" "$t/out.img"
expect_error 1 "prebuilt:$t/in.qcow2: the file must have a backing file" \
  --tmp "prebuilt:$t/in.qcow2" "$t/in.img" "$t/out.img"

# -d: a running domain is refused, in both modes, before anything is
# read or written (libvirt's test driver: a real guest would take
# minutes to start under TCG).
if command -v virsh > /dev/null; then
  test_driver_node "$t/node.xml" "on:running:$t/in.img" off:shutoff
  expect_error 1 "domain ‘on’ is running: shut it down first" \
    -c "test://$t/node.xml" -d on "$t/out.img"
  expect_error 1 "domain ‘on’ is running: shut it down first" \
    --in-place -c "test://$t/node.xml" -d on
  expect_error 1 "no-such-domain" -c "test://$t/node.xml" -d no-such-domain \
    "$t/out.img"

  # Bash completion offers -d the shut-off domains only: virt-sparsify
  # writes (--in-place), and a running guest's disk is refused anyway.
  (
    source "$top_builddir/bash-completion/virt-sparsify"
    assert_eq "-d completions" "off" \
      "$(complete_with _guestkit_virt_sparsify "$vs" -c "test://$t/node.xml" \
         -d "")"
  )
fi
