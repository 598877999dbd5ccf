
# guestmount-all: read-only unless --rw (or -w) is on the line, so -d
# offers every domain, and only shut-off ones with --rw (writing to a
# running guest's disks would corrupt them).  The one positional
# argument is the mountpoint: directories.

# _guestkit_fuse_options: the -o values worth offering (--fuse-help
# lists them all).
_guestkit_fuse_options ()
{
  _guestkit_reply allow_other allow_root default_permissions \
    kernel_cache auto_cache direct_io use_ino readdir_ino \
    attr_timeout= entry_timeout= negative_timeout= uid= gid= umask= \
    max_read= fsname= subtype=
  [[ ${#COMPREPLY[@]} = 1 && "${COMPREPLY[0]}" == *= ]] &&
    { compopt -o nospace 2>/dev/null || :; }
  return 0
}

_guestkit_guestmount_all_values ()
{
  local parts
  case "$prev" in
    -d|--domain)
      local -a doms
      mapfile -t doms < <(_guestkit_domains "$uri" \
                            "$(_guestkit_writes_on_line 0)")
      _guestkit_reply "${doms[@]}" ;;
    -o|--option) _guestkit_fuse_options ;;
    --pid-file) _guestkit_files ;;
    --fd|--dir-cache-timeout) _guestkit_reply ;;
    -m|--mount)
      mapfile -t parts < <(_guestkit_disk_partitions)
      _guestkit_reply "${parts[@]}" ;;
    *)
      # A word that is no option's value is the mountpoint.
      [[ "$cur" == -* ]] && return 1
      case " -a --add -c --connect --format --key " in
        *" $prev "*) return 1 ;;
      esac
      ((split)) && return 1
      _guestkit_files -d ;;
  esac
  return 0
}

_guestkit_guestmount_all ()
{
  _guestkit_virt_tools guestmount-all 0 _guestkit_guestmount_all_values \
    --dir-cache-timeout --fd -m --mount -o --option --pid-file
}
complete -F _guestkit_guestmount_all guestmount-all
