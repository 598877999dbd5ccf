
# virt-df: only reads, so -d offers every domain.  Its own options with
# a value: -P N, and --blocksize=512|4096 (the value only after '=').
_guestkit_virt_df_values ()
{
  case "$prev" in
    -P) _guestkit_reply ;;
    --blocksize)
      ((split)) || return 1
      _guestkit_reply 512 4096 ;;
    *) return 1 ;;
  esac
  return 0
}

_guestkit_virt_df ()
{
  _guestkit_virt_tools virt-df 0 _guestkit_virt_df_values -P
}
complete -F _guestkit_virt_df virt-df
