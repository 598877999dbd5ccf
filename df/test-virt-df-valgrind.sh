#!/bin/bash
# virt-df under valgrind, one appliance launch on a small host-built
# image: no invalid access, nothing definitely leaked.
source "$srcdir/../tests/functions.sh"
source "$srcdir/../resize/test-images.sh"
set -e
requires valgrind --version
requires sfdisk --version
requires_appliance

test_tmpdir
mbr_logical_image "$t/mbr.img"
valgrind --quiet --error-exitcode=99 --leak-check=full \
  --errors-for-leak-kinds=definite --show-leak-kinds=definite \
  --log-file="$t/valgrind.log" \
  "$top_builddir/df/virt-df" --csv -q -a "$t/mbr.img" > "$t/out" ||
  { cat "$t/valgrind.log"; exit 1; }
cat "$t/out" "$t/valgrind.log"
grep -q "^mbr.img,/dev/sda1," "$t/out"
grep -q "^mbr.img,/dev/sda5," "$t/out"
