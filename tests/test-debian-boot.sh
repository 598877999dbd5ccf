#!/bin/bash -
# guestkit test harness: the Debian 12 test guest boots to multi-user
# (GRUB from the MBR, kernel, systemd, marker on the serial port), and
# booting it leaves the image untouched.
set -e
source "$srcdir/../tests/functions.sh"

requires_appliance

requires which qemu-system-x86_64

img="$(debian_guest_image)"
before="$(stat -c %Y "$img")"

# TCG on 2 cores needs well over a minute; allow for a busy machine.
boot_check "$img" raw 400

assert_eq "image mtime after boot" "$before" "$(stat -c %Y "$img")"
