#!/bin/bash
# Both man pages build, are clean POD, and document exactly the options
# guestmount-all and guestunmount accept.
source "$srcdir/../tests/functions.sh"
set -e
requires which podchecker pod2man
bash "$top_srcdir/tests/podcheck.sh" "$builddir/guestmount-all" \
  "$srcdir/guestmount-all.pod"
bash "$top_srcdir/tests/podcheck.sh" "$builddir/guestunmount" \
  "$srcdir/guestunmount.pod"
