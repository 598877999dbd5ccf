#!/bin/bash -
# guestkit test harness: build the Debian 12 guest with its root on LVM
# (qcow2) used by tests.
#
# Usage: make-debian-lvm-guest.sh OUTPUT.qcow2
#
# Three stages, each cached under $GUESTKIT_TEST_CACHE:
#  1. the debootstrap tarball of the plain Debian guest
#     (make-debian-guest.sh --rootfs-only; shared with that guest);
#  2. lvm2 and whatever it needs that the tarball lacks, as .debs in a
#     small tarball: the host's apt resolves them against the
#     tarball's own dpkg status and downloads them (the appliance has
#     no network);
#  3. mkimage-debian-lvm (our libguestfs program) lays both out on a
#     fresh qcow2 disk, installs the .debs and GRUB (several minutes
#     under TCG).
# OUTPUT.qcow2 appears atomically, next to OUTPUT.manifest
# (path<TAB>sha256 of the files under /root/guestkit-data and
# /boot/guestkit-data).
#
# Environment: GUESTKIT_TEST_CACHE, MKIMAGE_DEBIAN_LVM (path of the
# built mkimage-debian-lvm), GUESTKIT_DEBIAN_MIRROR (for stage 1).

set -e
set -o pipefail

cache="${GUESTKIT_TEST_CACHE:-/var/tmp/guestkit-test-cache}"
mkdir -p "$cache"
here="$(cd "$(dirname "$0")" && pwd)"

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTPUT.qcow2" >&2
  exit 1
fi
output="$1"
manifest="${output%.qcow2}.manifest"
mkimage="${MKIMAGE_DEBIAN_LVM:-$here/mkimage-debian-lvm}"
if [ ! -x "$mkimage" ]; then
  echo "$0: $mkimage not built (run make in tests/)" >&2
  exit 1
fi

rootfs="$(bash "$here/make-debian-guest.sh" --rootfs-only)"

# The .debs depend on exactly which tarball they complete.
debs_version=1
debs_stamp="$(echo "$debs_version lvm2 $(basename "$rootfs")" |
                sha256sum | cut -c1-12)"
debs="$cache/debian12lvm-debs-$debs_stamp.tar"

build_debs ()
{
  local tmp
  tmp="$(mktemp -d "$cache/debs.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/archives/partial"
  tar -xOf "$rootfs" ./var/lib/dpkg/status > "$tmp/status"
  # The guest's dpkg status stands in for the host's, so apt picks
  # what the guest lacks.  Nothing on the host is installed or locked.
  if ! apt-get -q -y --no-install-recommends --download-only \
         -o Dir::State::status="$tmp/status" \
         -o Dir::Cache::archives="$tmp/archives/" \
         -o Debug::NoLocking=1 \
         install lvm2 > "$tmp/apt.log" 2>&1; then
    cat "$tmp/apt.log" >&2
    echo "$0: could not download lvm2 for the guest" \
         "(try apt-get update)" >&2
    return 1
  fi
  ls "$tmp/archives"/lvm2_*.deb >/dev/null
  tar -C "$tmp/archives" -cf "$tmp/debs.tar" \
      $(cd "$tmp/archives" && ls ./*.deb)
  mv "$tmp/debs.tar" "$debs"
  rm -rf "$tmp"
  trap - EXIT
  echo "lvm2 for the guest: $(tar -tf "$debs" | tr '\n' ' ')" >&2
}

exec 8> "$cache/debian12lvm-debs.lock"
flock 8
if [ ! -f "$debs" ]; then
  rm -f "$cache"/debian12lvm-debs-*.tar
  build_debs
fi
flock -u 8

start=$SECONDS
echo "building $output from $(basename "$rootfs")" \
     "and $(basename "$debs") ..." >&2
rm -f "$output.tmp" "$manifest.tmp"
trap 'rm -f "$output.tmp" "$manifest.tmp"' EXIT
"$mkimage" "$rootfs" "$debs" "$output.tmp" "$manifest.tmp"
mv "$manifest.tmp" "$manifest"
mv "$output.tmp" "$output"
trap - EXIT
echo "image built in $((SECONDS - start)) s:" \
     "$(du -h "$output" | cut -f1) allocated" >&2
