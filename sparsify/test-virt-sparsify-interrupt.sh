#!/bin/bash
# SIGINT in the middle of the run (the appliance is releasing free
# space in the overlay): exit 1 with one line, no output (not even a
# partial one under another name), no overlay, no qemu left, and the
# input untouched.
# Appliance launches: 1.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires env --default-signal=INT true

img="$(dirty_image)" || exit $?
test_tmpdir --private-tmpdir
vs="$top_builddir/sparsify/virt-sparsify"
in_sum="$(sha256_of "$img")"

# A background job of a script ignores SIGINT unless told otherwise.
env --default-signal=INT "$vs" "$img" "$t/out.img" > "$t/log" 2> "$t/err" &
pid=$!
for (( i = 0; i < 1200; ++i )); do
  grep -q 'Fill free space in' "$t/log" && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.5
done
grep -q 'Fill free space in' "$t/log"
kill -INT $pid
status=0
wait $pid || status=$?
cat "$t/log" "$t/err"
assert_eq "exit status" 1 "$status"
assert_eq "error" \
  "virt-sparsify: error: interrupted: $t/out.img was not written" \
  "$(grep error: "$t/err")"
[ ! -e "$t/out.img" ]
assert_eq "files left" "" "$(ls -A "$t" | grep -v '^\(tmp\|log\|err\)$' || :)"
assert_no_leftovers "$TMPDIR"
# libguestfs's recovery process stops qemu within seconds.
sleep 5
not pgrep -f "qemu.*$t" >/dev/null
assert_eq "input unchanged" "$in_sum" "$(sha256_of "$img")"
