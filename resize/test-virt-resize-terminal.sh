#!/bin/bash
# virt-resize on a terminal (issue 8): in a tmux pane, the appliance
# phase has a heading of its own ("Launching the appliance"), and every
# progress bar ends its line: no message is printed on the line of a
# bar, not even the error of ^C in the middle of a copy.  (The
# machine-readable progress lines are checked by
# test-virt-resize-debian.sh.)
# Appliance launches: 1 (growing sda1's ext4).
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires_appliance
requires tmux -V
requires sfdisk --version

test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"

mbr_logical_image "$t/src.img"
truncate -s 1G "$t/out.img"

quietly () { "$@" > /dev/null 2>&1 || :; }

# A private server (its own socket, no configuration file) whose pane
# is 100 columns wide: the bar is then 80 columns of '#' and '-'.  The
# pane stays open after the run so that its screen can be read.
sock="$t/tmux.sock"
cleanup_fn quietly tmux -S "$sock" kill-server
# Short names: messages are wrapped at 76 columns on a terminal.
printf -v cmd 'cd %q && %q --expand /dev/sda1 src.img out.img; echo $? > %q
exec sleep 3600' "$t" "$vr" "$t/status"
tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 50 "$cmd"
for (( i = 0; i < 600; i++ )); do
  [ -s "$t/status" ] && break
  sleep 1
done
# The whole history, wrapped lines joined: a message printed after a
# bar without a newline would share the bar's line.
tmux -S "$sock" capture-pane -p -J -S - > "$t/screen"
sed 's/ *$//' "$t/screen" | cat -s
assert_eq "exit status" 0 "$(cat "$t/status")"

bar='[/|\\ -] +[0-9]+% \[[#-]{10,}\]'
# Bars there are (one per partition copied, one for a launch that took
# over five seconds), each alone on its line ...
grep -Eq "$bar" "$t/screen"
if grep -E "$bar" "$t/screen" | grep -Ev "^ *$bar( +[0-9:>h-]+)? *$"; then
  echo "$0: a progress bar shares its line with something else" >&2
  exit 1
fi
# ... and every message starts a line of its own.
for msg in "Setting up initial partition table" "Copying /dev/sda1" \
           "Launching the appliance" \
           "Expanding /dev/sda1 using the ‘resize2fs’ method"; do
  grep -Eq "^\[ *[0-9]+\.[0-9]\] $msg" "$t/screen"
  if grep -F "$msg" "$t/screen" | grep -Evq '^\['; then
    echo "$0: '$msg' is not at the start of its line" >&2
    exit 1
  fi
done
grep -q "^virt-resize: Resize operation completed with no errors" \
  "$t/screen"
# The heading comes after the copy and before what the appliance does.
sed -n 's/^\[ *[0-9.]*\] //p' "$t/screen" > "$t/messages"
assert_eq "messages" "Examining src.img
Setting up initial partition table on out.img
Copying /dev/sda1
Copying /dev/sda5
Copying /dev/sda6
Launching the appliance
Expanding /dev/sda1 using the ‘resize2fs’ method" "$(cat "$t/messages")"

sfdisk -d "$t/out.img" > /dev/null
assert_no_leftovers "$TMPDIR"

# ^C in the middle of a copy (slowed down for the test): the error is
# on a line of its own, not after the bar.  The pane's shell traps
# SIGINT (rather than ignoring it, which virt-resize would inherit) so
# that it lives on to write the exit status.
truncate -s 1G "$t/out2.img"
printf -v cmd 'cd %q && trap : INT
GUESTKIT_TEST_COPY_DELAY_MS=100 %q --expand /dev/sda1 src.img out2.img
echo $? > %q; exec sleep 3600' "$t" "$vr" "$t/status2"
tmux -S "$sock" new-session -d -s intr -x 100 -y 50 "$cmd"
for (( i = 0; i < 200; i++ )); do
  tmux -S "$sock" capture-pane -p -J -t intr | grep -q "Copying /dev/sda1" &&
    break
  sleep 0.1
done
sleep 0.5
tmux -S "$sock" send-keys -t intr C-c
for (( i = 0; i < 600; i++ )); do
  [ -s "$t/status2" ] && break
  sleep 0.1
done
tmux -S "$sock" capture-pane -p -J -S - -t intr > "$t/screen2"
sed 's/ *$//' "$t/screen2" | cat -s
assert_eq "exit status after ^C" 1 "$(cat "$t/status2")"
grep -q "^virt-resize: error: interrupted: out2.img is incomplete$" \
  "$t/screen2"
grep -Eq "$bar" "$t/screen2"
assert_no_leftovers "$TMPDIR"
