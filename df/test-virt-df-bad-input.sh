#!/bin/bash
# virt-df's part of the bad-input and fault matrix (issue 8): missing,
# empty, directory, truncated qcow2, damaged MBR and GPT, EBR loops,
# wrong and unknown --format, bogus options, malformed numbers, an
# unknown domain, an unreachable URI, and SIGINT and SIGTERM while the
# appliance starts.  Each failure is one clear error line and exit 1 (a
# signal: death by that signal), no input changes (a stamp per case,
# sha256 at the end), and no temporary file, socket directory or process
# is left.  Random bytes, a blank disk and a truncated qcow2 among good
# guests, which must not hide the good ones, share the appliance of
# test-virt-df-guests's libvirt run.  (virt-df writes nothing: the
# read-only and full target cases are virt-resize's.)
# Appliance launches: 2 (one per damaged table), and 2 cut short.
source "$srcdir/../tests/functions.sh"
source "$srcdir/../resize/test-images.sh"
set -e
requires_appliance
requires sfdisk --version
requires mkfs.xfs -V
requires env --default-signal=INT true

test_tmpdir --private-tmpdir
vdf="$top_builddir/df/virt-df"

# ---------------------------------------------------------------------
# The inputs.

mbr_logical_image "$t/good.img"
gpt_image "$t/gpt.img"
: > "$t/empty.img"
mkdir "$t/dir.img"
qemu-img convert -O qcow2 "$t/good.img" "$t/good.qcow2"
size=$(stat -c %s "$t/good.qcow2")
head -c $((size / 2)) "$t/good.qcow2" > "$t/truncated.qcow2"
# A GPT whose primary header is damaged (the kernel reads no partition),
# an MBR whose extended partition overlaps sda1, EBR loops.
gpt_damaged_image "$t/gpt.img" "$t/gpt-damaged.img"
mbr_overlap_image "$t/good.img" "$t/overlap.img"
ebr_loop_image "$t/good.img" "$t/loop.img"
ebr_cycle_image "$t/good.img" "$t/loop2.img"
qemu-img convert -O qcow2 "$t/loop.img" "$t/loop.qcow2"

inputs=(good.img gpt.img empty.img good.qcow2 truncated.qcow2
        gpt-damaged.img overlap.img loop.img loop2.img loop.qcow2)
declare -A sums stamps
for f in "${inputs[@]}"; do
  sums[$f]="$(sha256_of "$t/$f")"
  stamps[$f]="$(file_stamp "$t/$f")"
done

# after CASE: no input written, no process naming a file of the test (a
# qemu-nbd, or an appliance's qemu, which libguestfs's recovery process
# stops within seconds of our death), and then nothing left in TMPDIR
# (qemu removes its snapshot file there, vl.XXXXXX, as it exits).
after ()
{
  local f
  for f in "${inputs[@]}"; do
    assert_eq "$f after $1" "${stamps[$f]}" "$(file_stamp "$t/$f")"
  done
  assert_no_process_naming "$t" "$1"
  assert_no_leftovers "$TMPDIR"
}

# expect_error PATTERN ARGS...: exit 1, one error line matching PATTERN
# (the broken-KVM warning aside).
expect_error ()
{
  local pattern="$1" status=0
  shift
  "$vdf" "$@" > "$t/out" 2> "$t/err" || status=$?
  cat "$t/err"
  assert_eq "exit status of $*" 1 "$status"
  grep -v '^virt-df: warning: KVM' "$t/err" > "$t/errors" || :
  assert_eq "error lines for $*" 1 "$(wc -l < "$t/errors")"
  grep -q "^virt-df: error: .*$pattern" "$t/errors"
  after "$*"
}

# ---------------------------------------------------------------------
# Refused before any appliance starts (a launch would fail: the
# appliance's hypervisor is /bin/false here).

hv="${LIBGUESTFS_HV-}"
export LIBGUESTFS_HV=/bin/false
expect_error "missing.img: No such file or directory" -a "$t/missing.img"
expect_error "empty.img: the disk image is empty (0 bytes)" -a "$t/empty.img"
expect_error "dir.img: is a directory, not a disk image" -a "$t/dir.img"
start=$(date +%s)
expect_error "truncated.qcow2: the qcow2 image is corrupt or truncated" \
  -a "$t/truncated.qcow2"
[ $(( $(date +%s) - start )) -lt 10 ]
expect_error "good.img: --format qcow2 was given, but the image is raw" \
  --format=qcow2 -a "$t/good.img"
