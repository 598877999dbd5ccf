#!/bin/bash
# Completing guestmount-all and guestunmount: their real options; for
# guestmount-all, -d offers running domains only without --rw (libvirt's
# test driver: its domain "test" runs), -o the FUSE options, and the
# mountpoint directories only; for guestunmount, the FUSE mountpoints
# of the kernel's table (a sample mountinfo here).
set -e
source "$builddir/guestmount-all"
source "$builddir/guestunmount"
complete -p guestmount-all | grep -q '_guestkit_guestmount_all'
complete -p guestunmount | grep -q '_guestkit_guestunmount'

source "$srcdir/../tests/functions.sh"
test_tmpdir tmpdir

gma () { complete_with _guestkit_guestmount_all "$@"; }
gu () { complete_with _guestkit_guestunmount "$@"; }

gm="$top_builddir/mount-fs/guestmount-all"
gun="$top_builddir/mount-fs/guestunmount"

# Options come from the binaries.
[ "$(gma "$gm" --no-f)" = --no-fork ]
[ "$(gma "$gm" --pid)" = --pid-file ]
gma "$gm" - | grep -qx -- -m
gma "$gm" -- | grep -qx -- --dir-cache-timeout
[ "$(gu "$gun" --no-r)" = --no-retry ]
gu "$gun" -- | grep -qx -- --retry

# -d: the running domain only when mounting read-only.
if command -v virsh >/dev/null &&
   virsh -c test:///default -q list --name 2>/dev/null | grep -qx test; then
  [ "$(gma "$gm" -c test:///default -d t)" = test ]
  [ -z "$(gma "$gm" -c test:///default --rw -d t)" ]
  [ -z "$(gma "$gm" -w -c test:///default -d t)" ]
  [ "$(gma "$gm" -w --ro -c test:///default -d t)" = test ]
fi

# -o: FUSE options, a "name=" one without the trailing blank.
[ "$(gma "$gm" -o allow_o)" = allow_other ]
[ "$(gma "$gm" -o attr_t)" = attr_timeout= ]
[ -z "$(gma "$gm" --fd 3)" ]

# The mountpoint: directories, not files.
mkdir "$tmpdir/mntdir"
touch "$tmpdir/mntfile" "$tmpdir/disk.img"
[ "$(gma "$gm" -a "$tmpdir/disk.img" "$tmpdir/mnt")" = "$tmpdir/mntdir" ]
# -a still completes files.
[ "$(gma "$gm" -a "$tmpdir/disk")" = "$tmpdir/disk.img" ]

# guestunmount: FUSE mountpoints only.
cat > "$tmpdir/mountinfo" <<'MI'
22 1 0:21 / /proc rw,nosuid - proc proc rw
71 27 0:45 / /tmp/gk\040mnt rw,relatime - fuse /dev/fuse rw,user_id=0
72 27 0:46 / /srv/data rw,relatime shared:5 - fuse.sshfs host: rw
73 27 0:47 / /mnt/other rw - ext4 /dev/sdb1 rw
MI
export GUESTKIT_MOUNTINFO="$tmpdir/mountinfo"
[ "$(gu "$gun" /tmp/gk)" = '/tmp/gk\ mnt' ]
[ "$(gu "$gun" /srv)" = /srv/data ]
[ -z "$(gu "$gun" /mnt)" ]
[ -z "$(gu "$gun" --retry 2)" ]
echo ok
