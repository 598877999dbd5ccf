#!/bin/bash
# What must never happen to a user's disks (issue 8, items 1, 2 and 6):
#
# - the same image under another name (./path, symlink, hard link, bind
#   mount, a backing file of the input, a loop device of it) is refused
#   before anything is written, and the input is unchanged;
# - an image another process writes (a live qemu-nbd, another guestkit
#   tool) is refused before anything is written;
# - an interrupted run (SIGINT, SIGTERM, SIGHUP, and ^C at a terminal:
#   SIGINT to the process group) says "interrupted: OUT is incomplete",
#   exits 1 and leaves a target without a valid partition table, no
#   temporary file and no qemu-nbd behind; also when it is interrupted
#   after the new table was written, while the appliance would be
#   growing contents (MBR on raw, GPT on qcow2).
#
# No appliance runs: LIBGUESTFS_HV=/bin/false makes a launch fail, and
# the one test of the appliance phase uses a "qemu" that only sleeps.
# GUESTKIT_TEST_COPY_DELAY_MS (lib/diskio/copy.c, for tests only) slows
# the copy down so that a signal lands in the middle of it.
source "$srcdir/../tests/functions.sh"
source "$srcdir/test-images.sh"
set -e
requires sfdisk --version
requires blkid -V
requires mkfs.xfs -V
requires qemu-nbd --version
requires env --default-signal=INT true
requires setsid --version

test_tmpdir --private-tmpdir
vr="$top_builddir/resize/virt-resize"
export LIBGUESTFS_HV=/bin/false

mbr_logical_image "$t/src.img"
src_sum="$(sha256_of "$t/src.img")"

# refused PATTERN ARGS...: virt-resize ARGS fails with exit 1 and one
# error line matching PATTERN, and leaves no temporary file.  (That
# nothing was written is checked by the callers' checksums.)
refused ()
{
  local pattern="$1" status=0
  shift
  "$vr" "$@" > "$t/out" 2> "$t/err" || status=$?
  cat "$t/err"
  assert_eq "exit status of $*" 1 "$status"
  assert_eq "error lines for $*" 1 "$(wc -l < "$t/err")"
  grep -q "^virt-resize: error: .*$pattern" "$t/err"
  assert_no_leftovers "$TMPDIR"
}

# no_valid_table IMAGE: neither sfdisk nor blkid sees a partition
# table on the raw IMAGE.
no_valid_table ()
{
  if sfdisk -d "$1" > /dev/null 2>&1; then
    echo "$0: $1 still has a valid partition table:" >&2
    sfdisk -d "$1" >&2
    return 1
  fi
  if [ -n "$(blkid -p -o value -s PTTYPE "$1" 2>/dev/null)" ]; then
    echo "$0: blkid sees a partition table on $1" >&2
    return 1
  fi
}

# procs_on DIR: processes (other than this shell's) whose command line
# names a file in DIR, e.g. a qemu-nbd left serving a test image.
procs_on ()
{
  local p
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" != $$ ] || continue
    if tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -qF "$1/"; then
      echo "${p#/proc/}: $(tr '\0' ' ' < "$p/cmdline")"
    fi
  done
}

# wait_for FILE PATTERN [SECONDS]: until a line of FILE matches
# PATTERN (default: 20 s).
wait_for ()
{
  local i
  for (( i = 0; i < ${3:-20} * 20; i++ )); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "$0: timed out waiting for '$2' in $1:" >&2
  cat "$1" >&2
  return 1
}

# quietly CMD...: for cleanups that have usually been done already.
quietly ()
{
  "$@" > /dev/null 2>&1 || :
}

# kill_pidfile FILE: stop the process whose pid FILE holds, if any.
kill_pidfile ()
{
  # shellcheck disable=SC2046 # one pid a line
  [ -s "$1" ] && kill $(cat "$1") 2>/dev/null
  return 0
}

# ---------------------------------------------------------------------
# 1. The same image under another name.

