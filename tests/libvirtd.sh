# guestkit test harness: a libvirt daemon per test, and throw-away test
# domains.
#
# Sourced by functions.sh (it uses cleanup_fn from there).
#
#   requires start_libvirtd            # skip unless a daemon can start
#   define_test_domain foo disk.img    # sets $test_domain=gktest-foo-PID
#   define_test_domain bar a.qcow2 qcow2 b.img raw
#   virsh -c "$GUESTKIT_TEST_LIBVIRT_URI" ...
#
# Each test gets a qemu:///system daemon of its own, with its own socket
# and state: tests running in parallel (and the machine's own libvirtd,
# if any) never see each other's domains, so "every domain" means the
# test's domains, and nothing is left defined on the machine.  Domains
# are defined, never started.  Set GUESTKIT_TEST_LIBVIRT_URI beforehand
# to use an existing daemon instead (shared: domains are then named
# gktest-NAME-PID, and those of killed tests are swept by the next
# define).

# _gk_virsh ARGS...
_gk_virsh ()
{
  virsh -q -c "$GUESTKIT_TEST_LIBVIRT_URI" "$@"
}

# start_libvirtd: make sure this test has a daemon answering on
# $GUESTKIT_TEST_LIBVIRT_URI (exported), starting a private one if the
# variable is unset.  Returns 1 if it cannot.  Call it in the test's own
# shell: the daemon is stopped when the test exits.
start_libvirtd ()
{
  local dir i pid
  if [ -n "${GUESTKIT_TEST_LIBVIRT_URI:-}" ]; then
    if _gk_virsh uri >/dev/null 2>&1; then
      return 0
    fi
    echo "start_libvirtd: nothing answers on $GUESTKIT_TEST_LIBVIRT_URI" >&2
    return 1
  fi
  if [ "$(id -u)" -ne 0 ] || ! command -v libvirtd >/dev/null ||
     ! command -v unshare >/dev/null; then
    echo "start_libvirtd: need root, libvirtd" \
         "(apt-get install libvirt-daemon-system) and unshare" >&2
    return 1
  fi
  _gk_libvirtd_prepare || return 1
  # In /run, not under the build tree: a socket path must fit in 108
  # bytes.
  dir="$(mktemp -d /run/gk-libvirtd.XXXXXX)" || return 1
  echo $$ > "$dir/owner"
  cat > "$dir/libvirtd.conf" <<EOF
# guestkit test harness: a private daemon (tests/libvirtd.sh).
unix_sock_dir = "$dir"
unix_sock_ro_perms = "0700"
unix_sock_rw_perms = "0700"
auth_unix_ro = "none"
auth_unix_rw = "none"
EOF
  # A private mount namespace with empty tmpfs over libvirt's fixed
  # state and configuration directories: the daemon sees no other
  # daemon's domains, networks or hooks, and its own vanish with it.
  # It dies with this shell, even if the test is killed (pdeathsig).
  setpriv --pdeathsig TERM \
    unshare --mount --propagation private -- /bin/sh -c '
      for d in /etc/libvirt /run/libvirt /var/lib/libvirt \
               /var/cache/libvirt /var/log/libvirt; do
        mkdir -p "$d" &&
          mount -t tmpfs -o mode=0755 gk-libvirtd "$d" || exit 1
      done
      exec libvirtd -f "$1/libvirtd.conf" -p "$1/libvirtd.pid"
    ' gk-libvirtd "$dir" </dev/null > "$dir/libvirtd.log" 2>&1 &
  pid=$!
  cleanup_fn _gk_stop_libvirtd "$pid" "$dir"
  GUESTKIT_TEST_LIBVIRT_URI="qemu:///system?socket=$dir/libvirt-sock"
  export GUESTKIT_TEST_LIBVIRT_URI
  for (( i = 0; i < 300; ++i )); do
    _gk_virsh uri >/dev/null 2>&1 && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  echo "start_libvirtd: the private libvirtd does not answer:" >&2
  tail -n 20 "$dir/libvirtd.log" >&2
  return 1
}

# _gk_libvirtd_prepare: what the package's postinst normally provides
# (the qemu driver will not start without its user), once per machine,
# and the directories of daemons whose tests were killed.
_gk_libvirtd_prepare ()
{
  local d owner
  # Not /run/guestkit-test-libvirtd.lock: older harnesses ran
  # `libvirtd -d` holding that one, and the daemon kept it locked.
  (
    flock -w 60 9 || exit 1
    getent group kvm >/dev/null || groupadd -r kvm
    getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
    getent group libvirt >/dev/null || groupadd -r libvirt
    getent passwd libvirt-qemu >/dev/null ||
      useradd -r -g libvirt-qemu -G kvm -d /var/lib/libvirt \
              -s /usr/sbin/nologin libvirt-qemu
  ) 9> /run/guestkit-test-libvirtd-users.lock || return 1
  for d in /run/gk-libvirtd.*; do
    [ -f "$d/owner" ] || continue
    owner="$(cat "$d/owner" 2>/dev/null)" || continue
    if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
      rm -rf "$d"
    fi
  done
}

