#!/bin/bash
# -c URI -d DOMAIN -i of a libvirt domain with two disks, the Debian
# guest and the LUKS image, plus -m for the second disk's filesystems
# inside the guest's tree (1 launch), on a terminal: the LUKS key is
# asked for and typed, shown as typed with --echo-keys.  The guest's
# own files at MOUNTPOINT/etc and its data with their recorded
# checksums, the extra filesystems where -m put them.  Then guestunmount
# on the busy mount: 2 after the retries, 0 once idle; the daemon
# exits, nothing is left.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires which libvirtd virsh
requires tmux -V
requires start_libvirtd
[ -c /dev/fuse ] || { echo "$0: skipped: no /dev/fuse" >&2; exit 77; }
start_libvirtd
uri="$GUESTKIT_TEST_LIBVIRT_URI"

img="$(debian_guest_image)" || exit $?
manifest="$(debian_guest_manifest)"
luks="$(luks_image)" || exit $?
test_tmpdir --private-tmpdir
gm="$builddir/guestmount-all"
gu="$builddir/guestunmount"
mnt="$t/mnt"
mkdir "$mnt"
define_test_domain mount "$img" raw "$luks" raw

is_mounted () {
  awk -v m="$mnt" '$5 == m' /proc/self/mountinfo | grep -q ' - fuse'
}
cleanup_fn sh -c '[ -s "$2" ] && kill "$(cat "$2")" 2>/dev/null
  "$3" -q --retry=3 "$1"; :' sh "$mnt" "$t/pid" "$gu"

# On a terminal (a private tmux server): the key is asked for, and
# --echo-keys shows what is typed.
sock="$t/tmux.sock"
cleanup_fn sh -c 'tmux -S "$1" kill-server > /dev/null 2>&1; :' sh "$sock"
printf -v cmd '%q -c %q -d %q -i --echo-keys -m /dev/mapper/cryptsdb2:/mnt
  -m /dev/sdb1:/media --pid-file %q %q; echo $? > %q; exec sleep 3600' \
  "$gm" "$uri" "$test_domain" "$t/pid" "$mnt" "$t/status"
tmux -S "$sock" -f /dev/null new-session -d -x 150 -y 20 "${cmd//$'\n'/}"
prompt='Enter key or passphrase ("/dev/sdb2"): '
for (( i = 0; i < 600; i++ )); do
  tmux -S "$sock" capture-pane -p -J > "$t/screen"
  grep -qF "$prompt" "$t/screen" && break
  [ ! -s "$t/status" ] || break
  sleep 0.5
done
cat "$t/screen"
grep -qF "$prompt" "$t/screen"
tmux -S "$sock" send-keys -l "$LUKS_KEY"
tmux -S "$sock" send-keys Enter
for (( i = 0; i < 600; i++ )); do [ -s "$t/status" ] && break; sleep 0.5; done
tmux -S "$sock" capture-pane -p -J > "$t/screen"
cat "$t/screen"
assert_eq "exit status" 0 "$(cat "$t/status")"
grep -qxF "$prompt$LUKS_KEY" "$t/screen"
is_mounted
pid="$(cat "$t/pid")"

grep -q '^ID=debian$' "$mnt/etc/os-release"
[ -d "$mnt/usr/bin" ]
awk -F'\t' -v m="$mnt" '{ print $2 "  " m $1 }' "$manifest" |
  sha256sum -c --quiet
assert_eq "LUKS file" "guestkit secret" "$(cat "$mnt/mnt/secret.txt")"
assert_eq "second disk" "guestkit hello" "$(cat "$mnt/media/hello.txt")"
not touch "$mnt/etc/new" 2>/dev/null

# Busy: a shell sits in the guest's /etc.
( cd "$mnt/etc" && exec sleep 60 ) &
holder=$!
sleep 0.5
status=0
"$gu" --retry=1 "$mnt" 2> "$t/err" || status=$?
assert_eq "guestunmount of a busy mount" 2 "$status"
grep -q "it is busy" "$t/err"
is_mounted
kill "$holder"
wait "$holder" 2>/dev/null || :
"$gu" "$mnt"
not is_mounted
for _ in $(seq 240); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
not kill -0 "$pid" 2>/dev/null
[ ! -e "$t/pid" ]
not pgrep -f "$TMPDIR" > /dev/null
assert_no_leftovers "$TMPDIR"
