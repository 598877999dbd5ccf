#!/bin/bash
# The KVM probe keeps one cached answer per hypervisor binary: a run
# with another one (the suite's LIBGUESTFS_HV=/bin/false, proving that
# nothing launches) must not throw away the answer for the real qemu,
# or the next launch pays a new probe (30 s where KVM hangs).  No
# appliance; skipped where /dev/kvm is absent (nothing is probed).
source "$srcdir/../tests/functions.sh"
set -e
requires test -w /dev/kvm

probe="$top_builddir/tests/kvm-probe"
cache="/var/tmp/guestkit-kvm-probe-v2.$(id -u)"
test_tmpdir
# Two hypervisors that fail at once: the probe answers "broken" fast.
printf '#!/bin/sh\nexit 1\n' > "$t/hv-one"
printf '#!/bin/sh\nexit 2\n' > "$t/hv-two"
chmod +x "$t/hv-one" "$t/hv-two"

LIBGUESTFS_HV="$t/hv-one" "$probe" > /dev/null || :
LIBGUESTFS_HV="$t/hv-two" "$probe" > /dev/null || :
grep -q " $t/hv-one [0-9]* 0\$" "$cache"
grep -q " $t/hv-two [0-9]* 0\$" "$cache"
# A new build of the first one (another mtime) replaces its answer.
touch -d @978307200 "$t/hv-one"
LIBGUESTFS_HV="$t/hv-one" "$probe" > /dev/null || :
assert_eq "answers for the first binary" 1 "$(grep -c " $t/hv-one " "$cache")"
grep -q " $t/hv-one 978307200 0\$" "$cache"
grep -q " $t/hv-two [0-9]* 0\$" "$cache"
# Answers for binaries that are gone are dropped at the next write.
rm "$t/hv-two"
LIBGUESTFS_HV="$t/hv-one" "$probe" > /dev/null 2>&1 || :
touch -d @978307201 "$t/hv-one"
LIBGUESTFS_HV="$t/hv-one" "$probe" > /dev/null || :
assert_eq "answers for a binary that is gone" 0 \
  "$(grep -c " $t/hv-two " "$cache" || :)"
