#!/usr/bin/env python3
"""Charts of a benchmark run: one PNG per measure, a group of bars per scenario, one bar per server.

Usage: plot.py results.csv output-dir

Medians over the valid runs of each (scenario, server), as in results.md. Needs matplotlib
(Debian: python3-matplotlib, which run.sh installs when missing).
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


def main(csv_path, out_dir):
    rows = [r for r in csv.DictReader(open(csv_path)) if r["valid"] == "true"]
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    servers = list(dict.fromkeys(r["server"] for r in rows))
    for column, title, name in MEASURES:
        values = defaultdict(list)
        for r in rows:
            if r[column] not in ("", "NA"):
                values[(r["scenario"], r["server"])].append(float(r[column]))
        fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(scenarios) * max(1, len(servers)) / 3), 5))
        width = 0.8 / max(1, len(servers))
        for i, server in enumerate(servers):
            xs, ys = [], []
            for j, scenario in enumerate(scenarios):
                v = values.get((scenario, server))
                if v:
                    xs.append(j + i * width)
                    ys.append(statistics.median(v))
            ax.bar(xs, ys, width, label=server)
        ax.set_xticks([j + width * (len(servers) - 1) / 2 for j in range(len(scenarios))])
        ax.set_xticklabels(scenarios)
        ax.set_title(title)
        ax.legend(fontsize="small")
        ax.grid(axis="y", alpha=0.3)
        fig.tight_layout()
        fig.savefig(f"{out_dir}/{name}", dpi=110)
        plt.close(fig)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
