#!/bin/bash
# Completing guestfish: its real options; command names (from the built
# binary, so those of the installed libguestfs) as the first word after
# the options and after each ":"; files elsewhere; -d offers shut-off
# domains only unless --ro is on the line (libvirt's test driver: its
# domain "test" runs).
set -e
source "$builddir/guestfish"
complete -p guestfish | grep -q '_guestkit_guestfish'

source "$srcdir/../tests/functions.sh"
test_tmpdir tmpdir
gf () { complete_with _guestkit_guestfish "$@"; }
fish="$top_builddir/fish/guestfish"

# Options come from the binary.
[ "$(gf "$fish" --no-dest)" = --no-dest-paths ]
[ "$(gf "$fish" --keys-from)" = --keys-from-stdin ]
gf "$fish" - | grep -qx -- -i
[ "$(gf "$fish" --js)" = --json ]

# Command names, first after the options and after ":".
gf "$fish" --ro -a disk.img list-fi | grep -qx list-filesystems
gf "$fish" add-drive-r | grep -qx add-drive-ro
gf "$fish" --json --ro -a disk.img statv | grep -qx statvfs
[ "$(gf "$fish" -a disk.img run : mount-lo)" = "$(printf 'mount-local\nmount-local-run\nmount-loop')" ]
# Guestfish's own commands and aliases are there too.
gf "$fish" gl | grep -qx glob
gf "$fish" run : qui | grep -qx quit
gf "$fish" run : hexe | grep -qx hexedit
# --remote: a command after it; with "=", the listening servers' PIDs
# (a disk-less one here: nothing is launched).
[ "$(gf "$fish" --remote list-filesy)" = list-filesystems ]
eval "$(LIBGUESTFS_HV=/bin/false "$fish" --listen)"
gf "$fish" --remote= | grep -qx "$GUESTFISH_PID"
"$fish" --remote exit
[ -z "$(gf "$fish" --remote= | grep -x "$GUESTFISH_PID")" ]
# Not a command word: files.
touch "$tmpdir/disk.img"
[ "$(gf "$fish" -a "$tmpdir/disk.img" run : add "$tmpdir/dis")" = \
  "$tmpdir/disk.img" ]
[ "$(gf "$fish" -f "$tmpdir/dis")" = "$tmpdir/disk.img" ]

# -d: running domains only with --ro.
if command -v virsh >/dev/null &&
   virsh -c test:///default -q list --name 2>/dev/null | grep -qx test; then
  [ -z "$(gf "$fish" -c test:///default -d t)" ]
  [ "$(gf "$fish" --ro -c test:///default -d t)" = test ]
  [ "$(gf "$fish" -r -w -c test:///default -d t)" = "" ]
fi
complete -p guestfish | grep -vq -- '-o default'
echo ok
