#!/bin/bash
# Logical partitions (which upstream cannot touch), runs that need no
# appliance at all, and virt-resize on a terminal (issue 8).  The one
# run that launches (case 2) is watched by valgrind and runs in a tmux
# pane, where the appliance phase has a heading of its own ("Launching
# the appliance") and every progress bar ends its line: no message is
# printed on the line of a bar, not even the error of ^C in the middle
# of a copy (case 4).  (The machine-readable progress lines are checked
# by test-virt-resize-debian.sh.)  The images are made with host tools
# and checked with host tools (sfdisk, e2fsck, debugfs, blkid).
# Appliance launches: 1.
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires_appliance
requires sfdisk --version
requires debugfs -V

test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"

mbr_logical_image "$t/mbr.img"
src_sum="$(sha256_of "$t/mbr.img")"
hello="$(ext_file_sha "$t/mbr.img" 5 /hello)"
big="$(ext_file_sha "$t/mbr.img" 5 /big)"

check_ext () {        # IMAGE N: clean filesystem with the same files
  part_extract "$1" "$2" "$t/part"
  e2fsck -fn "$t/part"
  assert_eq "/hello in partition $2" "$hello" "$(ext_file_sha "$1" "$2" /hello)"
  assert_eq "/big in partition $2" "$big" "$(ext_file_sha "$1" "$2" /big)"
}
ext_bytes () {        # IMAGE N: the filesystem's size
  part_extract "$1" "$2" "$t/part"
  dumpe2fs -h "$t/part" 2>/dev/null |
    awk -F: '/^Block count/ {c=$2} /^Block size/ {s=$2} END {print c*s}'
}
swap_pages () {       # IMAGE N: last_page + 1 of the swap header
  part_extract "$1" "$2" "$t/part"
  echo $(( $(od -An -tu4 -j1028 -N4 "$t/part") + 1 ))
}

# 1. Grow the swap inside the extended partition.  Swap headers are
# rewritten on the host: a run that would launch the appliance fails
# here, because LIBGUESTFS_HV points at /bin/false.
truncate -s 512M "$t/out1.img"
LIBGUESTFS_HV=/bin/false \
  "$vr" --expand sda6 "$t/mbr.img" "$t/out1.img"
sfdisk -d "$t/out1.img" | tee "$t/table1"
grep -q 'out1.img5 : start= *135168, size= *98304, type=83' "$t/table1"
grep -q 'out1.img6 : .*type=82' "$t/table1"
part_extract "$t/out1.img" 6 "$t/swap"
assert_eq "swap UUID" "$SWAP_UUID" "$(blkid -p -o value -s UUID "$t/swap")"
assert_eq "swap label" gkswap "$(blkid -p -o value -s LABEL "$t/swap")"
swap_size=$(( $(stat -c %s "$t/swap") / 4096 ))
assert_eq "swap pages" "$swap_size" "$(swap_pages "$t/out1.img" 6)"
[ "$swap_size" -gt 4096 ]
check_ext "$t/out1.img" 5

# 2. Expand an ext4 logical partition and resize a primary in the same
# run: one appliance launch grows both filesystems.  Under valgrind when
# it is installed (a copy on the host and a launch): no invalid access,
# nothing definitely leaked.  On a terminal when tmux is installed.
valgrind=()
if command -v valgrind > /dev/null; then
  valgrind=(valgrind --quiet --error-exitcode=99 --leak-check=full
            --errors-for-leak-kinds=definite --show-leak-kinds=definite
            --log-file="$t/valgrind.log")
fi
truncate -s 512M "$t/out2.img"
quietly () { "$@" > /dev/null 2>&1 || :; }
terminal=
if command -v tmux > /dev/null; then
  terminal=1
  # A private server (its own socket, no configuration file) whose pane
  # is 100 columns wide: the bar is then 80 columns of '#' and '-'.  The
  # pane stays open after the run so that its screen can be read.
  sock="$t/tmux.sock"
  cleanup_fn quietly tmux -S "$sock" kill-server
  # Short names: messages are wrapped at 76 columns on a terminal.
  printf -v run '%q ' "${valgrind[@]}" "$vr" --expand /dev/sda5 \
    --resize /dev/sda1=+30M mbr.img out2.img
  printf -v cmd 'cd %q && %s; echo $? > %q
exec sleep 3600' "$t" "$run" "$t/status"
  tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 50 "$cmd"
  for (( i = 0; i < 600; i++ )); do
    [ -s "$t/status" ] && break
    sleep 1
  done
  # The whole history, wrapped lines joined: a message printed after a
  # bar without a newline would share the bar's line.
  tmux -S "$sock" capture-pane -p -J -S - > "$t/log2"
  sed 's/ *$//' "$t/log2" | cat -s
else
  echo "$0: note: no tmux: case 2 runs without a terminal"
  status=0
  (cd "$t" && "${valgrind[@]}" "$vr" --expand /dev/sda5 \
     --resize /dev/sda1=+30M mbr.img out2.img) > "$t/log2" || status=$?
  cat "$t/log2"
  echo $status > "$t/status"
fi
if [ "$(cat "$t/status")" != 0 ]; then
  cat "$t/valgrind.log" 2>/dev/null || :
