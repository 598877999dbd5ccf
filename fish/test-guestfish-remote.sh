#!/bin/bash
# guestfish --listen and --remote.  First what needs no appliance
# (LIBGUESTFS_HV=/bin/false, so a launch would fail): the errors of
# --remote (no PID, a bad one, one nobody listens as, -a given), of
# --listen (with --remote, with commands, --csh alone), a --listen -i
# whose launch fails (exit 1, nothing printed, no socket left), and a
# disk-less server started with --csh, stopped by SIGTERM (socket
# removed).  Then one server on the multi-filesystem image, read-only
# (one launch), that other processes talk to: each kind of result, ":"
# chains, --json per client, stdin scripts with a local pipe, -f with
# "FILE:LINE:" on the remote error, a failing command (exit 1, its
# error), -cmd, state kept between clients, two clients at once, binary
# output to "-"; "exit" stops it (and the client's script): the process
# is gone, the socket removed, the image untouched.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
test_tmpdir --private-tmpdir
img="$(multifs_image)"
fish="$builddir/guestfish"
stamp="$(file_stamp "$img")"
sockdir="/tmp/.guestfish-$(id -u)"
export HOME="$t"
unset GUESTFISH_PID

# gone PID: the process has ended (a zombie waiting for a reaper has).
gone () {
  local st
  st="$(ps -o stat= -p "$1" 2>/dev/null)" || return 0
  [[ $st == Z* ]]
}
wait_gone () {
  local i
  for ((i = 0; i < 300; i++)); do
    gone "$1" && return 0
    sleep 0.1
  done
  echo "$0: process $1 is still running" >&2
  return 1
}
stop_server () {
  if [ -n "$1" ] && ! gone "$1"; then
    kill -TERM "$1"
    wait_gone "$1" || kill -KILL "$1"
  fi
}

# expect_error PATTERN ARGS...: one error line, exit 1, nothing launched.
expect_error () {
  local pattern="$1" status=0
  shift
  LIBGUESTFS_HV=/bin/false "$fish" "$@" > "$t/out" 2> "$t/err" \
    < /dev/null || status=$?
  cat "$t/err"
  assert_eq "exit status of $*" 1 "$status"
  assert_eq "error lines of $*" 1 "$(wc -l < "$t/err")"
  assert_eq "output of $*" "" "$(cat "$t/out")"
  grep -q -e "$pattern" "$t/err"
  assert_eq "launches of $*" 0 \
    "$(grep -c 'could not start the libguestfs appliance' "$t/err" || :)"
}

expect_error '^guestfish: error: --remote: GUESTFISH_PID is not set' \
  --remote echo
GUESTFISH_PID=junk expect_error \
  "^guestfish: error: --remote: ‘junk’ (GUESTFISH_PID) is not a process ID" \
  --remote echo
expect_error "^guestfish: error: --remote: ‘0’ is not a process ID" \
  --remote=0 echo
# Above the kernel's pid_max: no such process can exist.
expect_error \
  '^guestfish: error: --remote: no guestfish is listening as process 2147483647 ' \
  --remote=2147483647 echo
expect_error '^guestfish: error: --remote: -a, -d, -i, -m and -N cannot be used' \
  --remote=1 -a "$img" echo
expect_error '^guestfish: error: --remote: -a, -d, -i, -m and -N cannot be used' \
  --remote=1 -i
expect_error '^guestfish: error: --listen and --remote cannot be used together' \
  --listen --remote=1
expect_error '^guestfish: error: --listen takes no commands' --listen echo
expect_error '^guestfish: error: --listen takes no commands' \
  --listen -f /dev/null
expect_error '^guestfish: error: --csh is only used with --listen' --csh

# A server whose launch fails: guestfish --listen itself fails, says
# why, prints no PID and leaves no socket.  (The launch of /bin/false
# boots nothing: not counted.)
ls "$sockdir" > "$t/sockets-before" 2>/dev/null || :
status=0
GUESTKIT_LAUNCH_LOG= LIBGUESTFS_HV=/bin/false \
  "$fish" --listen --ro -a "$img" -i \
  > "$t/out" 2> "$t/err" || status=$?
cat "$t/err"
assert_eq "exit status of a --listen whose launch fails" 1 "$status"
assert_eq "output of a --listen whose launch fails" "" "$(cat "$t/out")"
grep -q 'could not start the libguestfs appliance' "$t/err"
ls "$sockdir" > "$t/sockets-after" 2>/dev/null || :
diff -u "$t/sockets-before" "$t/sockets-after"

# --csh, a server without disks, SIGTERM.
out="$(LIBGUESTFS_HV=/bin/false "$fish" --listen --csh)"
[[ $out =~ ^setenv\ GUESTFISH_PID\ ([0-9]+)$ ]]
csh_pid="${BASH_REMATCH[1]}"
cleanup_fn stop_server "$csh_pid"
test -S "$sockdir/socket-$csh_pid"
stat -c %a "$sockdir" | grep -qx 700
assert_eq "echo through a --csh server" "over csh" \
  "$("$fish" --remote="$csh_pid" echo over csh)"