cd "$t"
cp src.img same.img
same_sum="$(sha256_of same.img)"
ln -s same.img link.img
ln same.img hard.img
qemu-img create -q -f qcow2 -b same.img -F raw over1.qcow2
qemu-img create -q -f qcow2 -b over1.qcow2 -F qcow2 over2.qcow2
over1_sum="$(sha256_of over1.qcow2)"

msg="you cannot use the same disk image for input and output"
refused "$msg" --expand /dev/sda1 same.img ./same.img
refused "$msg (same.img and $t/same.img are the same file)" \
  same.img "$t/same.img"
refused "$msg (same.img and link.img are the same file)" same.img link.img
refused "$msg (link.img and same.img are the same file)" link.img same.img
refused "$msg (same.img and hard.img are the same file)" same.img hard.img
# The target anywhere in the source's backing chain.
refused "$msg (same.img is a backing file of over2.qcow2)" \
  over2.qcow2 same.img
refused "$msg (over1.qcow2 is a backing file of over2.qcow2)" \
  over2.qcow2 over1.qcow2
refused "$msg (./hard.img is a backing file of over2.qcow2)" \
  --format qcow2 over2.qcow2 ./hard.img
# A bind mount shows the same file under another directory.
mkdir bind
if mount --bind "$t" "$t/bind" 2>/dev/null; then
  cleanup_fn quietly umount "$t/bind"
  refused "$msg (same.img and bind/same.img are the same file)" \
    same.img bind/same.img
  umount "$t/bind"
else
  echo "$0: note: cannot bind-mount (not root?): that case not tested"
fi
# A loop device of the file.
if loop="$(losetup -f --show same.img 2>/dev/null)"; then
  cleanup_fn quietly losetup -d "$loop"
  refused "$msg ($loop is a loop device of same.img)" same.img "$loop"
  losetup -d "$loop"
else
  echo "$0: note: no loop device: that case not tested"
fi
assert_eq "same.img after the refusals" "$same_sum" "$(sha256_of same.img)"
assert_eq "over1.qcow2 after the refusals" "$over1_sum" \
  "$(sha256_of over1.qcow2)"
assert_eq "src.img after the refusals" "$src_sum" "$(sha256_of src.img)"
# Equal bytes are not the same file.
cp same.img copy.img
"$vr" --dry-run same.img copy.img > /dev/null
cd - > /dev/null

# ---------------------------------------------------------------------
# 2. An image someone else writes: a live qemu-nbd.

truncate -s 300M "$t/busy.img"
busy_sum="$(sha256_of "$t/busy.img")"
qemu-nbd --fork --socket="$t/nbd.sock" --pid-file="$t/nbd.pid" \
  -f raw "$t/busy.img"
cleanup_fn kill_pidfile "$t/nbd.pid"
refused "$t/busy.img: the disk image is in use by another program" \
  --expand /dev/sda1 "$t/src.img" "$t/busy.img"
assert_eq "busy.img while served" "$busy_sum" "$(sha256_of "$t/busy.img")"
kill "$(cat "$t/nbd.pid")"
for (( i = 0; i < 100; i++ )); do
  [ -z "$(procs_on "$t")" ] && break
  sleep 0.1
done
# Once it is gone the same command works (no content growth: no
# appliance), so the refusal was about the qemu-nbd.
"$vr" --no-expand-content --expand /dev/sda1 "$t/src.img" "$t/busy.img" \
  > /dev/null
sfdisk -d "$t/busy.img" > /dev/null
assert_no_leftovers "$TMPDIR"

# ---------------------------------------------------------------------
# 3. Interrupted while copying, by each signal; the target had a valid
# table before (the source's).  The first run is also the "other
# guestkit tool" a second virt-resize must not write alongside.  The
# last one is ^C at a terminal: SIGINT to the whole process group.

