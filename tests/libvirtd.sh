# guestkit test harness: a libvirt daemon and throw-away test domains.
#
# Sourced by functions.sh (it uses cleanup_fn from there).
#
#   requires start_libvirtd            # skip unless libvirtd answers
#   define_test_domain foo disk.img    # sets $test_domain=gktest-foo-PID
#   define_test_domain bar a.qcow2 qcow2 b.img raw
#
# Domains are defined, never started, on qemu:///system, named
# gktest-NAME-PID so that parallel tests (and parallel build trees) do
# not collide; each is undefined when its test exits.  Domains left by a
# killed test (its PID gone) are swept by the next define.

: "${GUESTKIT_TEST_LIBVIRT_URI:=qemu:///system}"
export GUESTKIT_TEST_LIBVIRT_URI

_gk_virsh ()
{
  virsh -q -c "$GUESTKIT_TEST_LIBVIRT_URI" "$@"
}

# start_libvirtd: make sure a daemon answers on qemu:///system, starting
# `libvirtd -d` if needed (the machine may not run systemd, so nothing
# else will).  Returns 1 if it cannot.
start_libvirtd ()
{
  local i
  if _gk_virsh uri >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] || ! command -v libvirtd >/dev/null; then
    echo "start_libvirtd: need root and libvirtd" \
         "(apt-get install libvirt-daemon-system)" >&2
    return 1
  fi
  (
    # Only one test starts the daemon; the others wait here.
    flock 9
    _gk_virsh uri >/dev/null 2>&1 && exit 0
    # What the package's postinst and systemd units normally provide.
    getent group kvm >/dev/null || groupadd -r kvm
    getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
    getent group libvirt >/dev/null || groupadd -r libvirt
    getent passwd libvirt-qemu >/dev/null ||
      useradd -r -g libvirt-qemu -G kvm -d /var/lib/libvirt \
              -s /usr/sbin/nologin libvirt-qemu
    mkdir -p /run/libvirt /var/lib/libvirt/qemu /var/lib/libvirt/images \
             /var/log/libvirt/qemu /var/cache/libvirt/qemu /etc/libvirt/qemu
    libvirtd -d
    for (( i = 0; i < 60; ++i )); do
      _gk_virsh uri >/dev/null 2>&1 && exit 0
      sleep 0.5
    done
    echo "start_libvirtd: libvirtd started but does not answer on" \
         "$GUESTKIT_TEST_LIBVIRT_URI" >&2
    exit 1
  ) 9> /run/guestkit-test-libvirtd.lock
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
