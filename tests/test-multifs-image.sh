#!/bin/bash -
# guestkit test harness: the multi-filesystem image builds and its
# expected-statvfs file has one sane line per filesystem, which a fresh
# read-only appliance reproduces.
set -e
source "$srcdir/../tests/functions.sh"

requires_appliance

requires which sgdisk

img="$(multifs_image)"
expected="$(multifs_expected)"
cat "$expected"

devices="/dev/sda1 /dev/sda2 /dev/sda3 /dev/sda4 /dev/sda5"
devices+=" /dev/gktestvg/lvext4 /dev/gktestvg/lvxfs"
assert_eq "devices" "$devices" \
  "$(cut -f1 "$expected" | tr '\n' ' ' | sed 's/ $//')"

# Every filesystem has data on it: 0 < bavail <= bfree < blocks.
awk -F'\t' '
  NF != 8 { print "bad line: " $0; bad = 1; next }
  !($4 > 0 && $5 < $4 && $6 <= $5 && $2 > 0 && $3 > 0) {
    print "implausible figures: " $0; bad = 1
  }
  END { exit bad }
' "$expected"

# And the partition table is what the builder promised: GPT, 7 partitions.
sgdisk -p "$img"
test "$(sgdisk -p "$img" | grep -Ec '^ +[0-9]+ ')" -eq 7

# The recorded figures are what a fresh read-only appliance sees, which
# is what virt-df tests compare against.
diff -u <(sort "$expected") <(check_guest --statvfs "$img" | sort)