fi
assert_eq "exit status" 0 "$(cat "$t/status")"
assert_eq "expansions" 2 "$(grep -c 'Expanding /dev/sda[15] using the ‘resize2fs’ method' "$t/log2")"
sfdisk -d "$t/out2.img" | tee "$t/table2"
grep -q 'out2.img1 : .*bootable' "$t/table2"
grep -q 'out2.img2 : .*type=5' "$t/table2"
grep -q 'out2.img6 : .*type=82' "$t/table2"
check_ext "$t/out2.img" 5
[ "$(ext_bytes "$t/out2.img" 5)" -gt $((300 * 1024 * 1024)) ]
[ "$(ext_bytes "$t/out2.img" 1)" -gt $((90 * 1024 * 1024)) ]
assert_eq "label-id" 0x1234abcd "$(sfdisk --disk-id "$t/out2.img")"
assert_no_leftovers "$TMPDIR"

bar='[/|\\ -] +[0-9]+% \[[#-]{10,}\]'
if [ -n "$terminal" ]; then
  # Bars there are (one per partition copied, one for a launch that
  # took over five seconds), each alone on its line ...
  grep -Eq "$bar" "$t/log2"
  if grep -E "$bar" "$t/log2" |
       grep -Ev "^ *$bar( +[0-9:>h-]+)? *$"; then
    echo "$0: a progress bar shares its line with something else" >&2
    exit 1
  fi
  # ... and every message starts a line of its own.
  for msg in "Setting up initial partition table" "Copying /dev/sda1" \
             "Launching the appliance" \
             "Expanding /dev/sda1 using the ‘resize2fs’ method" \
             "Expanding /dev/sda5 using the ‘resize2fs’ method"; do
    grep -Eq "^\[ *[0-9]+\.[0-9]\] $msg" "$t/log2"
    if grep -F "$msg" "$t/log2" | grep -Evq '^\['; then
      echo "$0: '$msg' is not at the start of its line" >&2
      exit 1
    fi
  done
  grep -q "^virt-resize: Resize operation completed with no errors" \
    "$t/log2"
  # The heading comes after the copy and before what the appliance
  # does.
  sed -n 's/^\[ *[0-9.]*\] //p' "$t/log2" > "$t/messages"
  assert_eq "messages" "Examining mbr.img
Setting up initial partition table on out2.img
Copying /dev/sda1
Copying /dev/sda5
Copying /dev/sda6
Launching the appliance
Expanding /dev/sda1 using the ‘resize2fs’ method
Expanding /dev/sda5 using the ‘resize2fs’ method" "$(cat "$t/messages")"
fi

# 3. Delete a logical partition: the next one moves up (the EBR chain
# cannot have holes) and keeps its contents.  --no-expand-content: no
# appliance.
truncate -s 512M "$t/out3.img"
LIBGUESTFS_HV=/bin/false \
  "$vr" --delete sda5 --expand sda1 --no-expand-content \
  "$t/mbr.img" "$t/out3.img" | tee "$t/log3"
grep -q '/dev/sda6: This partition will be left alone.  It will be /dev/sda5 on the target.' "$t/log3"
sfdisk -d "$t/out3.img" | tee "$t/table3"
grep -q 'out3.img5 : .*type=82' "$t/table3"
not grep -q 'out3.img6' "$t/table3"
part_extract "$t/out3.img" 5 "$t/swap"
assert_eq "moved swap UUID" "$SWAP_UUID" \
  "$(blkid -p -o value -s UUID "$t/swap")"

assert_eq "source checksum" "$src_sum" "$(sha256_of "$t/mbr.img")"
assert_no_leftovers "$TMPDIR"

if [ -z "$terminal" ]; then
  echo "$0: note: no tmux: ^C at a terminal not tested"
  exit 0
fi
# 4. ^C in the middle of a copy (slowed down for the test), on a
# terminal: the error is on a line of its own, not after the bar.  The
# pane's shell traps SIGINT (rather than ignoring it, which virt-resize
# would inherit) so that it lives on to write the exit status.
truncate -s 1G "$t/out4.img"
printf -v cmd 'cd %q && trap : INT
GUESTKIT_TEST_COPY_DELAY_MS=100 %q --expand /dev/sda1 mbr.img out4.img
echo $? > %q; exec sleep 3600' "$t" "$vr" "$t/status4"
tmux -S "$sock" new-session -d -s intr -x 100 -y 50 "$cmd"
for (( i = 0; i < 200; i++ )); do
  tmux -S "$sock" capture-pane -p -J -t intr | grep -q "Copying /dev/sda1" &&
    break
  sleep 0.1
done
sleep 0.5
tmux -S "$sock" send-keys -t intr C-c
for (( i = 0; i < 600; i++ )); do
  [ -s "$t/status4" ] && break
  sleep 0.1
done
tmux -S "$sock" capture-pane -p -J -S - -t intr > "$t/screen4"
sed 's/ *$//' "$t/screen4" | cat -s
assert_eq "exit status after ^C" 1 "$(cat "$t/status4")"
grep -q "^virt-resize: error: interrupted: out4.img is incomplete$" \
  "$t/screen4"
grep -Eq "$bar" "$t/screen4"
assert_no_leftovers "$TMPDIR"
