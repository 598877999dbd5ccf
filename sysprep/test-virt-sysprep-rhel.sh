#!/bin/bash
# A Red Hat family guest: a small ext4 image made on the host from a
# fake RHEL 9 tree (mkfs.ext4 -d, no launch), inspectable as RHEL with
# dnf.  The RH-family operations act on it (ifcfg HWADDR and HOSTNAME,
# NetworkManager keyfiles, rpm __db files, the dnf cache, RHN and
# subscription files, /var/account), the Debian-only ones leave it
# alone (apt cache, /var/log/account, the ssh-keygen unit), and the
# customize options speak its dialect (/etc/sysconfig/network, SELinux
# relabel); fs-uuids gives the filesystem a new UUID.  The result is
# read back on the host with debugfs and blkid.  Two --script run on
# the guest's tree served through FUSE.
# Then a failing script and an image with no operating system get one
# clear error each (the failing script with --per-disk --dry-run, a
# fake Debian tree and the Debian LVM guest: it fails alone, no image
# changes; the fast inspection of the three is checked against
# libguestfs's in that launch, GUESTKIT_INSPECT_LOG).  Last,
# --per-disk: the Debian tree, the image with no OS, a fresh copy of
# the RHEL tree and an overlay of the Debian LVM guest (a real
# installation: /boot on sda1, root on an LV) as four guests of one
# launch: each gets its own family's operations and its own new
# filesystem (and LVM) UUIDs, the disk with no OS fails alone.  The LVM
# guest is read back on the host too: its PV and newest VG metadata,
# its root LV and /boot copied out with qemu-img.
# Appliance launches: 4.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires mkfs.ext4 -V
requires debugfs -V
requires blkid -V
requires test -c /dev/fuse
requires qemu-img --version
requires python3 --version

lvm="$(debian_lvm_guest_image)" || exit $?
test_tmpdir --private-tmpdir
vs="$top_builddir/sysprep/virt-sysprep"
r="$t/root"

put () { mkdir -p "$(dirname "$r$1")"; printf '%b' "$2" > "$r$1"; }
mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/etc/systemd/system" "$r/tmp" \
  "$r/root" "$r/var/tmp"
ln -s usr/bin "$r/bin"
ln -s usr/sbin "$r/sbin"
put /etc/redhat-release 'Red Hat Enterprise Linux release 9.2 (Plow)\n'
put /etc/os-release \
  'NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.2"\n'
put /etc/fstab 'LABEL=rhelroot / ext4 defaults 0 1\n'
put /etc/machine-id '0123456789abcdef0123456789abcdef\n'
put /etc/selinux/config 'SELINUX=enforcing\nSELINUXTYPE=targeted\n'
put /etc/sysconfig/network 'NETWORKING=yes\nHOSTNAME=template\n'
put /etc/hostname 'template\n'
put /etc/sysconfig/network-scripts/ifcfg-eth0 \
  'DEVICE=eth0\nHWADDR=52:54:00:12:34:56\nHOSTNAME=template\n'\
'DHCP_HOSTNAME=template\nONBOOT=yes\n'
put /etc/NetworkManager/system-connections/eth0.nmconnection '[connection]\n'
put /etc/NetworkManager/system-connections/README 'kept\n'
put /var/lib/rpm/__db.001 'db'
put /var/lib/rpm/rpmdb.sqlite 'rpmdb'
put /var/cache/dnf/baseos-1234/packages/foo-1.0.rpm 'rpm'
put /var/lib/yum/uuid 'uuid'
put /etc/sysconfig/rhn/systemid 'id'
put /etc/pki/entitlement/1.pem 'pem'
put /etc/pki/consumer/cert.pem 'pem'
put /var/account/pacct 'acct'
put /var/account/pacct.1 'acct'
put /var/log/messages 'log'
put /etc/ssh/ssh_host_ecdsa_key 'key'
# Debian's: left alone on this guest.
put /var/cache/apt/archives/foo_1.0_amd64.deb 'deb'
put /var/log/account/pacct 'acct'

