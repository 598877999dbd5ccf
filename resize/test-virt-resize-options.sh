#!/bin/bash
# Every option that changes the layout or the copy, checked on the
# result.  --no-expand-content keeps the appliance out: a launch would
# fail here, because LIBGUESTFS_HV points at /bin/false.
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires sfdisk --version
requires python3 --version

test_tmpdir --private-tmpdir
export LIBGUESTFS_HV=/bin/false
vr="$top_builddir/resize/virt-resize"

mbr_logical_image "$t/mbr.img"
# Boot code for --no-copy-boot-loader to keep or drop.
printf 'GKBOOT' | dd of="$t/mbr.img" bs=1 seek=0 conv=notrunc status=none
printf 'GKCORE' | dd of="$t/mbr.img" bs=512 seek=100 conv=notrunc status=none
src_sum="$(sha256_of "$t/mbr.img")"

run () {      # run NAME ARGS...: resize mbr.img into a fresh 512M NAME.img
  local name="$1"; shift
  rm -f "$t/$name.img"
  truncate -s 512M "$t/$name.img"
  "$vr" --no-expand-content "$@" "$t/mbr.img" "$t/$name.img" \
    > "$t/$name.log"
  sfdisk -d "$t/$name.img" > "$t/$name.table"
}
start_of () { sed -n "s|^$t/$1.img$2 : start= *\([0-9]*\),.*|\1|p" "$t/$1.table"; }
size_of () { sed -n "s|^$t/$1.img$2 : .*size= *\([0-9]*\),.*|\1|p" "$t/$1.table"; }

# Defaults: the extra partition takes the surplus (a free primary slot),
# the boot loader area is copied.
run default
grep -q 'An extra partition will be created for the surplus' "$t/default.log"
grep -q "default.img3 : .*type=83" "$t/default.table"
assert_eq "boot code" GKBOOT "$(head -c 6 "$t/default.img")"
assert_eq "core image" GKCORE \
  "$(dd if="$t/default.img" bs=512 skip=100 count=1 status=none | head -c 6)"

run noextra --no-extra-partition
grep -q 'The surplus space will be ignored' "$t/noextra.log"
not grep -q "noextra.img3" "$t/noextra.table"

run noboot --no-copy-boot-loader
# (bytes 440-445 are the table's disk signature, kept either way)
assert_eq "no boot code" 0 "$(head -c 440 "$t/noboot.img" | tr -d '\0' | wc -c)"
assert_eq "no core image" 0 \
  "$(dd if="$t/noboot.img" bs=512 skip=100 count=1 status=none | tr -d '\0' | wc -c)"

# --alignment: the partitions after the first start on 1 MiB (a logical
# partition keeps its distance from its EBR, which is aligned).
run align --alignment 2048 --expand sda1
# (There is no sda3: --expand leaves no surplus for an extra partition;
# an empty start used to be an arithmetic error, which set -e ignores.)
for n in 2 5; do
  start="$(start_of align $n)"
  [ -n "$start" ]
  [ $(( start % 2048 )) -eq 0 ]
done

# --align-first always moves the first partition to the alignment.
run first --align-first always --alignment 4096
assert_eq "first start" 4096 "$(start_of first 1)"

# --ignore: the partition exists but holds nothing.
run ignore --ignore sda5
grep -q '/dev/sda5: This partition will be created, but the contents will be ignored' "$t/ignore.log"
part_extract "$t/ignore.img" 5 "$t/p5"
assert_eq "ignored contents" 0 "$(tr -d '\0' < "$t/p5" | wc -c)"

# --resize-force cuts the partition below its filesystem without
# shrinking it (the user asked for exactly that).
run force --resize-force sda5=20M
assert_eq "forced size" 40960 "$(size_of force 5)"

# --no-sparse allocates the whole target; the default leaves holes.
run sparse
run dense --no-sparse
[ "$(stat -c %b "$t/sparse.img")" -lt $((100 * 2048)) ]
[ "$(stat -c %b "$t/dense.img")" -ge $((500 * 2048)) ]
# Also on a qcow2 target, where zeroing alone would only flag clusters
# as zero: every cluster is allocated, and the disk reads the same.
for mode in sparse dense; do
  qemu-img create -q -f qcow2 "$t/$mode.qcow2" 512M
done
"$vr" -q --no-expand-content "$t/mbr.img" "$t/sparse.qcow2"
"$vr" -q --no-expand-content --no-sparse "$t/mbr.img" "$t/dense.qcow2"
qemu-img compare -q "$t/sparse.qcow2" "$t/dense.qcow2"
allocated () {
  qemu-img map --output=json "$1" |
    python3 -c 'import json, sys
print(sum(e["length"] for e in json.load(sys.stdin) if "offset" in e))'
}
[ "$(allocated "$t/sparse.qcow2")" -lt $((100 * 1024 * 1024)) ]
assert_eq "allocated in dense.qcow2" $((512 * 1024 * 1024)) \
  "$(allocated "$t/dense.qcow2")"

# --output-format must match the target.
if "$vr" --output-format qcow2 "$t/mbr.img" "$t/sparse.img" 2> "$t/err"
then exit 1; fi
grep -q '^virt-resize: error: .*sparse.img' "$t/err"

# -q prints nothing; -V the version; bogus options fail with a hint.
rm -f "$t/q.img"; truncate -s 512M "$t/q.img"
"$vr" -q --no-expand-content "$t/mbr.img" "$t/q.img" > "$t/q.out"
assert_eq "-q output" "" "$(cat "$t/q.out")"
"$vr" -V | grep -q '^virt-resize [0-9]'
if "$vr" --no-such-option 2> "$t/err"; then exit 1; fi
grep -q "Try .virt-resize --help" "$t/err"
"$vr" --help | grep -q -- '--lv-expand'

assert_eq "source checksum" "$src_sum" "$(sha256_of "$t/mbr.img")"
assert_no_leftovers "$TMPDIR"
