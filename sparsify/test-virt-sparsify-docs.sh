#!/bin/bash
# The man page builds, is clean POD, and documents exactly the options
# virt-sparsify accepts.
source "$srcdir/../tests/functions.sh"
set -e
requires which podchecker pod2man
bash "$top_srcdir/tests/podcheck.sh" "$top_builddir/sparsify/virt-sparsify" \
  "$srcdir/virt-sparsify.pod"
