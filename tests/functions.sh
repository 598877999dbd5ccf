# guestkit test harness: sourced by every test script.
#
#   source "$srcdir/../tests/functions.sh"
#
# Gives: requires, cleanup_fn, the KVM probe (exports the libguestfs TCG
# settings when KVM does not work), cached test images
# (debian_guest_image, multifs_image, ...), boot_check, libvirt helpers
# (libvirtd.sh) and small assertions.
#
# Test scripts run with `set -e`; exit 77 means "skipped".

# Running a test by hand, outside `make check`: guess the tree.
if [ -z "${top_srcdir:-}" ]; then
  top_srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fi
: "${top_builddir:=$top_srcdir}"
: "${srcdir:=$(cd "$(dirname "$0")" && pwd)}"
: "${builddir:=$(pwd)}"
export top_srcdir top_builddir srcdir builddir

# Images live outside the tree: they are big, slow to make and shared by
# every checkout and build directory on the machine.
: "${GUESTKIT_TEST_CACHE:=/var/tmp/guestkit-test-cache}"
export GUESTKIT_TEST_CACHE

# ---------------------------------------------------------------------
# Skipping and cleaning up.

# requires CMD ARGS...: skip the test (exit 77) unless CMD succeeds.
requires ()
{
  if ! "$@" >/dev/null 2>&1; then
    echo "$0: skipped: needs '$*'" >&2
    exit 77
  fi
}

# requires_appliance: skip tests that launch the libguestfs appliance
# when configured with --disable-appliance-tests (make distcheck does).
requires_appliance ()
{
  if [ "${GUESTKIT_APPLIANCE_TESTS:-yes}" = no ]; then
    echo "$0: skipped: appliance tests are disabled" >&2
    exit 77
  fi
}

