# guestkit test harness: sourced by every test script.
#
#   source "$srcdir/../tests/functions.sh"
#   test_tmpdir --private-tmpdir       # $t, removed at exit; TMPDIR=$t/tmp
#
# Gives: requires, cleanup_fn, test_tmpdir, the KVM probe (exports the
# libguestfs TCG settings when KVM does not work), cached test images
# (debian_guest_image, multifs_image, ..., all through cached_image;
# their builders are in tests/images/), boot_check, libvirt helpers
# (libvirtd.sh: a private daemon per test) and small assertions.
#
# Test scripts run with `set -e`; exit 77 means "skipped".  Tests may
# run in parallel (make -j2 check): anything a test writes goes into its
# test_tmpdir, and shared things (the image cache, libvirtd) are locked
# or private per test.

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

_gk_images="$top_srcdir/tests/images"

# _gk_helper NAME: path of a program built in tests/ (NAME may be in a
# subfolder: images/mkimage-debian), brought up to date first.  Images
# are cached under a hash of their builders' sources, so a stale binary
# would file an old image under a new name; and a test may run before
# tests/ was built (make check recurses lib/ and tests/ first, but a
# test run by hand does not).  The outer make's MAKEFLAGS names a
# jobserver this script does not have: drop it.
_gk_helper ()
{
  local dir="$top_builddir/tests"
  # Under the lock even to ask: make -q may remake the Makefile itself.
  # All of make's chatter goes to stderr; stdout is the answer.
  if ! flock "$dir/.build.lock" \
         env -u MAKEFLAGS -u MFLAGS sh -c \
           'make -q --no-print-directory -C "$1" "$2" >/dev/null 2>&1 ||
            make -s --no-print-directory -C "$1" "$2"' \
           gk-helper "$dir" "$1" >&2; then
    echo "$0: could not build tests/$1" >&2
    return 1
  fi
  echo "$dir/$1"
}

# _gk_run_helper NAME ARG...: build tests/NAME if needed and run it.
_gk_run_helper ()
{
  local prog
  prog="$(_gk_helper "$1")" || return 1
  shift
  "$prog" "$@"
}

# cached_image NAME.EXT [--also EXT2]... SOURCE... -- COMMAND [ARG...]
#
# The one way a test gets a cached build product (image, tarball):
# prints $GUESTKIT_TEST_CACHE/NAME-STAMP.EXT, building it first if
# needed.  STAMP hashes the SOURCE files, the builder's code and inputs,
# so editing a builder files its product under a new name and a stale
# one is never used.
#
# To build, COMMAND ARG... OUT.EXT [OUT.EXT2...] runs in a private
# temporary directory in the cache and writes the product and, for each
# --also EXT2, a companion file (e.g. a manifest) that ends up as
# NAME-STAMP.EXT2.  This happens under a lock per NAME, so tests running
# in parallel wait while one of them builds and then use its result.
# The companions are renamed into place first and the product last,
# each atomically: a product that exists is complete, and so are its
# companions.  COMMAND's exit status is returned (77: skip the test).
#
# Versions of NAME with another stamp (another checkout, an edited
# builder) that nobody has used for an hour are removed then.
cached_image ()
{
  local product="$1" name ext stamp cache="$GUESTKIT_TEST_CACHE"
  local also=() sources=() r=0
  shift
  name="${product%.*}"
  ext="${product##*.}"
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    case "$1" in
      --also) also+=("$2"); shift 2 ;;
      *) sources+=("$1"); shift ;;
    esac
  done
  if [ "${1:-}" != -- ] || [ $# -lt 2 ]; then
    echo "usage: cached_image NAME.EXT [--also EXT]... SOURCE..." \
         "-- COMMAND [ARG...]" >&2
    return 1
  fi
  shift
  stamp="$(cat "${sources[@]}" | sha256sum | cut -c1-12)" || return 1
  if [ ! -f "$cache/$name-$stamp.$ext" ]; then
    mkdir -p "$cache"
    (
      flock 9
      [ -f "$cache/$name-$stamp.$ext" ] ||
        _gk_build_cached "$cache" "$name" "$stamp" "$ext" "${also[@]}" \
                         -- "$@"
    ) 9> "$cache/$name.lock" || r=$?
    [ $r -eq 0 ] || return $r
  fi
  # Tells _gk_prune (elsewhere) that this version is in use; the
  # product itself is never touched: tests check it does not change.
  touch "$cache/$name-$stamp.used" 2>/dev/null || :
  echo "$cache/$name-$stamp.$ext"
}

