#!/bin/bash
# The real Debian guest (a qcow2 overlay of the cached image): what the
# default operations remove is planted, then one virt-sysprep run does
# the defaults plus user-account and most customize options.  The
# whole tree is listed before and after: exactly the expected paths are
# gone, exactly the expected ones are new, and the files the options
# wrote say what they should.  Then --dry-run leaves the image
# byte-identical (through -d when libvirtd can start).
# The sysprep run's fast inspection is checked against libguestfs's in
# the same launch (GUESTKIT_INSPECT_LOG).
# Appliance launches: 4 (plant + list, sysprep, list + read, dry run).
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance
requires qemu-img --version
requires python3 -W ignore::DeprecationWarning -c 'import crypt'

debian="$(debian_guest_image)" || exit $?
test_tmpdir --private-tmpdir
vs="$top_builddir/sysprep/virt-sysprep"
tree="$top_builddir/sysprep/test-guest-tree"
img="$t/guest.qcow2"
qemu-img create -q -f qcow2 -F raw -b "$debian" "$img"

# 1. Plant what a used machine has, and four users.
removed_planted=(
  /var/log/guestkit-test.log /var/log/journal/0123/system.journal
  /var/log/apt/history.log /root/.bash_history /root/.zsh_history
  /home/alice/.bash_history /root/.ssh/known_hosts
  /etc/ssh/ssh_host_rsa_key /etc/ssh/ssh_host_rsa_key.pub
  /var/cache/apt/archives/foo_1.0_amd64.deb
  /var/cache/apt/archives/partial/bar_1.0_amd64.deb
  /var/lib/dhcp/dhclient.eth0.leases /tmp/junk /tmp/.hidden
  /var/tmp/junk2 /var/crash/core.1 /var/lib/cloud/instance/obj.pkl
  /var/spool/cron/crontabs/root /etc/passwd- /etc/shadow-
  /etc/udev/rules.d/70-persistent-net.rules /etc/guestkit.bak
  /root/notes~ /var/mail/root /etc/krb5.keytab /home/dave/file
  /opt/delete-me/x /opt/scrub-me
)
plants=()
for p in "${removed_planted[@]}"; do plants+=("plant:$p=planted\n"); done
for u in alice:1000 bob:1001 carol:1002 dave:1003; do
  n="${u%:*}" id="${u#*:}"
  plants+=("append:/etc/passwd=$n:x:$id:$id::/home/$n:/bin/sh\n"
           "append:/etc/shadow=$n:!:19000:0:99999:7:::\n"
           "append:/etc/group=$n:x:$id:\n")
done
plants+=(
  "plant:/etc/ssh/sshd_config=kept\n"
  "plant:/home/alice/.ssh/authorized_keys=old-key\n"
  "plant:/etc/machine-id=0123456789abcdef0123456789abcdef\n"
  "plant:/var/lib/systemd/random-seed=template-seed"
  "plant:/usr/share/zoneinfo/Test/Zone=TZif2"
  "plant:/etc/timezone=Etc/UTC\n"
  "plant:/etc/hostname=template\n"
  "plant:/etc/hosts=127.0.0.1"$'\t'"localhost\n127.0.1.1 template\n"
  "plant:/opt/trunc-me=12345"
  "plant:/opt/trunc/a=aaaa" "plant:/opt/trunc/sub/b=bbbb"
)
"$tree" "$img" qcow2 "${plants[@]}" list > "$t/before"
grep '^L ' "$t/before" | cut -c3- | sort > "$t/before.paths"
for p in "${removed_planted[@]}"; do grep -qx -- "$p" "$t/before.paths"; done

# 2. One sysprep: the defaults, user-account, and customize options.
printf 'echo script > /root/script-ran\n' > "$t/script.sh"
printf '#!/bin/sh\necho fb-script\n' > "$t/fb.sh"
printf 'carol-secret\nignored\n' > "$t/pw"
echo uploaded > "$t/up.txt"
chmod 0640 "$t/up.txt"
mkdir -p "$t/indir/sub" "$t/tar"
echo in > "$t/indir/sub/f"
echo tarred > "$t/tar/t.txt"
tar -C "$t/tar" -czf "$t/t.tar.gz" t.txt
printf '%s\n' '# customize commands' '' 'mkdir /opt/fromfile' \
  '--write /opt/fromfile/x:y' > "$t/cmds"