img="$t/rhel.img"
truncate -s 64M "$img"
mkfs.ext4 -q -F -L rhelroot -d "$r" "$img"
# --per-disk's own copy, untouched by the runs before it.
mkfs.ext4 -q -F -L rhelroot -d "$r" "$t/rhel2.img" 64M

# A Debian guest for --per-disk, with the RH family's files planted too
# (as the RHEL tree has Debian's).
r="$t/deb"
mkdir -p "$r/usr/bin" "$r/usr/sbin" "$r/tmp" "$r/root"
ln -s usr/bin "$r/bin"
ln -s usr/sbin "$r/sbin"
put /etc/debian_version '12.5\n'
put /etc/os-release 'NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\n'
put /etc/fstab 'LABEL=debroot / ext4 defaults 0 1\n'
put /etc/machine-id 'fedcba9876543210fedcba9876543210\n'
put /etc/hostname 'debtemplate\n'
put /var/cache/apt/archives/foo_1.0_amd64.deb 'deb'
put /var/log/account/pacct 'acct'
put /var/lib/rpm/__db.001 'db'
put /etc/sysconfig/network-scripts/ifcfg-eth0 \
  'DEVICE=eth0\nHWADDR=52:54:00:12:34:56\n'
mkfs.ext4 -q -F -L debroot -d "$r" "$t/deb.img" 64M
r="$t/root"

uuid_before="$(blkid -p -s UUID -o value "$img")"
printf '#!/bin/sh\necho two > root/two\n' > "$t/s2.sh"
chmod +x "$t/s2.sh"
mkdir "$t/sd"
"$vs" --format raw -a "$img" --operations defaults,fs-uuids \
  --hostname newrh --scriptdir "$t/sd" \
  --script "touch ./script-was-here && ls etc > $t/etc-listing" \
  --script "$t/s2.sh" > "$t/log"
cat "$t/log"
# The scripts ran in the guest's tree, in order, and it is unmounted.
grep -qx redhat-release "$t/etc-listing"
not mountpoint -q "$t/sd"
[ -z "$(ls -A "$t/sd")" ]
# fs-uuids, a device operation, runs after the filesystem ones.
line_of () { grep -n "Performing \"$1\"" "$t/log" | cut -d: -f1; }
[ "$(line_of customize)" -lt "$(line_of fs-uuids)" ]
[ "$(line_of fs-uuids)" -lt "$(line_of lvm-uuids)" ]
grep -A1 'Performing "customize"' "$t/log" | tail -1 |
  grep -q 'Setting a random seed'
uuid_after="$(blkid -p -s UUID -o value "$img")"
[ -n "$uuid_after" ] && [ "$uuid_before" != "$uuid_after" ]

mkdir "$t/out"
debugfs -R "rdump / $t/out" "$img" 2>/dev/null
o="$t/out"
# RH family: acted on.
assert_eq "ifcfg" 'DEVICE=eth0
ONBOOT=yes' "$(cat "$o/etc/sysconfig/network-scripts/ifcfg-eth0")"
[ ! -e "$o/etc/NetworkManager/system-connections/eth0.nmconnection" ]
[ -e "$o/etc/NetworkManager/system-connections/README" ]
[ ! -e "$o/var/lib/rpm/__db.001" ]
[ -e "$o/var/lib/rpm/rpmdb.sqlite" ]
[ ! -e "$o/var/cache/dnf/baseos-1234/packages/foo-1.0.rpm" ]
[ -d "$o/var/cache/dnf/baseos-1234/packages" ]
[ ! -e "$o/var/lib/yum/uuid" ]
[ ! -e "$o/etc/sysconfig/rhn/systemid" ]
[ ! -e "$o/etc/pki/entitlement/1.pem" ]
[ ! -e "$o/etc/pki/consumer/cert.pem" ]
[ ! -e "$o/var/account/pacct.1" ]
[ -e "$o/var/account/pacct" ] && [ ! -s "$o/var/account/pacct" ]
[ ! -e "$o/var/log/messages" ]
[ ! -e "$o/etc/ssh/ssh_host_ecdsa_key" ]
[ -e "$o/etc/machine-id" ] && [ ! -s "$o/etc/machine-id" ]
# Debian only: skipped.
[ -e "$o/var/cache/apt/archives/foo_1.0_amd64.deb" ]
assert_eq "Debian's pacct" acct "$(cat "$o/var/log/account/pacct")"
[ ! -e "$o/etc/systemd/system/guestkit-ssh-keygen.service" ]
# Customize, the RH way.
assert_eq "hostname" newrh "$(cat "$o/etc/hostname")"
grep -qx HOSTNAME=newrh "$o/etc/sysconfig/network"
[ -e "$o/.autorelabel" ]
# --script wrote through FUSE.
[ -e "$o/script-was-here" ]
assert_eq "second script" two "$(cat "$o/root/two")"

