# Tab completion shared by every guestkit tool.       -*- shell-script -*-
#
# Not installed on its own: the build puts this file at the top of each
# tool's completion file (see Makefile.am), so every installed file works
# alone when bash-completion loads it lazily, the first time the tool's
# name is completed, and no file depends on where another one lives.
#
# A tool's own part (bash-completion/TOOL.bash) defines
#
#   _guestkit_TOOL () { _guestkit_virt_tools TOOL WRITES [HOOK [OPTION...]]; }
#   complete -F _guestkit_TOOL TOOL
#
#   TOOL     the tool's name, run with --long-options and --short-options
#            (the options come from the binary, so they never drift)
#   WRITES   1 if the tool changes the guest's disks: -d then offers only
#            shut-off domains; 0 if it only reads: every domain
#   HOOK     a function completing the values of the tool's own options,
#            or "": called first; it returns 1 when $prev is none of its
#            options, otherwise it sets the reply with _guestkit_reply or
#            _guestkit_files and returns 0
#   OPTION   the tool's own options that take the next word as their value
#            (the common -a, -c, -d, --format, --key are known here), so a
#            value is never mistaken for a disk
#
# The hook sees these variables: cur (the word being completed, without
# quotes, and without "--opt=" when the value is typed that way), prev
# (the option before it, or "--opt" of "--opt=value"), split (1 in the
# "--opt=value" case), uri (-c), dom (-d), disk (the first -a or
# positional argument, wherever it is on the line, ~ expanded).
#
# Nothing here starts an appliance, and nothing writes to the terminal:
# with no libvirt daemon, -d offers nothing, quietly.  Where an option
# wants a domain, a partition or one of a fixed set of values, file names
# are never offered instead (the tools' completions are registered
# without "-o default" for that reason).

# _guestkit_virsh URI ARG...: run virsh quietly and without waiting for
# anybody: no daemon is started for a session URI, ssh may not prompt,
# and a hung connection is given up after a few seconds.
_guestkit_virsh ()
{
  local uri="$1"
  shift
  command -v virsh >/dev/null 2>&1 || return 0
  case "$uri" in
    *+ssh://*\?*) uri+="&no_tty=1" ;;
    *+ssh://*) uri+="?no_tty=1" ;;
  esac
  local -a timeout=()
  command -v timeout >/dev/null 2>&1 && timeout=(timeout 5)
  LIBVIRT_AUTOSTART=0 "${timeout[@]}" \
    virsh ${uri:+-c "$uri"} -q "$@" </dev/null 2>/dev/null
}

# _guestkit_domains URI WRITES: libvirt domain names, one per line: the
# shut-off ones only for a tool that writes.
_guestkit_domains ()
{
  local state=--all
  [ "$2" = 1 ] && state=--inactive
  _guestkit_virsh "$1" list "$state" --name | sed '/^$/d'
}

# _guestkit_reply WORD...: offer the WORDs that start with $cur, and
# nothing else (never file names).
_guestkit_reply ()
{
  local w
  COMPREPLY=()
  for w in "$@"; do
    [[ "$w" == "$cur"* ]] && COMPREPLY+=("$w")
  done
  reply_kind=words
  return 0
}

# _guestkit_files [-d]: offer file names (readline quotes them and marks
# directories); with -d, directory names only (mountpoints).
_guestkit_files ()
{
  mapfile -t COMPREPLY < <(compgen "${1:--f}" -- "$cur")
  compopt -o filenames 2>/dev/null || :
  reply_kind=files
  return 0
}

