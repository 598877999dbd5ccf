#!/bin/bash
# virt-df on a GPT image with ext4, xfs, btrfs, vfat, ntfs, swap and an
# LVM VG with two LVs.  Every number virt-df prints is checked against
# the statvfs figures the image builder recorded itself, in each output
# format; the image must not change.
source "$srcdir/../tests/functions.sh"
set -e
requires_appliance

img="$(multifs_image)"
expected="$(multifs_expected)"
name="$(basename "$img")"
before="$(sha256_of "$img")"
test_tmpdir

vdf="$top_builddir/df/virt-df"

# 1. Default text output: upstream's columns, 1K blocks, Use% rounded up.
"$vdf" -a "$img" > "$t/text"
cat "$t/text"
assert_eq "header" \
  "$(printf '%-36s%10s %10s %10s %5s' Filesystem 1K-blocks Used Available Use%)" \
  "$(head -n 1 "$t/text")"

n=0
while IFS=$'\t' read -r dev bsize frsize blocks bfree bavail files ffree; do
  case "$dev" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  size=$(( blocks * bsize / 1024 ))
  used=$(( (blocks - bfree) * bsize / 1024 ))
  avail=$(( bavail * bsize / 1024 ))
  pct=$(python3 -c "import math; print(math.ceil(100 - 100 * $bfree / $blocks) if $blocks else 0)")
  label="$name:$dev"
  if [ ${#label} -gt 36 ]; then
    # Long names go on a line of their own, the figures on the next.
    grep -qxF "$label" "$t/text"
    line="$(grep -A1 -xF "$label" "$t/text" | tail -n 1)"
    want="$(printf '%-36s%10s %10s %10s %5s' '' "$size" "$used" "$avail" "$pct%")"
  else
    line="$(grep -F "$label " "$t/text")"
    want="$(printf '%-36s%10s %10s %10s %5s' "$label" "$size" "$used" "$avail" "$pct%")"
  fi
  assert_eq "text row for $dev" "$want" "$line"
done < "$expected"
echo "checked $n filesystems"
[ "$n" -ge 7 ]
# Swap is never listed, and nothing else is either.
rows=$(awk 'NR > 1 && $2 != ""' "$t/text" | wc -l)
assert_eq "number of rows" "$n" "$rows"
! grep -q swap "$t/text"

# 2. CSV with inodes: upstream's header, %.1f percentages, no ceil.
"$vdf" --csv -i -a "$img" > "$t/csv"
cat "$t/csv"
assert_eq "csv header" "VirtualMachine,Filesystem,Inodes,IUsed,IFree,IUse%" \
  "$(head -n 1 "$t/csv")"
while IFS=$'\t' read -r dev bsize frsize blocks bfree bavail files ffree; do
  case "$dev" in ''|'#'*) continue ;; esac
  pct=$(python3 -c "print('%.1f' % ((100 - 100 * $ffree / $files) if $files else 0))")
  assert_eq "csv inode row for $dev" \
    "$name,$dev,$files,$((files - ffree)),$ffree,$pct" \
    "$(grep -F ",$dev," "$t/csv")"
done < "$expected"

# 3. JSON: bytes, and the same figures.
"$vdf" --json -a "$img" > "$t/json"
python3 - "$t/json" "$expected" "$name" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
by_dev = {r["filesystem"]: r for r in rows}
n = 0
for line in open(sys.argv[2]):
    if not line.strip() or line.startswith("#"):
        continue
    dev, bsize, frsize, blocks, bfree, bavail, files, ffree = line.split("\t")
    bsize, blocks, bfree, bavail, files, ffree = map(int, (bsize, blocks, bfree, bavail, files, ffree))
    r = by_dev[dev]
    assert r["guest"] == sys.argv[3], r
    assert r["size"] == blocks * bsize, (dev, r)
    assert r["used"] == (blocks - bfree) * bsize, (dev, r)
    assert r["available"] == bavail * bsize, (dev, r)
    assert r["inodes"] == files and r["inodes_free"] == ffree, (dev, r)
    assert r["type"] in ("ext4", "xfs", "btrfs", "vfat", "ntfs"), r
    n += 1
assert n == len(rows), (n, len(rows))
print("json ok:", n, "filesystems")
PY

# 4. -h: human sizes in the same columns.
"$vdf" -h -a "$img" > "$t/human"
cat "$t/human"
assert_eq "-h header" \
  "$(printf '%-36s%10s %10s %10s %5s' Filesystem Size Used Available Use%)" \
  "$(head -n 1 "$t/human")"
grep -E '^ *[0-9.]+[KMG]? +[0-9.]+[KMG]? +[0-9.]+[KMG]? +[0-9]+%$' "$t/human" >/dev/null

# Read-only: the image is exactly as before.
assert_eq "image checksum" "$before" "$(sha256_of "$img")"
