#!/bin/bash
# Bad input gets one clear error line and exit 1, and nothing starts an
# appliance (LIBGUESTFS_HV is /bin/false: a launch would fail with
# another message): unknown command, wrong argument count, a word that
# is not an Int or a Bool, an unknown optional argument, an unterminated
# quote, a command that needs the appliance before "run", a missing
# script, bogus and unsupported options.  Also help, --machine-readable,
# stdin scripts, heredoc parsing, and that -cmd tolerates failure.
source "$srcdir/../tests/functions.sh"
set -e
test_tmpdir --private-tmpdir
export LIBGUESTFS_HV=/bin/false
export HOME="$t"
fish="$builddir/guestfish"
truncate -s 16M "$t/disk.img"

# expect_error PATTERN ARGS... (stdin from $t/stdin if it exists)
expect_error () {
  local pattern="$1" status=0
  shift
  "$fish" "$@" > "$t/out" 2> "$t/err" < "${stdin:-/dev/null}" || status=$?
  cat "$t/err"
  assert_eq "exit status of $*" 1 "$status"
  assert_eq "error lines of $*" 1 "$(wc -l < "$t/err")"
  grep -q -e "$pattern" "$t/err"
  not grep -q 'could not start the libguestfs appliance' "$t/err"
  assert_no_leftovers "$TMPDIR"
}

# Commands on the command line.
expect_error '^guestfish: error: frobnicate: unknown command' frobnicate
expect_error '^guestfish: error: mount: 2 arguments expected, 1 given' \
  mount /dev/sda1
expect_error '^guestfish: error: set-memsize: memsize: ‘lots’ is not a number' \
  set-memsize lots
expect_error '^guestfish: error: set-memsize: memsize: ‘4G’ is out of range' \
  set-memsize 4G
expect_error '^guestfish: error: set-verbose: verbose: ‘maybe’ is not a boolean' \
  set-verbose maybe
expect_error "^guestfish: error: add-drive: ‘colour:red’ is not an optional argument" \
  add-drive "$t/disk.img" colour:red
expect_error '^guestfish: error: add-drive: readonly: ‘sure’ is not a boolean' \
  add-drive "$t/disk.img" readonly:sure
expect_error '^guestfish: error: add-drive: 1 to 14 arguments expected, 0 given' \
  add-drive
expect_error '^guestfish: error: empty command on command line' echo : : echo
expect_error "^libguestfs: error: .*launch" mount /dev/sda1 /
expect_error "^guestfish: error: not: echo succeeded" not echo
# Options.
expect_error "^guestfish: error: -N bogus: unknown type ‘bogus’" -N bogus
expect_error '^guestfish: error: -N fs:ext4:1Q: size:' -N fs:ext4:1Q
expect_error '^guestfish: error: -N lv:vg: the name must be /dev/VG/LV' -N lv:vg
expect_error 'disk takes at most 1 parameters' -N disk:1G:x
"$fish" -N list | grep -q '^bootrootlv '
expect_error '^guestfish: error: --live is not supported' --live
expect_error "^guestfish: error: $t/nosuch: No such file" -f "$t/nosuch"
expect_error "nosuch.img: No such file or directory" -a "$t/nosuch.img" echo
expect_error "-i needs disks" -i
expect_error "only one -f" -f a -f b
# (getopt's own line, then the shared "Try ... --help" line.)
status=0
"$fish" --bogus echo > "$t/out" 2> "$t/err" || status=$?
assert_eq "exit status of --bogus" 1 "$status"
grep -q "unrecognized option '--bogus'" "$t/err"

# Scripts on stdin: errors end them, with the line; syntax errors too.
printf 'echo one\necho "unterminated\necho two\n' > "$t/s"
stdin="$t/s" expect_error '^guestfish: error: unterminated double quote'
assert_eq "output before the error" one "$(cat "$t/out")"
printf 'echo a\n\n# comment\necho "x\\qy"\n' > "$t/s2"
expect_error "^$t/s2:4: error: invalid escape sequence" -f "$t/s2"

# -cmd tolerates failure; the run goes on and succeeds.
printf -- '-frobnicate\necho after\n' > "$t/s3"
"$fish" -f "$t/s3" > "$t/out" 2> "$t/err"
assert_eq "after -cmd" after "$(cat "$t/out")"
grep -q "^$t/s3:1: error: frobnicate: unknown command" "$t/err"

# A here-document is read up to its end word (the upload itself needs
# the appliance: the command fails after reading it, and the next line
# is a command again).
printf -- '-upload -<<END /x\nline 1\nEND\necho next\n' > "$t/s4"
"$fish" -f "$t/s4" > "$t/out" 2> "$t/err" || :
assert_eq "after the here-document" next "$(cat "$t/out")"
printf -- 'upload -<<END /x\nline 1\n' > "$t/s5"
expect_error "ended before its end word ‘END’" -f "$t/s5"

# Help: the list, one command's typed synopsis, an alias.
"$fish" -h > "$t/out"
grep -q '^mount  *mountable mountpoint$' "$t/out"
grep -q '^add  *alias of add-drive$' "$t/out"
[ "$(wc -l < "$t/out")" -gt 550 ]
"$fish" help is-dir > "$t/out"
grep -q '^is-dir path \[followsymlinks:true|false\]$' "$t/out"
grep -q 'returns: true|false' "$t/out"
"$fish" -h luks-open | grep -q 'key  *a passphrase, asked for'
"$fish" help add | grep -q 'add is an alias of add-drive'
expect_error 'nosuchcmd: unknown command' -h nosuchcmd

# Facts, and the version.
"$fish" --machine-readable | grep -qx guestfish
"$fish" -V | grep -q '^guestfish [0-9]'

# The usage errors of the built-ins edit, more, display, hexedit, event
# and reopen.
expect_error '^guestfish: error: edit: 1 argument expected, 0 given' edit
expect_error '^guestfish: error: vi: 1 argument expected, 2 given' vi a b
expect_error '^guestfish: error: more: 1 argument expected' more
expect_error '^guestfish: error: display: 1 argument expected' display
expect_error '^guestfish: error: hexedit: 1 to 3 arguments expected, 0 given' \
  hexedit
expect_error '^guestfish: error: hexedit: 1 to 3 arguments expected, 4 given' \
  hexedit a b c d
expect_error '^guestfish: error: hexedit: ‘1Q’ is not a number' \
  hexedit /dev/sda 1Q
expect_error '^guestfish: error: hexedit: ‘x’ is not a number' \
  hexedit /dev/sda x 1M
expect_error "^guestfish: error: event: ‘bogus’ is not an event" \
  event e clos,bogus true
expect_error "^guestfish: error: event: ‘’ is not an event" \
  event e close, true
expect_error '^guestfish: error: event: 3 arguments expected' event e close
expect_error '^guestfish: error: delete-event: e: no such event handler' \
  delete-event e
expect_error '^guestfish: error: reopen: 0 arguments expected' reopen x
# Before "run", the download fails: the editor never runs.
EDITOR=false expect_error '^libguestfs: error: download: ' edit /etc/motd
# Help knows them.
"$fish" help hexedit | grep -q '^hexedit filename|device \[max | start max\]$'
"$fish" -h | grep -q '^list-events '