# _guestkit_options PROG: the options PROG prints for the word $cur.
_guestkit_options ()
{
  local -a opts=()
  command -v -- "$1" >/dev/null 2>&1 || return 0
  [[ "$cur" == --* ]] ||
    mapfile -t opts < <("$1" --short-options </dev/null 2>/dev/null)
  mapfile -t -O ${#opts[@]} opts < <("$1" --long-options </dev/null 2>/dev/null)
  _guestkit_reply "${opts[@]}"
}

# _guestkit_split STRING: the words of a command line, unquoted, into
# the caller's array "tokens"; "open_quote" is the quote left open at
# its end, if any.  A STRING ending in a blank ends with an empty word:
# the one the cursor is on.
_guestkit_split ()
{
  local s="$1" c w="" q="" inword=0 i
  tokens=()
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    if [ "$q" = "'" ]; then
      if [ "$c" = "'" ]; then q=""; else w+="$c"; fi
    elif [ "$q" = '"' ]; then
      if [ "$c" = '"' ]; then
        q=""
      elif [ "$c" = '\' ] && [[ "${s:i+1:1}" == [\$\`\"\\] ]]; then
        w+="${s:i+1:1}"; ((i++))
      else
        w+="$c"
      fi
    else
      case "$c" in
        [[:blank:]])
          ((inword)) && tokens+=("$w")
          w="" inword=0 ;;
        "'"|'"') q="$c" inword=1 ;;
        '\') w+="${s:i+1:1}" inword=1; ((i++)) ;;
        *) w+="$c" inword=1 ;;
      esac
    fi
  done
  tokens+=("$w")
  open_quote="$q"
}

