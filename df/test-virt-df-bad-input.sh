#!/bin/bash
# Bad images: one clear error line each, exit 1, nothing left behind,
# and a bad image among good ones does not hide the good ones.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

debian="$(debian_guest_image)"
test_tmpdir --private-tmpdir
vdf="$top_builddir/df/virt-df"

expect_error () {
  local pattern="$1"; shift
  if "$vdf" "$@" > "$t/out" 2> "$t/err"; then
    echo "accepted: $*" >&2; exit 1
  fi
  cat "$t/err"
  grep -v '^virt-df: warning: KVM' "$t/err" > "$t/errors" || :
  assert_eq "error lines for $*" 1 "$(wc -l < "$t/errors")"
  grep -q "^virt-df: error: .*$pattern" "$t/errors"
  assert_no_leftovers "$TMPDIR"
}

# Random bytes and a blank disk: no filesystems is a warning, not a
# failure (upstream prints the header and exits 0; a cron job over an
# image directory must not fail on one odd disk).  --json stays valid.
head -c 8M /dev/urandom > "$t/random.img"
truncate -s 8M "$t/blank.img"
"$vdf" --csv --per-disk "$t/random.img" "$t/blank.img" > "$t/out" 2> "$t/err"
cat "$t/out" "$t/err"
assert_eq "CSV of disks without filesystems" \
  "VirtualMachine,Filesystem,1K-blocks,Used,Available,Use%" "$(cat "$t/out")"
grep -q "^virt-df: warning: random.img: no filesystems were found" "$t/err"
grep -q "^virt-df: warning: blank.img: no filesystems were found" "$t/err"
"$vdf" --json -a "$t/blank.img" > "$t/out" 2> "$t/err"
assert_eq "JSON without filesystems" "[]" "$(tr -d '[:space:]' < "$t/out")"

# A qcow2 cut short: caught before any appliance starts.
qemu-img convert -O qcow2 "$debian" "$t/full.qcow2"
size=$(stat -c %s "$t/full.qcow2")
head -c $((size / 2)) "$t/full.qcow2" > "$t/truncated.qcow2"
start=$(date +%s)
expect_error "truncated.qcow2: the qcow2 image is corrupt or truncated" \
  -a "$t/truncated.qcow2"
[ $(( $(date +%s) - start )) -lt 10 ]

# The wrong --format.
expect_error "format raw was given\|--format qcow2 was given, but the image is raw" \
  --format=qcow2 -a "$debian"

# One bad guest among good ones: the good one is still reported.
if "$vdf" --csv --per-disk "$debian" "$t/truncated.qcow2" \
     > "$t/out" 2> "$t/err"; then
  echo "a bad guest did not fail the run" >&2; exit 1
fi
cat "$t/out" "$t/err"
grep -q "^$(basename "$debian"),/dev/sda1," "$t/out"
grep -q "^virt-df: error: .*truncated.qcow2" "$t/err"
assert_no_leftovers "$TMPDIR"

# Every guest failed: --json still prints valid JSON, and exits 1.
if "$vdf" --json -a "$t/truncated.qcow2" > "$t/out" 2> "$t/err"; then
  echo "a failed --json run exited 0" >&2; exit 1
fi
assert_eq "JSON without filesystems" "[]" "$(tr -d '[:space:]' < "$t/out")"
