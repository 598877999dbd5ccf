
# virt-sparsify: writes (copy mode reads, but --in-place writes the
# domain's disks), so -d offers shut-off domains only.  Filesystem
# names for --zero and --ignore would need the guest's LVM metadata
# read: partitions of the first disk are offered, as virt-resize does.

# Partitions of a local raw disk as libguestfs names them (/dev/sda1).
_guestkit_sparsify_partitions ()
{
  local disk="$1"
  [ -r "$disk" ] && { [ -f "$disk" ] || [ -b "$disk" ]; } || return 0
  partx -g -o NR -- "$disk" 2>/dev/null | awk '{ print "/dev/sda" $1 }'
}

_guestkit_virt_sparsify_values ()
{
  local parts
  case "$prev" in
    --convert)
      _guestkit_reply raw qcow2 vmdk vdi vhdx vpc qed ;;
    --check-tmpdir)
      _guestkit_reply ignore continue warn fail ;;
    --compress)
      # Only as --compress=zlib|zstd: a bare --compress takes no value.
      ((split)) || return 1
      _guestkit_reply zlib zstd ;;
    --tmp)
      # A directory, a block device or prebuilt:FILE.
      if [[ "$cur" == prebuilt:* ]]; then
        local c="${cur#prebuilt:}"
        mapfile -t COMPREPLY < <(compgen -f -- "$c")
        COMPREPLY=("${COMPREPLY[@]/#/prebuilt:}")
      else
        _guestkit_files
      fi ;;
    --zero|--ignore)
      parts=()
      [ -n "$disk" ] &&
        mapfile -t parts < <(_guestkit_sparsify_partitions "$disk")
      _guestkit_reply "${parts[@]}" ;;
    -o) _guestkit_reply ;;
    *) return 1 ;;
  esac
  return 0
}

_guestkit_virt_sparsify ()
{
  _guestkit_virt_tools virt-sparsify 1 _guestkit_virt_sparsify_values \
    --check-tmpdir --convert --ignore -o --tmp --zero
}
complete -F _guestkit_virt_sparsify virt-sparsify
