#!/bin/bash
# Bad input and bad options get one clear error line and exit 1, before
# any appliance is started (LIBGUESTFS_HV points at /bin/false, so a
# launch would fail differently), and the image is never changed.
# Appliance launches: 0.
source "$srcdir/../tests/functions.sh"
set -e
requires qemu-img --version

test_tmpdir --private-tmpdir
export LIBGUESTFS_HV=/bin/false
vs="$top_builddir/sysprep/virt-sysprep"

truncate -s 64M "$t/in.img"
in_sum="$(sha256_of "$t/in.img")"
echo '#!/bin/sh' > "$t/script.sh"

expect_error () {
  local pattern="$1" status=0
  shift
  "$vs" "$@" > "$t/out" 2> "$t/err" || status=$?
  cat "$t/err"
  assert_eq "exit status of $*" 1 "$status"
  assert_eq "error lines for $*" 1 "$(wc -l < "$t/err")"
  grep -q -- "^virt-sysprep: error: .*$pattern" "$t/err"
  not grep -q 'could not start the libguestfs appliance' "$t/err"
  assert_eq "image after $*" "$in_sum" "$(sha256_of "$t/in.img")"
  assert_no_leftovers "$TMPDIR"
}
a=(-a "$t/in.img")

# The disks.
expect_error "you must give either -a or -d options"
expect_error "$t/missing.img" -a "$t/missing.img"
expect_error "extra parameter on the command line: ‘$t/in.img’" "$t/in.img"
expect_error "-c/--connect is only used with -d" -c test:///default "${a[@]}"
expect_error "you cannot give -a and -d options together" "${a[@]}" -d foo
expect_error "--format parameter must appear before -a" "${a[@]}" \
  --format raw
# --per-disk: a domain is one guest (refused before libvirt is asked).
expect_error "--per-disk is only used with -a: a domain is one guest" \
  --per-disk -d foo

# Operations.
expect_error "--operations: ‘bogus’ is not a known operation" \
  --operations defaults,bogus "${a[@]}"
expect_error "--operations: empty operation name" --operations , "${a[@]}"
expect_error "--enable: ‘nope’ is not a known operation" --enable nope \
  "${a[@]}"
expect_error "--enable option can only be given once" \
  --enable logfiles --enable utmp "${a[@]}"
expect_error "--enable option cannot be used together with --operations" \
  --operations logfiles --enable utmp "${a[@]}"
expect_error "--operations option cannot be used together with --enable" \
  --enable utmp --operations logfiles "${a[@]}"
expect_error "--scriptdir: $t/nodir is not a directory" \
  --scriptdir "$t/nodir" "${a[@]}"
expect_error "--script and --scriptdir need the script operation" \
  --enable logfiles --script "$t/script.sh" "${a[@]}"
expect_error "customize options were given but the customize operation is" \
  --operations defaults,-customize --hostname x "${a[@]}"
expect_error "need the user-account operation" \
  --remove-user-accounts bob "${a[@]}"

# Customize options: each refused as it is parsed.
expect_error "--chmod: invalid argument ‘0644’: expecting PERMISSIONS:FILE" \
  --chmod 0644 "${a[@]}"
expect_error "--chmod: invalid argument ‘rw:/x’: ‘rw’ is not a number" \
  --chmod rw:/x "${a[@]}"
expect_error "--chown: invalid argument ‘1:/x’: expecting UID:GID:PATH" \
  --chown 1:/x "${a[@]}"
expect_error "--upload: $t/nope: No such file or directory" \
  --upload "$t/nope:/etc/nope" "${a[@]}"
expect_error "--run: $t/nope.sh: No such file or directory" \
  --run "$t/nope.sh" "${a[@]}"
expect_error "--edit: expression ‘s/(/x/’: bad regex" \
  --edit '/etc/hosts:s/(/x/' "${a[@]}"
expect_error "--edit: invalid argument ‘/etc/hosts’: expecting FILE:EXPR" \
  --edit /etc/hosts "${a[@]}"
expect_error "--root-password: invalid password selector" \
  --root-password pasword:secret "${a[@]}"
not grep -q secret "$t/err"
expect_error "--password: invalid argument ‘bob’: expecting USER:SELECTOR" \
  --password bob "${a[@]}"
expect_error "--root-password: password file: $t/pw: No such file" \
  --root-password "file:$t/pw" "${a[@]}"
expect_error "--password-crypto: unknown method ‘des’" \
  --password-crypto des "${a[@]}"
expect_error "--ssh-inject: invalid ssh key selector ‘key:x’" \
  --ssh-inject root:key:x "${a[@]}"
expect_error "--install needs the appliance network: add --network" \
  --install vim "${a[@]}"
expect_error "--install: ‘vim;reboot’ is not a package name" \
  --install 'vim;reboot' "${a[@]}"
expect_error "--inject-qemu-ga is not supported yet" \
  --inject-qemu-ga disk "${a[@]}"
printf '# comment\nhostname foo\nbogus-option x\n' > "$t/cmds"
expect_error "$t/cmds:3: ‘bogus-option’ is not a customize option" \
  --commands-from-file "$t/cmds" "${a[@]}"
expect_error "--commands-from-file: $t/nothere: No such file" \
  --commands-from-file "$t/nothere" "${a[@]}"

# -d: a running domain is refused before anything is read or written
# (libvirt's test driver).
if command -v virsh > /dev/null; then
  test_driver_node "$t/node.xml" "on:running:$t/in.img" off:shutoff
  expect_error "domain ‘on’ is running: shut it down first" \
    -c "test://$t/node.xml" -d on
  expect_error "domain ‘on’ is running: shut it down first" \
    -n -c "test://$t/node.xml" -d on
  expect_error "no-such-domain" -c "test://$t/node.xml" -d no-such-domain
fi

# --machine-readable: the fact list (no launch), and errors as JSON.
"$vs" --machine-readable > "$t/facts"
grep -qx virt-sysprep "$t/facts"
grep -qx operation:cloud-init "$t/facts"
grep -qx per-disk "$t/facts"
assert_eq "one fact per operation" "$("$vs" --list-operations | wc -l)" \
  "$(grep -c '^operation:' "$t/facts")"
status=0
"$vs" --machine-readable=stream:stderr -a "$t/missing.img" \
  > /dev/null 2> "$t/err" || status=$?
assert_eq "exit status, machine-readable error" 1 "$status"
grep -q '^{ "message": ".*missing.img: No such file or directory", .*"type": "error" }$' \
  "$t/err"

# --list-operations and --help need no disk; garbage options get
# upstream's "Try" line.
"$vs" --list-operations | grep -qx 'abrt-data \* Remove the crash data generated by ABRT'
"$vs" --help | grep -q '^  -n|--dry-run'
"$vs" --help | grep -q '^  --per-disk '
status=0
"$vs" --no-such-option 2> "$t/err" || status=$?
assert_eq "exit status of a bad option" 1 "$status"
grep -q "virt-sysprep --help" "$t/err"
