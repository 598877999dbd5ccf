#!/bin/bash
# --rw in the foreground (--no-fork) on a copy of an image with ext4,
# btrfs subvolumes, a broken ext4 and an MD RAID-1 (2 launches): the
# broken one is reported and the others served; subvolumes are at
# MOUNTPOINT/dev/sda2/@ and @home although @ is the default subvolume;
# the array is at MOUNTPOINT/dev/mdN and its members are not shown;
# files written through the mount, then SIGINT: the mount goes, the exit
# status is 0 (synced); writing beside the filesystems fails instead of
# being lost.  Then the ext4 file is read back on the host (debugfs),
# and the btrfs and MD ones through a second, read-only mount of the
# subvolume alone with the array inside it (-m with options, traced
# with -x: --blocksize reaches the drive), which guestunmount ends.  A
# second --rw mount of the image in use is refused.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires which debugfs
[ -c /dev/fuse ] || { echo "$0: skipped: no /dev/fuse" >&2; exit 77; }

# Before the private TMPDIR: the builder's appliance cache is not ours.
base="$(subvol_image)"
test_tmpdir --private-tmpdir
gm="$builddir/guestmount-all"
gu="$builddir/guestunmount"
mnt="$t/mnt"
mkdir "$mnt" "$t/mnt2"
cp --sparse=always "$base" "$t/rw.img"

is_mounted () {
  awk -v m="$1" '$5 == m' /proc/self/mountinfo | grep -q ' - fuse'
}
cleanup_fn sh -c '[ -s "$2" ] && kill "$(cat "$2")" 2>/dev/null
  "$3" -q --retry=3 "$1"; :' sh "$mnt" "$t/pid" "$gu"

# wait_ready FILE PID: until FILE has the --fd byte, or PID died.
wait_ready () {
  for _ in $(seq 1200); do
    [ -s "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

: > "$t/ready"
# A background job of a script ignores SIGINT unless told otherwise.
env --default-signal=INT "$gm" --rw --no-fork --fd=3 --format=raw \
  -a "$t/rw.img" "$mnt" 3> "$t/ready" > "$t/out" 2>&1 &
gpid=$!
wait_ready "$t/ready" "$gpid" || { cat "$t/out"; exit 1; }
is_mounted "$mnt"

assert_eq "ext4 file" "hello from ext4" "$(cat "$mnt/dev/sda1/hello.txt")"
# The broken filesystem: one warning, an empty, unwritable directory.
cat "$t/out"
grep -q "^guestmount-all: warning: /dev/sda3 (ext4) could not be mounted, the others are served: " "$t/out"
[ -z "$(ls -A "$mnt/dev/sda3")" ]
not touch "$mnt/dev/sda3/lost" 2>/dev/null
assert_eq "subvolume @" gkguest "$(cat "$mnt/dev/sda2/@/etc/hostname")"
assert_eq "subvolume @home" notes \
  "$(cat "$mnt/dev/sda2/@home/user/notes.txt")"
# The RAID-1: one array, named as the appliance's kernel names it.
md="$(cd "$mnt/dev" && ls -d md*)"
[[ "$md" =~ ^md[0-9]+$ ]]
assert_eq "MD file" "hello from md" "$(cat "$mnt/dev/$md/md.txt")"
[ ! -e "$mnt/dev/sda4" ] && [ ! -e "$mnt/dev/sda5" ]

# A second writer of the same image is refused.
status=0
"$gm" --rw --format=raw -a "$t/rw.img" "$t/mnt2" 2> "$t/err" || status=$?
cat "$t/err"
assert_eq "second --rw mount" 1 "$status"
grep -q "^guestmount-all: error: $t/rw.img: the image is in use" "$t/err"
not is_mounted "$t/mnt2"

echo "written through FUSE" > "$mnt/dev/sda1/new.txt"
echo "in a subvolume" > "$mnt/dev/sda2/@home/user/new.txt"
echo "on both halves" > "$mnt/dev/$md/new.txt"
mkdir "$mnt/dev/sda2/@home/newdir"
# Not in any filesystem: refused, not silently lost.
not touch "$mnt/stray" 2>/dev/null
not mkdir "$mnt/dev/stray" 2>/dev/null

kill -INT "$gpid"
status=0
wait "$gpid" || status=$?
cat "$t/out"
assert_eq "exit status after SIGINT in --rw mode" 0 "$status"
not is_mounted "$mnt"
not pgrep -f "$TMPDIR" > /dev/null

# ext4 on the host: sda1 is MiB 1 to 65.
dd if="$t/rw.img" of="$t/sda1" bs=1M skip=1 count=64 status=none
assert_eq "ext4 file after unmount" "written through FUSE" \
  "$(debugfs -R 'cat /new.txt' "$t/sda1" 2>/dev/null)"

# The btrfs subvolume alone, read-only, through -m, traced: --blocksize
# reaches the drive; the MD array in the same launch, on the directory
# made above.
"$gm" -x --blocksize=512 --format=raw -a "$t/rw.img" \
  -m /dev/sda2:/:subvol=@home -m "/dev/$md:/newdir" \
  --pid-file "$t/pid" "$mnt" 2> "$t/trace"
grep '^libguestfs: trace: add_drive ' "$t/trace"
grep -q '^libguestfs: trace: add_drive "'"$t/rw.img"'".* "blocksize:512"' \
  "$t/trace"
assert_eq "MD file after unmount" "on both halves" \
  "$(cat "$mnt/newdir/new.txt")"
assert_eq "btrfs file after unmount" "in a subvolume" \
  "$(cat "$mnt/user/new.txt")"
assert_eq "MD file, old" "hello from md" "$(cat "$mnt/newdir/md.txt")"
assert_eq "old file" notes "$(cat "$mnt/user/notes.txt")"
not touch "$mnt/user/x" 2>/dev/null
pid="$(cat "$t/pid")"
"$gu" "$mnt"
not is_mounted "$mnt"
for _ in $(seq 240); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
not kill -0 "$pid" 2>/dev/null
[ ! -e "$t/pid" ]
assert_no_leftovers "$TMPDIR"