# A script that fails fails the run, with one line, and the tree is
# unmounted all the same.  With --per-disk and --dry-run: it fails on
# the RHEL disk only, the Debian disks after it are still done, and
# no image changes (an overlay each).
status=0
fail='! test -e etc/redhat-release || exit 3'
img_sum="$(sha256_of "$img")"
deb_sum="$(sha256_of "$t/deb.img")"
GUESTKIT_INSPECT_LOG="$t/inspect.log" \
"$vs" -n --per-disk --format raw -a "$img" -a "$t/deb.img" \
  --format qcow2 -a "$lvm" \
  --enable script --scriptdir "$t/sd" --script "$fail" \
  > "$t/script.log" 2> "$t/err" || status=$?
cat "$t/script.log" "$t/err" "$t/inspect.log"
# The three guests were found the fast way, as libguestfs finds them:
# the RHEL tree (dnf from its major version), the Debian tree, and the
# LVM guest's root on its LV with /boot by UUID.
grep -qx "fast: same as libguestfs's, 3 operating systems" "$t/inspect.log"
grep -qx 'fast /dev/sda linux rhel rpm dnf 9 / /dev/sda' "$t/inspect.log"
grep -qx 'fast /dev/sdb linux debian deb apt 12 / /dev/sdb' "$t/inspect.log"
grep -Eq '^fast /dev/gkvg/root linux debian deb apt 12 (.* )?/ /dev/gkvg/root' \
  "$t/inspect.log"
grep -Eq '^fast /dev/gkvg/root .* /boot /dev/sdc1( |$)' "$t/inspect.log"
assert_eq "exit status, failed script" 1 "$status"
assert_eq "error lines, failed script" 1 "$(wc -l < "$t/err")"
grep -qxF "virt-sysprep: error: script failed: $fail" "$t/err"
not mountpoint -q "$t/sd"
assert_eq "disks and scripts, failed script" "[disk 1/3] $img
script
[disk 2/3] $t/deb.img
script
[disk 3/3] $lvm
script" "$(grep -o -e '\[disk.*' -e 'script' "$t/script.log")"
assert_eq "RHEL image, dry run" "$img_sum" "$(sha256_of "$img")"
assert_eq "Debian image, dry run" "$deb_sum" "$(sha256_of "$t/deb.img")"

# No operating system: one line, exit 1.
mkdir "$t/empty"
mkfs.ext4 -q -F -d "$t/empty" "$t/noos.img" 32M
status=0
"$vs" --format raw -a "$t/noos.img" > "$t/out.log" 2> "$t/err" || status=$?
cat "$t/err"
assert_eq "exit status, no OS" 1 "$status"
assert_eq "error lines, no OS" 1 "$(wc -l < "$t/err")"
grep -qx \
  'virt-sysprep: error: no operating systems were found in the guest image' \
  "$t/err"