# _gk_build_cached CACHE NAME STAMP EXT [EXT2...] -- COMMAND...: the
# build step of cached_image, run with the NAME lock held.
_gk_build_cached ()
{
  local cache="$1" name="$2" stamp="$3" ext="$4" also=() e outs tmpd
  local start=$SECONDS
  shift 4
  while [ "$1" != -- ]; do also+=("$1"); shift; done
  shift
  # Left by builds that were killed: no one else holds the lock.
  rm -rf "$cache/$name-"????????????.build.*
  tmpd="$(mktemp -d "$cache/$name-$stamp.build.XXXXXX")" || return 1
  (
    trap 'rm -rf "$tmpd"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    outs=("$tmpd/$name-$stamp.$ext")
    for e in "${also[@]}"; do outs+=("$tmpd/$name-$stamp.$e"); done
    echo "building $cache/$name-$stamp.$ext ..." >&2
    # Without the lock's descriptor: anything the builder leaves
    # running must not keep the lock held.  libguestfs's appliance
    # cache goes where the tools' would, not into the TMPDIR of a test
    # that checks it leaves nothing behind.
    LIBGUESTFS_CACHEDIR="${LIBGUESTFS_CACHEDIR:-/var/tmp}" \
      "$@" "${outs[@]}" >&2 9>&- || exit $?
    for e in "${outs[@]}"; do
      if [ ! -f "$e" ]; then
        echo "cached_image: $* did not write $(basename "$e")" >&2
        exit 1
      fi
    done
    for e in "${outs[@]:1}" "${outs[0]}"; do
      mv -f "$e" "$cache/" || exit 1
    done
    echo "built $name-$stamp.$ext in $((SECONDS - start)) s" >&2
  ) || return $?
  _gk_prune "$cache" "$name" "$stamp" "$ext" "${also[@]}"
}

# _gk_prune CACHE NAME STAMP EXT [EXT2...]: remove the other versions of
# NAME that nobody has used (see cached_image) for an hour.
_gk_prune ()
{
  local cache="$1" name="$2" keep="$3" ext="$4" f s e used
  shift 4
  for f in "$cache/$name-"????????????."$ext"; do
    [ -e "$f" ] || continue
    s="${f%."$ext"}"
    s="${s##*-}"
    [ "$s" != "$keep" ] || continue
    used="$cache/$name-$s.used"
    [ -e "$used" ] || used="$f"
    if [ -n "$(find "$used" -maxdepth 0 -mmin +60)" ]; then
      for e in "$ext" "$@" used; do
        rm -f "$cache/$name-$s.$e"
      done
    fi
  done
}

# debian_rootfs_tarball: the debootstrap tree of the Debian guests.
debian_rootfs_tarball ()
{
  cached_image debian12-rootfs.tar "$_gk_images/make-debian-rootfs.sh" \
    -- bash "$_gk_images/make-debian-rootfs.sh"
}

# debian_lvm_rootfs_tarball: the same plus lvm2 (installed on the host).
debian_lvm_rootfs_tarball ()
{
  cached_image debian12lvm-rootfs.tar \
    "$_gk_images/make-debian-rootfs.sh" \
    "$_gk_images/make-debian-lvm-rootfs.sh" \
    -- _gk_build_lvm_rootfs
}
_gk_build_lvm_rootfs ()
{
  local base
  base="$(debian_rootfs_tarball)" || return 1
  bash "$_gk_images/make-debian-lvm-rootfs.sh" "$base" "$@"
}

# The Debian images' stamps cover their rootfs builders too, so the
# tarballs are only needed (and built) when an image is.
_gk_debian_sources=("$_gk_images/make-debian-rootfs.sh"
                    "$_gk_images/mkimage-common.h"
                    "$_gk_images/mkimage-common.c")

