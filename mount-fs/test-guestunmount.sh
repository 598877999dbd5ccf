#!/bin/bash
# guestunmount on real FUSE mounts made on the host by ntfs-3g (no
# appliance): an idle mount is unmounted (0); a busy one is retried and
# gives 2, and goes once it is idle; a dead mount whose program was
# killed ("Transport endpoint is not connected") is cleaned up (0);
# --fd waits for its pipe to close; nothing mounted is 3.
# guestmount-all refuses a mountpoint with a live or a dead mount on it.
source "$srcdir/../tests/functions.sh"
set -e
requires which ntfs-3g mkntfs
[ -c /dev/fuse ] || { echo "$0: skipped: no /dev/fuse" >&2; exit 77; }

test_tmpdir --private-tmpdir
gu="$builddir/guestunmount"
gm="$builddir/guestmount-all"
mnt="$t/mnt"
mkdir "$mnt"
truncate -s 8M "$t/ntfs.img"
mkntfs -F -f -q "$t/ntfs.img" 2>/dev/null

is_mounted () {
  awk -v m="$mnt" '$5 == m' /proc/self/mountinfo | grep -q ' - fuse'
}
# Whatever happens, nothing stays mounted.
cleanup_fn sh -c 'fusermount -u -z "$1" 2>/dev/null || umount -l "$1" 2>/dev/null; :' \
  sh "$mnt"

# ntfs_mount: ntfs-3g in the foreground, its PID in $fs_pid.
ntfs_mount () {
  ntfs-3g -o no_detach "$t/ntfs.img" "$mnt" >/dev/null 2>&1 &
  fs_pid=$!
  for _ in $(seq 100); do is_mounted && return 0; sleep 0.1; done
  echo "$0: ntfs-3g did not mount" >&2
  return 1
}

# Idle: unmounted at once, and ntfs-3g ends.
ntfs_mount
"$gu" "$mnt"
not is_mounted
wait "$fs_pid"

# guestmount-all will not mount over a mount.
ntfs_mount
status=0
LIBGUESTFS_HV=/bin/false "$gm" -a "$t/ntfs.img" "$mnt" 2> "$t/err" || status=$?
assert_eq "guestmount-all over a mount" 1 "$status"
grep -q "^guestmount-all: error: mountpoint $mnt: something is mounted" \
  "$t/err"

# Busy: a process has its working directory there.  --no-retry gives 2
# at once; --retry=2 tries 3 times in about 3 s, then gives 2.
( cd "$mnt" && exec sleep 60 ) &
holder=$!
sleep 0.5
status=0
"$gu" --no-retry "$mnt" 2> "$t/err" || status=$?
assert_eq "guestunmount --no-retry of a busy mount" 2 "$status"
grep -q "^guestunmount: error: cannot unmount $mnt: it is busy" "$t/err"
start=$SECONDS
status=0
"$gu" --retry=2 "$mnt" 2> "$t/err" || status=$?
assert_eq "guestunmount --retry=2 of a busy mount" 2 "$status"
[ $((SECONDS - start)) -ge 2 ]
is_mounted
status=0
"$gu" -q --no-retry "$mnt" 2> "$t/err" || status=$?
assert_eq "guestunmount -q of a busy mount" 2 "$status"
[ ! -s "$t/err" ]
# Once the holder is gone, the default retries get it.
( sleep 1; kill "$holder" ) &
"$gu" "$mnt"
not is_mounted
wait "$fs_pid" || :

# Dead: the program serving it is killed.
ntfs_mount
kill -9 "$fs_pid"
wait "$fs_pid" 2>/dev/null || :
not ls "$mnt" 2>/dev/null
status=0
LIBGUESTFS_HV=/bin/false "$gm" -a "$t/ntfs.img" "$mnt" 2> "$t/err" || status=$?
assert_eq "guestmount-all over a dead mount" 1 "$status"
grep -q "^guestmount-all: error: $mnt: a dead FUSE mount is there" "$t/err"
"$gu" "$mnt"
not is_mounted
ls "$mnt" > /dev/null

# --fd: unmounted only when the pipe's other end is closed.
ntfs_mount
exec {wfd}> >(exec "$gu" --fd=0 "$mnt")
gu_pid=$!
sleep 1
is_mounted
exec {wfd}>&-
wait "$gu_pid"
not is_mounted

# Not mounted (any more).
status=0
"$gu" "$mnt" 2>/dev/null || status=$?
assert_eq "guestunmount of nothing" 3 "$status"
assert_no_leftovers "$TMPDIR"
