#!/bin/bash
# The completion function every tool shares (virt-tools.bash), through
# fake tools: options from the binary, -d from libvirt (shut-off domains
# only for a tool that writes), never file names where a domain or a
# fixed value is wanted, nothing and no noise without libvirt, the disk
# found anywhere on the line, quoting, COMP_WORDBREAKS.  Then each
# generated file alone, as bash-completion loads it lazily.
set -e
source "$srcdir/virt-tools.bash"

source "$srcdir/../tests/functions.sh"
test_tmpdir tmpdir

# Two fake tools: one that writes, one that reads.
for t in virt-fakew virt-fakero; do
  cat > "$tmpdir/$t" <<'EOF'
#!/bin/sh
case "$1" in
  --long-options) printf '%s\n' --add --colour --connect --disk-of \
                    --domain --format --fruit --machine-readable ;;
  --short-options) printf '%s\n' -a -c -d -v ;;
esac
EOF
  chmod +x "$tmpdir/$t"
done
# The hook: --fruit has fixed values; --disk-of shows what the shared
# function found as the disk.
_fake_values ()
{
  case "$prev" in
    --fruit) _guestkit_reply apple apricot banana ;;
    --disk-of) _guestkit_reply "$disk" ;;
    *) return 1 ;;
  esac
}
_guestkit_virt_fakew ()
{
  _guestkit_virt_tools virt-fakew 1 _fake_values --fruit
}
_guestkit_virt_fakero ()
{
  _guestkit_virt_tools virt-fakero 0 _fake_values
}
complete -F _guestkit_virt_fakew virt-fakew

# compopt only works inside a real completion: record what is asked.
compopt () { printf '%s\n' "$*" >> "$tmpdir/compopt"; }