for how in INT TERM HUP group; do
  sig=$how
  setsid=
  if [ $how = group ]; then
    sig=INT
    setsid=setsid               # its own group, led by virt-resize
  fi
  cp "$t/src.img" "$t/target.img"
  truncate -s 512M "$t/target.img"
  sfdisk -d "$t/target.img" > /dev/null
  out="$t/$how.out"
  err="$t/$how.err"
  # A background job of a script ignores SIGINT unless told otherwise.
  GUESTKIT_TEST_COPY_DELAY_MS=100 $setsid env --default-signal=INT,QUIT \
    "$vr" --expand /dev/sda1 "$t/src.img" "$t/target.img" \
    > "$out" 2> "$err" &
  pid=$!
  wait_for "$out" "Copying /dev/sda1"
  if [ $how = INT ]; then
    # Its own TMPDIR: the first run's is in use.
    mkdir -p "$t/tmp2"
    TMPDIR="$t/tmp2" refused \
      "$t/target.img: the disk image is being written by another guestkit tool" \
      --expand /dev/sda1 "$t/src.img" "$t/target.img"
  fi
  sleep 0.3
  if [ $how = group ]; then
    kill -INT -- -$pid
  else
    kill -$sig $pid
  fi
  status=0
  wait $pid || status=$?
  cat "$err"
  assert_eq "exit status after SIG$sig ($how)" 1 "$status"
  assert_eq "stderr after SIG$sig ($how)" \
    "virt-resize: error: interrupted: $t/target.img is incomplete" \
    "$(cat "$err")"
  if grep -q "Resize operation completed" "$out"; then
    echo "$0: the copy finished before SIG$sig: not a test" >&2
    exit 1
  fi
  no_valid_table "$t/target.img"
  # The handler stops and reaps its qemu-nbd processes before exiting.
  left="$(procs_on "$t")"
  assert_eq "processes left after SIG$sig ($how)" "" "$left"
  assert_no_leftovers "$TMPDIR"
done
assert_eq "source after the signals" "$src_sum" "$(sha256_of "$t/src.img")"

# ---------------------------------------------------------------------
# 4. Interrupted after the new table was written, while contents would
# be grown: a "qemu" that sleeps stands for the appliance.  GPT on a
# qcow2 target: the protective MBR and both GPT headers are wiped.

gpt_image "$t/gpt.img"
gpt_sum="$(sha256_of "$t/gpt.img")"
cat > "$t/fake-qemu" <<EOF
#!/bin/sh
echo \$\$ >> "$t/fake-qemu.pids"
exec sleep 120
EOF
chmod +x "$t/fake-qemu"
cleanup_fn kill_pidfile "$t/fake-qemu.pids"
qemu-img create -q -f qcow2 "$t/target.qcow2" 600M
# (A "qemu" that sleeps boots nothing: not counted as a launch.)
GUESTKIT_LAUNCH_LOG= LIBGUESTFS_HV="$t/fake-qemu" \
  "$vr" --expand /dev/sda1 "$t/gpt.img" "$t/target.qcow2" \
  > "$t/grow.out" 2> "$t/grow.err" &
pid=$!
# libguestfs may have to build its appliance first (supermin).
wait_for "$t/fake-qemu.pids" . 600
sleep 0.3
kill -TERM $pid
status=0
wait $pid || status=$?
cat "$t/grow.err"
assert_eq "exit status when growing" 1 "$status"
grep -q "^virt-resize: error: interrupted: $t/target.qcow2 is incomplete$" \
  "$t/grow.err"
qemu-img convert -f qcow2 -O raw "$t/target.qcow2" "$t/target.raw"
no_valid_table "$t/target.raw"
size=$(stat -c %s "$t/target.raw")
for off in 1 $(( size / 512 - 1 )); do
  n="$(dd if="$t/target.raw" bs=512 skip=$off count=1 status=none |
       tr -d '\0' | wc -c)"
  assert_eq "GPT header at sector $off" 0 "$n"
done
rm -f "$t/target.raw"
assert_eq "gpt source" "$gpt_sum" "$(sha256_of "$t/gpt.img")"
assert_no_leftovers "$TMPDIR"
assert_eq "qemu-nbd left when growing" "" "$(procs_on "$t" | grep qemu-nbd || :)"
