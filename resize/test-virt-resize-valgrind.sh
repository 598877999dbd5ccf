#!/bin/bash
# virt-resize under valgrind: a copy on the host and one appliance
# launch growing ext4 — no invalid access, nothing definitely leaked.
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires valgrind --version
requires sfdisk --version
requires_appliance

test_tmpdir
mbr_logical_image "$t/mbr.img"
truncate -s 384M "$t/out.img"
valgrind --quiet --error-exitcode=99 --leak-check=full \
  --errors-for-leak-kinds=definite --show-leak-kinds=definite \
  --log-file="$t/valgrind.log" \
  "$top_builddir/resize/virt-resize" --expand /dev/sda1 \
  "$t/mbr.img" "$t/out.img" > "$t/out" ||
  { cat "$t/out" "$t/valgrind.log"; exit 1; }
cat "$t/out" "$t/valgrind.log"
grep -q "Expanding /dev/sda1 using the ‘resize2fs’ method" "$t/out"
