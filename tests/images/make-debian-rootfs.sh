#!/bin/bash -
# guestkit test harness: the root tree of the Debian 12 test guests, as
# a tarball.
#
# Usage: make-debian-rootfs.sh OUTPUT.tar
#
# debootstrap bookworm (minbase plus a kernel, GRUB and systemd) on the
# host: the network and dpkg run at native speed here, never in the
# emulated appliance.  Owners are numeric, so the appliance's
# /etc/passwd cannot remap them when the tarball is unpacked.
# tests/functions.sh (cached_image) caches the result and writes
# OUTPUT.tar atomically.
#
# Environment: GUESTKIT_DEBIAN_MIRROR (overrides the apt sources).

set -e
set -o pipefail

packages="systemd-sysv,udev,dbus,linux-image-amd64,grub-pc,e2fsprogs,kmod"

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

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTPUT.tar" >&2
  exit 1
fi
output="$1"
mirror="$(find_mirror)"
# Next to OUTPUT (the cache): several hundred MB, too big for a tmpfs.
tmp="$(mktemp -d "$output.XXXXXX")"
# A failed or interrupted debootstrap leaves a big tree: never keep it.
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start=$SECONDS
echo "debootstrap bookworm from $mirror (takes several minutes) ..." >&2
if ! DEBIAN_FRONTEND=noninteractive \
     debootstrap --variant=minbase --include="$packages" \
                 --components=main bookworm "$tmp/root" "$mirror" \
                 > "$tmp/debootstrap.log" 2>&1; then
  tail -n 60 "$tmp/debootstrap.log" >&2
  exit 1
fi
# Less to copy into the image later; none of it matters to the tests.
rm -rf "$tmp/root"/var/cache/apt/archives/*.deb \
       "$tmp/root"/var/lib/apt/lists/* \
       "$tmp/root"/usr/share/doc/* \
       "$tmp/root"/usr/share/man/* \
       "$tmp/root"/usr/share/locale/* \
       "$tmp/root"/var/log/*.log
tar -C "$tmp/root" --numeric-owner --xattrs --xattrs-include='*' \
    -cf "$output" .
echo "debootstrap + tarball took $((SECONDS - start)) s:" \
     "$(du -h "$output" | cut -f1)" >&2
