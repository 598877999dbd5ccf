#!/bin/bash
# One read-only mount of the multi-filesystem image (ext4, xfs, btrfs,
# vfat, ntfs, swap, LVM; the dirty copy, whose builder recorded every
# file's checksum) and of the LUKS image as second disk, its encrypted
# partition opened with the key read through --keys-from-stdin:
# guestmount-all returns only once the mount is ready (--fd byte
# written, --pid-file names the daemon); every filesystem is at
# MOUNTPOINT/dev/NAME with every file, each with its recorded checksum;
# swap is listed once as skipped and not shown; writes fail with EROFS;
# file contents stay in the host's page cache across opens; -o reaches
# FUSE; --machine-readable copies the notice as JSON; SIGTERM
# to the daemon unmounts and stops it: nothing mounted, no pid file, no
# qemu, no temporary file.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
[ -c /dev/fuse ] || { echo "$0: skipped: no /dev/fuse" >&2; exit 77; }

test_tmpdir --private-tmpdir
img="$(dirty_image)"
manifest="${img%.img}.manifest"
luks="$(luks_image)"
gm="$builddir/guestmount-all"
gu="$builddir/guestunmount"
mnt="$t/mnt"
mkdir "$mnt"

is_mounted () {
  awk -v m="$mnt" '$5 == m' /proc/self/mountinfo | grep -q ' - fuse'
}
# Whatever happens, nothing stays mounted and no daemon stays.
cleanup_fn sh -c '[ -s "$2" ] && kill "$(cat "$2")" 2>/dev/null
  "$3" -q --retry=3 "$1"; :' sh "$mnt" "$t/pid" "$gu"

: > "$t/ready"
start=$SECONDS
echo "$LUKS_KEY" |
"$gm" --format=raw -a "$img" -a "$luks" --keys-from-stdin \
  --pid-file "$t/pid" --fd=3 -o allow_other \
  --dir-cache-timeout=30 --machine-readable="file:$t/mr" "$mnt" \
  > "$t/out" 3> "$t/ready"
echo "mounted in $((SECONDS - start)) s"
cat "$t/out"
is_mounted
assert_eq "bytes written to --fd" 1 "$(stat -c %s "$t/ready")"
pid="$(cat "$t/pid")"
kill -0 "$pid"
# The daemon, in a session of its own: not this shell's child.
[ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ]
awk -v m="$mnt" '$5 == m' /proc/self/mountinfo | grep -q allow_other

# Swap: listed, not shown.
grep -qx "guestmount-all: not mounted (no files to show): /dev/sda6" "$t/out"
[ ! -e "$mnt/dev/sda6" ]
cat "$t/mr"
grep -q '^{ "message": "not mounted (no files to show): /dev/sda6", '\
'"timestamp": "[-0-9T:.+]*", "type": "info" }$' "$t/mr"

# Every filesystem, every file, every checksum.
devices="$(cut -f1 "$manifest" | sort -u)"
assert_eq "filesystems" "$(echo "$devices" | wc -l)" 7
for dev in $devices; do
  [ -d "$mnt$dev/data" ]
  assert_eq "files of $dev" \
    "$(awk -F'\t' -v d="$dev" '$1 == d' "$manifest" | wc -l)" \
    "$(find "$mnt$dev" -type f | grep -vc '/lost+found/' || :)"
done
ls "$mnt/dev" | sort > "$t/top"
printf '%s\n' gktestvg mapper sda1 sda2 sda3 sda4 sda5 sdb1 \
  > "$t/top-expected"
assert_eq "second disk" "guestkit hello" "$(cat "$mnt/dev/sdb1/hello.txt")"
assert_eq "LUKS volume" "guestkit secret" \
  "$(cat "$mnt/dev/mapper/cryptsdb2/secret.txt")"
diff -u "$t/top-expected" "$t/top"
awk -F'\t' -v m="$mnt" '{ print $3 "  " m $1 $2 }' "$manifest" |
  sha256sum -c --quiet

# Read-only mounts keep what was read in the host's page cache from one
# open to the next (kernel_cache): a file read above is still resident
# when opened again (without it, FUSE drops its pages at each open).
big="$(find "$mnt/dev/sda1/data" -type f -size +1M | head -n 1)"
[ -n "$big" ]
cat "$big" > /dev/null
resident="$(fincore --noheadings --bytes --output RES "$big")"
echo "resident after a second open: $resident bytes of $(stat -c %s "$big")"
[ "$resident" -gt 0 ]

# Read-only: every kind of write fails with EROFS.
for p in "$mnt/dev/sda1/new" "$mnt/dev/gktestvg/lvxfs/data/new" \
         "$mnt/new" "$mnt/dev/new"; do
  not touch "$p" 2> "$t/err"
  grep -q "Read-only file system" "$t/err"
done
not rm "$mnt/dev/sda3/data/README" 2> "$t/err"
grep -q "Read-only file system" "$t/err"
not mkdir "$mnt/dev/sda4/dir" 2> "$t/err"
grep -q "Read-only file system" "$t/err"

# SIGTERM: unmounted, the daemon and its appliance gone, files removed.
kill -TERM "$pid"
for _ in $(seq 240); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
not kill -0 "$pid" 2>/dev/null
not is_mounted
[ ! -e "$t/pid" ]
not pgrep -f "$TMPDIR" > /dev/null
assert_no_leftovers "$TMPDIR"
