#!/bin/bash
# One read-write session on a scratch copy of the multi-filesystem image
# (the default is read-write, as upstream): write, upload from a host
# file, from "-" (stdin) and from a here-document, mkdir-p, rm, touch,
# write-append, a FileOut to "-" through a pipe, a checksum, copy-in and
# copy-out of a tree with checksums.  The
# changes are then read back on the host, without an appliance
# (debugfs on the ext4 partition): they are on the disk once guestfish
# has exited 0.
# A second session, with --json, on the same disk: edit (vi, emacs)
# with scripts as editors (a change is written back keeping owner and
# mode, no change writes nothing, a failing editor leaves the file
# alone), more/less, display and hexedit (a file and a device) with
# scripts too, a launch_done event, and one JSON value per line for
# each return type.  Two launches.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires debugfs -V
requires partx --version
requires python3 --version
test_tmpdir --private-tmpdir
base="$(multifs_image)"
fish="$builddir/guestfish"
img="$t/scratch.img"
cp --sparse=always "$base" "$img"

printf 'from the host\n' > "$t/hostfile"
printf 'from stdin\n' > "$t/stdin"
mkdir -p "$t/tree/sub dir" "$t/back"
head -c 300000 /dev/urandom > "$t/tree/sub dir/random"
printf 'x\n' > "$t/tree/x"
cat > "$t/script" <<EOF
run
mount /dev/sda1 /
write /data/new.txt "hello"
write-append /data/new.txt ", world\n"
upload $t/hostfile /data/uploaded
upload - /data/fromstdin
upload -<<END /data/heredoc.txt
line one
  line two, indented
END
mkdir-p /data/a/b/c
touch /data/a/b/c/empty
rm /data/README
checksum sha256 /data/uploaded
copy-in $t/tree /data
copy-out /data/tree /data/uploaded $t/back
tar-out /data/many - | tar -tf - | grep -v /$ | sort | head -n 2
EOF
"$fish" -a "$img" -f "$t/script" < "$t/stdin" > "$t/out"
cat "$t/out"
assert_eq "script output" \
  "$(sha256_of "$t/hostfile")
./f00
./f01" "$(cat "$t/out")"

# copy-in then copy-out: the same tree back, and a single file.
diff -r "$t/tree" "$t/back/tree"
cmp "$t/hostfile" "$t/back/uploaded"

# The ext4 partition, read on the host.
read -r start sectors < <(partx -g -o START,SECTORS -n 1 "$img")
dd if="$img" of="$t/sda1" bs=512 skip="$start" count="$sectors" \
  status=none
dfs () { debugfs -R "$1" "$t/sda1" 2>/dev/null; }
assert_eq "write + write-append" "hello, world" "$(dfs 'cat /data/new.txt')"
assert_eq "upload" "from the host" "$(dfs 'cat /data/uploaded')"
assert_eq "upload from stdin" "from stdin" "$(dfs 'cat /data/fromstdin')"
assert_eq "upload of a here-document" \
  "$(printf 'line one\n  line two, indented')" \
  "$(dfs 'cat /data/heredoc.txt')"
dfs 'ls -p /data/a/b/c' | grep -q '/empty/'
assert_eq "copy-in on the disk" "$(sha256_of "$t/tree/sub dir/random")" \
  "$(dfs 'cat "/data/tree/sub dir/random"' | sha256sum | cut -d' ' -f1)"
dfs 'ls -p /data' > "$t/ls"
grep -q '/new.txt/' "$t/ls"
not grep -q '/README/' "$t/ls"

# ---- the second session: --json, and the host programs ----
# Scripts standing in for the editors, pagers and viewers; each notes
# the temporary file it was given, to check it is gone afterwards.
mkdir "$t/bin"
prog () {
  printf '#!/bin/sh\nfor a; do :; done; echo "$a" >> "%s/tmpfiles"\n%s\n' \
    "$t" "$2" > "$t/bin/$1"
  chmod +x "$t/bin/$1"
}
prog sed-edit 'sed -i s/a/b/ "$1"'
prog same-edit 'sed -i s/x/y/ "$1"'     # rewrites it, changes nothing
prog fail-edit 'echo junk >> "$1"; exit 1'
prog vi 'echo vi >> "$1"'
prog emacs '[ "$1" = -nw ] && echo emacs >> "$2"'
prog less 'echo less:; cat "$1"'
prog show "cp \"\$1\" '$t/displayed'"
prog hex-z 'printf Z | dd of="$1" bs=1 seek=2 conv=notrunc status=none'
prog hex-grow 'printf G | dd of="$1" bs=1 conv=notrunc status=none
echo more >> "$1"'
cat > "$t/script2" <<EOF
event started launch_done 'echo "\$EVENT" >> $t/events'
run
mount /dev/sda1 /
write /data/e.txt "banana\n"
chmod 0640 /data/e.txt
chown 12 34 /data/e.txt
statns /data/e.txt
setenv EDITOR $t/bin/sed-edit
edit /data/e.txt
cat /data/e.txt
statns /data/e.txt
setenv EDITOR $t/bin/same-edit
edit /data/e.txt
statns /data/e.txt
setenv EDITOR $t/bin/fail-edit
-edit /data/e.txt
vi /data/e.txt
emacs /data/e.txt
cat /data/e.txt
setenv PAGER cat
more /data/e.txt | cat > $t/more.out
less /data/e.txt | cat > $t/less.out
setenv GUESTFISH_DISPLAY_IMAGE $t/bin/show
display /data/blob-small
checksum sha256 /data/blob-small
setenv HEXEDITOR $t/bin/hex-z
hexedit /data/e.txt
pread /data/e.txt 4 0
hexedit /dev/sda 0x80000 16
setenv HEXEDITOR $t/bin/hex-grow
-hexedit /dev/sda 0x80000 16
pread-device /dev/sda 4 0x80000
get-umask
filesize /data/e.txt
is-dir /data
ls /data/a/b
readdir /data/a/b/c
list-filesystems
statvfs /
pread "/data/tree/sub dir/random" 300 0
supported
EOF
PATH="$t/bin:$PATH" "$fish" --json -a "$img" -f "$t/script2" \
  > "$t/out2" 2> "$t/err2"
