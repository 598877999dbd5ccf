#!/bin/bash
# Bad input gets one clear error line and exit 1 before any appliance is
# started (LIBGUESTFS_HV is /bin/false, so a launch would fail with
# another message): nothing is mounted, no daemon is left, the
# temporary directory is empty.  Also: the --machine-readable fact list,
# and guestunmount's own bad input.
source "$srcdir/../tests/functions.sh"
set -e
requires sfdisk --version
requires qemu-img --version

test_tmpdir --private-tmpdir
export LIBGUESTFS_HV=/bin/false
gm="$builddir/guestmount-all"
gu="$builddir/guestunmount"

truncate -s 64M "$t/disk.img"
printf 'label: dos\n,32M\n' | sfdisk -q "$t/disk.img"
: > "$t/empty.img"
# A qcow2 header followed by junk.
{ printf 'QFI\xfb\0\0\0\3'; head -c 65536 /dev/urandom; } > "$t/junk.qcow2"
mkdir "$t/mnt" "$t/full"
touch "$t/full/file" "$t/plain"

expect_error () {
  local pattern="$1" status=0 prog="$gm"
  shift
  if [ "$1" = --prog ]; then prog="$2"; shift 2; fi
  "$prog" "$@" > "$t/out" 2> "$t/err" < /dev/null || status=$?
  cat "$t/err"
  assert_eq "exit status of $*" 1 "$status"
  assert_eq "error lines of $*" 1 "$(wc -l < "$t/err")"
  grep -q "^$(basename "$prog"): error: .*$pattern" "$t/err"
  not grep -q 'could not start the libguestfs appliance' "$t/err"
  not grep -q " $t/" /proc/self/mountinfo
  assert_no_leftovers "$TMPDIR"
  assert_no_leftovers "$t/mnt"
}

# Disks.
expect_error "$t/nosuch.img: No such file or directory" \
  -a "$t/nosuch.img" "$t/mnt"
expect_error "the disk image is empty" -a "$t/empty.img" "$t/mnt"
expect_error "junk.qcow2" --format=qcow2 -a "$t/junk.qcow2" "$t/mnt"
expect_error "is a directory, not a disk image" -a "$t/full" "$t/mnt"
expect_error "--format bogus: unknown disk format" \
  --format=bogus -a "$t/disk.img" "$t/mnt"
expect_error "give a disk image (-a) or a libvirt domain (-d)" "$t/mnt"
expect_error "-c/--connect is only used with -d" \
  -c test:///default -a "$t/disk.img" "$t/mnt"
expect_error "no libvirt domain called 'nosuch'\|nosuch" \
  -c test:///default -d nosuch "$t/mnt"

# --rw is refused for a running domain (the libvirt test driver's
# domains run; this one has our disk).
test_driver_node "$t/libvirt.xml" "gkrunning:running:$t/disk.img"
expect_error "domain ‘gkrunning’ is running" \
  -c "test://$t/libvirt.xml" -d gkrunning --rw "$t/mnt"

# guestmount's options that do not apply: refused, not ignored.
expect_error "-n/--no-sync is not supported" -n -a "$t/disk.img" "$t/mnt"
expect_error "-n/--no-sync is not supported" --no-sync --rw \
  -a "$t/disk.img" "$t/mnt"
expect_error "--live is not supported" --live -a "$t/disk.img" "$t/mnt"
# --selinux does nothing, and says so.
status=0
"$gm" --selinux -a "$t/disk.img" "$t/nosuch" 2> "$t/err" || status=$?
assert_eq "exit status of --selinux on a bad mountpoint" 1 "$status"
assert_eq "--selinux" "guestmount-all: warning: --selinux does nothing and is ignored
guestmount-all: error: mountpoint $t/nosuch: No such file or directory" \
  "$(cat "$t/err")"

# The mountpoint.
expect_error "give the mountpoint" -a "$t/disk.img"
expect_error "extra parameter on the command line: ‘$t/full’" \
  -a "$t/disk.img" "$t/mnt" "$t/full"
expect_error "mountpoint $t/nosuch: No such file or directory" \
  -a "$t/disk.img" "$t/nosuch"
expect_error "mountpoint $t/plain: not a directory" -a "$t/disk.img" "$t/plain"
expect_error "mountpoint $t/full: the directory is not empty" \
  -a "$t/disk.img" "$t/full"

# No FUSE device: /dev/null bound over /dev/fuse in a mount namespace
# of its own (root only; the host's /dev/fuse is untouched).
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  status=0
  unshare -m sh -c 'mount --bind /dev/null /dev/fuse && exec "$@"' sh \
    "$gm" -a "$t/disk.img" "$t/mnt" > "$t/out" 2> "$t/err" || status=$?
  cat "$t/err"
  assert_eq "exit status without /dev/fuse" 1 "$status"
  assert_eq "error lines without /dev/fuse" 1 "$(wc -l < "$t/err")"
  grep -q "^guestmount-all: error: /dev/fuse is not the FUSE device" "$t/err"
  assert_no_leftovers "$TMPDIR"
fi

# Options.
expect_error "-m :/boot: give a device" -a "$t/disk.img" -m :/boot "$t/mnt"
expect_error "--dir-cache-timeout" \
  --dir-cache-timeout=soon -a "$t/disk.img" "$t/mnt"
expect_error "--fd 99: Bad file descriptor" --fd=99 -a "$t/disk.img" "$t/mnt"
expect_error "-o: empty FUSE option" -o '' -a "$t/disk.img" "$t/mnt"
expect_error "--pid-file: empty file name" --pid-file= -a "$t/disk.img" \
  "$t/mnt"

# guestunmount: usage errors are 1; a path with nothing mounted is 3.
expect_error "give the mountpoint" --prog "$gu"
expect_error "extra parameter" --prog "$gu" "$t/mnt" "$t/full"
expect_error "--retry" --prog "$gu" --retry=many "$t/mnt"
status=0
"$gu" "$t/mnt" 2> "$t/err" || status=$?
assert_eq "guestunmount of a plain directory" 3 "$status"
grep -q "^guestunmount: error: $t/mnt is not mounted" "$t/err"
status=0
"$gu" -q "$t/mnt" 2> "$t/err" || status=$?
assert_eq "guestunmount -q of a plain directory" 3 "$status"
[ ! -s "$t/err" ]

# The fact list: no disk, no launch.
"$gm" --machine-readable > "$t/facts"
head -1 "$t/facts" | grep -qx guestmount-all
grep -qx mount-all "$t/facts"
grep -qx inspector "$t/facts"
"$gm" --machine-readable=file:"$t/facts2"
cmp "$t/facts" "$t/facts2"

# --fuse-help comes from libfuse itself.
"$gm" --fuse-help > "$t/out" 2>&1
grep -q allow_other "$t/out"

# -V and --help, for both.
"$gm" -V | grep -qx "guestmount-all [0-9.]*"
"$gu" --version | grep -qx "guestunmount [0-9.]*"
"$gm" --help | grep -q "guestunmount mountpoint"
"$gu" --help | grep -q "3 not mounted"
