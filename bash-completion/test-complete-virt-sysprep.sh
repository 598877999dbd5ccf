#!/bin/bash
# Completing a virt-sysprep command line offers its real options, the
# operation names after --enable and --operations (item by item in a
# comma list; -NAME, defaults and all for --operations), the
# --password-crypto methods, and shut-off domains only for -d.
set -e
source "$builddir/virt-sysprep"
complete -p virt-sysprep | grep -q '_guestkit_virt_sysprep'

source "$srcdir/../tests/functions.sh"
test_tmpdir tmpdir

complete_words () { complete_with _guestkit_virt_sysprep "$@"; }

vs="$top_builddir/sysprep/virt-sysprep"
[ "$(complete_words "$vs" --list-op)" = "--list-operations" ]
[ "$(complete_words "$vs" --per)" = "--per-disk" ]
complete_words "$vs" -- | grep -qx -- --root-password
complete_words "$vs" - | grep -qx -- -n

[ "$(complete_words "$vs" --enable ssh-h)" = "ssh-hostkeys" ]
# The whole word is replaced; the shell's quoting of ',' (as printf %q
# writes it) reads back as ','.
[ "$(complete_words "$vs" --enable logfiles,ssh-u)" = 'logfiles\,ssh-userdir' ]
[ "$(complete_words "$vs" --operations defaults,-cust)" = \
  'defaults\,-customize' ]
[ "$(complete_words "$vs" --operations def)" = "defaults" ]
[ "$(complete_words "$vs" --operations -al)" = "-all" ]
# --enable takes names only.
[ -z "$(complete_words "$vs" --enable def)" ]
[ "$(complete_words "$vs" --password-crypto s | tr '\n' ' ')" = \
  "sha256 sha512 " ]
complete_words "$vs" --format q | grep -qx qcow2

# -d: shut-off domains only (libvirt's test driver).
if command -v virsh > /dev/null; then
  test_driver_node "$tmpdir/node.xml" "on:running:/dev/null" off:shutoff
  [ "$(complete_words "$vs" -c "test://$tmpdir/node.xml" -d "")" = "off" ]
fi
