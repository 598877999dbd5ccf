#!/bin/bash
# One read-write session on a scratch copy of the multi-filesystem image
# (the default is read-write, as upstream): write, upload from a host
# file, from "-" (stdin) and from a here-document, mkdir-p, rm, touch,
# write-append, a FileOut to "-" through a pipe, a checksum, copy-in and
# copy-out of a tree with checksums.  The
# changes are then read back on the host, without an appliance
# (debugfs on the ext4 partition): they are on the disk once guestfish
# has exited 0.  One launch.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires debugfs -V
requires partx --version
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
! dfs 'ls -p /data' | grep -q '/README/'
assert_no_leftovers "$TMPDIR"
