#!/bin/bash -
# guestkit fuzz targets: line coverage of each target's files by its
# corpus.
#
#   fuzz-coverage.sh CORPUS-ROOT [TARGET...]
#
# Run in the fuzz/ folder of a tree configured for coverage and without
# --enable-fuzzing, so the targets are corpus replayers:
#
#   ./configure CC=clang \
#     CFLAGS='-O1 -g -fprofile-instr-generate -fcoverage-mapping'
#   make -C lib && make -C fuzz check
#   cd fuzz && ./fuzz-coverage.sh corpus     # or a fuzzing tree's corpus
#
# Prints, per target, the lines of its files that the corpus runs.
set -e
root=$1
shift || :
if [ -z "$root" ]; then
    echo "usage: $0 CORPUS-ROOT [TARGET...]" >&2
    exit 2
fi
llvm_profdata=$(command -v llvm-profdata || ls /usr/bin/llvm-profdata-* | tail -1)
llvm_cov=$(command -v llvm-cov || ls /usr/bin/llvm-cov-* | tail -1)
top=$(cd "${srcdir:-.}/.." && pwd)

# The function a target is about, when its file holds much else.
function_of ()
{
    case $1 in
        fuzz-machine-readable) echo gk_machine_readable_parse ;;
        fuzz-key) echo gk_parse_key_selector ;;
    esac
}

files_of ()
{
    case $1 in
        fuzz-mbr) echo lib/ondisk/mbr.c lib/ondisk/ptable.c ;;
        fuzz-gpt) echo lib/ondisk/gpt.c lib/ondisk/ptable.c ;;
        fuzz-content) echo lib/ondisk/content.c ;;
        fuzz-lvm-label) echo lib/ondisk/lvm-label.c ;;
        fuzz-lvm-text) echo lib/ondisk/lvm-metadata.c ;;
        fuzz-domain-xml) echo lib/libvirt/domain-xml.c ;;
        fuzz-sizes) echo lib/utils/sizes.c ;;
        fuzz-uri) echo lib/options/uri.c ;;
        fuzz-machine-readable) echo lib/utils/machine-readable.c ;;
        fuzz-key) echo lib/options/options.c ;;
    esac
}

[ $# -gt 0 ] || set -- fuzz-mbr fuzz-gpt fuzz-content fuzz-lvm-label \
    fuzz-lvm-text fuzz-domain-xml fuzz-sizes fuzz-uri \
    fuzz-machine-readable fuzz-key
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in "$@"; do
    LLVM_PROFILE_FILE="$tmp/$t-%p.profraw" ./"$t" "$root/$t" >/dev/null
    "$llvm_profdata" merge -sparse "$tmp/$t"-*.profraw -o "$tmp/$t.profdata"
    files=()
    for f in $(files_of "$t"); do files+=("$top/$f"); done
    echo "== $t"
    fn=$(function_of "$t")
    if [ -n "$fn" ]; then
        "$llvm_cov" report -show-functions "./$t" \
            -instr-profile="$tmp/$t.profdata" "${files[@]}" |
            awk -v fn="$fn" '$1 == fn {
                printf "   %-28s %5s lines, %5s missed, %7s covered\n",
                       $1 "()", $5, $6, $7 }'
        continue
    fi
    "$llvm_cov" report "./$t" -instr-profile="$tmp/$t.profdata" \
        "${files[@]}" | awk 'NR > 2 && !/^-/ {
            printf "   %-28s %5s lines, %5s missed, %7s covered\n",
                   $1, $8, $9, $10 }' | sed "s|$top/||"
done
