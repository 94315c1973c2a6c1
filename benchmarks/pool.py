#!/usr/bin/env python3
"""Pools the rounds of several run.sh results.csv files into one, so that summarize.py takes medians
over all of them. Rounds are renumbered (the first file's rounds first), so per-round ratios still
compare servers measured in the same round of the same run. Only rows of the given servers and
scenarios are kept; pool only runs made with the same settings on the same machine.

Usage: pool.py --servers a,b [--scenarios x,y] out.csv in1.csv in2.csv ...
"""
import argparse
import csv


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", required=True)
    parser.add_argument("--scenarios")
    parser.add_argument("out")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()
    servers = set(args.servers.split(","))
    scenarios = set(args.scenarios.split(",")) if args.scenarios else None

    pooled, columns, offset = [], None, 0
    for path in args.inputs:
        rows = list(csv.DictReader(open(path, newline="")))
        if columns is None and rows:
            columns = list(rows[0].keys())
        last = 0
        for row in rows:
            if row["server"] in servers and (scenarios is None or row["scenario"] in scenarios):
                round_number = int(row["round"])
                last = max(last, round_number)
                row["round"] = str(offset + round_number)
                pooled.append(row)
        offset += last
    with open(args.out, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(pooled)


if __name__ == "__main__":
    main()
