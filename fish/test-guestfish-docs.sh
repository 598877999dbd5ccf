#!/bin/bash
# The man page builds, is clean POD, and documents exactly the options
# guestfish accepts.
source "$srcdir/../tests/functions.sh"
set -e
requires which podchecker pod2man
bash "$top_srcdir/tests/podcheck.sh" "$top_builddir/fish/guestfish" \
  "$srcdir/guestfish.pod"
