#!/usr/bin/python3
"""Check virt-df's rows (on stdin) for one guest against known figures.

  check-df-rows.py text EXPECTED NAME        text table, 1K blocks (the
                                             rows of other guests, as in
                                             --per-disk, are left alone)
  check-df-rows.py json EXPECTED GUEST       --json
  check-df-rows.py csv-inodes EXPECTED GUEST --csv -i
  check-df-rows.py same-guest JSON GUEST_IN_JSON GUEST_IN_CSV
                                             --csv -i rows equal to
                                             those of a --json run

EXPECTED is the multifs image builder's record: one filesystem a line,
DEVICE bsize frsize blocks bfree bavail files ffree (tab-separated).
The guest's rows must be exactly the expected filesystems, no more.
"""
import csv
import json
import math
import struct
import sys

NAME_WIDTH = 36


def as_float(x):
    """virt-df keeps percentages in a C float, as upstream does."""
    return struct.unpack("f", struct.pack("f", x))[0]


def percent_used(free, total):
    return as_float(100.0 - 100.0 * free / total) if total else 0.0


def read_expected(path):
    rows = {}
    for line in open(path):
        if not line.strip() or line.startswith("#"):
            continue
        dev, *figures = line.rstrip("\n").split("\t")
        bsize, _frsize, blocks, bfree, bavail, files, ffree = map(int, figures)
        rows[dev] = dict(bsize=bsize, blocks=blocks, bfree=bfree,
                         bavail=bavail, files=files, ffree=ffree)
    assert len(rows) >= 7, ("the record lists too few filesystems", rows)
    return rows


def fail(what, want, got):
    sys.exit("check-df-rows: %s:\n  expected: %r\n  got:      %r"
             % (what, want, got))


def check_equal(what, want, got):
    if want != got:
        fail(what, want, got)


def check_text(expected, name):
    lines = sys.stdin.read().splitlines()
    check_equal("header", "%-36s%10s %10s %10s %5s"
                % ("Filesystem", "1K-blocks", "Used", "Available", "Use%"),
                lines[0])
    want = []
    for dev, e in expected.items():
        label = "%s:%s" % (name, dev)
        figures = "%10d %10d %10d %5s" % (
            e["blocks"] * e["bsize"] // 1024,
            (e["blocks"] - e["bfree"]) * e["bsize"] // 1024,
            e["bavail"] * e["bsize"] // 1024,
            "%3.0f%%" % math.ceil(percent_used(e["bfree"], e["blocks"])))
        if len(label) > NAME_WIDTH:
            want.append(label + "\n" + " " * NAME_WIDTH + figures)
        else:
            want.append("%-36s%s" % (label, figures))
    # A long label is a line of its own, its figures on the next.
    got = []
    for line in lines[1:]:
        if got and got[-1].find(" ") < 0 and line.startswith(" "):
            got[-1] += "\n" + line
        else:
            got.append(line)
    got = [row for row in got if row.startswith(name + ":")]
    check_equal("rows of %s (sorted)" % name, sorted(want), sorted(got))


def check_json(expected, guest):
    rows = {r["filesystem"]: r for r in json.load(sys.stdin)
            if r["guest"] == guest}
    check_equal("filesystems of " + guest, sorted(expected), sorted(rows))
    for dev, e in expected.items():
        r = rows[dev]
        want = dict(size=e["blocks"] * e["bsize"],
                    used=(e["blocks"] - e["bfree"]) * e["bsize"],
                    available=e["bavail"] * e["bsize"],
                    inodes=e["files"], inodes_free=e["ffree"])
        check_equal("JSON row of " + dev, want,
                    {k: r[k] for k in want})
        if r["type"] not in ("ext4", "xfs", "btrfs", "vfat", "ntfs"):
            fail("type of " + dev, "a filesystem", r["type"])


def inode_row(guest, dev, files, ffree):
    return [guest, dev, str(files), str(files - ffree), str(ffree),
            "%.1f" % percent_used(ffree, files)]


def csv_rows(guest):
    rows = list(csv.reader(sys.stdin))
    return sorted(r for r in rows[1:] if r[0] == guest)


def check_csv_inodes(expected, guest):
    want = sorted(inode_row(guest, dev, e["files"], e["ffree"])
                  for dev, e in expected.items())
    check_equal("CSV inode rows of " + guest, want, csv_rows(guest))


def check_same_guest(json_path, json_guest, csv_guest):
    want = sorted(inode_row(csv_guest, r["filesystem"], r["inodes"],
                            r["inodes_free"])
                  for r in json.load(open(json_path))
                  if r["guest"] == json_guest)
    if not want:
        fail("rows of %s in %s" % (json_guest, json_path), "some", want)
    check_equal("CSV inode rows of %s (as %s)" % (json_guest, csv_guest),
                want, csv_rows(csv_guest))


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "same-guest":
        check_same_guest(*args)
    else:
        check = {"text": check_text, "json": check_json,
                 "csv-inodes": check_csv_inodes}[mode]
        check(read_expected(args[0]), args[1])
    print("check-df-rows %s %s: ok" % (mode, args[-1]))


main()
