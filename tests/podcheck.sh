#!/bin/bash -
# guestkit: check a tool's man page against the tool itself.
#
#   podcheck.sh [--ignore OPTION]... PROGRAM POD
#
# 1. podchecker must report no errors and no warnings;
# 2. pod2man must turn the POD into a man page without complaint;
# 3. every option printed by 'PROGRAM --long-options' and
#    'PROGRAM --short-options' must be documented by an =item line of the
#    POD (such as '=item B<--csv>' or '=item B<-a> FILE'), and every
#    option documented that way must exist.
#
# Docs drift silently otherwise: a renamed or new option would go
# unnoticed until a user reads the man page.  Every tool's test suite
# runs this.  Exit status: 0 ok, 1 a problem (listed), 77 skipped
# (podchecker is not installed; it is optional in configure).

set -e
set -o pipefail

prog=podcheck.sh
usage ()
{
  echo "usage: $prog [--ignore OPTION]... PROGRAM POD" >&2
  exit 1
}

# Options that exist but are deliberately left out of the man page.
ignore=()
while [ $# -gt 0 ]; do
  case "$1" in
    --ignore) [ $# -ge 2 ] || usage; ignore+=("$2"); shift 2 ;;
    --ignore=*) ignore+=("${1#--ignore=}"); shift ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || usage
program="$1"
pod="$2"

if [ ! -r "$pod" ]; then
  echo "$prog: cannot read $pod" >&2
  exit 1
fi

: "${PODCHECKER:=podchecker}"
: "${POD2MAN:=pod2man}"
if ! command -v "$PODCHECKER" >/dev/null 2>&1; then
  echo "$prog: $PODCHECKER not found (Debian package perl): skipped"
  exit 77
fi

tmpdir="$(mktemp -d "${TMPDIR:-/tmp}/podcheck.XXXXXX")"
trap 'rm -rf "$tmpdir"' EXIT INT TERM

failed=0
fail ()
{
  echo "$prog: $pod: $*" >&2
  failed=1
}

# 1. podchecker.  It exits 0 even when it only has warnings, so read
# what it says as well.
if ! "$PODCHECKER" -warnings "$pod" >"$tmpdir/podchecker" 2>&1 ||
    grep -E '\*\*\* (ERROR|WARNING)' "$tmpdir/podchecker" >/dev/null; then
  cat "$tmpdir/podchecker" >&2
  fail "podchecker reported problems"
fi

# 2. pod2man.  Anything on stderr (such as an unresolved L<> or a bad
# =over) counts as a failure.
if ! "$POD2MAN" --errors=stderr "$pod" >/dev/null 2>"$tmpdir/pod2man" ||
    [ -s "$tmpdir/pod2man" ]; then
  cat "$tmpdir/pod2man" >&2
  fail "pod2man failed"
fi

# 3. Options.  PROGRAM --long-options prints lines like '--csv' and
# --short-options lines like '-a'; anything else on a line is ignored.
for kind in long short; do
  if ! "$program" --$kind-options >"$tmpdir/$kind.raw" 2>"$tmpdir/err"; then
    cat "$tmpdir/err" >&2
    echo "$prog: '$program --$kind-options' failed" >&2
    exit 1
  fi
done
grep -Eo '^--[[:alnum:]][-[:alnum:]_]*' "$tmpdir/long.raw" \
  >"$tmpdir/actual" || true
grep -Eo '^-[[:alnum:]?]$' "$tmpdir/short.raw" >>"$tmpdir/actual" || true
if [ ! -s "$tmpdir/actual" ]; then
  echo "$prog: '$program' listed no options" >&2
  exit 1
fi

# Every B<-...> on an =item line documents an option; '=value' or a
# following argument is not part of the name, so '=item B<--format=>FMT'
# documents --format and '=item B<-a> FILE' documents -a.
grep -E '^=item[[:space:]]' "$pod" |
  grep -Eo 'B<--?[[:alnum:]?][-[:alnum:]_]*' |
  sed 's/^B<//' >"$tmpdir/documented" || true

: >"$tmpdir/ignored"
for o in "${ignore[@]}"; do echo "$o" >>"$tmpdir/ignored"; done

LC_ALL=C sort -u "$tmpdir/actual" >"$tmpdir/actual.s"
LC_ALL=C sort -u "$tmpdir/documented" >"$tmpdir/documented.s"
LC_ALL=C sort -u "$tmpdir/ignored" >"$tmpdir/ignored.s"

LC_ALL=C comm -23 "$tmpdir/actual.s" "$tmpdir/documented.s" |
  LC_ALL=C comm -23 - "$tmpdir/ignored.s" >"$tmpdir/undocumented"
LC_ALL=C comm -13 "$tmpdir/actual.s" "$tmpdir/documented.s" \
  >"$tmpdir/nonexistent"

if [ -s "$tmpdir/undocumented" ]; then
  fail "options of $program not documented by an =item line:" \
       $(cat "$tmpdir/undocumented")
fi
if [ -s "$tmpdir/nonexistent" ]; then
  fail "documented options that $program does not have:" \
       $(cat "$tmpdir/nonexistent")
fi

if [ $failed -ne 0 ]; then
  exit 1
fi
echo "$prog: $pod: OK ($(wc -l <"$tmpdir/actual.s") options checked)"
