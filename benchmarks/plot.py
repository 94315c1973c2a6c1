#!/usr/bin/env python3
"""Charts of a benchmark run, medians over the valid runs of each (scenario, server) as in results.md:

- throughput.png, per-cpu-second.png, p99-latency.png: a group of bars per request/echo scenario, one
  bar per server;
- broadcast.png: deliveries per second and p99 fan-out latency per server (ws-broadcast-*);
- memory-per-connection.png: live heap and RSS outside the heap per idle connection (idle-*);
- startup.png: time to the first response and RSS right after it (startup).

Usage: plot.py results.csv output-dir

A chart is written only when the run has its scenarios. Needs matplotlib (Debian: python3-matplotlib,
which run.sh installs when missing).
"""
import csv
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MEASURES = [
    ("rps", "Throughput (requests or messages per second)", "throughput.png"),
    ("rps_per_cpu_s", "Requests per server-CPU-second", "per-cpu-second.png"),
    ("p99_ms", "p99 latency (ms, lower is better)", "p99-latency.png"),
]


def is_throughput(scenario):
    return not (scenario.startswith(("idle-", "ws-broadcast-")) or scenario == "startup")


def medians(rows, column):
    """(scenario, server) -> median of the column over the rows that have a value."""
    values = defaultdict(list)
    for r in rows:
        try:
            value = float(r.get(column) or "")
        except ValueError:
            continue
        values[(r["scenario"], r["server"])].append(value)
    return {key: statistics.median(v) for key, v in values.items()}


def grouped_bars(ax, groups, series, values, title):
    """One group of bars per entry of groups, one bar per entry of series; values[(group, series)]."""
    width = 0.8 / max(1, len(series))
    for i, name in enumerate(series):
        xs, ys = [], []
        for j, group in enumerate(groups):
            v = values.get((group, name))
            if v is not None:
                xs.append(j + i * width)
                ys.append(v)
        ax.bar(xs, ys, width, label=name)
    ax.set_xticks([j + width * (len(series) - 1) / 2 for j in range(len(groups))])
    ax.set_xticklabels(groups, rotation=20 if len(groups) > 4 else 0, ha="right" if len(groups) > 4 else "center")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    if len(series) > 1:
        ax.legend(fontsize="small")


def per_server_charts(rows, scenario_kind, panels, name, out_dir):
    """One row of panels per matching scenario: panels are (column, title, scale), bars per server."""
    scenarios = [s for s in dict.fromkeys(r["scenario"] for r in rows) if scenario_kind(s)]
    if not scenarios:
        return
    servers = list(dict.fromkeys(r["server"] for r in rows if r["scenario"] in scenarios))
    fig, axes = plt.subplots(len(scenarios), len(panels), figsize=(6 * len(panels), 4.5 * len(scenarios)), squeeze=False)
    for row, scenario in enumerate(scenarios):
        for col, (columns, title, scale) in enumerate(panels):
            values = {}
            for column, label in columns:
                for (sc, server), v in medians(rows, column).items():
                    if sc == scenario:
                        values[(server, label)] = v * scale
            grouped_bars(axes[row][col], servers, [label for _, label in columns], values, f"{scenario}: {title}")
    fig.tight_layout()
    fig.savefig(f"{out_dir}/{name}", dpi=110)
    plt.close(fig)


def main(csv_path, out_dir):
    rows = [r for r in csv.DictReader(open(csv_path)) if r["valid"] == "true"]
    throughput_rows = [r for r in rows if is_throughput(r["scenario"])]
    scenarios = list(dict.fromkeys(r["scenario"] for r in throughput_rows))
    servers = list(dict.fromkeys(r["server"] for r in throughput_rows))
    if scenarios:
        for column, title, name in MEASURES:
            values = medians(throughput_rows, column)
            fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(scenarios) * max(1, len(servers)) / 3), 5))
            grouped_bars(ax, scenarios, servers, {(sc, sv): v for (sc, sv), v in values.items()}, title)
            ax.legend(fontsize="small")
            fig.tight_layout()
            fig.savefig(f"{out_dir}/{name}", dpi=110)
            plt.close(fig)

    per_server_charts(rows, lambda s: s.startswith("ws-broadcast-"), [
        ([("rps", "deliveries/s")], "deliveries per second", 1),
        ([("p99_ms", "p99")], "p99 fan-out latency (ms, lower is better)", 1),
    ], "broadcast.png", out_dir)
    per_server_charts(rows, lambda s: s.startswith("idle-"), [
        ([("heap_per_conn_bytes", "live heap"), ("rss_per_conn_bytes", "RSS outside the heap")],
         "bytes per idle connection (lower is better)", 1),
    ], "memory-per-connection.png", out_dir)
    per_server_charts(rows, lambda s: s == "startup", [
        ([("startup_ms", "ms")], "ms to the first response (lower is better)", 1),
        ([("rss_kb", "MiB")], "RSS after the first response (MiB)", 1 / 1024),
    ], "startup.png", out_dir)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
