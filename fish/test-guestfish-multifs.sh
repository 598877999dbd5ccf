#!/bin/bash
# One read-only session on the multi-filesystem image, run as a script
# (-f, with a #! line): every kind of result is printed as upstream
# prints it (bool, int in octal, int64, string, string list, hashtable,
# struct, struct list, buffer, optional string), optional arguments,
# quoting and ~, !shell, <!include, | pipes, FileOut to "-" and to a
# host file, glob, time, not, help, -cmd; and the first error that is
# not tolerated ends the script with "FILE:LINE:" and exit 1.
# Then one session with -m and commands chained with ":", which also
# has the LUKS image as a second disk: a passphrase argument read with
# --keys-from-stdin (a wrong one fails, tolerated by -cmd; the right one
# opens the device).  The images are not written.  Two launches.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
test_tmpdir --private-tmpdir
img="$(multifs_image)"
luks="$(luks_image)"
fish="$builddir/guestfish"
stamp="$(file_stamp "$img")"
luks_stamp="$(file_stamp "$luks")"
export HOME="$t/home"
mkdir "$HOME"

cat > "$t/script" <<EOF
#!$fish -f
# A comment, then the appliance.
run
mount-ro /dev/sda1 /
echo -- bool
is-dir /data
is-file /data followsymlinks:true
exists /nonexistent
echo -- int
get-umask
echo -- int64
filesize /data/README
echo -- string
cat /data/README
echo -- string list
ls /data/many | head -n 3
echo -- hashtable
list-filesystems
echo -- struct
statvfs / | grep -E '^(bsize|blocks|namemax):'
echo -- struct list
lstatlist /data 'README blob-small' | grep -E '^(\[|\}|  size:)'
echo -- buffer
pread /data/README 8 9
echo
echo -- optional string
get-append
echo -- quoting
echo "tab\there" 'single \$HOME' ~ ~/x "\x41\102"
echo -- shell
!echo from the shell
<!echo 'echo from an include'
echo -- fileout
download /data/README -
download /data/README $t/readme.copy
echo -- glob
glob is-file /data/blob-*
echo -- builtins
time echo x | grep -c '^elapsed time: [0-9]*\.[0-9][0-9] seconds$'
not cat /nonexistent
help mount | head -n 1
echo -- tolerated
-cat /nonexistent
echo -- end
cat /nonexistent2
echo not reached
EOF
chmod +x "$t/script"

status=0
"$t/script" --ro -a "$img" > "$t/out" 2> "$t/err" || status=$?
cat "$t/err"
assert_eq "exit status of the script" 1 "$status"
cat > "$t/expected" <<EOF
-- bool
true
false
false
-- int
022
-- int64
37
-- string
guestkit multi-filesystem test image

-- string list
f00
f01
f02
-- hashtable
/dev/sda1: ext4
/dev/sda2: xfs
/dev/sda3: btrfs
/dev/sda4: vfat
/dev/sda5: ntfs
/dev/sda6: swap
/dev/gktestvg/lvext4: ext4
/dev/gktestvg/lvxfs: xfs
-- struct
bsize: 1024
blocks: 90333
namemax: 255
-- struct list
[0] = {
  size: 37
}
[1] = {
  size: 262144
}
-- buffer
multi-fi
-- optional string
(null)
-- quoting
tab	here single \$HOME $HOME $HOME/x AB
-- shell
from the shell
from an include
-- fileout
guestkit multi-filesystem test image
-- glob
true
true
-- builtins
1
mount mountable mountpoint
-- tolerated
-- end
EOF
diff -u "$t/expected" "$t/out"
cmp "$t/readme.copy" <(printf 'guestkit multi-filesystem test image\n')

# stderr: the two expected failures and the one that ended the script,
# each one line, with the script's name and line.
s="$t/script"
line () { grep -n -x -e "$1" "$s" | cut -d: -f1; }
# (libguestfs's cat is a download, and says so.)
cat > "$t/expected-err" <<EOF
$s:$(line 'not cat /nonexistent'): libguestfs: error: download: /nonexistent: No such file or directory
$s:$(line '-cat /nonexistent'): libguestfs: error: download: /nonexistent: No such file or directory
$s:$(line 'cat /nonexistent2'): libguestfs: error: download: /nonexistent2: No such file or directory
EOF
diff -u "$t/expected-err" "$t/err"

# -m and a chain of commands on the command line; a failing -cmd does
# not stop it, a failing command does, with exit 1.  The LUKS image is
# /dev/sdb: its key, read from stdin, is asked for by the commands that
# take one (the wrong one first); its filesystem is mounted over /data.
status=0
printf 'wrong key\n%s\n' "$LUKS_KEY" |
  "$fish" --ro -a "$img" -a "$luks" --keys-from-stdin -m /dev/sda2:/:ro \
    vfs-type /dev/sda2 : -cat /nonexistent : cat /data/README : \
    is-file /nope : -luks-open-ro /dev/sdb2 bad : \
    luks-open-ro /dev/sdb2 sec : mount-ro /dev/mapper/sec /data : \
    ls /data : cat /nonexistent : echo not reached \
    > "$t/out" 2> "$t/err" || status=$?
cat "$t/err"
assert_eq "exit status of the chain" 1 "$status"
# The last lines: the LUKS filesystem, opened with the right key.
assert_eq "output of the chain" \
  "$(printf 'xfs\nguestkit multi-filesystem test image\n\nfalse')
lost+found
secret.txt" "$(cat "$t/out")"
assert_eq "errors of the chain" 2 \
  "$(grep -c '^libguestfs: error: download: /nonexistent' "$t/err")"
assert_eq "the wrong key's error" 1 \
  "$(grep -c '^libguestfs: error: luks_open_ro:' "$t/err")"
assert_eq "error lines of the chain" 3 "$(wc -l < "$t/err")"
# --ro never writes the images.
assert_eq "the image is untouched" "$stamp" "$(file_stamp "$img")"
assert_eq "the LUKS image is untouched" "$luks_stamp" \
  "$(file_stamp "$luks")"
assert_no_leftovers "$TMPDIR"
