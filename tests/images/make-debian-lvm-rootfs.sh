#!/bin/bash -
# guestkit test harness: the root tree of the Debian 12 LVM test guest:
# the plain guest's tree plus lvm2, with an initramfs that activates the
# root VG.
#
# Usage: make-debian-lvm-rootfs.sh BASE.tar OUTPUT.tar
#
# BASE.tar is make-debian-rootfs.sh's tarball.  Everything happens on
# the host: apt on the host downloads lvm2 and what it needs that the
# tree lacks (resolved against the tree's own dpkg status), and dpkg and
# update-initramfs run chrooted into the unpacked tree.  Doing this in
# the emulated appliance instead took most of the 21 minutes the LVM
# guest used to need.  Nothing on the host is installed, locked or
# mounted outside a private mount namespace.
#
# Needs root (chroot, mount namespace, device nodes).

set -e
set -o pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 BASE.tar OUTPUT.tar" >&2
  exit 1
fi
base="$1"
output="$2"
if [ "$(id -u)" -ne 0 ]; then
  echo "$0: needs root (chroot)" >&2
  exit 1
fi

# Next to OUTPUT (the cache): the tree is several hundred MB.
tmp="$(mktemp -d "$output.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
root="$tmp/root"
start=$SECONDS

mkdir -p "$root" "$tmp/archives/partial"
tar -C "$root" --numeric-owner --xattrs --xattrs-include='*' -xpf "$base"

# The tree's dpkg status stands in for the host's, so apt picks what the
# guest lacks.  Nothing on the host is installed or locked.
if ! apt-get -q -y --no-install-recommends --download-only \
       -o Dir::State::status="$root/var/lib/dpkg/status" \
       -o Dir::Cache::archives="$tmp/archives/" \
       -o Debug::NoLocking=1 \
       install lvm2 > "$tmp/apt.log" 2>&1; then
  cat "$tmp/apt.log" >&2
  echo "$0: could not download lvm2 for the guest (try apt-get update)" >&2
  exit 1
fi
ls "$tmp/archives"/lvm2_*.deb >/dev/null
echo "lvm2 for the guest: $(cd "$tmp/archives" && echo ./*.deb)" >&2
mkdir "$root/tmp/guestkit-debs"
cp "$tmp/archives"/*.deb "$root/tmp/guestkit-debs/"

# The initramfs is built here, where the guest's root device does not
# exist for initramfs-tools to probe: say what it would have found.
# The fsck hook then includes e2fsck for the ext4 root, and nothing
# waits for a resume device at boot (the tests never hibernate).
mkdir -p "$root/etc/initramfs-tools/conf.d"
cat > "$root/etc/initramfs-tools/conf.d/guestkit" <<'CONF'
# Written by guestkit's test image builder (make-debian-lvm-rootfs.sh).
FSTYPE=ext4
RESUME=none
CONF

# Run in the chroot.  policy-rc.d keeps maintainer scripts from
# starting services; lvm2's trigger rebuilds the initramfs, and the
# image is useless if that initramfs cannot find the VG, so check.
cat > "$root/tmp/guestkit-install" <<'SCRIPT'
set -e
export PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive
export LC_ALL=C.UTF-8
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
dpkg -i /tmp/guestkit-debs/*.deb
rm -f /usr/sbin/policy-rc.d
has_lvm () {
  for i in /boot/initrd.img-*; do
    lsinitramfs "$i" | grep -q 'sbin/lvm$' || return 1
  done
}
if ! has_lvm; then
  echo 'rebuilding the initramfs'
  update-initramfs -u -k all
fi
has_lvm || { echo 'no lvm in the initramfs' >&2; exit 1; }
echo 'lvm2 installed, initramfs has lvm'
SCRIPT

# A private mount namespace: /proc and a minimal /dev for the chroot go
# away with it, whatever happens.  Only a few device nodes, not the
# host's /dev: lvm2's postinst runs vgcfgbackup, which must not scan
# the host's disks.
unshare --mount --propagation private -- /bin/bash -e -c '
  root="$1"
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o mode=0755 gk-dev "$root/dev"
  mknod -m 666 "$root/dev/null" c 1 3
  mknod -m 666 "$root/dev/zero" c 1 5
  mknod -m 666 "$root/dev/full" c 1 7
  mknod -m 666 "$root/dev/random" c 1 8
  mknod -m 666 "$root/dev/urandom" c 1 9
  exec chroot "$root" /bin/bash /tmp/guestkit-install
' gk-chroot "$root" > "$tmp/install.log" 2>&1 || {
  cat "$tmp/install.log" >&2
  echo "$0: installing lvm2 in the chroot failed" >&2
  exit 1
}
tail -n 3 "$tmp/install.log" >&2

rm -rf "$root/tmp/guestkit-debs" "$root/tmp/guestkit-install" \
       "$root"/var/log/*.log "$root"/var/cache/apt/archives/*.deb
tar -C "$root" --numeric-owner --xattrs --xattrs-include='*' \
    -cf "$output" .
echo "lvm2 installed on the host in $((SECONDS - start)) s:" \
     "$(du -h "$output" | cut -f1)" >&2
