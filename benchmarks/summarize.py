#!/usr/bin/env python3
"""Turns run.sh's results.csv into Markdown tables: medians over rounds per scenario and server, and
each server's ratio to Netty NIO measured in the same round (the median of the per-round ratios).
A run with errors (socket errors, non-2xx responses, missing or out-of-order deliveries, connections
lost) is not a result: it is counted as flagged and left out.

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


def number(row, column):
    """The column's value as a float, or None when it is empty or NA (a percentile wrk could not
    resolve) or the column is missing (a CSV from before the column existed)."""
    try:
        return float(row.get(column) or "")
    except ValueError:
        return None


def numbers(rows, column):
    return [v for v in (number(r, column) for r in rows) if v is not None]


def fmt(value, digits=0):
    if value is None:
        return "–"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def kind(scenario):
    if scenario.startswith("idle-"):
        return "idle"
    if scenario == "startup":
        return "startup"
    if scenario.startswith("ws-broadcast-"):
        return "broadcast"
    return "throughput"


class Table:
    """The valid runs of one scenario, by server, and the baseline's run of each round."""

    def __init__(self, rows, scenario, servers):
        self.rows = [r for r in rows if r["scenario"] == scenario]
        self.servers = [s for s in servers if any(r["server"] == s for r in self.rows)]
        self.baseline = {r["round"]: r for r in self.rows if r["server"] == BASELINE and valid(r)}

    def runs(self, server):
        return [r for r in self.rows if r["server"] == server]

    def good(self, server):
        return [r for r in self.runs(server) if valid(r)]

    def median(self, server, column):
        return median(numbers(self.good(server), column))

    def ratio(self, server, column):
        """Median over rounds of this server's value over the baseline's in the same round."""
        ratios = []
        for r in self.good(server):
            base = self.baseline.get(r["round"])
            value, base_value = number(r, column), number(base, column) if base else None
            if value is not None and base_value:
                ratios.append(value / base_value)
        return median(ratios)

    def flag(self, server):
        rs = self.runs(server)
        notes = sorted({r["note"] for r in rs if not valid(r) and r.get("note")})
        return f"{len(self.good(server))}/{len(rs)}" + (f" ⚠ {'; '.join(notes)}" if notes else "")


def valid(row):
    return row["valid"] == "true"