# _guestkit_virt_tools TOOL WRITES [HOOK [OPTION...]]: complete the
# command line of a guestkit tool (see the top of this file).
_guestkit_virt_tools ()
{
  local tool="$1" writes="$2" hook="${3-}"
  shift $(($# < 3 ? $# : 3))
  local valopts=" -a --add -c --connect -d --domain --format --key $* "
  local cur prev="" word split=0 uri="" dom="" disk="" prog
  local before after open_quote="" reply_kind="" i w cword dashdash=0
  local -a tokens line
  COMPREPLY=()

  # The line is read from COMP_LINE, split on blanks only, so that
  # "qemu:///system" and "--opt=value" stay one word whatever
  # COMP_WORDBREAKS says.  Without COMP_LINE (a direct call), COMP_WORDS
  # stands in for it.
  if [ -n "${COMP_LINE-}" ]; then
    before="${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}"
    after="${COMP_LINE:${COMP_POINT:-${#COMP_LINE}}}"
  else
    before="" after=""
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
      printf -v w '%q' "${COMP_WORDS[i]}"
      if ((i < COMP_CWORD)); then before+="$w "
      elif ((i == COMP_CWORD)); then before+="$w"
      else after+=" $w"
      fi
    done
  fi
  _guestkit_split "$before"
  line=("${tokens[@]}")
  cword=$((${#line[@]} - 1))
  local oq="$open_quote"
  # The rest of the word under the cursor is not part of it.
  _guestkit_split "${after#"${after%%[[:blank:]]*}"}"
  open_quote="$oq"
  [ -z "${tokens[${#tokens[@]}-1]}" ] && unset 'tokens[${#tokens[@]}-1]'
  line+=("${tokens[@]}")

  word="${line[cword]}"
  cur="$word"
  ((cword >= 1)) && prev="${line[cword-1]}"
  if [[ "$cur" == --*=* ]]; then
    prev="${cur%%=*}" cur="${cur#*=}" split=1
  fi

  # Who is who on the line: the libvirt URI, the domain, the disk.  The
  # word being completed is nobody, but it may be an option's value.
  for ((i = 1; i < ${#line[@]}; i++)); do
    w="${line[i]}"
    ((i == cword)) && continue
    if ((dashdash)); then
      [ -n "$disk" ] || disk="$w"
      continue
    fi
    case "$w" in
      --) dashdash=$i ;;
      --connect=*) uri="${w#*=}" ;;
      --domain=*) dom="${w#*=}" ;;
      --add=*) [ -n "$disk" ] || disk="${w#*=}" ;;
      -c?*) uri="${w#-c}" ;;
      -d?*) dom="${w#-d}" ;;
      -a?*) [ -n "$disk" ] || disk="${w#-a}" ;;
      --*=*) ;;
      -*)
        if [[ "$valopts" == *" $w "* ]]; then
          ((i++))
          ((i == cword)) && continue
          case "$w" in
            -c|--connect) uri="${line[i]}" ;;
            -d|--domain) dom="${line[i]}" ;;
            -a|--add) [ -n "$disk" ] || disk="${line[i]}" ;;
          esac
        fi ;;
      *) [ -n "$disk" ] || disk="$w" ;;
    esac
  done
  disk="${disk/#\~/$HOME}"

  if ((dashdash && dashdash < cword)); then
    # After "--", every word is a file.
    _guestkit_files
  elif { [ -n "$hook" ] && "$hook"; } || _guestkit_common_values; then
    :
  elif ((split)); then
    # --opt=value of an option nobody knows how to complete.
    _guestkit_reply
  elif [[ "$cur" == -* ]]; then
    # The binary on the line (it may be a path), else the installed one.
    prog="${line[0]/#\~/$HOME}"
    command -v -- "$prog" >/dev/null 2>&1 || prog="$tool"
    _guestkit_options "$prog"
  else
    _guestkit_files
  fi

  # Readline replaces only what follows the last COMP_WORDBREAKS
  # character of the word (the ':' of "qemu:///", the '=' of "--opt="),
  # or what follows an open quote: cut the replies to match.  Words
  # other than file names are quoted here; readline quotes file names
  # itself.
  if [ "$reply_kind" = words ]; then
    local pre="" full
    ((split)) && pre="${word%%=*}="
    # In an open quote, readline's word starts at the quote.
    local cutn=${#pre}
    if [ -z "$open_quote" ]; then
      for ((i = ${#word} - 1; i >= 0; i--)); do
        w="${word:i:1}"
        if [[ "$w" != [\"\'[:blank:]] && "${COMP_WORDBREAKS-}" == *"$w"* ]]
        then
          cutn=$((i + 1))
          break
        fi
      done
    fi
    for ((i = 0; i < ${#COMPREPLY[@]}; i++)); do
      full="$pre${COMPREPLY[i]}"
      w="${full:cutn}"
      [ -z "$open_quote" ] && printf -v w '%q' "$w"
      COMPREPLY[i]="$w"
    done
  fi
  return 0
}

# _guestkit_writes_on_line DEFAULT: 1 if the line asks for read-write
# access (-w/--rw), 0 for read-only (-r/--ro), the last one winning;
# DEFAULT when neither is there.
_guestkit_writes_on_line ()
{
  local w rw="$1"
  for w in "${line[@]}"; do
    case "$w" in
      -w|--rw) rw=1 ;;
      -r|--ro) rw=0 ;;
    esac
  done
  echo "$rw"
}

# _guestkit_disk_partitions: the partitions of $disk (a local raw
# image) as libguestfs names them (/dev/sda1), one per line.
_guestkit_disk_partitions ()
{
  [ -n "$disk" ] && [ -r "$disk" ] || return 0
  partx -g -o NR -- "$disk" 2>/dev/null | awk '{ print "/dev/sda" $1 }'
}

# The values of the options every tool has (lib/options).
_guestkit_common_values ()
{
  case "$prev" in
    -d|--domain)
      local -a doms
      mapfile -t doms < <(_guestkit_domains "$uri" "$writes")
      _guestkit_reply "${doms[@]}" ;;
    -c|--connect)
      _guestkit_reply qemu:///system qemu:///session \
        ${LIBVIRT_DEFAULT_URI:+"$LIBVIRT_DEFAULT_URI"} ;;
    -a|--add)
      _guestkit_files ;;
    --format)
      _guestkit_reply auto raw qcow2 vmdk vdi vhdx vpc qed ;;
    --key)
      # DEVICE:key:PASSPHRASE, DEVICE:file:FILE...: nothing to guess.
      _guestkit_reply ;;
    --machine-readable)
      if ((split)); then
        case "$cur" in
          file:*) cur="${cur#file:}"; _guestkit_files ;;
          *)
            _guestkit_reply stream:stdout stream:stderr fd: file:
            # "fd:N", "file:PATH": the rest follows without a blank.
            [[ ${#COMPREPLY[@]} = 1 && "${COMPREPLY[0]}" == *: ]] &&
              { compopt -o nospace 2>/dev/null || :; } ;;
        esac
      else
        return 1
      fi ;;
    *) return 1 ;;
  esac
  return 0
}