# The LVM guest, read on the host (no launch) into directory $1: ids
# ("PV-UUID VG-UUID"), from the PV label and the newest copy of the VG
# metadata (which must agree), and the raw root LV and /boot (sda1).
# The PV is sda2, at 301 MiB; where the root LV lies, the metadata says.
lvm_read () {
  local off size
  mkdir "$1"
  # (qemu-img dd's count includes the blocks skipped.)
  qemu-img dd -f qcow2 -O raw if="$t/lvm.qcow2" of="$1/pv" bs=1M skip=301 \
    count=302
  python3 - "$1/pv" > "$1/layout" <<'EOF'
import re, sys
data = open(sys.argv[1], 'rb').read()
label = data.find(b'LABELONE')
if label < 0 or label % 512:
    sys.exit('no PV label')
pv_label = data[label + 32:label + 64].decode()
best = None
for blob in data.split(b'\0'):
    t = blob.decode('latin-1')
    m = re.search(r'^gkvg \{\s*id = "([^"]+)"\s*seqno = (\d+)', t, re.M)
    if m and (best is None or int(m.group(2)) > best[0]):
        best = (int(m.group(2)), m.group(1), t)
if best is None:
    sys.exit('no metadata of VG gkvg')
seqno, vg, t = best
pv = re.search(r'\bpv0 \{\s*id = "([^"]+)"', t).group(1)
if pv.replace('-', '') != pv_label:
    sys.exit('PV label %s, metadata %s' % (pv_label, pv))
extent = int(re.search(r'^\s*extent_size = (\d+)', t, re.M).group(1)) * 512
pe_start = int(re.search(r'^\s*pe_start = (\d+)', t, re.M).group(1)) * 512
root = re.search(r'\broot \{.*?segment_count = 1\s+segment1 \{\s*'
                 r'start_extent = 0\s+extent_count = (\d+).*?'
                 r'stripes = \[\s*"pv0", (\d+)', t, re.S)
print(pv, vg, (301 << 20) + pe_start + int(root.group(2)) * extent,
      int(root.group(1)) * extent)
EOF
  read -r _ _ off size < "$1/layout"
  lvm_copy "$1/root" "$off" "$size"
  lvm_copy "$1/boot" $((1 << 20)) $((300 << 20))
  { cut -d' ' -f1,2 "$1/layout"
    blkid -p -s UUID -o value "$1/root"
    blkid -p -s UUID -o value "$1/boot"; } | paste -sd' ' > "$1/ids"
}
# lvm_copy OUT OFFSET SIZE: those bytes of the LVM guest, sparsely.
lvm_copy () {
  qemu-img convert -O raw --image-opts "driver=raw,offset=$2,size=$3,\
file.driver=qcow2,file.file.filename=$t/lvm.qcow2" "$1"
}

# --per-disk: four disks, four guests, one launch: each guest's
# family operations act on its own disk only.
deb_uuid="$(blkid -p -s UUID -o value "$t/deb.img")"
rhel_uuid="$(blkid -p -s UUID -o value "$t/rhel2.img")"
noos_sum="$(sha256_of "$t/noos.img")"
lvm_mtime="$(stat -c %Y "$lvm")"
qemu-img create -q -f qcow2 -b "$lvm" -F qcow2 "$t/lvm.qcow2"
lvm_read "$t/lvm-before"
# What the operations will act on is there (a check of the image).
debugfs -R "cat /etc/machine-id" "$t/lvm-before/root" 2>/dev/null |
  grep -Eqx '[0-9a-f]{32}'
for f in wtmp btmp lastlog faillog; do
  debugfs -R "stat /var/log/$f" "$t/lvm-before/root" 2>&1 |
    grep -q '^Inode:'
done
rm "$t/lvm-before/root" "$t/lvm-before/boot"
status=0
: > "$t/launches"
GUESTKIT_LAUNCH_LOG="$t/launches" "$vs" --per-disk --format raw \
  -a "$t/deb.img" -a "$t/noos.img" -a "$t/rhel2.img" \
  --format qcow2 -a "$t/lvm.qcow2" \
  --operations defaults,fs-uuids --hostname pd \
  > "$t/log" 2> "$t/err" || status=$?
if [ -n "${GUESTKIT_LAUNCH_LOG:-}" ]; then
  cat "$t/launches" >> "$GUESTKIT_LAUNCH_LOG"
fi
cat "$t/log" "$t/err"
assert_eq "launches, --per-disk" 1 "$(wc -l < "$t/launches")"
assert_eq "exit status, --per-disk with a disk without OS" 1 "$status"
# (The fake trees have no random seed file: a warning for each.)
assert_eq "error lines, --per-disk" 1 \
  "$(grep -vc 'warning: random seed could not be set' "$t/err")"