# debian_guest_image: print the path of the Debian 12 guest image (raw),
# building it first if needed.  Use the image read-only or copy it.
debian_guest_image ()
{
  cached_image debian12.img --also manifest \
    "${_gk_debian_sources[@]}" "$_gk_images/mkimage-debian.c" \
    -- _gk_build_debian_guest
}
_gk_build_debian_guest ()
{
  local rootfs
  rootfs="$(debian_rootfs_tarball)" || return 1
  _gk_run_helper images/mkimage-debian "$rootfs" "$@"
}

# debian_guest_manifest: "PATH<TAB>SHA256" of the known files in the
# Debian guest (under /root/guestkit-data).
debian_guest_manifest ()
{
  local img
  img="$(debian_guest_image)" || return $?
  echo "${img%.img}.manifest"
}

# debian_lvm_guest_image: print the path of the Debian 12 guest with its
# root on LVM (qcow2, 2.5 GiB, MBR: sda1 ext4 /boot, sda2 PV of VG gkvg
# with LVs root (ext4) and swap, free extents left), building it first
# if needed.  Use it read-only (format qcow2) or copy it.
debian_lvm_guest_image ()
{
  cached_image debian12lvm.qcow2 --also manifest \
    "${_gk_debian_sources[@]}" "$_gk_images/make-debian-lvm-rootfs.sh" \
    "$_gk_images/mkimage-debian-lvm.c" \
    -- _gk_build_debian_lvm_guest
}
_gk_build_debian_lvm_guest ()
{
  local rootfs
  rootfs="$(debian_lvm_rootfs_tarball)" || return 1
  _gk_run_helper images/mkimage-debian-lvm "$rootfs" "$@"
}

# debian_lvm_guest_manifest: "PATH<TAB>SHA256" of the known files in the
# LVM guest (under /root/guestkit-data on the root LV and
# /boot/guestkit-data on sda1).
debian_lvm_guest_manifest ()
{
  local img
  img="$(debian_lvm_guest_image)" || return $?
  echo "${img%.qcow2}.manifest"
}

# multifs_image: print the path of the multi-filesystem image (raw, GPT:
# ext4 xfs btrfs vfat ntfs swap + LVM gktestvg/{lvext4,lvxfs}).
# Exits 77 (skip) if the appliance cannot make one of the filesystems.
multifs_image ()
{
  cached_image multifs.img --also expected \
    "$_gk_images/mkimage-multifs.c" "$_gk_images/mkimage-common.h" \
    "$_gk_images/mkimage-common.c" \
    -- _gk_run_helper images/mkimage-multifs
}

# subvol_image: print the path of the btrfs-subvolume image (raw, GPT:
# sda1 ext4, sda2 btrfs with subvolumes @ (the default) and @home, sda3
# a broken ext4, sda4+sda5 an MD RAID-1 holding ext4; see
# images/mkimage-subvol.c).  Use it read-only or copy it.
subvol_image ()
{
  cached_image subvol.img "$_gk_images/mkimage-subvol.c" \
    -- _gk_run_helper images/mkimage-subvol
}

# luks_image: print the path of a small disk with an encrypted partition
# (raw, MBR: sda1 ext4 with /hello.txt, sda2 LUKS2 with key $LUKS_KEY
# holding ext4 with /secret.txt).  Use it read-only or copy it.
LUKS_KEY=guestkit-luks-key
luks_image ()
{
  cached_image luks.img \
    "$_gk_images/mkimage-luks.c" "$_gk_images/mkimage-common.h" \
    "$_gk_images/mkimage-common.c" \
    -- _gk_run_helper images/mkimage-luks
}

# dirty_image: print the path of a copy of multifs_image (raw) whose
# free space (every filesystem, the swap body, the VG's free extents)
# holds deleted non-zero bytes, for virt-sparsify; the swap has label
# gkswap and UUID 5a7e5a7e-1111-2222-3333-444455556666.  Its companion
# ${img%.img}.manifest lists "DEVICE<TAB>PATH<TAB>SHA256" of every file;
# dirty_verify IMAGE FORMAT checks them (one read-only launch).
dirty_image ()
{
  cached_image dirty.img --also manifest \
    "$_gk_images/mkimage-dirty.c" "$_gk_images/mkimage-multifs.c" \
    "$_gk_images/mkimage-common.h" "$_gk_images/mkimage-common.c" \
    -- _gk_build_dirty
}
_gk_build_dirty ()
{
  local base
  base="$(multifs_image)" || return $?
  cp --sparse=always "$base" "$1" || return 1
  _gk_run_helper images/mkimage-dirty "$1" "$2"
}
dirty_verify ()
{
  local img
  img="$(dirty_image)" || return $?
  _gk_run_helper images/mkimage-dirty --verify "$1" "$2" \
    "${img%.img}.manifest"
}

