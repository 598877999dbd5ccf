
# guestunmount: its one argument is a FUSE mountpoint, offered from the
# kernel's table of mounts (a dead mount is one too).

# _guestkit_fuse_mounts: the FUSE mountpoints, one per line.
_guestkit_fuse_mounts ()
{
  awk '{
    for (i = 7; i <= NF && $i != "-"; i++) ;
    if ($(i + 1) ~ /^fuse(blk)?(\.|$)/) {
      m = $5
      gsub(/\\040/, " ", m); gsub(/\\011/, "\t", m); gsub(/\\134/, "\\", m)
      print m
    }
  }' "${GUESTKIT_MOUNTINFO:-/proc/self/mountinfo}" 2>/dev/null
}

_guestkit_guestunmount_values ()
{
  case "$prev" in
    --fd|--retry) _guestkit_reply ;;
    *)
      [[ "$cur" == -* ]] && return 1
      local -a mps
      mapfile -t mps < <(_guestkit_fuse_mounts)
      _guestkit_reply "${mps[@]}" ;;
  esac
  return 0
}

_guestkit_guestunmount ()
{
  _guestkit_virt_tools guestunmount 0 _guestkit_guestunmount_values \
    --fd --retry
}
complete -F _guestkit_guestunmount guestunmount
