#!/bin/bash
# Completing a virt-sparsify command line offers its real options, the
# values of --convert, --check-tmpdir and --compress=, and the
# partitions of the disk for --zero and --ignore.
set -e
source "$builddir/virt-sparsify"
complete -p virt-sparsify | grep -q '_guestkit_virt_sparsify'

source "$srcdir/../tests/functions.sh"
test_tmpdir tmpdir

complete_words () { complete_with _guestkit_virt_sparsify "$@"; }

vs="$top_builddir/sparsify/virt-sparsify"
[ "$(complete_words "$vs" --in-p)" = "--in-place" ]
complete_words "$vs" -- | grep -qx -- --check-tmpdir
complete_words "$vs" - | grep -qx -- -o

[ "$(complete_words "$vs" --convert q | sort | tr '\n' ' ')" = "qcow2 qed " ]
[ "$(complete_words "$vs" --check-tmpdir f)" = "fail" ]
[ "$(complete_words "$vs" --compress= | sort | tr '\n' ' ')" = "zlib zstd " ]
complete_words "$vs" --format r | grep -qx raw

# --tmp: directories and files, also after prebuilt:.
touch "$tmpdir/ov.qcow2"
[ "$(complete_words "$vs" --tmp "prebuilt:$tmpdir/ov")" = \
  "prebuilt:$tmpdir/ov.qcow2" ]

# --zero and --ignore offer the partitions of the disk.
if command -v sfdisk >/dev/null && command -v partx >/dev/null; then
  disk="$tmpdir/src.img"
  truncate -s 32M "$disk"
  printf 'label: dos\n,8M\n,8M\n' | sfdisk -q "$disk"
  [ "$(complete_words "$vs" "$disk" out.img --zero /dev/sda | tr '\n' ' ')" \
    = "/dev/sda1 /dev/sda2 " ]
  [ "$(complete_words "$vs" --in-place "$disk" --ignore /dev/sda2)" \
    = "/dev/sda2" ]
fi