# multifs_expected: the statvfs figures of every filesystem of
# multifs_image, one line each:
#   DEVICE bsize frsize blocks bfree bavail files ffree  (tab-separated)
multifs_expected ()
{
  local img
  img="$(multifs_image)" || return $?
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
  # It launches an appliance of its own: count it with the tools'.
  if [ -n "${GUESTKIT_LAUNCH_LOG:-}" ]; then
    echo launch >> "$GUESTKIT_LAUNCH_LOG"
  fi
  "$prog" "$@"
}

# complete_with FUNCTION WORD...: what the bash completion FUNCTION
# offers for the last WORD of the command line WORD... (the cursor at its
# end), one per line.
complete_with ()
{
  local fn="$1"
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$(( $# - 1 ))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  "$fn"
  printf '%s\n' "${COMPREPLY[@]}"
}

# sha256_of FILE: just the hex digest.
sha256_of ()
{
  sha256sum "$1" | cut -d' ' -f1
}

# file_stamp FILE: its size and its modification and change times to
# the nanosecond.  Any write to FILE moves its change time, so an equal
# stamp proves FILE was not written: cheap enough to check after every
# case of a test, with one sha256_of at the end for the content.
file_stamp ()
{
  stat -c '%s %.9Y %.9Z' -- "$1"
}

# test_tmpdir [--private-tmpdir] [VAR]: the test prologue.  Makes a
# fresh directory for this test alone, sets VAR (default: t) to its
# path, and removes it when the test exits.  With --private-tmpdir, also
# makes VAR/tmp and exports TMPDIR=VAR/tmp, so the tools' temporary
# files land there too and assert_no_leftovers can check them.
#
# Call it in the test's own shell, not inside $(...), where the cleanup
# would be registered in (and run at the exit of) a subshell.  The
# directory is unique (mktemp), so tests running in parallel never share
# one.
test_tmpdir ()
{
  # Prefixed: a local named like the caller's VAR would hide it.
  local _gk_private='' _gk_var=t _gk_dir
  if [ "${1:-}" = --private-tmpdir ]; then
    _gk_private=1
    shift
  fi
  [ $# -eq 0 ] || _gk_var="$1"
  _gk_dir="$(mktemp -d \
               "${builddir:-/tmp}/tmp-$(basename "$0" .sh).XXXXXX")" ||
    return 1
  cleanup_fn rm -rf "$_gk_dir"
  printf -v "$_gk_var" '%s' "$_gk_dir"
  if [ -n "$_gk_private" ]; then
    mkdir "$_gk_dir/tmp" || return 1
    export TMPDIR="$_gk_dir/tmp"
  fi
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

# assert_no_process_naming DIR WHAT: fail, listing them, if processes
# whose command line names a file under DIR (a qemu-nbd, an appliance's
# qemu, which libguestfs's recovery process stops within seconds) are
# still there after up to 10 s.
assert_no_process_naming ()
{
  local i
  for (( i = 0; i < 100; i++ )); do
    pgrep -f -- "$1/" > /dev/null || return 0
    sleep 0.1
  done
  pgrep -af -- "$1/" >&2
  echo "$0: processes left after $2" >&2
  return 1
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq ()
{
  if [ "$2" != "$3" ]; then
    echo "$0: $1: expected '$2', got '$3'" >&2
    return 1
  fi
}

# not CMD [ARG...]: fails, saying so, if CMD succeeds.  Under set -e a
# line "! CMD" never stops a test, whatever CMD does: this does.
not ()
{
  if "$@"; then
    echo "$0: should have failed: $*" >&2
    return 1
  fi
}

# Libvirt: start_libvirtd, define_test_domain, ...
source "$top_srcdir/tests/libvirtd.sh"
