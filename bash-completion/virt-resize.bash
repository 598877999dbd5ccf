
# virt-resize: writes, so -d offers shut-off domains only (it refuses
# running ones).  Partition names are read from the source disk's table
# with partx, which is instant.

# The first disk of a libvirt domain (the one virt-resize resizes).
_guestkit_domain_first_disk ()
{
  _guestkit_virsh "$1" domblklist --details -- "$2" |
    awk '$2 == "disk" && $4 != "-" {
           sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]+[^ \t]+[ \t]+/, "")
           print; exit
         }'
}

# Partitions of a local disk as virt-resize names them (/dev/sda1,
# logical ones /dev/sda5 and up).  Only raw files and block devices can
# be read this cheaply; for other formats nothing is offered.
_guestkit_disk_partitions ()
{
  local disk="$1"
  [ -r "$disk" ] && { [ -f "$disk" ] || [ -b "$disk" ]; } || return 0
  partx -g -o NR -- "$disk" 2>/dev/null | awk '{ print "/dev/sda" $1 }'
}

_guestkit_virt_resize_values ()
{
  local src="$disk" parts
  case "$prev" in
    --output-format)
      _guestkit_reply raw qcow2 vmdk vdi vhdx vpc qed ;;
    --align-first)
      _guestkit_reply auto never always ;;
    --unknown-filesystems)
      _guestkit_reply ignore warn error ;;
    --alignment)
      _guestkit_reply 1 128 2048 ;;
    --expand|--shrink|--delete|--ignore|--resize|--resize-force)
      [ -n "$dom" ] && src="$(_guestkit_domain_first_disk "$uri" "$dom")"
      parts=()
      [ -n "$src" ] && mapfile -t parts < <(_guestkit_disk_partitions "$src")
      # "sda1" is accepted as well as "/dev/sda1": follow what is typed.
      [[ "$cur" == s* ]] && parts=("${parts[@]#/dev/}")
      case "$prev" in
        --resize|--resize-force)
          # PART=SIZE: stop after the '=' so the size can be typed.
          _guestkit_reply "${parts[@]/%/=}"
          compopt -o nospace 2>/dev/null || : ;;
        *)
          _guestkit_reply "${parts[@]}" ;;
      esac ;;
    --lv-expand|--LV-expand|--lvexpand|--LVexpand)
      # Logical volume names would need the LVM metadata read: no guess.
      _guestkit_reply ;;
    *) return 1 ;;
  esac
  return 0
}

_guestkit_virt_resize ()
{
  _guestkit_virt_tools virt-resize 1 _guestkit_virt_resize_values \
    --align-first --alignment --delete --expand --ignore --lv-expand \
    --LV-expand --lvexpand --LVexpand --output-format --resize \
    --resize-force --shrink --unknown-filesystems
}
complete -F _guestkit_virt_resize virt-resize