# cleanup_fn CMD ARGS...: run CMD at exit, last registered first.
# Register in the test's own shell, not inside $(...): a subshell's
# registrations are lost (and would run when the subshell exits).
_gk_cleanups=()
cleanup_fn ()
{
  local cmd
  printf -v cmd '%q ' "$@"
  _gk_cleanups+=("$cmd")
}
_gk_run_cleanups ()
{
  local status=$? i
  set +e
  for (( i = ${#_gk_cleanups[@]} - 1; i >= 0; --i )); do
    eval "${_gk_cleanups[i]}"
  done
  _gk_cleanups=()
  return $status
}
trap _gk_run_cleanups EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------
# KVM or TCG.  The machine may have a /dev/kvm that does not work, so
# ask the same probe as the tools, once per test (it is cheap), and
# pass the answer on to children in $GUESTKIT_KVM.

if [ -z "${GUESTKIT_KVM:-}" ]; then
  if [ -x "$top_builddir/tests/kvm-probe" ]; then
    if "$top_builddir/tests/kvm-probe" >/dev/null 2>&1; then
      GUESTKIT_KVM=yes
    else
      GUESTKIT_KVM=no
    fi
  else
    echo "$0: warning: $top_builddir/tests/kvm-probe not built," \
         "assuming no KVM" >&2
    GUESTKIT_KVM=no
  fi
fi
export GUESTKIT_KVM
if [ "$GUESTKIT_KVM" = no ]; then
  : "${LIBGUESTFS_BACKEND:=direct}"
  : "${LIBGUESTFS_BACKEND_SETTINGS:=force_tcg}"
  export LIBGUESTFS_BACKEND LIBGUESTFS_BACKEND_SETTINGS
fi

# ---------------------------------------------------------------------
# Cached images.

# _gk_stamp FILE...: short hash of the builder sources, so editing a
# builder rebuilds its image.
_gk_stamp ()
{
  cat "$@" | sha256sum | cut -c1-12
}

# _gk_helper NAME: path of a program built in tests/, building it if a
# test runs before tests/ was built (make check recurses df/ first).
_gk_helper ()
{
  local prog="$top_builddir/tests/$1"
  if [ ! -x "$prog" ]; then
    flock "$top_builddir/tests/.build.lock" \
          make -s -C "$top_builddir/tests" "$1" >&2 || return 1
  fi
  echo "$prog"
}

# _gk_prune PATTERN KEEP...: remove other versions of a cached image that
# nobody has touched for an hour (a test elsewhere may still use them).
_gk_prune ()
{
  local pattern="$1" f k keep
  shift
  for f in $GUESTKIT_TEST_CACHE/$pattern; do
    [ -e "$f" ] || continue
    keep=
    for k in "$@"; do [ "$f" = "$k" ] && keep=1; done
    if [ -z "$keep" ] && [ -n "$(find "$f" -maxdepth 0 -mmin +60)" ]; then
      rm -f "$f"
    fi
  done
}

# debian_guest_image: print the path of the Debian 12 guest image (raw),
# building it first if needed.  Parallel tests wait on a lock while one
# of them builds it.  Use the image read-only or copy it.
debian_guest_image ()
{
  local stamp img mkimage
  stamp="$(_gk_stamp "$top_srcdir/tests/make-debian-guest.sh" \
                     "$top_srcdir/tests/mkimage-debian.c" \
                     "$top_srcdir/tests/mkimage-common.h")"
  img="$GUESTKIT_TEST_CACHE/debian12-$stamp.img"
  if [ ! -f "$img" ]; then
    mkimage="$(_gk_helper mkimage-debian)" || return 1
    mkdir -p "$GUESTKIT_TEST_CACHE"
    (
      flock 9
      if [ ! -f "$img" ]; then
        MKIMAGE_DEBIAN="$mkimage" \
          bash "$top_srcdir/tests/make-debian-guest.sh" "$img" >&2
        _gk_prune 'debian12-*.img' "$img"
        _gk_prune 'debian12-*.manifest' "${img%.img}.manifest"
      fi
    ) 9> "$GUESTKIT_TEST_CACHE/debian12.lock" || return 1
  fi
  echo "$img"
}

# debian_guest_manifest: "PATH<TAB>SHA256" of the known files in the
# Debian guest (under /root/guestkit-data).
debian_guest_manifest ()
{
  local img
  img="$(debian_guest_image)" || return 1
  echo "${img%.img}.manifest"
}

# debian_lvm_guest_image: print the path of the Debian 12 guest with its
# root on LVM (qcow2, 2.5 GiB, MBR: sda1 ext4 /boot, sda2 PV of VG gkvg
# with LVs root (ext4) and swap, free extents left), building it first
# if needed.  Use it read-only (format qcow2) or copy it.
debian_lvm_guest_image ()
{
  local stamp img mkimage
  stamp="$(_gk_stamp "$top_srcdir/tests/make-debian-lvm-guest.sh" \
                     "$top_srcdir/tests/make-debian-guest.sh" \
                     "$top_srcdir/tests/mkimage-debian-lvm.c" \
                     "$top_srcdir/tests/mkimage-common.h")"
  img="$GUESTKIT_TEST_CACHE/debian12lvm-$stamp.qcow2"
  if [ ! -f "$img" ]; then
    mkimage="$(_gk_helper mkimage-debian-lvm)" || return 1
    mkdir -p "$GUESTKIT_TEST_CACHE"
    (
      flock 9
      if [ ! -f "$img" ]; then
        MKIMAGE_DEBIAN_LVM="$mkimage" \
          bash "$top_srcdir/tests/make-debian-lvm-guest.sh" "$img" >&2
        _gk_prune 'debian12lvm-*.qcow2' "$img"
        _gk_prune 'debian12lvm-*.manifest' "${img%.qcow2}.manifest"
      fi
    ) 9> "$GUESTKIT_TEST_CACHE/debian12lvm.lock" || return 1
  fi
  echo "$img"
}

# debian_lvm_guest_manifest: "PATH<TAB>SHA256" of the known files in the
# LVM guest (under /root/guestkit-data on the root LV and
# /boot/guestkit-data on sda1).
debian_lvm_guest_manifest ()
{
  local img
  img="$(debian_lvm_guest_image)" || return 1
  echo "${img%.qcow2}.manifest"
}

# multifs_image: print the path of the multi-filesystem image (raw, GPT:
# ext4 xfs btrfs vfat ntfs swap + LVM gktestvg/{lvext4,lvxfs}).
# Exits 77 (skip) if the appliance cannot make one of the filesystems.
multifs_image ()
{
  local stamp img mkimage r=0
  stamp="$(_gk_stamp "$top_srcdir/tests/mkimage-multifs.c" \
                     "$top_srcdir/tests/mkimage-common.h")"
  img="$GUESTKIT_TEST_CACHE/multifs-$stamp.img"
  if [ ! -f "$img" ]; then
    mkimage="$(_gk_helper mkimage-multifs)" || return 1
    mkdir -p "$GUESTKIT_TEST_CACHE"
    (
      flock 9
      if [ ! -f "$img" ]; then
        rm -f "$img.tmp" "${img%.img}.expected.tmp"
        "$mkimage" "$img.tmp" "${img%.img}.expected.tmp" >&2 || exit $?
        mv "${img%.img}.expected.tmp" "${img%.img}.expected"
        mv "$img.tmp" "$img"
        _gk_prune 'multifs-*.img' "$img"
        _gk_prune 'multifs-*.expected' "${img%.img}.expected"
      fi
    ) 9> "$GUESTKIT_TEST_CACHE/multifs.lock" || r=$?
    if [ $r -eq 77 ]; then
      exit 77
    elif [ $r -ne 0 ]; then
      rm -f "$img.tmp" "${img%.img}.expected.tmp"
      return 1
    fi
  fi
  echo "$img"
}

# multifs_expected: the statvfs figures of every filesystem of
# multifs_image, one line each:
#   DEVICE bsize frsize blocks bfree bavail files ffree  (tab-separated)
multifs_expected ()
{
  local img
  img="$(multifs_image)" || return 1
  echo "${img%.img}.expected"
}

# ---------------------------------------------------------------------
# Looking at images.

# boot_check IMAGE [FORMAT] [TIMEOUT]: 0 if the image boots to the
# GUESTKIT-BOOT-OK marker (see boot-check.sh).  The image is not changed.
boot_check ()
{
  bash "$top_srcdir/tests/boot-check.sh" "$@"
}

# check_guest [--format FMT] IMAGE [MANIFEST]: inspection summary as
# "key: value" lines (root, type, distro, major_version, ...); with
# MANIFEST, also checks every listed file's sha256 (exit 1 on mismatch).
check_guest ()
{
  local prog
  prog="$(_gk_helper check-guest)" || return 1
  "$prog" "$@"
}

# sha256_of FILE: just the hex digest.
sha256_of ()
{
  sha256sum "$1" | cut -d' ' -f1
}

# make_test_tmpdir: a fresh directory, removed at exit; prints its path.
# Call as `d=$(make_test_tmpdir)` only with `cleanup_fn rm -rf "$d"`
# afterwards (a subshell cannot register the cleanup itself).
make_test_tmpdir ()
{
  mktemp -d "${builddir:-/tmp}/tmp-$(basename "$0" .sh).XXXXXX"
}

# assert_no_leftovers DIR: fail if DIR has anything in it (e.g. a tool's
# TMPDIR after the tool exited).
assert_no_leftovers ()
{
  local left
  left="$(find "$1" -mindepth 1 -maxdepth 1 2>/dev/null)"
  if [ -n "$left" ]; then
    echo "$0: leftovers in $1:" >&2
    ls -la "$1" >&2
    return 1
  fi
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq ()
{
  if [ "$2" != "$3" ]; then
    echo "$0: $1: expected '$2', got '$3'" >&2
    return 1
  fi
}

# Libvirt: start_libvirtd, define_test_domain, ...
source "$top_srcdir/tests/libvirtd.sh"
