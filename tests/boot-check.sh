#!/bin/bash -
# guestkit test harness: does this disk image still boot?
#
# Usage: boot-check.sh IMAGE [FORMAT] [TIMEOUT]
#
# Boots IMAGE (FORMAT raw by default) in qemu with no graphics and the
# serial port logged to a file, and waits up to TIMEOUT seconds (120 by
# default) for the GUESTKIT-BOOT-OK line that the test guest's systemd
# unit prints once multi-user is reached.  The disk is attached with
# snapshot=on: guest writes go to a throw-away overlay, so the image is
# never modified.  Exit 0 if the marker was seen, else print the end of
# the serial log and exit 1.
#
# KVM is used only when the probe says it works ($GUESTKIT_KVM=yes, set
# by functions.sh, or $top_builddir/tests/kvm-probe); otherwise TCG.
# GUESTKIT_BOOT_LOG=FILE keeps a copy of the serial log.

set -e

marker=GUESTKIT-BOOT-OK

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "usage: $0 IMAGE [FORMAT] [TIMEOUT]" >&2
  exit 1
fi
image="$1"
format="${2:-raw}"
timeout="${3:-120}"

if [ ! -r "$image" ]; then
  echo "$0: $image: cannot read" >&2
  exit 1
fi

if [ -z "${GUESTKIT_KVM:-}" ]; then
  probe="${top_builddir:-$(dirname "$0")/..}/tests/kvm-probe"
  if [ -x "$probe" ] && "$probe" >/dev/null 2>&1; then
    GUESTKIT_KVM=yes
  else
    GUESTKIT_KVM=no
  fi
fi
if [ "$GUESTKIT_KVM" = yes ]; then
  accel=(-accel kvm -cpu host)
else
  accel=(-accel tcg)
fi

workdir="$(mktemp -d "${TMPDIR:-/tmp}/gk-boot.XXXXXX")"
log="$workdir/serial.log"
qemu_pid=
cleanup ()
{
  if [ -n "$qemu_pid" ]; then
    kill "$qemu_pid" 2>/dev/null || :
    wait "$qemu_pid" 2>/dev/null || :
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The snapshot overlay lives in $TMPDIR: keep it in our own directory.
TMPDIR="$workdir" qemu-system-x86_64 \
  "${accel[@]}" -machine pc -m 1024 -smp 2 \
  -nodefaults -display none -no-reboot \
  -serial "file:$log" \
  -drive "file=$image,format=$format,if=virtio,snapshot=on" \
  > "$workdir/qemu.out" 2>&1 &
qemu_pid=$!

start=$SECONDS
status=1
while [ $((SECONDS - start)) -lt "$timeout" ]; do
  if grep -aq "$marker" "$log" 2>/dev/null; then
    status=0
    break
  fi
  if ! kill -0 "$qemu_pid" 2>/dev/null; then
    echo "$0: qemu exited before the guest booted:" >&2
    cat "$workdir/qemu.out" >&2
    break
  fi
  sleep 1
done
elapsed=$((SECONDS - start))
# For debugging a slow or failed boot: GUESTKIT_BOOT_LOG=FILE keeps it.
if [ -n "${GUESTKIT_BOOT_LOG:-}" ]; then
  cp "$log" "$GUESTKIT_BOOT_LOG" 2>/dev/null || :
fi

if [ $status -eq 0 ]; then
  echo "boot-check: $image booted in ${elapsed} s" \
       "($([ "$GUESTKIT_KVM" = yes ] && echo kvm || echo tcg))"
else
  echo "boot-check: $image did not boot within ${timeout} s;" \
       "last 30 lines of the serial log:" >&2
  tail -n 30 "$log" 2>/dev/null | tr -d '\r' >&2 || :
fi
exit $status
