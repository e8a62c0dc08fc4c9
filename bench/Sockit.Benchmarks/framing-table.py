#!/usr/bin/env python3
"""Turns the framing benchmark CSVs into the table of docs/performance.md.

Usage: python3 framing-table.py BenchmarkDotNet.Artifacts/results
Per frame: Min is the headline (the cost when the shared machine left us alone), Median beside it;
frames/s and MB/s (payload bytes, 10^6) are computed from Min.
"""
import csv
import glob
import os
import sys

UNITS = {"ns": 1.0, "us": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9}


def nanoseconds(cell):
    value, unit = cell.replace(",", "").split()
    return float(value) * UNITS[unit]


def rows(folder):
    for path in sorted(glob.glob(os.path.join(folder, "*Benchmarks-report.csv"))):
        with open(path, newline="", encoding="utf-8") as f:
            yield from csv.DictReader(f)


def main(folder):
    print("| operation | framing | frame | layout | ns/frame (min) | ns/frame (median) | frames/s | MB/s | allocated |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|")
    order = {"line": 0, "length": 1, "varint": 2, "fixed": 3}
    table = sorted(rows(folder), key=lambda r: (r["Method"], order[r["Framing"]], int(r["FrameSize"]), r["Layout"]))
    for r in table:
        best, median, size = nanoseconds(r["Min"]), nanoseconds(r["Median"]), int(r["FrameSize"])
        frames = 1e9 / best
        label = {32: "32 B", 1024: "1 KiB", 65536: "64 KiB"}[size]
        layout = "one segment" if r["Layout"] == "OneSegment" else "4 KiB segments"
        allocated = "0 B" if r["Allocated"] in ("-", "0 B") else r["Allocated"]
        print(f"| {r['Method'].lower()} | {r['Framing']} | {label} | {layout} | {best:,.1f} | {median:,.1f} "
              f"| {frames / 1e6:,.1f} M | {frames * size / 1e6:,.0f} | {allocated} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "BenchmarkDotNet.Artifacts/results")
