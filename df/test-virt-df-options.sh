#!/bin/bash -
# virt-df: bad and odd command lines fail fast and clearly.
#
# Each one must exit 1 with one line on stderr ("virt-df: error: ..."),
# or getopt's complaint plus the "Try ..." line; none may start an
# appliance (every run is timed) or leave temporary files behind.  The
# informational options (--help, --version, --long-options,
# --short-options) exit 0.

source "$srcdir/../tests/functions.sh"
set -e

virt_df="$top_builddir/df/virt-df"
requires test -x "$virt_df"

# A private TMPDIR for virt-df, which must be empty again afterwards.
test_tmpdir --private-tmpdir tmp

failed=0
fail ()
{
  echo "FAIL: $*" >&2
  failed=1
}

# run ARGS...: run virt-df, setting $status, $out, $err, $lines (stderr
# line count) and $secs.  Slow runs fail (an appliance was started).
run ()
{
  local start end
  start=$(date +%s%N)
  status=0
  # As a user runs it: without the harness's force_tcg, virt-df makes
  # its own KVM check, whose warning must not come before these errors.
  timeout 60 env -u LIBGUESTFS_BACKEND_SETTINGS "$virt_df" "$@" \
    >"$tmp/out" 2>"$tmp/err" || status=$?
  end=$(date +%s%N)
  secs=$(( (end - start) / 1000000000 ))
  out="$(cat "$tmp/out")"
  err="$(cat "$tmp/err")"
  lines=$(wc -l <"$tmp/err")
  if [ "$secs" -ge 5 ]; then
    fail "virt-df $*: took ${secs}s (did it start an appliance?)"
  fi
}

# expect_error PATTERN ARGS...: exit 1, and stderr is the single line
# "virt-df: error: ..." matching the extended regex PATTERN.
expect_error ()
{
  local pattern="$1"
  shift
  run "$@"
  if [ "$status" -ne 1 ]; then
    fail "virt-df $*: exit status $status, expected 1"
  fi
  if [ "$lines" -ne 1 ]; then
    fail "virt-df $*: $lines lines on stderr, expected 1: $err"
  elif ! [[ $err =~ ^virt-df:\ error:\ .*$pattern ]]; then
    fail "virt-df $*: stderr '$err' does not match" \
         "'virt-df: error: ...$pattern'"
  fi
}

# expect_try_help ARGS...: getopt's line, then "Try 'virt-df --help' ...".
expect_try_help ()
{
  run "$@"
  if [ "$status" -ne 1 ]; then
    fail "virt-df $*: exit status $status, expected 1"
  fi
  last="$(tail -n1 "$tmp/err")"
  if [ "$lines" -gt 2 ] || ! [[ $last =~ ^Try\ .virt-df\ --help. ]]; then
    fail "virt-df $*: unexpected stderr: $err"
  fi
  if [ -n "$out" ]; then
    fail "virt-df $*: printed on stdout: $out"
  fi
}

# getopt errors.
expect_try_help --no-such-option
expect_try_help -Z
expect_try_help -a
expect_try_help -P

# Option values and combinations.
expect_error 'format.*before -a' -a x.img --format=raw
expect_error 'blocksize.*before -a' -a x.img --blocksize=512
expect_error '1000' --blocksize=1000 -a x.img
expect_error "abc.*not a numeric value" -P abc
expect_error "integer out of range" -P -1
expect_error "-h and --csv" -h --csv
expect_error "-h and --csv" --csv -h
expect_error "--csv and --json" --csv --json
expect_error "-h and --json" -h --json
expect_error "--uuid" --uuid -a x.img
expect_error "machine-readable.*bogus" --machine-readable=bogus
expect_error "machine-readable.*fd:99" --machine-readable=fd:99
expect_error "machine-readable" --machine-readable=stream:nowhere
# A bad --machine-readable must not be logged as JSON on stdout.
if [ -n "$out" ]; then
  fail "--machine-readable=stream:nowhere: printed on stdout: $out"
fi
expect_error "nocolon" --key nocolon
expect_error "dev:clevis" --key dev:clevis
expect_error "dev:weird:x" --key dev:weird:x
expect_error "empty" -a ''
expect_error "empty" -d ''
expect_error "nosuch://x" -a nosuch://x
expect_error "password" -a 'ssh://u:secret@h/disk.img'
expect_error "extra parameter" -a x.img y.img

# Disks that are not there or not images: one line naming the disk,
# before any appliance.
expect_error "/nonexistent\.img" -a /nonexistent.img
expect_error "/nonexistent\.img" /nonexistent.img
: >"$tmp/zero.img"
expect_error "zero\.img" -a "$tmp/zero.img"
mkdir "$tmp/dir.img"
expect_error "dir\.img" -a "$tmp/dir.img"
expect_error "/nonexistent\.img" --csv -a /nonexistent.img
# No table (not even its title) when the only guest failed.
if [ -n "$out" ]; then
  fail "--csv -a /nonexistent.img: printed on stdout: $out"
fi

# A libvirt URI with no daemon behind it.
expect_error "qemu\+tcp://127\.0\.0\.1:1/system" \
             -c qemu+tcp://127.0.0.1:1/system
expect_error "qemu\+tcp://127\.0\.0\.1:1/system" \
             -c qemu+tcp://127.0.0.1:1/system -d guest

# Informational options.
run --help
if [ "$status" -ne 0 ] || ! [[ $out =~ Usage: ]] ||
     ! [[ $out =~ --csv ]] || [ -n "$err" ]; then
  fail "--help: status $status, stdout '$out', stderr '$err'"
fi
run --version
if [ "$status" -ne 0 ] || [ "$out" != "virt-df 0.1.0" ]; then
  fail "--version: status $status, stdout '$out'"
fi
run -V
if [ "$status" -ne 0 ] || [ "$out" != "virt-df 0.1.0" ]; then
  fail "-V: status $status, stdout '$out'"
fi

run --long-options
if [ "$status" -ne 0 ]; then
  fail "--long-options: status $status"
fi
for opt in --add --csv --json --format --blocksize --human-readable \
           --inodes --uuid --help --version; do
  grep -qx -- "$opt" "$tmp/out" || fail "--long-options: no $opt line"
done
if grep -qv -- '^--[a-z][-a-z]*$' "$tmp/out"; then
  fail "--long-options: a line is not one long option: $out"
fi

run --short-options
if [ "$status" -ne 0 ]; then
  fail "--short-options: status $status"
fi
for opt in -a -c -d -h -i -P -V; do
  grep -qx -- "$opt" "$tmp/out" || fail "--short-options: no $opt line"
done
if grep -qv -- '^-[a-zA-Z]$' "$tmp/out"; then
  fail "--short-options: a line is not one short option: $out"
fi

# Nothing left behind in the private TMPDIR.
assert_no_leftovers "$TMPDIR" || failed=1

exit $failed