# _gk_stop_libvirtd PID DIR: stop a private daemon and remove its
# directory (a cleanup_fn).
_gk_stop_libvirtd ()
{
  local i
  kill -TERM "$1" 2>/dev/null
  for (( i = 0; i < 100; ++i )); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  rm -rf "$2"
}

# _gk_xml_escape STRING
_gk_xml_escape ()
{
  local s="$1"
  s="${s//&/&amp;}"
  s="${s//</&lt;}"
  s="${s//>/&gt;}"
  s="${s//\'/&apos;}"
  s="${s//\"/&quot;}"
  printf '%s' "$s"
}

# undefine_stale_test_domains: remove gktest-*-PID domains whose test
# process is gone.
undefine_stale_test_domains ()
{
  local dom pid
  for dom in $(_gk_virsh list --all --name 2>/dev/null); do
    case "$dom" in
      gktest-*-[0-9]*)
        pid="${dom##*-}"
        if [ -n "$pid" ] && [ "${pid//[0-9]/}" = "" ] &&
           ! kill -0 "$pid" 2>/dev/null; then
          _gk_virsh undefine "$dom" >/dev/null 2>&1 || :
        fi
        ;;
    esac
  done
}

# undefine_test_domain NAME: undefine a domain (full name), ignoring a
# domain that is already gone.
undefine_test_domain ()
{
  _gk_virsh undefine "$1" >/dev/null 2>&1 || :
}

# define_test_domain NAME DISK [FORMAT] [DISK2 [FORMAT2]...]
# Defines gktest-NAME-$$ (type qemu, never started) with the disks as
# vda, vdb, ... (format raw unless given; a FORMAT follows its disk).
# Sets $test_domain to the full name and undefines it at exit.  Call it
# in the test's own shell, not inside $(...).
define_test_domain ()
{
  local name="gktest-$1-$$" xml disk format letters=abcdefghijklmnop i=0
  shift
  if [ $# -lt 1 ]; then
    echo "usage: define_test_domain NAME DISK [FORMAT] [DISK2...]" >&2
    return 1
  fi
  undefine_stale_test_domains
  xml="$(mktemp "${TMPDIR:-/tmp}/gktest-domain.XXXXXX")"
  {
    echo "<domain type='qemu'>"
    echo "  <name>$(_gk_xml_escape "$name")</name>"
    echo "  <memory unit='MiB'>512</memory>"
    echo "  <vcpu>1</vcpu>"
    echo "  <os><type arch='x86_64' machine='pc'>hvm</type></os>"
    echo "  <devices>"
    while [ $# -gt 0 ]; do
      disk="$(realpath "$1")"
      shift
      format=raw
      case "${1:-}" in
        raw|qcow2|vmdk|vdi|vpc|vhdx|qed) format="$1"; shift ;;
      esac
      echo "    <disk type='file' device='disk'>"
      echo "      <driver name='qemu' type='$format'/>"
      echo "      <source file='$(_gk_xml_escape "$disk")'/>"
      echo "      <target dev='vd${letters:i:1}' bus='virtio'/>"
      echo "    </disk>"
      i=$((i + 1))
    done
    echo "  </devices>"
    echo "</domain>"
  } > "$xml"
  if ! _gk_virsh define "$xml" >/dev/null; then
    echo "define_test_domain: virsh define failed for:" >&2
    cat "$xml" >&2
    rm -f "$xml"
    return 1
  fi
  rm -f "$xml"
  cleanup_fn undefine_test_domain "$name"
  test_domain="$name"
}

# test_driver_node FILE DOMAIN...: a node description for libvirt's test
# driver, for -c test://FILE (no daemon, nothing started: how tests see
# a running domain).  Each DOMAIN is NAME:STATE[:DISK[:FORMAT]]: STATE
# is "running" or "shutoff"; DISK a file it uses (FORMAT: raw unless
# given).
test_driver_node ()
{
  local file="$1" spec name state disk format
  shift
  {
    echo "<node>"
    for spec in "$@"; do
      IFS=: read -r name state disk format <<< "$spec"
      echo "  <domain type='test'" \
           "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
      echo "    <name>$name</name>"
      echo "    <memory>524288</memory>"
      echo "    <os><type>hvm</type></os>"
      if [ -n "$disk" ]; then
        echo "    <devices><disk type='file' device='disk'>"
        echo "      <driver name='qemu' type='${format:-raw}'/>"
        echo "      <source file='$disk'/><target dev='vda' bus='virtio'/>"
        echo "    </disk></devices>"
      fi
      case "$state" in
        running) ;;
        shutoff) echo "    <test:runstate>5</test:runstate>" ;;
        *) echo "test_driver_node: $spec: unknown state" >&2; return 1 ;;
      esac
      echo "  </domain>"
    done
    echo "</node>"
  } > "$file"
}