grep -qxF "virt-sysprep: error: $t/noos.img: no operating systems were \
found in the guest image" "$t/err"
assert_eq "image without OS, --per-disk" "$noos_sum" \
  "$(sha256_of "$t/noos.img")"
# Each guest's messages under its own line, in the order given.
grep -n -e '\[disk [0-9]/4\]' -e 'Performing "customize"' "$t/log" |
  sed 's/^\([0-9]*\):.*\(\[disk.*\|customize\).*/\2/' > "$t/order"
assert_eq "--per-disk messages" "[disk 1/4] $t/deb.img
customize
[disk 2/4] $t/noos.img
[disk 3/4] $t/rhel2.img
customize
[disk 4/4] $t/lvm.qcow2
customize" "$(cat "$t/order")"
# fs-uuids: each disk's own filesystem got a new UUID.
[ "$(blkid -p -s UUID -o value "$t/deb.img")" != "$deb_uuid" ]
[ "$(blkid -p -s UUID -o value "$t/rhel2.img")" != "$rhel_uuid" ]

rdump () { mkdir "$2"; debugfs -R "rdump / $2" "$1" 2>/dev/null; }
rdump "$t/deb.img" "$t/deb-out"
rdump "$t/rhel2.img" "$t/rhel-out"
o="$t/deb-out"
[ ! -e "$o/var/cache/apt/archives/foo_1.0_amd64.deb" ]
[ -e "$o/var/log/account/pacct" ] && [ ! -s "$o/var/log/account/pacct" ]
[ -e "$o/var/lib/rpm/__db.001" ]
grep -qx HWADDR=52:54:00:12:34:56 \
  "$o/etc/sysconfig/network-scripts/ifcfg-eth0"
[ -e "$o/etc/machine-id" ] && [ ! -s "$o/etc/machine-id" ]
assert_eq "hostname, Debian disk" pd "$(cat "$o/etc/hostname")"
o="$t/rhel-out"
[ ! -e "$o/var/lib/rpm/__db.001" ]
[ -e "$o/var/cache/apt/archives/foo_1.0_amd64.deb" ]
assert_eq "Debian's pacct, RHEL disk" acct \
  "$(cat "$o/var/log/account/pacct")"
assert_eq "ifcfg, RHEL disk" 'DEVICE=eth0
ONBOOT=yes' "$(cat "$o/etc/sysconfig/network-scripts/ifcfg-eth0")"
[ -e "$o/etc/machine-id" ] && [ ! -s "$o/etc/machine-id" ]
assert_eq "hostname, RHEL disk" pd "$(cat "$o/etc/hostname")"

# The LVM guest: its machine IDs emptied, its logs gone, its hostname
# set, new UUIDs on its PV, its VG and both its filesystems; the
# cached image under the overlay untouched.
lvm_read "$t/lvm-after"
o="$t/lvm-after/root"
for f in /etc/machine-id /var/lib/dbus/machine-id; do
  assert_eq "$f, LVM disk" "Size: 0" \
    "$(debugfs -R "stat $f" "$o" 2>/dev/null | grep -om1 'Size: [0-9]*')"
done
for f in wtmp btmp lastlog faillog; do
  if debugfs -R "stat /var/log/$f" "$o" 2>&1 | grep -q '^Inode:'; then
    echo "$0: /var/log/$f is still on the LVM disk" >&2
    exit 1
  fi
done
assert_eq "hostname, LVM disk" pd \
  "$(debugfs -R "cat /etc/hostname" "$o" 2>/dev/null)"
read -r -a before < "$t/lvm-before/ids"
read -r -a after < "$t/lvm-after/ids"
assert_eq "LVM disk, UUIDs read" "4 4" "${#before[@]} ${#after[@]}"
for i in 0 1 2 3; do
  if [ "${before[i]}" = "${after[i]}" ]; then
    echo "$0: LVM disk: UUID $((i + 1)) of PV, VG, root, /boot" \
         "unchanged: ${after[i]}" >&2
    exit 1
  fi
done
assert_eq "cached LVM image" "$lvm_mtime" "$(stat -c %Y "$lvm")"
