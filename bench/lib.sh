# guestkit benchmarks: helpers shared by the bench/* scripts.
#
# Source it from bash:  source "$(dirname "$0")/lib.sh"
#
# Timing is wall-clock (what a user waits for), taken as the median of
# BENCH_RUNS runs (default 3) so one slow appliance boot does not skew
# the result.  Upstream tools are timed under exactly the same
# environment as ours, including the software-emulation fallback.

BENCH_RUNS="${BENCH_RUNS:-3}"

bench_srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Where our built tools are.  GUESTKIT_BUILDDIR wins; otherwise the build
# tree we are run from (make bench runs us from BUILDDIR/bench), then the
# tree this script lives in.
bench_find_builddir ()
{
  if [ -n "$GUESTKIT_BUILDDIR" ]; then
    (cd "$GUESTKIT_BUILDDIR" && pwd)
  elif [ -f "$PWD/../config.status" ]; then
    (cd "$PWD/.." && pwd)
  else
    (cd "$bench_srcdir/.." && pwd)
  fi
}
GUESTKIT_BUILDDIR="$(bench_find_builddir)"
export GUESTKIT_BUILDDIR

# Benchmarks leave their images in a cache outside the tree: they are
# slow to make and must never end up in a distribution tarball.
BENCH_CACHE="${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/guestkit-bench}"

bench_log="${BENCH_LOG:-/dev/null}"

bench_die ()
{
  echo "bench: error: $*" >&2
  exit 1
}

bench_note ()
{
  echo "bench: $*" >&2
}

# Seconds since the epoch with sub-second precision.  bash 5 has
# EPOCHREALTIME; otherwise GNU date; otherwise whole seconds.
bench_now ()
{
  if [ -n "$EPOCHREALTIME" ]; then
    echo "${EPOCHREALTIME/,/.}"
  elif date +%s.%N 2>/dev/null | grep -q '^[0-9]*\.[0-9]'; then
    date +%s.%N
  else
    date +%s
  fi
}

# The median of the numbers given as arguments.
bench_median_of ()
{
  printf '%s\n' "$@" | LC_ALL=C sort -g |
    awk '{ v[NR] = $1 }
         END { if (NR == 0) exit 1;
               if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2];
               else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_median CMD [ARGS...]
# Run the command BENCH_RUNS times (its output goes to the log; the
# output of the last run is kept in $bench_last_out) and print the
# median wall-clock time in seconds.  If any run fails, print FAIL and
# return 1: a fast failure must not look like a fast tool.
bench_last_out=""
bench_median ()
{
  bench_timed "$BENCH_RUNS" : "$@"
}

# bench_timed RUNS PREP CMD...: run PREP (untimed: a fresh copy of an
# image the command changes, a new output disk; ":" for none) then CMD,
# RUNS times, CMD's output to the log (the last run's stdout also in
# $bench_last_out); print the median wall-clock seconds, or FAIL (and
# return 1) if PREP or any run fails.
bench_timed ()
{
  local runs="$1" prep="$2" i t0 t1 times=() out err
  shift 2
  out="$(mktemp "${TMPDIR:-/tmp}/bench-out.XXXXXX")"
  err="$(mktemp "${TMPDIR:-/tmp}/bench-err.XXXXXX")"
  for ((i = 1; i <= runs; i++)); do
    if ! $prep >>"$bench_log" 2>&1; then
      bench_note "preparing failed: $prep"
      rm -f "$out" "$err"
      echo FAIL
      return 1
    fi
    echo "### run $i: $*" >>"$bench_log"
    t0="$(bench_now)"
    if ! "$@" >"$out" 2>"$err" </dev/null; then
      cat "$out" "$err" >>"$bench_log"
      bench_note "failed (run $i): $*"
      tail -n 5 "$err" | sed 's/^/    /' >&2
      rm -f "$out" "$err"
      echo FAIL
      return 1
    fi
    t1="$(bench_now)"
    cat "$out" "$err" >>"$bench_log"
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
    echo "### run $i took ${times[-1]} s" >>"$bench_log"
  done
  bench_last_out="$(cat "$out")"
  rm -f "$out" "$err"
  bench_median_of "${times[@]}"
}

# bench_div A B: A/B to two decimals (a ratio of times), "-" if either
# is missing or failed.
bench_div ()
{
  case "$1$2" in
    *[!0-9.]*|"") echo "-"; return ;;
  esac
  awk -v a="$1" -v b="$2" \
    'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "-" }'
}

