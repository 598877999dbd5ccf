#!/bin/bash -
# guestkit test harness: build the Debian 12 guest image used by tests.
#
# Usage: make-debian-guest.sh OUTPUT.img
#        make-debian-guest.sh --rootfs-only
#
# Two stages, each cached under $GUESTKIT_TEST_CACHE:
#  1. debootstrap bookworm (slow: network + dpkg) into a tarball;
#  2. mkimage-debian (our libguestfs program) lays that tarball out on a
#     fresh 3 GiB MBR disk and installs GRUB (a few minutes under TCG).
# OUTPUT.img appears atomically, next to OUTPUT.manifest (path<TAB>sha256
# of the files under /root/guestkit-data).
#
# Environment: GUESTKIT_TEST_CACHE, MKIMAGE_DEBIAN (path of the built
# mkimage-debian), GUESTKIT_DEBIAN_MIRROR (overrides the apt sources).

set -e
set -o pipefail

cache="${GUESTKIT_TEST_CACHE:-/var/tmp/guestkit-test-cache}"
mkdir -p "$cache"

# Changing what goes into the root filesystem must change the tarball's
# name, so a stale tarball is never reused.
rootfs_version=1
packages="systemd-sysv,udev,dbus,linux-image-amd64,grub-pc,e2fsprogs,kmod"
rootfs_stamp="$(echo "$rootfs_version $packages minbase" |
                  sha256sum | cut -c1-12)"
rootfs="$cache/debian12-rootfs-$rootfs_stamp.tar"

# Print the mirror apt already uses for bookworm, from either the deb822
# (*.sources) or the one-line (*.list) format.  The machine may only
# reach its configured mirror, so a hard-coded host would be wrong.
find_mirror ()
{
  local f
  if [ -n "$GUESTKIT_DEBIAN_MIRROR" ]; then
    echo "$GUESTKIT_DEBIAN_MIRROR"
    return 0
  fi
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && suites ~ /(^| )bookworm( |$)/ &&
            uris != "" && !found) {
          split(uris, u, " "); print u[1]; found = 1
        }
        types = suites = uris = ""
      }
      /^[ \t]*$/ { flush(); next }
      /^#/ { next }
      /^Types:/  { sub(/^Types:[ \t]*/, ""); types = $0 }
      /^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
      /^URIs:/   { sub(/^URIs:[ \t]*/, ""); uris = $0 }
      END { flush() }
    ' "$f"
  done | head -n1 | grep . && return 0
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] URI SUITE COMPONENTS...
    sed -e 's/\[[^]]*\]//' "$f" |
      awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }'
  done | head -n1 | grep . && return 0
  echo "$0: no bookworm mirror found in /etc/apt sources;" \
       "set GUESTKIT_DEBIAN_MIRROR" >&2
  return 1
}

build_rootfs ()
{
  local mirror tmp start
  mirror="$(find_mirror)"
  tmp="$(mktemp -d "$cache/rootfs.XXXXXX")"
  # A failed or interrupted debootstrap leaves a big tree: never keep it.
  trap 'rm -rf "$tmp"' EXIT
  start=$SECONDS
  echo "debootstrap bookworm from $mirror (takes several minutes) ..." >&2
  if ! DEBIAN_FRONTEND=noninteractive \
       debootstrap --variant=minbase --include="$packages" \
                   --components=main bookworm "$tmp/root" "$mirror" \
                   > "$tmp/debootstrap.log" 2>&1; then
    tail -n 40 "$tmp/debootstrap.log" >&2
    cp "$tmp/debootstrap.log" "$cache/debootstrap-failed.log" || :
    return 1
  fi
  # Less to copy into the image later; none of it matters to the tests.
  rm -rf "$tmp/root"/var/cache/apt/archives/*.deb \
         "$tmp/root"/var/lib/apt/lists/* \
         "$tmp/root"/usr/share/doc/* \
         "$tmp/root"/usr/share/man/* \
         "$tmp/root"/usr/share/locale/* \
         "$tmp/root"/var/log/*.log
  # Numeric owners: the appliance's /etc/passwd must not remap any ids.
  tar -C "$tmp/root" --numeric-owner --xattrs --xattrs-include='*' \
      -cf "$tmp/rootfs.tar" .
  mv "$tmp/rootfs.tar" "$rootfs"
  rm -rf "$tmp"
  trap - EXIT
  echo "debootstrap + tarball took $((SECONDS - start)) s:" \
       "$(du -h "$rootfs" | cut -f1)" >&2
}

# Build the tarball once even when several builders race for it.
ensure_rootfs ()
{
  exec 8> "$cache/debian12-rootfs.lock"
  flock 8
  if [ ! -f "$rootfs" ]; then
    rm -f "$cache"/debian12-rootfs-*.tar
    build_rootfs
  fi
  flock -u 8
}

if [ "$1" = "--rootfs-only" ]; then
  ensure_rootfs
  echo "$rootfs"
  exit 0
fi

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTPUT.img | --rootfs-only" >&2
  exit 1
fi
output="$1"
manifest="${output%.img}.manifest"
mkimage="${MKIMAGE_DEBIAN:-$(dirname "$0")/mkimage-debian}"
if [ ! -x "$mkimage" ]; then
  echo "$0: $mkimage not built (run make in tests/)" >&2
  exit 1
fi

ensure_rootfs

start=$SECONDS
echo "building $output from $(basename "$rootfs") ..." >&2
rm -f "$output.tmp" "$manifest.tmp"
trap 'rm -f "$output.tmp" "$manifest.tmp"' EXIT
"$mkimage" "$rootfs" "$output.tmp" "$manifest.tmp"
mv "$manifest.tmp" "$manifest"
mv "$output.tmp" "$output"
trap - EXIT
echo "image built in $((SECONDS - start)) s" >&2
