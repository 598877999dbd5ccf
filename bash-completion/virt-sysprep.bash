
# virt-sysprep: writes, so -d offers shut-off domains only.  The
# operation names come from the binary (--list-operations), so they
# never drift; --enable and --operations take comma lists, completed
# item by item ("-NAME", "defaults", "all" too for --operations).

_guestkit_sysprep_ops ()
{
  local minus="$1" head="" prog ops words=()
  [[ "$cur" == *,* ]] && head="${cur%,*},"
  # The binary on the line (it may be a path), else the installed one.
  prog="${line[0]/#\~/$HOME}"
  command -v -- "$prog" >/dev/null 2>&1 || prog=virt-sysprep
  mapfile -t ops < <("$prog" --list-operations 2>/dev/null |
                     cut -d' ' -f1)
  words=("${ops[@]}")
  ((minus)) && words+=(defaults all "${ops[@]/#/-}" -defaults -all)
  _guestkit_reply "${words[@]/#/$head}"
}

_guestkit_virt_sysprep_values ()
{
  case "$prev" in
    --enable) _guestkit_sysprep_ops 0 ;;
    --operation|--operations) _guestkit_sysprep_ops 1 ;;
    --password-crypto) _guestkit_reply md5 sha256 sha512 yescrypt ;;
    --root-password) _guestkit_reply password: file: random disabled \
                       locked: ;;
    --firstboot|--run|--commands-from-file|--upload|--copy-in|--tar-in|\
    --script)
      _guestkit_files ;;
    --scriptdir) _guestkit_files -d ;;
    --append-line|--chmod|--chown|--copy|--delete|--edit|\
    --firstboot-command|--firstboot-install|--hostname|--install|--link|\
    --mkdir|--move|--password|--run-command|--scrub|--ssh-inject|\
    --timezone|--touch|--truncate|--truncate-recursive|--uninstall|\
    --write|--mount-options|--keep-user-accounts|--remove-user-accounts|\
    --inject-blnsvr|--inject-qemu-ga|--inject-virtio-win)
      _guestkit_reply ;;
    *) return 1 ;;
  esac
  return 0
}

_guestkit_virt_sysprep ()
{
  _guestkit_virt_tools virt-sysprep 1 _guestkit_virt_sysprep_values \
    --enable --operation --operations --password-crypto --root-password \
    --firstboot --run --commands-from-file --upload --copy-in --tar-in \
    --script --scriptdir --append-line --chmod --chown --copy --delete \
    --edit --firstboot-command --firstboot-install --hostname --install \
    --link --mkdir --move --password --run-command --scrub --ssh-inject \
    --timezone --touch --truncate --truncate-recursive --uninstall \
    --write --mount-options --keep-user-accounts --remove-user-accounts \
    --inject-blnsvr --inject-qemu-ga --inject-virtio-win
}
complete -F _guestkit_virt_sysprep virt-sysprep
