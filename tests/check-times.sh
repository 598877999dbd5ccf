#!/bin/bash
# Where the suite's time went: one line per test from the last
# `make check` logs (tests/timed-test.sh wrote the figures), slowest
# first, then the totals.
cd "${1:-.}" || exit 1
find . -name '*.log' ! -name config.log ! -name test-suite.log -print0 |
  xargs -0 grep -H '^# guestkit-test-time:' 2>/dev/null |
  sed -E 's|^\./||; s|\.log:# guestkit-test-time: ([0-9.]+) s, ([0-9]+) .*|\t\1\t\2|' |
  sort -t$'\t' -k2,2nr |
  awk -F'\t' '
    BEGIN { printf "%-48s %8s %9s\n", "test", "seconds", "launches" }
    { printf "%-48s %8.1f %9d\n", $1, $2, $3; t += $2; l += $3 }
    END { printf "%-48s %8.1f %9d\n", "total (serial)", t, l }'