# complete FUNCTION LINE: the replies for LINE with the cursor at its
# end, one per line, as bash would call FUNCTION.
complete_line () {
  local fn="$1"
  COMP_LINE="$2"
  COMP_POINT=${#COMP_LINE}
  COMP_WORDS=() COMP_CWORD=0
  COMPREPLY=()
  : > "$tmpdir/compopt"
  "$fn" 2> "$tmpdir/stderr"
  if [ -s "$tmpdir/stderr" ]; then
    echo "noise on stderr completing '$2':" >&2
    cat "$tmpdir/stderr" >&2
    return 1
  fi
  [ ${#COMPREPLY[@]} = 0 ] || printf '%s\n' "${COMPREPLY[@]}"
}
w () { complete_line _guestkit_virt_fakew "$tmpdir/virt-fakew $1"; }
r () { complete_line _guestkit_virt_fakero "$tmpdir/virt-fakero $1"; }
# expect GOT EXPECTED
expect () { assert_eq "completion" "$2" "$1"; }
words () { tr '\n' ' ' | sed 's/ $//'; }

# Registered without "-o default": no file names behind an empty reply.
complete -p virt-fakew | grep -q -- '-F _guestkit_virt_fakew virt-fakew$'
complete -p virt-fakew | grep -vq -- '-o default'

# Options come from the binary.
expect "$(w --fr)" "--fruit"
expect "$(w - | words)" "-a -c -d -v --add --colour --connect --disk-of \
--domain --format --fruit --machine-readable"
expect "$(w --co | words)" "--colour --connect"
expect "$(w -- | wc -l)" 8
# An option's value, typed after a blank or after '='.
expect "$(w '--fruit ap' | words)" "apple apricot"
expect "$(w '--fruit=b')" "banana"
expect "$(w '--format q' | words)" "qcow2 qed"
expect "$(w '--format=r')" "raw"
expect "$(w '--machine-readable=stream:o')" ""
expect "$(w '--machine-readable=str' | words)" "stream:stdout stream:stderr"
expect "$(w '--machine-readable=f' | words)" "fd: file:"
# After "--machine-readable " (no '=') comes the next argument: a file.
cd "$tmpdir"
: > guest-disk.img
expect "$(w '--machine-readable guest-d')" "guest-disk.img"
# An unknown --opt=value: nothing, not files.
expect "$(w '--weird=guest-d')" ""
# Readline replaces only what follows the last ':' (or '=') of the word.
expect "$(w '--machine-readable=stream:stde')" "stderr"
expect "$(w '-c qemu:///se')" "///session"
expect "$(w '--connect=qemu:///sy')" "///system"
expect "$(w '-c "qemu:///sy')" "qemu:///system"
expect "$(w '--format="qc')" "qcow2"

# Files where files are wanted: -a and positional arguments, marked for
# readline so it quotes them and adds the '/' of directories.
expect "$(w '-a guest-d')" "guest-disk.img"
grep -qx -- '-o filenames' "$tmpdir/compopt"
expect "$(w 'guest-d')" "guest-disk.img"
expect "$(w '-- -')" ""
mkdir "$tmpdir/a dir"
: > "$tmpdir/a dir/disk 1.img"
expect "$(w "'$tmpdir/a dir/di")" "$tmpdir/a dir/disk 1.img"
expect "$(w "$tmpdir/a\\ dir/di")" "$tmpdir/a dir/disk 1.img"

# The disk is the first -a or positional argument, wherever it is on the
# line; an option's value is not the disk; ~ is expanded.
expect "$(w 'in.img out.img --disk-of ""')" "in.img"
expect "$(w '--fruit apple in.img --disk-of ""')" "in.img"
expect "$(r '--fruit apple in.img --disk-of ""')" "apple"
expect "$(w '-a ~/x.img --disk-of ""')" "$(printf '%q' "$HOME/x.img")"
expect "$(w '--add=one.img -a two.img --disk-of ""')" "one.img"
# After "--", no word is an option, and the cursor's word is a file.
expect "$(w '-- --fr')" ""
expect "$(w '-- --disk-of g')" "guest-disk.img"
expect "$(w '"my disk.img" --disk-of ""')" 'my\ disk.img'
# ... also after the cursor (the rest of the word under it is ignored).
COMP_LINE="virt-fakew --disk-of  later.img"
COMP_POINT=$(( ${#COMP_LINE} - 10 ))
COMPREPLY=()
_guestkit_virt_fakew
expect "${COMPREPLY[*]}" "later.img"
COMP_LINE="virt-fakew --format raw --disk-of  -- -odd.img --fruit"
COMP_POINT=$(( ${#COMP_LINE} - 20 ))
COMPREPLY=()
_guestkit_virt_fakew
expect "${COMPREPLY[*]}" "-odd.img"
# A direct call with COMP_WORDS only (no COMP_LINE) works too.
unset COMP_LINE COMP_POINT
COMP_WORDS=(virt-fakew --fruit ap) COMP_CWORD=2 COMPREPLY=()
_guestkit_virt_fakew
expect "${COMPREPLY[*]}" "apple apricot"

# Domains, from a fake virsh that says how it was called.
mkdir "$tmpdir/bin"
cat > "$tmpdir/bin/virsh" <<EOF
#!/bin/sh
echo "AUTOSTART=\$LIBVIRT_AUTOSTART \$*" >> "$tmpdir/virsh.calls"
printf '%s\n' alpha 'my guest' ''
EOF
chmod +x "$tmpdir/bin/virsh"
PATH="$tmpdir/bin:$PATH"
expect "$(w '-d ""' | words)" 'alpha my\ guest'
expect "$(tail -1 "$tmpdir/virsh.calls")" \
  "AUTOSTART=0 -q list --inactive --name"
expect "$(r '-c test:///default --domain my' | words)" 'my\ guest'
expect "$(tail -1 "$tmpdir/virsh.calls")" \
  "AUTOSTART=0 -c test:///default -q list --all --name"
expect "$(r '--connect=qemu+ssh://h/system -d=x --domain ""' | wc -l)" 2
expect "$(tail -1 "$tmpdir/virsh.calls")" \
  "AUTOSTART=0 -c qemu+ssh://h/system?no_tty=1 -q list --all --name"
expect "$(r '-d "my g')" "my guest"

# A virsh that fails noisily, and no virsh at all: nothing is offered
# (not file names) and nothing is printed.
cat > "$tmpdir/bin/virsh" <<'EOF'
#!/bin/sh
echo "error: failed to connect to the hypervisor" >&2
exit 1
EOF
: > "$tmpdir/d1.img"
expect "$(w '-d d')" ""
expect "$(r '--domain=d')" ""
mkdir "$tmpdir/nobin"
ln -s "$(command -v sed)" "$tmpdir/nobin/sed"
expect "$(PATH="$tmpdir/nobin" w '-d d')" ""
rm "$tmpdir/bin/virsh"
# Fixed values and option names are never file names either.
: > "$tmpdir/qfile"
expect "$(w '--format qf')" ""
expect "$(w '--fruit q')" ""
expect "$(w '--no-such-opt')" ""

# The real virsh: libvirt's test driver reads a file, so no daemon is
# needed; a socket nobody listens on stands for a host without libvirtd.
if command -v virsh >/dev/null; then
  # One domain per NAME:RUNSTATE (1 running, 3 paused, 5 shut off).
  {
    echo "<node>"
    for d in off-guest:5 running-guest:1 paused-guest:3; do
      printf "<domain type='test' xmlns:test='%s'><name>%s</name>" \
        http://libvirt.org/schemas/domain/test/1.0 "${d%:*}"
      printf "<memory>65536</memory><os><type>hvm</type></os>"
      printf "<test:runstate>%s</test:runstate></domain>\n" "${d#*:}"
    done
    echo "</node>"
  } > "$tmpdir/node.xml"
  uri="test://$tmpdir/node.xml"
  if virsh -c "$uri" -q list --all --name >/dev/null 2>&1; then
    expect "$(w "-c $uri -d ''")" "off-guest"
    expect "$(r "-c $uri -d ''" | sort | words)" \
      "off-guest paused-guest running-guest"
  else
    echo "$0: libvirt test driver unusable: its checks skipped"
  fi
  start=$SECONDS
  expect "$(r "-c qemu+unix:///system?socket=$tmpdir/none -d ''")" ""
  expect "$(LIBVIRT_DEFAULT_URI="qemu+unix:///system?socket=$tmpdir/none" \
              w "-d ''")" ""
  [ $((SECONDS - start)) -lt 10 ]
fi

# Each generated file works alone, as bash-completion loads it (in a
# fresh shell, with nothing else sourced); both may be loaded together.
for t in virt-df virt-resize; do
  env -i PATH="$PATH" HOME="$HOME" bash --norc --noprofile -c '
    source "$1"
    complete -p "$2" | grep -q -- "-F _guestkit_${2//-/_} $2\$"
    COMP_LINE="$2 --he" COMP_POINT=${#COMP_LINE}
    "_guestkit_${2//-/_}"' _ "$builddir/$t" "$t"
done
bash --norc --noprofile -c 'source "$1"; source "$2"
  complete -p virt-df virt-resize >/dev/null' _ \
  "$builddir/virt-df" "$builddir/virt-resize"

# With bash-completion itself, when it is installed: the files are found
# by the tool's name in a completions directory and loaded on demand.
bc=/usr/share/bash-completion/bash_completion
if [ -r "$bc" ]; then
  mkdir -p "$tmpdir/user/completions"
  cp "$builddir/virt-df" "$builddir/virt-resize" "$tmpdir/user/completions/"
  out="$(BASH_COMPLETION_USER_DIR="$tmpdir/user" \
    bash --norc --noprofile -i -c '
      source "$1" 2>/dev/null
      loader=__load_completion
      declare -F _comp_load >/dev/null && loader=_comp_load
      "$loader" virt-resize && complete -p virt-resize
      declare -F _guestkit_virt_tools >/dev/null && echo shared' _ "$bc" 2>&1)"
  echo "$out" | grep -q -- '-F _guestkit_virt_resize virt-resize'
  echo "$out" | grep -qx shared
else
  echo "$0: bash-completion not installed: lazy loading not checked"
fi
echo ok
