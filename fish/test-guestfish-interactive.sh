#!/bin/bash
# guestfish on a real terminal (a tmux pane): the banner and the prompt,
# Tab completion of a command name, of a guest path and of an LV, the
# results printed, Ctrl-D to leave with status 0, and the history kept
# in ~/.guestfish for the next session (Up recalls the last command),
# whose prompt comes from $GUESTFISH_PS1, and completes by argument kind
# (optional argument names and boolean values, host files for FileIn).
# One launch (the first session, -m); the second session has no disks
# and launches nothing.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires tmux -V
test_tmpdir --private-tmpdir
img="$(multifs_image)"
fish="$builddir/guestfish"
export HOME="$t/home"
mkdir "$HOME"

sock="$t/tmux.sock"
cleanup_fn tmux -S "$sock" kill-server
screen () { tmux -S "$sock" capture-pane -p -J -S - -t "$1"; }
# wait_for SESSION PATTERN [SECONDS]: the default is long because a
# command's answer comes from the emulated appliance, which under load
# (make -j2 check) took over 30 s for list-filesystems; a wait ends as
# soon as the pattern shows.
wait_for () {
  local i
  for (( i = 0; i < ${3:-300} * 10; i++ )); do
    screen "$1" | grep -q -e "$2" && return 0
    sleep 0.1
  done
  echo "$0: timed out waiting for '$2' in:" >&2
  screen "$1" >&2
  return 1
}
keys () { tmux -S "$sock" send-keys -t "$@"; }

printf -v cmd '%q --ro -a %q -m /dev/sda1; echo status=$?; exec sleep 3600' \
  "$fish" "$img"
tmux -S "$sock" -f /dev/null new-session -d -s one -x 120 -y 50 "$cmd"
wait_for one 'Welcome to guestfish' 600
wait_for one '^><fs> $' 600

keys one 'list-fi' Tab
wait_for one '^><fs> list-filesystems $'
keys one Enter
wait_for one '^/dev/gktestvg/lvxfs: xfs$'
keys one 'is-dir /da' Tab
wait_for one '^><fs> is-dir /data/$'
keys one Enter
wait_for one '^true$'
keys one 'vfs-type /dev/gktestvg/lvx' Tab
wait_for one '^><fs> vfs-type /dev/gktestvg/lvxfs $'
keys one Enter
wait_for one '^xfs$'
keys one 'frobnicate' Enter
wait_for one '^guestfish: error: frobnicate: unknown command'
keys one C-d
wait_for one '^status=0$' 120
screen one | sed 's/ *$//' | cat -s
grep -qx 'vfs-type /dev/gktestvg/lvxfs' "$HOME/.guestfish"
grep -qx 'is-dir /data/' "$HOME/.guestfish"

# The next session: the history is there, the prompt is ours.
printf -v cmd 'GUESTFISH_PS1=%q %q; echo status=$?; exec sleep 3600' \
  '\[\e[1m\]fish\x3e \[\e[0m\]' "$fish"
tmux -S "$sock" new-session -d -s two -x 120 -y 50 "$cmd"
wait_for two '^fish> $'
keys two Up Up
wait_for two '^fish> vfs-type /dev/gktestvg/lvxfs$'
# Completion by argument kind (no appliance needed): optional argument
# names, a boolean's values (optional and positional), host files for a
# FileIn argument.
keys two C-u C-l 'add-drive /x read' Tab
wait_for two '^fish> add-drive /x readonly:$'
keys two 't' Tab
wait_for two '^fish> add-drive /x readonly:true $'
keys two C-u C-l 'set-trace f' Tab
wait_for two '^fish> set-trace false $'
touch "$t/host-file-for-upload"
keys two C-u C-l "upload $t/host-file-for-up" Tab
wait_for two "^fish> upload $t/host-file-for-upload \$"
keys two C-u 'quit' Enter
wait_for two '^status=0$'
screen two | sed 's/ *$//' | cat -s
assert_no_leftovers "$TMPDIR"