kill -TERM "$csh_pid"
wait_gone "$csh_pid"
test ! -e "$sockdir/socket-$csh_pid"

# The real server: one launch, on the first "run".
eval "$("$fish" --listen --ro -a "$img")"
[[ $GUESTFISH_PID =~ ^[0-9]+$ ]]
cleanup_fn stop_server "$GUESTFISH_PID"
sock="$sockdir/socket-$GUESTFISH_PID"
test -S "$sock"
r () { "$fish" --remote "$@"; }

r run
# A hashtable.
r list-filesystems > "$t/out"
cat > "$t/expected" <<EOF
/dev/sda1: ext4
/dev/sda2: xfs
/dev/sda3: btrfs
/dev/sda4: vfat
/dev/sda5: ntfs
/dev/sda6: swap
/dev/gktestvg/lvext4: ext4
/dev/gktestvg/lvxfs: xfs
EOF
diff -u "$t/expected" "$t/out"
# A string, after a mount in the same chain; a bool.
assert_eq "a : chain" \
  "$(printf 'guestkit multi-filesystem test image\n\ntrue')" \
  "$(r mount-ro /dev/sda1 / : cat /data/README : is-dir /data)"
# The mount stays for the next client (with =PID, no environment).
assert_eq "cat from another client" "guestkit multi-filesystem test image" \
  "$(GUESTFISH_PID= "$fish" --remote="$GUESTFISH_PID" cat /data/README)"

# --json is the client's choice: an int is a number, not upstream's
# octal, for this client only.
assert_eq "get-umask with --remote --json" 18 "$(r --json get-umask)"
assert_eq "get-umask with --remote" 022 "$(r get-umask)"

# A script on stdin: a string list through a pipe run here, a struct,
# a struct list, an int, a tolerated failure.
cat > "$t/script" <<'EOF'
ls /data/many | head -n 3
statvfs / | grep -E '^(bsize|namemax):'
lstatlist /data 'README blob-small' | grep '^  size:'
filesize /data/README
-cat /nonexistent
echo end
EOF
r < "$t/script" > "$t/out" 2> "$t/err"
cat > "$t/expected" <<EOF
f00
f01
f02
bsize: 1024
namemax: 255
  size: 37
  size: 262144
37
end
EOF
diff -u "$t/expected" "$t/out"
assert_eq "error of the tolerated command" \
  "libguestfs: error: download: /nonexistent: No such file or directory" \
  "$(cat "$t/err")"

# A failing command: exit 1, libguestfs's error, nothing after it runs.
status=0
r cat /nonexistent : echo not reached > "$t/out" 2> "$t/err" || status=$?
assert_eq "exit status of a failing remote command" 1 "$status"
assert_eq "output of a failing remote command" "" "$(cat "$t/out")"
assert_eq "error of a failing remote command" \
  "libguestfs: error: download: /nonexistent: No such file or directory" \
  "$(cat "$t/err")"
# In a -f script, the error has the script's line.
printf 'echo one\nfrobnicate\necho not reached\n' > "$t/script"
status=0
r -f "$t/script" > "$t/out" 2> "$t/err" || status=$?
assert_eq "exit status of a -f script" 1 "$status"
assert_eq "output of a -f script" "one" "$(cat "$t/out")"
assert_eq "error of a -f script" \
  "$t/script:2: guestfish: error: frobnicate: unknown command (help --list lists them)" \
  "$(cat "$t/err")"
# Bad words are found by the server's dispatcher, as locally.
status=0
r mount /dev/sda1 2> "$t/err" || status=$?
assert_eq "exit status of a wrong argument count" 1 "$status"
grep -qx 'guestfish: error: mount: 2 arguments expected, 1 given (see help mount)' \
  "$t/err"

# Binary output to "-" comes through whole; two clients at once.
r download /data/blob-small - > "$t/blob1" &
pid1=$!
r download /data/blob-small - > "$t/blob2" &
pid2=$!
wait "$pid1"
wait "$pid2"
assert_eq "size of a downloaded blob" 262144 "$(stat -c %s "$t/blob1")"
cmp "$t/blob1" "$t/blob2"
assert_eq "checksum of the blob" \
  "$(r checksum sha256 /data/blob-small)" \
  "$(sha256sum < "$t/blob1" | cut -d' ' -f1)"

# exit: the answer comes once the handle is closed; then the server is
# gone and its socket too, and the client's script ends there.
printf 'exit\necho not reached\n' | r > "$t/out"
assert_eq "output after exit" "" "$(cat "$t/out")"
test ! -e "$sock"
wait_gone "$GUESTFISH_PID"
status=0
"$fish" --remote echo x 2> "$t/err" || status=$?
assert_eq "exit status after exit" 1 "$status"
grep -q "^guestfish: error: --remote: no guestfish is listening as process $GUESTFISH_PID " \
  "$t/err"

assert_eq "the image is untouched" "$stamp" "$(file_stamp "$img")"
assert_no_leftovers "$TMPDIR"