GUESTKIT_INSPECT_LOG="$t/inspect.log" \
"$vs" -a "$img" --operations defaults,user-account \
  --keep-user-accounts alice,bob,carol \
  --hostname sysprepped --timezone Test/Zone \
  --root-password password:rootpw --password alice:random \
  --password bob:disabled --password "carol:locked:file:$t/pw" \
  --run-command 'echo ran > /root/ran' --run "$t/script.sh" \
  --write /etc/motd:hello --append-line /etc/motd:line2 \
  --mkdir /opt/made/deep --delete /opt/delete-me --touch /opt/touched \
  --truncate /opt/trunc-me --truncate-recursive /opt/trunc \
  --chmod 0600:/etc/motd --chown 1000:1000:/opt/touched \
  --move /opt/touched:/opt/moved --link /etc/motd:/opt/l1:/opt/l2 \
  --upload "$t/up.txt:/opt" --copy /etc/hostname:/opt/hostname.copy \
  --copy-in "$t/indir:/opt" --tar-in "$t/t.tar.gz:/opt" \
  --scrub /opt/scrub-me \
  --ssh-inject 'alice:string:ssh-ed25519 AAAAtest test@host' \
  --firstboot-command 'echo firstboot-ran' --firstboot "$t/fb.sh" \
  --firstboot-install vim \
  --edit '/etc/hosts:s/^(127\.0\.0\.1)\s+localhost$/$1 localhost loopback/' \
  --commands-from-file "$t/cmds" --no-logfile > "$t/log"
cat "$t/log" "$t/inspect.log"
head -1 "$t/log" | grep -qx '\[ *[0-9]*\.[0-9]\] Examining the guest \.\.\.'
# The fast inspection was taken and says what libguestfs says.
grep -qx "fast: same as libguestfs's, 1 operating systems" "$t/inspect.log"
grep -Eq '^fast /dev/sda[0-9]+ linux debian deb apt 12 (.* )?/ /dev/sda' \
  "$t/inspect.log"
for op in logfiles machine-id ssh-hostkeys user-account customize \
          lvm-uuids; do
  grep -q "^\[ *[0-9.]*\] Performing \"$op\" \.\.\.$" "$t/log"
done
not grep -q 'Performing "fs-uuids"' "$t/log"
alice_pw="$(sed -n 's/^virt-sysprep: Setting random password of alice to //p' \
  "$t/log")"
[ -n "$alice_pw" ]

# 3. Read it back.
checks=()
for f in /etc/machine-id /etc/hostname /etc/hosts /etc/timezone /etc/motd \
         /etc/shadow /etc/passwd /etc/group /root/ran /root/script-ran \
         /opt/hostname.copy /opt/up.txt /opt/fromfile/x /opt/t.txt \
         /opt/indir/sub/f /home/alice/.ssh/authorized_keys /opt/trunc-me \
         /opt/trunc/a /opt/trunc/sub/b /etc/ssh/sshd_config; do
  checks+=("cat:$f")
done
for f in /etc/motd /opt/moved /opt/up.txt /var/lib/systemd/random-seed \
         /home/alice/.ssh /home/alice/.ssh/authorized_keys /opt/made/deep \
         /etc/localtime /opt/l1 /tmp/builder.log; do
  checks+=("stat:$f")
done
"$tree" "$img" qcow2 list "${checks[@]}" sha:/var/lib/systemd/random-seed \
  > "$t/after"
grep '^L ' "$t/after" | cut -c3- | sort > "$t/after.paths"

value () { sed -n "s|^$1 $2 ||p" "$t/after"; }

# Exactly the expected paths are gone...
comm -23 "$t/before.paths" "$t/after.paths" > "$t/gone"
for p in "${removed_planted[@]}"; do grep -qx -- "$p" "$t/gone"; done
gone_ok=(
  '/var/log/' '/root/\.(bash|zsh)_history$' '/root/\.ssh'
  '/etc/ssh/ssh_host_' '/var/cache/apt/archives/.*\.deb$' '/var/lib/dhcp/'
  '/tmp/.' '/var/tmp/.' '/var/crash/.' '/var/lib/cloud/.'
  '/var/spool/cron/crontabs/.'
  '/etc/(passwd|group|shadow|gshadow|subuid|subgid)-$'
  '/etc/udev/rules\.d/70-persistent-net\.rules$' '.*\.bak$' '.*~$'
  '/var/mail/.' '/etc/krb5\.keytab$' '/home/dave'
  '/home/alice/\.bash_history$' '/opt/(delete-me|touched$|scrub-me$)'
  '/var/cache/(fontconfig|man)/' '/var/lib/logrotate\.status$'
)
if grep -vE "^($(IFS='|'; echo "${gone_ok[*]}"))" "$t/gone"; then
  echo "removed, but should not have been: the paths above" >&2
  exit 1
fi
# ... and exactly the expected ones are new.
comm -13 "$t/before.paths" "$t/after.paths" > "$t/new"
cat "$t/new"
units='(guestkit-ssh-keygen|guestfs-firstboot)\.service'
new_ok=(
  "/etc/systemd/system/$units"
  "/etc/systemd/system/multi-user\.target\.wants(/$units)?"
  '/usr/lib/virt-sysprep(/.*)?' '/root/(ran|script-ran)'
  '/opt/(made|made/deep|moved|l1|l2|up\.txt|hostname\.copy|t\.txt)'
  '/opt/(indir|indir/sub|indir/sub/f|fromfile|fromfile/x)'
  '/etc/(motd|localtime)'
)
if grep -vE "^($(IFS='|'; echo "${new_ok[*]}"))\$" "$t/new"; then
  echo "new, but should not be: the paths above" >&2
  exit 1
