#!/bin/bash
# guestfish's own commands that need no appliance, and nothing starts
# one (LIBGUESTFS_HV is /bin/false: a launch would fail): event,
# list-events and delete-event with close, trace and enter scripts;
# reopen (a new, empty handle keeping guestfish's settings, the handlers
# moved to it); --json for the return types a handle answers without an
# appliance.  (Their usage errors are in test-guestfish-bad-input.)
# No launch.
source "$srcdir/../tests/functions.sh"
set -e
requires python3 --version
test_tmpdir --private-tmpdir
export LIBGUESTFS_HV=/bin/false
export HOME="$t"
export SHELL=/bin/sh
fish="$builddir/guestfish"

# Events, upstream's list format, the handlers moved by reopen; the
# settings guestfish set are kept (autosync), the others are not (the
# identifier).
cat > "$t/events" <<'EOF'
event closing close 'echo "closed: $EVENT $#"'
event tr trace 'echo "traced: $EVENT: $1"'
event tr enter 'echo "entered: $EVENT: $1"'
event all * true
list-events
trace true
get-verbose
trace false
delete-event tr
list-events
get-verbose
set-identifier one
autosync false
reopen
echo reopened
list-events
get-identifier
get-autosync
is-config
EOF
"$fish" -f "$t/events" > "$t/out"
cat "$t/out"
assert_eq "events" '"closing" (0): close: echo "closed: $EVENT $#"
"tr" (1): trace: echo "traced: $EVENT: $1"
"tr" (2): enter: echo "entered: $EVENT: $1"
"all" (3): *: true
entered: enter: set_trace
entered: enter: get_verbose
traced: trace: get_verbose
traced: trace: get_verbose = 0
false
entered: enter: set_trace
traced: trace: set_trace false
traced: trace: set_trace = 0
"closing" (0): close: echo "closed: $EVENT $#"
"all" (3): *: true
false
closed: close 0
reopened
"closing" (0): close: echo "closed: $EVENT $#"
"all" (1): *: true

false
true
closed: close 0' "$(cat "$t/out")"

# A progress-style handler gets the numbers as $1...; "launch" is
# short for launch_done, as upstream.
"$fish" event p progress,launch 'echo $@' : list-events > "$t/out"
assert_eq "event names" '"p" (0): launch_done,progress: echo $@' \
  "$(cat "$t/out")"

# --json: one value per line, typed; errors stay on stderr.
"$fish" --json get-verbose : get-memsize : get-program : get-append : \
  get-cachedir : get-backend-settings : version > "$t/out"
cat "$t/out"
python3 -m json.tool --json-lines "$t/out" > /dev/null
assert_eq "JSON types" "bool int str NoneType str list dict" \
  "$(python3 -c 'import json, sys
print(" ".join(type(json.loads(l)).__name__ for l in open(sys.argv[1])))' \
     "$t/out")"
assert_eq "JSON string" '"guestfish"' "$(sed -n 3p "$t/out")"
grep -q '^{"major":1,"minor":[0-9]*,"release":[0-9]*,"extra":".*"}$' \
  "$t/out"
assert_eq "text for the same" "(null)" "$("$fish" get-append)"
# list-events too.
"$fish" --json event a close,trace ': "x"' : list-events > "$t/out"
assert_eq "list-events in JSON" \
  '[{"name":"a","handle":0,"events":["close","trace"],"script":": \"x\""}]' \
  "$(cat "$t/out")"
status=0
"$fish" --json frobnicate > "$t/out" 2> "$t/err" || status=$?
assert_eq "JSON error status" 1 "$status"
[ ! -s "$t/out" ]
grep -q '^guestfish: error: frobnicate: unknown command' "$t/err"
