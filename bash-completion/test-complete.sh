#!/bin/bash
# Completing a virt-df command line offers its real options and files.
set -e
source "$builddir/virt-df"
complete -p virt-df | grep -q '_guestkit_virt_df'

source "$srcdir/../tests/functions.sh"
complete_words () { complete_with _guestkit_virt_df "$@"; }

# Use the built binary as "virt-df".
vdf="$top_builddir/df/virt-df"
out="$(complete_words "$vdf" --cs)"
[ "$out" = "--csv" ]
out="$(complete_words "$vdf" --js)"
[ "$out" = "--json" ]
complete_words "$vdf" -- | grep -qx -- --per-disk
complete_words "$vdf" --format q | grep -qx qcow2
cd "$srcdir"
complete_words "$vdf" -a test-comp | grep -qx test-complete.sh
# virt-df's own values: --blocksize=N, -P N (nothing to offer, and no
# file names); registered without "-o default" so no file names either
# behind an empty reply.
[ "$(complete_words "$vdf" --blocksize=5)" = 512 ]
[ -z "$(complete_words "$vdf" -P test-comp)" ]
[ -z "$(complete_words "$vdf" --key test-comp)" ]
complete -p virt-df | grep -vq -- '-o default'
echo ok
