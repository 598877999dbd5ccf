#!/bin/bash -
# guestkit fuzz targets: make the seed corpora, one folder per target.
#
#   make-seeds.sh OUTDIR MAKE-SEED
#
# Seeds come from the real tools a guest's disks are made with (sfdisk,
# mkfs.*, mkswap, cryptsetup, pvcreate), run on small sparse files in a
# temporary folder; a tool that is missing is skipped.  LVM needs a loop
# device (root and losetup); without one the synthetic PVs that
# MAKE-SEED builds stand in.  Text targets get what users type.  Nothing
# here is committed: the corpora are made again on a fresh tree.
set -e
set -o pipefail

out=$1
make_seed=$2
if [ -z "$out" ] || [ -z "$make_seed" ]; then
    echo "usage: $0 OUTDIR MAKE-SEED" >&2
    exit 2
fi
export PATH="$PATH:/sbin:/usr/sbin"
export LC_ALL=C
have () { command -v "$1" >/dev/null 2>&1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
loop=
cleanup ()
{
    if [ -n "$loop" ]; then
        pvremove -q -ff -y --config 'devices { use_devicesfile = 0 }' \
                 "$loop" >/dev/null 2>&1 || :
        losetup -d "$loop" || :
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"$make_seed" synthetic "$out"
for t in mbr gpt content lvm-label lvm-text domain-xml sizes uri \
         machine-readable key osinfo; do
    mkdir -p "$out/fuzz-$t"
done

# ---- Partition tables (sfdisk) ----
if have sfdisk; then
    table () {                  # TARGET NAME SIZE < sfdisk script
        rm -f "$tmp/t.img"
        truncate -s "$3" "$tmp/t.img"
        sfdisk -q --no-reread --no-tell-kernel "$tmp/t.img" >/dev/null 2>&1
        cp "$tmp/t.img" "$out/fuzz-$1/sfdisk-$2"
    }
    table mbr primaries 32K <<'SF'
label: dos
label-id: 0x01020304
start=2, size=10, type=83, bootable
start=12, size=20, type=7
start=32, size=16, type=ef
SF
    table mbr logicals 64K <<'SF'
label: dos
start=2, size=10, type=83, bootable
start=12, size=100, type=5
start=14, size=10, type=83
start=26, size=20, type=82
start=50, size=8, type=7
SF
    table mbr extended-lba 64K <<'SF'
label: dos
start=2, size=120, type=f
start=4, size=10, type=83
start=16, size=10, type=83
SF
    table gpt small 32K <<'SF'
label: gpt
table-length: 4
first-lba: 3
start=4, size=8, name="EFI", type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
start=12, size=16, name="root", attrs="LegacyBIOSBootable"
SF
    table gpt full 64K <<'SF'
label: gpt
start=34, size=8, name="a"
start=42, size=8, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F
start=60, size=20, name="c", attrs="RequiredPartition GUID:60"
SF
fi

# ---- Filesystems, swap, LUKS (the first 128 KiB, trailing zeroes
# dropped: the target reads the rest of the partition as zeroes) ----
content () {                    # NAME SIZE COMMAND...
    local name=$1 size=$2
    shift 2
    have "$1" || return 0
    rm -f "$tmp/c.img"
    truncate -s "$size" "$tmp/c.img"
    if "$@" "$tmp/c.img" >/dev/null 2>&1 </dev/null; then
        "$make_seed" trim "$tmp/c.img" 131072 "$out/fuzz-content/$name"
    fi
}
content ext2 1M mkfs.ext2 -q -F -L label
content ext3 4M mkfs.ext3 -q -F -L label
content ext4 4M mkfs.ext4 -q -F -L label -U 01234567-89ab-cdef-0123-456789abcdef
content ext4-64bit 4M mkfs.ext4 -q -F -O 64bit
content xfs 300M mkfs.xfs -q -f -L label
content btrfs 128M mkfs.btrfs -q -f -L label
content ntfs 4M mkfs.ntfs -q -F -f -L "NTFS label"
content vfat12 1M mkfs.vfat -n LABEL
content vfat16 20M mkfs.vfat -F 16 -n LABEL
content vfat32 40M mkfs.vfat -F 32 -n LABEL
content f2fs 64M mkfs.f2fs -q -f -l label
content swap 1M mkswap -L label -U 01234567-89ab-cdef-0123-456789abcdef
content swap-8k 1M mkswap -p 8192 -L label
if have cryptsetup; then
    luks () {
        echo -n pw | cryptsetup luksFormat -q --pbkdf pbkdf2 \
            --pbkdf-force-iterations 1000 "$@" -
    }
    content luks1 4M luks --type luks1
    content luks2 20M luks --type luks2 --label label
fi

# ---- LVM: a PV with a VG and LVs, on a loop device ----
if [ "$(id -u)" = 0 ] && have losetup && have pvcreate && have vgcreate &&
       have lvcreate; then
    truncate -s 16M "$tmp/pv.img"
    if loop=$(losetup -f --show "$tmp/pv.img" 2>/dev/null); then
        vg=gkfuzz$$
        conf="devices { use_devicesfile = 0 filter = [ \"a|^$loop\$|\", \"r|.*|\" ] }
              backup { backup = 0 archive = 0 }
              global { activation = 0 }"
        export LVM_SUPPRESS_FD_WARNINGS=1
        if pvcreate -q -f --config "$conf" "$loop" >/dev/null 2>&1; then
            "$make_seed" trim "$tmp/pv.img" 1048576 \
                         "$out/fuzz-lvm-label/pvcreate-orphan"
            "$make_seed" trim "$tmp/pv.img" 1048576 \
                         "$out/fuzz-content/pvcreate"
            if vgcreate -q -s 1m --config "$conf" $vg "$loop" \
                   >/dev/null 2>&1 &&
               lvcreate -q -y -an -Zn -Wn -n lv1 -L 4m --config "$conf" $vg \
                   >/dev/null 2>&1 &&
               lvcreate -q -y -an -Zn -Wn -n lv2 -L 2m --config "$conf" $vg \
                   >/dev/null 2>&1 &&
               lvextend -q -L +2m --config "$conf" $vg/lv1 >/dev/null 2>&1
            then
                "$make_seed" trim "$tmp/pv.img" 1048576 \
                             "$out/fuzz-lvm-label/pvcreate-vg"
                "$make_seed" lvm-texts "$tmp/pv.img" "$out/fuzz-lvm-text"
                # Shrunk as in a guest: a newer copy, the label as was.
                if pvresize -q -y --setphysicalvolumesize 12m \
                       --config "$conf" "$loop" >/dev/null 2>&1; then
                    "$make_seed" trim "$tmp/pv.img" 1048576 \
                                 "$out/fuzz-lvm-label/pvresize-shrunk"
                    "$make_seed" trim "$tmp/pv.img" 1048576 \
                                 "$out/fuzz-content/pvresize-shrunk"
                fi
            fi
            vgremove -q -f --config "$conf" $vg >/dev/null 2>&1 || :
        fi
    fi
fi

# ---- What users type ----
text () { printf '%s' "$3" > "$out/fuzz-$1/$2"; }
n=0
for s in 10G 512M 1.5G 4096 0 1b 1K 1KiB 2T 1P 1E +10% -10% 50% 12.5% \
         +1G -500M 100% .5M; do
    # Sizes: 8 bytes of partition size, then the text.
    printf '\x00\x00\x00\x40\x00\x00\x00\x00%s' "$s" \
        > "$out/fuzz-sizes/seed-$((n++))"
done
n=0
for u in nbd://example.com nbd://example.com:10809/export \
         'nbd+unix:///export?socket=/tmp/nbd.sock' \
         ssh://user@host.example.com/var/lib/disk.img \
         'ssh://user@host:2222/disk.img' http://example.com/disk.img \
         https://example.com:8443/a/b.qcow2 ftp://h/x ftps://h/x \
         iscsi://10.0.0.1:3260/iqn.2001-04.com.example:storage/1 \
         rbd://mon1:6789/pool/image file:///var/lib/disk.img \
         'ssh://[::1]:22/disk' nbd+tcp://h:1/e; do
    text uri "seed-$((n++))" "$u"
done
n=0
for m in '' stream:stdout stream:stderr fd:3 fd:65535 file:/tmp/out.json \
         file:x; do
    text machine-readable "seed-$((n++))" "$m"
done
n=0
for k in /dev/sda2:key:secret /dev/sda2:file:/tmp/key \
         'all:key:pass:with:colons' 01234567-89ab-cdef-0123-456789abcdef:clevis \
         sda1:key:; do
    text key "seed-$((n++))" "$k"
done
# Release files and fstabs: the selector byte, then os-release,
# redhat-release and debian_version separated by NULs (fuzz-osinfo.c).
printf '\x05%s\0\0%s' \
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
VERSION_ID="12"
ID=debian
' '12.5
' > "$out/fuzz-osinfo/debian"
printf '\x03%s\0%s' 'NAME="Red Hat Enterprise Linux"
ID="rhel"
VERSION_ID="9.2"
' 'Red Hat Enterprise Linux release 9.2 (Plow)
' > "$out/fuzz-osinfo/rhel"
printf '\x02\0%s' 'CentOS Linux release 7.9.2009 (Core)' \
    > "$out/fuzz-osinfo/centos"
printf '\x01%s' "ID='alpine'
VERSION_ID=3.18.4
PRETTY_NAME=\"Alpine \\\$x\"" > "$out/fuzz-osinfo/alpine"
printf '\x00%s' '# /etc/fstab
UUID="1234-abcd" / ext4 errors=remount-ro 0 1
  LABEL=boot	/boot ext4 defaults 0 2 # comment
/dev/mapper/gkvg-swap none swap sw 0 0
/dev/vda3 //srv//data/ xfs defaults
/dev/xvdab /x ext4
tmpfs /tmp tmpfs size=10%,mode=1777 0 0
host:/export /mnt nfs defaults 0 0
/dev/root / ext4 defaults
UUID=x /home btrfs subvol=@home,compress=zstd 0 0
PARTUUID=ab /efi vfat umask=0077 0 1
/dev/disk/by-id/ata-x-part1 /d ext4
0123456789abcdef.a /o ffs rw 1 1
' > "$out/fuzz-osinfo/fstab"

cat > "$out/fuzz-domain-xml/domain.xml" <<'XML'
<domain type='kvm'>
  <name>guest</name>
  <uuid>01234567-89ab-cdef-0123-456789abcdef</uuid>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/guest.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='block' device='disk'>
      <source dev='/dev/vg/lv'/>
      <target dev='vdb'/>
      <readonly/>
      <shareable/>
    </disk>
    <disk type='network' device='disk'>
      <driver type='raw'/>
      <source protocol='nbd' name='export'>
        <host name='example.com' port='10809'/>
        <host transport='unix' socket='/tmp/s'/>
      </source>
      <auth username='admin'/>
      <target dev='vdc'/>
    </disk>
    <disk type='volume' device='disk'>
      <source pool='default' volume='v.img'/>
      <target dev='vdd'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/tmp/x.iso'/>
      <target dev='hdc'/>
    </disk>
  </devices>
</domain>
XML
for f in "${srcdir:-.}"/../lib/libvirt/test-data/*.xml; do
    [ -f "$f" ] && cp "$f" "$out/fuzz-domain-xml/"
done
exit 0
