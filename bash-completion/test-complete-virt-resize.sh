#!/bin/bash
# Completing a virt-resize command line offers its real options, the
# values of its enumerated options, shut-off libvirt domains, and the
# partitions of the source disk.
set -e
source "$builddir/virt-resize"
complete -p virt-resize | grep -q '_guestkit_virt_resize'

source "$srcdir/../tests/functions.sh"
test_tmpdir tmpdir

complete_words () { complete_with _guestkit_virt_resize "$@"; }

# Use the built binary as "virt-resize": the options come from it.
vr="$top_builddir/resize/virt-resize"
[ "$(complete_words "$vr" --align-f)" = "--align-first" ]
[ "$(complete_words "$vr" --no-sp)" = "--no-sparse" ]
complete_words "$vr" -- | grep -qx -- --lv-expand
complete_words "$vr" -- | grep -qx -- --unknown-filesystems
complete_words "$vr" - | grep -qx -- -n
complete_words "$vr" - | grep -qx -- --dry-run

# Values of options with a fixed set of them.
[ "$(complete_words "$vr" --align-first a | sort | tr '\n' ' ')" = \
  "always auto " ]
[ "$(complete_words "$vr" --unknown-filesystems w)" = "warn" ]
complete_words "$vr" --format q | grep -qx qcow2
complete_words "$vr" --output-format r | grep -qx raw

# Positional arguments are files.
(cd "$srcdir" &&
   complete_words "$vr" test-complete-v |
     grep -qx test-complete-virt-resize.sh)

# Partition names come from the source disk (the first positional
# argument), wherever it is on the line.
if command -v sfdisk >/dev/null && command -v partx >/dev/null; then
  disk="$tmpdir/src.img"
  truncate -s 64M "$disk"
  printf 'label: dos\n,8M\n,8M\n,,E\n,8M\n,8M\n' | sfdisk -q "$disk"
  [ "$(complete_words "$vr" "$disk" out.img --expand /dev/sda | tr '\n' ' ')" \
    = "/dev/sda1 /dev/sda2 /dev/sda3 /dev/sda5 /dev/sda6 " ]
  # An option's value is not the disk.
  [ "$(complete_words "$vr" --format "$disk" --expand /dev/sda | wc -w)" = 0 ]
  # The disk typed after the cursor counts too.
  COMP_WORDS=("$vr" --delete /dev/sda "$disk" out.img)
  COMP_CWORD=2
  COMP_LINE="${COMP_WORDS[*]}"
  COMP_POINT=$(( ${#vr} + 18 ))
  COMPREPLY=()
  _guestkit_virt_resize
  [ "${#COMPREPLY[@]}" = 5 ]
  # --resize wants PART=SIZE.
  complete_words "$vr" "$disk" --resize /dev/sda2 | grep -qx '/dev/sda2='
  complete_words "$vr" "$disk" --resize-force sda | grep -qx 'sda6='
  # No disk yet, or not a raw disk: nothing is offered.
  [ "$(complete_words "$vr" --expand /dev/sda | wc -w)" = 0 ]
  : > "$tmpdir/empty.img"
  [ "$(complete_words "$vr" "$tmpdir/empty.img" --expand "" | wc -w)" = 0 ]

  # Domains: libvirt's test driver reads a file, so no daemon is needed.
  # Only shut-off domains are offered; after -d, partitions come from the
  # domain's first disk (not its CD-ROM).
  if command -v virsh >/dev/null; then
    cat > "$tmpdir/node.xml" <<EOF
<node>
  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>off-guest</name>
    <memory>65536</memory>
    <os><type>hvm</type></os>
    <devices>
      <disk type='file' device='cdrom'>
        <source file='$tmpdir/none.iso'/><target dev='hdc'/>
      </disk>
      <disk type='file' device='disk'>
        <source file='$disk'/><target dev='vda'/>
      </disk>
    </devices>
    <test:runstate>5</test:runstate>
  </domain>
  <domain type='test'>
    <name>running-guest</name>
    <memory>65536</memory>
    <os><type>hvm</type></os>
  </domain>
</node>
EOF
    uri="test://$tmpdir/node.xml"
    if virsh -c "$uri" -q list --all --name >/dev/null 2>&1; then
      [ "$(complete_words "$vr" -c "$uri" -d "")" = "off-guest" ]
      [ "$(complete_words "$vr" -c "$uri" -d off-guest out.img \
             --expand /dev/sda | wc -w)" = 5 ]
    else
      echo "$0: libvirt test driver unusable: domain checks skipped"
    fi
  fi
else
  echo "$0: sfdisk or partx missing: partition checks skipped"
fi
echo ok