# bench_sum A B: A+B, "-" if either is missing or failed.
bench_sum ()
{
  case "$1$2" in
    *[!0-9.]*|"") echo "-"; return ;;
  esac
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a + b }'
}

# bench_ratio OURS UPSTREAM: how many times faster we are (upstream/ours).
bench_ratio ()
{
  # Both times, or no ratio (not 0.00x for a missing column).
  case "$1$2" in
    *[!0-9.]*|"") echo "-"; return ;;
  esac
  if [ -z "$1" ] || [ -z "$2" ]; then
    echo "-"
    return
  fi
  awk -v o="$1" -v u="$2" \
    'BEGIN { if (o > 0) printf "%.2fx\n", u / o; else print "-" }'
}

bench_table_header ()
{
  printf '%-34s %10s %10s %9s %5s\n' \
    "case" "ours (s)" "upstream" "ratio" "runs"
  printf '%-34s %10s %10s %9s %5s\n' \
    "----" "--------" "--------" "-----" "----"
}

# bench_table_row CASE OURS UPSTREAM
bench_table_row ()
{
  printf '%-34s %10s %10s %9s %5s\n' \
    "$1" "${2:--}" "${3:--}" "$(bench_ratio "$2" "$3")" "$BENCH_RUNS"
}

# Does KVM work here?  Use the test suite's probe when it has been
# built, so tests, tools and benchmarks agree; otherwise ask qemu the
# same question: on some hosts /dev/kvm exists but qemu aborts as soon
# as a vCPU with '-cpu max' is set up.
bench_kvm_usable ()
{
  local probe="$GUESTKIT_BUILDDIR/tests/kvm-probe"
  if [ -x "$probe" ]; then
    "$probe" >/dev/null 2>&1
    return
  fi
  [ -e /dev/kvm ] || return 1
  command -v qemu-system-x86_64 >/dev/null 2>&1 || return 1
  # The subshell keeps bash's 'Aborted' job report off the terminal.
  (echo quit |
     timeout 60 qemu-system-x86_64 -accel kvm -cpu max -machine pc \
       -nodefaults -display none -S -monitor stdio) >/dev/null 2>&1
}

# Choose the appliance backend for every tool timed, ours and upstream
# alike, so the comparison is fair.  An explicit LIBGUESTFS_BACKEND from
# the caller is respected.
bench_setup_backend ()
{
  if [ -n "$LIBGUESTFS_BACKEND" ]; then
    bench_note "using LIBGUESTFS_BACKEND=$LIBGUESTFS_BACKEND" \
               "${LIBGUESTFS_BACKEND_SETTINGS:+(settings $LIBGUESTFS_BACKEND_SETTINGS)}"
  elif bench_kvm_usable; then
    bench_note "KVM works: appliances use hardware virtualization"
  else
    export LIBGUESTFS_BACKEND=direct
    export LIBGUESTFS_BACKEND_SETTINGS=force_tcg
    bench_note "KVM is not usable: every tool runs with" \
               "LIBGUESTFS_BACKEND=direct LIBGUESTFS_BACKEND_SETTINGS=force_tcg"
  fi
}

# The upstream tool, if installed (guestfs-tools); empty if not.
bench_upstream ()
{
  local p
  p="$(command -v "$1" 2>/dev/null)" || return 0
  # Never pick up one of ours by accident through PATH.
  case "$p" in "$GUESTKIT_BUILDDIR"/*) return 0 ;; esac
  echo "$p"
}
