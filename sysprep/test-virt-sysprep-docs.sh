#!/bin/bash
# The man page builds, is clean POD, and documents exactly the options
# virt-sysprep accepts; its list of operations is --list-operations'.
source "$srcdir/../tests/functions.sh"
set -e
requires which podchecker pod2man
vs="$top_builddir/sysprep/virt-sysprep"
bash "$top_srcdir/tests/podcheck.sh" "$vs" "$srcdir/virt-sysprep.pod"
diff -u <("$vs" --list-operations) \
  <(sed -n '/^=head1 OPERATIONS/,/^=head1/p' "$srcdir/virt-sysprep.pod" |
    sed -n 's/^ \([a-z].*\)/\1/p')
