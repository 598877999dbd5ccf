#!/bin/bash
# Runs one test (the command line after this script) and appends how
# long it took and how many appliances it launched to its log, so
# `make check-times` can say where the suite's time goes.
#
# Launches are counted by lib/appliance (gk_launch appends a line to
# $GUESTKIT_LAUNCH_LOG); image builders that bypass it are not counted.
launches=$(mktemp "${TMPDIR:-/tmp}/gk-launches.XXXXXX")
export GUESTKIT_LAUNCH_LOG="$launches"
start=$(date +%s%N)
"$@"
rc=$?
end=$(date +%s%N)
n=$(wc -l < "$launches")
rm -f "$launches"
awk -v ns=$((end - start)) -v n="$n" 'BEGIN {
  printf "# guestkit-test-time: %.1f s, %d appliance launches\n", ns / 1e9, n
}'
exit $rc
