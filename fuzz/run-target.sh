#!/bin/bash -
# guestkit fuzz targets under "make check": run one target on its corpus.
#
#   run-target.sh ./fuzz-NAME
#
# Built with libFuzzer (--enable-fuzzing): the corpus is replayed, then
# the target fuzzes for $FUZZ_CHECK_SECONDS (3) more seconds, keeping
# what it finds in a scratch folder; a crash leaves its input as
# crash-* here.  Built without: the target is a replayer (run-corpus.c)
# and runs each input of the corpus once.
set -e

target=$1
name=$(basename "$target")
corpus=${builddir:-.}/corpus/$name
dict=${srcdir:-.}/dicts/${name#fuzz-}.dict

if [ ! -d "$corpus" ]; then
    echo "$0: $corpus: no corpus (make check makes it)" >&2
    exit 99
fi

if [ "$FUZZING" = yes ]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    args=(-max_total_time="${FUZZ_CHECK_SECONDS:-3}" -timeout=10
          -rss_limit_mb=2048 -max_len=262144
          -artifact_prefix="${builddir:-.}/$name-"
          -print_final_stats=1)
    [ -f "$dict" ] && args+=(-dict="$dict")
    exec "$target" "${args[@]}" "$scratch" "$corpus"
else
    exec "$target" "$corpus"
fi