fi
grep -qx /usr/lib/virt-sysprep/firstboot.sh "$t/new"
[ "$(grep -c '^/usr/lib/virt-sysprep/scripts/000[123]-' "$t/new")" = 3 ]

# The clone gets its own machine-id: the file is there, empty.
assert_eq "machine-id" "" "$(value C /etc/machine-id)"
# A new 512-byte seed.
value S /var/lib/systemd/random-seed | grep -q ' 512$'
[ "$(value H /var/lib/systemd/random-seed)" != \
  "$(printf template-seed | sha256sum | cut -d' ' -f1)" ]
# Debian: sshd gets new host keys at first boot; its config stays.
grep -qx /etc/systemd/system/guestkit-ssh-keygen.service "$t/new"
assert_eq "sshd_config" 'kept\n' "$(value C /etc/ssh/sshd_config)"

assert_eq "hostname" 'sysprepped\n' "$(value C /etc/hostname)"
assert_eq "hosts" '127.0.0.1 localhost loopback\n127.0.1.1 sysprepped\n' \
  "$(value C /etc/hosts)"
assert_eq "timezone" 'Test/Zone\n' "$(value C /etc/timezone)"
assert_eq "motd" 'hello\nline2\n' "$(value C /etc/motd)"
value S /etc/motd | grep -q '^600 0 0 '
value S /opt/moved | grep -q '^[0-7]* 1000 1000 0$'
assert_eq "upload" 'uploaded\n' "$(value C /opt/up.txt)"
value S /opt/up.txt | grep -q '^640 '
assert_eq "copy" 'sysprepped\n' "$(value C /opt/hostname.copy)"
assert_eq "copy-in" 'in\n' "$(value C /opt/indir/sub/f)"
assert_eq "tar-in" 'tarred\n' "$(value C /opt/t.txt)"
assert_eq "commands-from-file" 'y' "$(value C /opt/fromfile/x)"
assert_eq "run-command" 'ran\n' "$(value C /root/ran)"
assert_eq "run" 'script\n' "$(value C /root/script-ran)"
for f in /opt/trunc-me /opt/trunc/a /opt/trunc/sub/b; do
  assert_eq "truncated $f" "" "$(value C "$f")"
done
value S /opt/made/deep | grep -q .
value S /opt/l1 | grep -q .
assert_eq "no-logfile" "(missing)" "$(value S /tmp/builder.log)"
# ssh-userdir removed the old key, --ssh-inject (later) added the new.
assert_eq "authorized_keys" 'ssh-ed25519 AAAAtest test@host\n' \
  "$(value C /home/alice/.ssh/authorized_keys)"
value S /home/alice/.ssh | grep -q '^700 1000 1000 '
value S /home/alice/.ssh/authorized_keys | grep -q '^600 1000 1000 '

# user-account: dave is gone from passwd, shadow and group; the kept
# three are there.
not grep -q 'dave:' <(value C /etc/passwd)
not grep -q 'dave:' <(value C /etc/shadow)
not grep -q 'dave:' <(value C /etc/group)
value C /etc/passwd | grep -q 'carol:x:1002'

# Passwords: each selector, checked with crypt(3).
field () {
  value C /etc/shadow | sed 's/\\n/\n/g' |
    awk -F: -v u="$1" '$1 == u { print $2 }'
}
check_pw () {
  python3 -W ignore::DeprecationWarning -c '
import crypt, sys
sys.exit(crypt.crypt(sys.argv[1], sys.argv[2]) != sys.argv[2])' "$1" "$2"
}
root_hash="$(field root)"
case "$root_hash" in
  '$y$'*|'$6$'*) ;;
  *) echo "root: $root_hash" >&2; exit 1 ;;
esac
check_pw rootpw "$root_hash"
check_pw "$alice_pw" "$(field alice)"
assert_eq "bob disabled" '*' "$(field bob)"
carol="$(field carol)"
[ "${carol:0:1}" = '!' ]
check_pw carol-secret "${carol:1}"
# The password given is never printed.
not grep -q rootpw "$t/log"

# 4. --dry-run: every operation runs, on a throwaway overlay; through
# a shut-off libvirt domain (-c, -d) when a private libvirtd can start.
sum="$(sha256_of "$img")"
disk=(-a "$img")
if command -v libvirtd > /dev/null && start_libvirtd; then
  define_test_domain sysprep "$img" qcow2
  disk=(-c "$GUESTKIT_TEST_LIBVIRT_URI" -d "$test_domain")
fi
"$vs" -n "${disk[@]}" --hostname dry --root-password password:x > "$t/dry"
grep -q 'Performing "logfiles"' "$t/dry"
grep -q 'Setting the hostname: dry' "$t/dry"
assert_eq "image after --dry-run" "$sum" "$(sha256_of "$img")"
assert_no_leftovers "$TMPDIR"
