#!/bin/bash
# virt-df -a IMAGE, text output, every figure checked against the
# statvfs figures the multifs image builder recorded itself (upstream's
# columns, 1K blocks, Use% rounded up), under valgrind when it is
# installed: no invalid access, nothing definitely leaked.  One launch;
# the image must not change.  (A test of its own beside
# test-virt-df-guests, so that make -j2 runs the two side by side.)
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

multifs="$(multifs_image)"
expected="$(multifs_expected)"
multifs_sum="$(sha256_of "$multifs")"
test_tmpdir
vdf="$top_builddir/df/virt-df"

valgrind=()
if command -v valgrind > /dev/null; then
  valgrind=(valgrind --quiet --error-exitcode=99 --leak-check=full
            --errors-for-leak-kinds=definite --show-leak-kinds=definite
            --log-file="$t/valgrind.log")
fi
"${valgrind[@]}" "$vdf" -a "$multifs" > "$t/text" ||
  { cat "$t/valgrind.log" 2>/dev/null; exit 1; }
cat "$t/text"
python3 "$srcdir/check-df-rows.py" text "$expected" "$(basename "$multifs")" \
  < "$t/text"
assert_eq "multifs image" "$multifs_sum" "$(sha256_of "$multifs")"