cat "$t/out2" "$t/err2"
# Every line is one JSON value.  line N [EXPR]: the Nth, as JSON, or
# EXPR of it (v) in Python.
python3 -m json.tool --json-lines "$t/out2" > /dev/null
line () {
  python3 -c 'import json, sys
v = [json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2]) - 1]
print(eval(sys.argv[3]) if len(sys.argv) > 3 else json.dumps(v))' \
    "$t/out2" "$@"
}
assert_eq "values printed" 17 "$(wc -l < "$t/out2")"
assert_eq "the launch_done event" launch_done "$(cat "$t/events")"
# edit: the change is there, in a new file with the old owner and mode.
assert_eq "edited" '"bbnana\n"' "$(line 2)"
assert_eq "mode, uid, gid kept" "0o100640 12 34" \
  "$(line 3 '"%s %d %d" % (oct(v["st_mode"]), v["st_uid"], v["st_gid"])')"
[ "$(line 1 'v["st_ino"]')" != "$(line 3 'v["st_ino"]')" ]
# An editor that changes nothing: nothing written (same inode, times).
same='[v[k] for k in ("st_ino", "st_size", "st_mtime_sec", "st_mtime_nsec",
                    "st_ctime_sec", "st_ctime_nsec")]'
assert_eq "no change, no write" "$(line 3 "$same")" "$(line 4 "$same")"
# A failing editor: its junk is not written; vi and emacs are forced.
assert_eq "after vi and emacs" '"bbnana\nvi\nemacs\n"' "$(line 5)"
grep -q 'edit: .*fail-edit’ failed (exit status 1): nothing was written back' \
  "$t/err2"
assert_eq "more" "$(printf 'bbnana\nvi\nemacs')" "$(cat "$t/more.out")"
assert_eq "less" "$(printf 'less:\nbbnana\nvi\nemacs')" \
  "$(cat "$t/less.out")"
assert_eq "display" "$(line 6 v)" "$(sha256_of "$t/displayed")"
# hexedit: one byte changed in a file and on the disk; bytes added
# past a device range are refused, and nothing of that edit written.
assert_eq "hexedit of a file" '"bbZa"' "$(line 7)"
assert_eq "hexedit of a device" '"\u0000\u0000Z\u0000"' "$(line 8)"
grep -q 'hexedit: the edited copy is longer than the range (16 bytes from' \
  "$t/err2"
# Every temporary file handed to a program is gone.
assert_eq "programs run" 10 "$(wc -l < "$t/tmpfiles")"
while read -r f; do [ ! -e "$f" ]; done < "$t/tmpfiles"
# The types: int (the umask, octal in text, a number here), int64,
# bool, string list, struct list, hashtable, struct, and a buffer of
# random bytes (copied in above: valid JSON all the same).
assert_eq "int" 18 "$(line 9)"
assert_eq "int64" 16 "$(line 10)"
assert_eq "bool" true "$(line 11)"
assert_eq "string list" '["c"]' "$(line 12)"
assert_eq "struct list" "['.', '..', 'empty'] r" \
  "$(line 13 '"%s %s" % (sorted(d["name"] for d in v),
                         [d["ftyp"] for d in v if d["name"] == "empty"][0])')"
assert_eq "hashtable" ext4 "$(line 14 'v["/dev/sda1"]')"
[ "$(line 15 'v["bsize"]')" -gt 0 ]
assert_eq "buffer" str "$(line 16 'type(v).__name__')"
# guestfish's own supported: an object of booleans.
assert_eq "supported" "dict True True" \
  "$(line 17 '"%s %s %s" % (type(v).__name__, "linuxxattrs" in v,
                           all(isinstance(x, bool) for x in v.values()))')"
assert_no_leftovers "$TMPDIR"
