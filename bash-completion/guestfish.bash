
# guestfish: read-write unless --ro (or -r) is on the line, so -d offers
# shut-off domains only, and every domain with --ro.  After the options,
# the first word and each word after a ":" is a command (the names come
# from "guestfish -h", so they are those of the installed libguestfs);
# the other words are files.  --remote=PID offers the PIDs of the
# guestfish --listen servers of this user (their sockets); after
# "--remote " comes a command.

_guestkit_guestfish_values ()
{
  local w i command_word=1 prog parts
  if ((split)) && [ "$prev" = --remote ]; then
    local -a pids=()
    for w in "/tmp/.guestfish-$EUID"/socket-*; do
      [ -S "$w" ] && pids+=("${w##*/socket-}")
    done
    _guestkit_reply "${pids[@]}"
    return 0
  fi
  case "$prev" in
    -d|--domain)
      local -a doms
      mapfile -t doms < <(_guestkit_domains "$uri" \
                            "$(_guestkit_writes_on_line 1)")
      _guestkit_reply "${doms[@]}" ;;
    -f|--file) _guestkit_files ;;
    -m|--mount)
      mapfile -t parts < <(_guestkit_disk_partitions)
      _guestkit_reply "${parts[@]}" ;;
    -N|--new) _guestkit_reply ;;
    *)
      ((split)) && return 1
      case " -a --add -c --connect --format --key --blocksize " in
        *" $prev "*) return 1 ;;
      esac
      # Is the word a command name: the first word after the options,
      # or the first after a ":"?
      local started=0
      for ((i = 1; i < cword; i++)); do
        w="${line[i]}"
        if ((!started)); then
          case "$w" in
            -a|--add|-c|--connect|-d|--domain|--format|--key|-f|--file|\
            -m|--mount|-N|--new) ((i++)); continue ;;
            -*) continue ;;
          esac
          started=1
        fi
        if [ "$w" = : ]; then command_word=1; else command_word=0; fi
      done
      if ((command_word)) && [[ "$cur" != -* ]]; then
        prog="${line[0]/#\~/$HOME}"
        command -v -- "$prog" >/dev/null 2>&1 || prog=guestfish
        local -a cmds
        mapfile -t cmds < <("$prog" -h </dev/null 2>/dev/null |
                              awk '{ print $1 }')
        _guestkit_reply "${cmds[@]}"
        return 0
      fi
      return 1 ;;
  esac
  return 0
}

_guestkit_guestfish ()
{
  _guestkit_virt_tools guestfish 1 _guestkit_guestfish_values \
    -f --file -m --mount -N --new
}
complete -F _guestkit_guestfish guestfish
