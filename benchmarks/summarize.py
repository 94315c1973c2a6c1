#!/usr/bin/env python3
"""Turns run.sh's results.csv into a Markdown table: medians over rounds per scenario and server, and
each server's ratio to Netty NIO measured in the same round (the median of the per-round ratios).
A run with socket errors or non-2xx responses is not a result: it is counted as flagged and left out.

Usage: summarize.py results.csv [environment.txt]
"""
import csv
import statistics
import sys
from collections import defaultdict

BASELINE = "netty-nio"
UNITS = {"ws-echo-64": "msg/s"}


def median(values):
    return statistics.median(values) if values else None


def numbers(rows, column):
    """The column's values as floats, leaving out NA (a percentile wrk could not resolve)."""
    out = []
    for row in rows:
        try:
            out.append(float(row[column]))
        except ValueError:
            pass
    return out


def fmt(value, digits=0):
    if value is None:
        return "–"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def main():
    rows = list(csv.DictReader(open(sys.argv[1], newline="")))
    env = open(sys.argv[2]).read().strip() if len(sys.argv) > 2 else ""

    scenarios, servers = [], []
    runs = defaultdict(list)  # (scenario, server) -> rows
    for row in rows:
        if row["scenario"] not in scenarios:
            scenarios.append(row["scenario"])
        if row["server"] not in servers:
            servers.append(row["server"])
        runs[(row["scenario"], row["server"])].append(row)

    def valid(row):
        return row["valid"] == "true"

    by_round = {(r["scenario"], r["server"], r["round"]): r for r in rows if valid(r)}

    out = []
    if env:
        out.append("```")
        out.append(env)
        out.append("```")
        out.append("")
    out.append("Medians over rounds. \"× Netty NIO\" is the median of the per-round ratios to netty-nio in the same "
               "scenario and round. \"per CPU-s\" is requests (or messages) per second of server CPU time "
               "(user + system, from /proc/<pid>/stat), the fair measure when the load generator is the limit. "
               "Flagged runs (socket errors or non-2xx responses) are not results.")
    out.append("")
    for scenario in scenarios:
        unit = UNITS.get(scenario, "req/s")
        per_cpu_unit = "msg" if unit == "msg/s" else "req"
        sample = next(iter(r for r in rows if r["scenario"] == scenario))
        depth = sample["pipeline"]
        out.append(f"### {scenario} ({sample['connections']} connections"
                   + (f", pipeline depth {depth}" if depth not in ("", "1") else "") + ")")
        out.append("")
        out.append(f"| Server | {unit} | × Netty NIO | {per_cpu_unit} per CPU-s | × Netty NIO | p50 ms | p99 ms | valid/runs |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for server in servers:
            rs = runs.get((scenario, server))
            if not rs:
                continue
            good = [r for r in rs if valid(r)]
            rps = median([float(r["rps"]) for r in good])
            per_cpu = median([float(r["rps_per_cpu_s"]) for r in good])
            p50 = median(numbers(good, "p50_ms"))
            p99 = median(numbers(good, "p99_ms"))
            ratios, cpu_ratios = [], []
            for r in good:
                base = by_round.get((scenario, BASELINE, r["round"]))
                if base and float(base["rps"]) > 0:
                    ratios.append(float(r["rps"]) / float(base["rps"]))
                if base and float(base["rps_per_cpu_s"]) > 0:
                    cpu_ratios.append(float(r["rps_per_cpu_s"]) / float(base["rps_per_cpu_s"]))
            notes = sorted({r["note"] for r in rs if not valid(r) and r["note"]})
            flag = f"{len(good)}/{len(rs)}" + (f" ⚠ {'; '.join(notes)}" if notes else "")
            out.append(f"| {server} | {fmt(rps)} | {fmt(median(ratios), 2)} | {fmt(per_cpu)} | {fmt(median(cpu_ratios), 2)} "
                       f"| {fmt(p50, 2)} | {fmt(p99, 2)} | {flag} |")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