expect_error "--format bogus: unknown disk format" --format=bogus \
  -a "$t/good.img"
expect_error "-P: ‘many’ is not a numeric value" -P many -a "$t/good.img"
expect_error "--blocksize: the block size must be 512 or 4096, not 7" \
  --blocksize=7 -a "$t/good.img"
expect_error "no libvirt domain called 'nosuch'" -c test:///default -d nosuch
expect_error "nbd://127.0.0.1:1/x: .*Connection refused" \
  -a nbd://127.0.0.1:1/x
# The appliance would never finish with a looping chain of logical
# partitions: read on the host, refused.
expect_error "loop.img: the extended boot record at byte $EBR1_BYTE links to byte $EBR1_BYTE, backwards (a loop)" \
  -a "$t/loop.img"
expect_error "loop2.img: .*(a loop)" -a "$t/loop2.img"
expect_error "loop.qcow2: .*(a loop)" -a "$t/loop.qcow2"
# A bogus option: getopt's line, then where to look.
status=0
"$vdf" --bogus -a "$t/good.img" > "$t/out" 2> "$t/err" || status=$?
cat "$t/err"
assert_eq "exit status of --bogus" 1 "$status"
assert_eq "lines for --bogus" 2 "$(wc -l < "$t/err")"
grep -q "unrecognized option '--bogus'" "$t/err"
grep -q "^Try ‘virt-df --help’" "$t/err"
after --bogus
if [ -n "$hv" ]; then LIBGUESTFS_HV="$hv"; else unset LIBGUESTFS_HV; fi

# ---------------------------------------------------------------------
# Launches 1 and 2: damaged tables, each in an appliance of its own (a
# table parted refuses would break the listing for every guest of a
# shared one).  The kernel reads no partition from a GPT whose primary
# header is damaged, parted refuses overlapping partitions: each is an
# error naming the damage, as the host's parser sees it.
status=0
"$vdf" --csv --per-disk "$t/gpt-damaged.img" "$t/overlap.img" \
  > "$t/out" 2> "$t/err" || status=$?
cat "$t/out" "$t/err"
assert_eq "exit status with damaged tables" 1 "$status"
grep -q "^virt-df: error: gpt-damaged.img: no filesystems were found: the primary GPT header .*damaged" \
  "$t/err"
grep -q "^virt-df: error: overlap.img: cannot list the filesystems: partition 1 .* overlaps partition 2" \
  "$t/err"
assert_eq "stderr lines" 2 "$(grep -vc '^virt-df: warning: KVM' "$t/err")"
after "damaged tables"

# Every guest failed (no launch): --json still prints valid JSON, and
# exits 1.
if "$vdf" --json -a "$t/truncated.qcow2" > "$t/out" 2> "$t/err"; then
  echo "a failed --json run exited 0" >&2; exit 1
fi
assert_eq "JSON without filesystems" "[]" "$(tr -d '[:space:]' < "$t/out")"
after "--json, every guest failed"

# ---------------------------------------------------------------------
# Interrupted while the appliance starts: virt-df writes nothing, so it
# dies by the signal (130, 143).  The appliance's socket directory
# (named on qemu's command line) goes with it, and so does qemu.

for sig in INT TERM; do
  # A background job of a script ignores SIGINT unless told otherwise.
  env --default-signal=INT "$vdf" -a "$t/good.img" > "$t/out" 2> "$t/err" &
  pid=$!
  qemu=
  for (( i = 0; i < 6000; i++ )); do
    qemu="$(pgrep -P $pid -f qemu-system || :)"
    [ -n "$qemu" ] && break
    sleep 0.1
  done
  [ -n "$qemu" ]
  sockdir="$(tr '\0' '\n' < "/proc/$qemu/cmdline" |
             sed -n 's|.*socket,path=\(/tmp/libguestfs[^/]*\)/.*|\1|p' |
             head -1)"
  [ -d "$sockdir" ]
  kill -$sig $pid
  status=0
  wait $pid || status=$?
  cat "$t/err"
  assert_eq "exit status after SIG$sig" \
    $(( 128 + $(kill -l $sig) )) "$status"
  if [ -e "$sockdir" ]; then
    echo "$0: $sockdir left after SIG$sig" >&2; exit 1
  fi
  after "SIG$sig"
done

for f in "${inputs[@]}"; do
  assert_eq "sha256 of $f at the end" "${sums[$f]}" "$(sha256_of "$t/$f")"
done