def throughput_table(t, scenario):
    unit = UNITS.get(scenario, "req/s")
    per_cpu_unit = "msg" if unit == "msg/s" else "req"
    sample = t.rows[0]
    depth = sample["pipeline"]
    out = [f"### {scenario} ({sample['connections']} connections"
           + (f", pipeline depth {depth}" if depth not in ("", "1") else "") + ")", "",
           f"| Server | {unit} | × Netty NIO | {per_cpu_unit} per CPU-s | × Netty NIO | p50 ms | p99 ms | JIT busy % | valid/runs |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in t.servers:
        out.append(f"| {s} | {fmt(t.median(s, 'rps'))} | {fmt(t.ratio(s, 'rps'), 2)} | {fmt(t.median(s, 'rps_per_cpu_s'))} "
                   f"| {fmt(t.ratio(s, 'rps_per_cpu_s'), 2)} | {fmt(t.median(s, 'p50_ms'), 2)} | {fmt(t.median(s, 'p99_ms'), 2)} "
                   f"| {fmt(t.median(s, 'jit_busy_pct'))} | {t.flag(s)} |")
    return out


def broadcast_table(t, scenario):
    sample = t.rows[0]
    out = [f"### {scenario} ({int(sample['connections']):,} sessions, window {sample['pipeline']}; "
           "latency = fan-out: send to the last session's delivery)", "",
           "| Server | deliveries/s | × Netty NIO | deliveries per CPU-s | × Netty NIO | fan-outs/s | p50 ms | p99 ms "
           "| JIT busy % | valid/runs |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in t.servers:
        out.append(f"| {s} | {fmt(t.median(s, 'rps'))} | {fmt(t.ratio(s, 'rps'), 2)} | {fmt(t.median(s, 'rps_per_cpu_s'))} "
                   f"| {fmt(t.ratio(s, 'rps_per_cpu_s'), 2)} | {fmt(t.median(s, 'fanout_per_s'), 1)} "
                   f"| {fmt(t.median(s, 'p50_ms'), 2)} | {fmt(t.median(s, 'p99_ms'), 2)} "
                   f"| {fmt(t.median(s, 'jit_busy_pct'))} | {t.flag(s)} |")
    return out


def idle_table(t, scenario):
    sample = t.rows[0]
    # Total per connection: live heap plus what the resident set grew by outside the (pre-touched) heap.
    for r in t.rows:
        heap, rss = number(r, "heap_per_conn_bytes"), number(r, "rss_per_conn_bytes")
        r["total_per_conn_bytes"] = "" if heap is None or rss is None else str(heap + rss)
    # No ratio for the RSS part: it is a small difference of two large numbers, often near zero.
    out = [f"### {scenario} ({int(sample['connections']):,} idle keep-alive connections; bytes per connection)", "",
           "| Server | heap | × Netty NIO | RSS outside heap | total | × Netty NIO "
           "| live heap MiB before → with | RSS MiB before → with | valid/runs |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    mib = lambda s, c: fmt(None if t.median(s, c) is None else t.median(s, c) / 1024, 1)  # noqa: E731
    for s in t.servers:
        out.append(f"| {s} | {fmt(t.median(s, 'heap_per_conn_bytes'))} | {fmt(t.ratio(s, 'heap_per_conn_bytes'), 2)} "
                   f"| {fmt(t.median(s, 'rss_per_conn_bytes'))} "
                   f"| {fmt(t.median(s, 'total_per_conn_bytes'))} | {fmt(t.ratio(s, 'total_per_conn_bytes'), 2)} "
                   f"| {mib(s, 'heap_before_kb')} → {mib(s, 'heap_kb')} | {mib(s, 'rss_before_kb')} → {mib(s, 'rss_kb')} "
                   f"| {t.flag(s)} |")
    return out


def startup_table(t, scenario):
    out = [f"### {scenario} (launch to the first correct `GET /plaintext`; RSS right after it)", "",
           "| Server | ms | × Netty NIO | RSS MiB | × Netty NIO | valid/runs |",
           "|---|---:|---:|---:|---:|---:|"]
    for s in t.servers:
        rss = t.median(s, "rss_kb")
        out.append(f"| {s} | {fmt(t.median(s, 'startup_ms'))} | {fmt(t.ratio(s, 'startup_ms'), 2)} "
                   f"| {fmt(None if rss is None else rss / 1024, 1)} | {fmt(t.ratio(s, 'rss_kb'), 2)} | {t.flag(s)} |")
    return out


TABLES = {"throughput": throughput_table, "broadcast": broadcast_table, "idle": idle_table, "startup": startup_table}


def main():
    rows = list(csv.DictReader(open(sys.argv[1], newline="")))
    env = open(sys.argv[2]).read().strip() if len(sys.argv) > 2 else ""
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    servers = list(dict.fromkeys(r["server"] for r in rows))

    out = []
    if env:
        out += ["```", env, "```", ""]
    out.append("Medians over rounds. \"× Netty NIO\" is the median of the per-round ratios to netty-nio in the same "
               "scenario and round. \"per CPU-s\" is requests (or messages, or deliveries) per second of server CPU time "
               "(user + system, from /proc/<pid>/stat), the fair measure when the load generator is the limit. "
               "\"JIT busy %\" is how much of the measured run the JIT compiler threads were running or waiting to run "
               "(– when the run predates that column): above a few percent the server was still compiling. "
               "For memory and startup, lower is better. Flagged runs (errors of any kind) are not results.")
    out.append("")
    for scenario in scenarios:
        out += TABLES[kind(scenario)](Table(rows, scenario, servers), scenario)
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
