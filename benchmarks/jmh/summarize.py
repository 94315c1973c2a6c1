#!/usr/bin/python3
"""Markdown summary of a JMH JSON result of the codec benchmarks (Python 3 standard library only).

    /usr/bin/python3 benchmarks/jmh/summarize.py RESULT.json [> RESULT.md]

Pairs benchmark methods of the same class and parameters by name: `sluiceX` goes with `nettyX`, and a
method without a same-suffix counterpart goes with the plain `sluice` or `netty` one (so
`sluiceAssembled` is compared with `netty`, `nettyEmbedded` with `sluice`). The ratio is Netty's time
over Sluice's: above 1 means Sluice is faster. Methods that are neither (reference loops) are listed
afterwards. Allocation per operation comes from `-prof gc` (`gc.alloc.rate.norm`) when it was used.
"""

import json
import math
import sys
from collections import OrderedDict

PACKAGE = "io.sluice.bench.jmh."


def number(value):
    """JMH writes NaN as the string "NaN" (one measurement iteration has no error)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def fmt(value, error=math.nan):
    if math.isnan(value):
        return "–"
    digits = 0 if value >= 1000 else 1 if value >= 10 else 2
    text = f"{value:,.{digits}f}"
    if not math.isnan(error):
        text += f" ± {error:,.{digits}f}"
    return text


def fmt_bytes(value):
    if value is None or math.isnan(value):
        return "–"
    return f"{value:,.0f}"


def load(path):
    with open(path, encoding="utf-8") as f:
        runs = json.load(f)
    groups = OrderedDict()  # (class, params) -> {method: result}
    for run in runs:
        name = run["benchmark"]
        if name.startswith(PACKAGE):
            name = name[len(PACKAGE):]
        cls, _, method = name.rpartition(".")
        params = run.get("params") or {}
        key = (cls, ", ".join(f"{k}={v}" for k, v in params.items()))
        primary = run["primaryMetric"]
        alloc = (run.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
        groups.setdefault(key, OrderedDict())[method] = {
            "score": number(primary["score"]),
            "error": number(primary.get("scoreError")),
            "unit": primary.get("scoreUnit", ""),
            "alloc": number(alloc["score"]) if alloc else None,
        }
    return runs, groups


def pairs(methods):
    """(sluice method, netty method) pairs of one group, as described in the module docstring."""
    sluice = [m for m in methods if m.startswith("sluice")]
    netty = [m for m in methods if m.startswith("netty")]
    result = []
    for s in sluice:
        counterpart = "netty" + s[len("sluice"):]
        if counterpart in netty:
            result.append((s, counterpart))
        elif "netty" in netty:
            result.append((s, "netty"))
    for n in netty:
        counterpart = "sluice" + n[len("netty"):]
        if counterpart not in sluice and "sluice" in sluice:
            result.append(("sluice", n))
    return result


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    runs, groups = load(argv[1])
    out = []
    if runs:
        first = runs[0]
        out.append("# Codec micro-benchmarks: Sluice vs Netty\n")
        out.append(f"- JVM: {first.get('vmName', '?')} {first.get('vmVersion', '')} "
                   f"(JDK {first.get('jdkVersion', '?')}), JMH {first.get('jmhVersion', '?')}")
        out.append(f"- Forks {first.get('forks')}, warm-up {first.get('warmupIterations')} × "
                   f"{first.get('warmupTime')}, measurement {first.get('measurementIterations')} × "
                   f"{first.get('measurementTime')}; mode {first.get('mode')}, threads {first.get('threads')}")
        out.append("- Ratio = Netty time / Sluice time: above 1 means Sluice is faster. "
                   "± is JMH's 99.9 % confidence half-interval (none with a single iteration). "
                   "B/op: bytes allocated per operation (`-prof gc`).\n")

    unit = next((r["unit"] for g in groups.values() for r in g.values()), "ns/op")
    out.append(f"| Benchmark | Params | Sluice | Netty | Sluice {unit} | Netty {unit} | Netty/Sluice "
               "| Sluice B/op | Netty B/op |")
    out.append("|---|---|---|---|---:|---:|---:|---:|---:|")
    others = []
    for (cls, params), methods in groups.items():
        paired = set()
        for s, n in pairs(methods):
            a, b = methods[s], methods[n]
            ratio = b["score"] / a["score"] if a["score"] > 0 else math.nan
            out.append(f"| {cls.removesuffix('Benchmark')} | {params or '–'} | {s} | {n} "
                       f"| {fmt(a['score'], a['error'])} | {fmt(b['score'], b['error'])} "
                       f"| {'–' if math.isnan(ratio) else f'{ratio:.2f}'} "
                       f"| {fmt_bytes(a['alloc'])} | {fmt_bytes(b['alloc'])} |")
            paired.update((s, n))
        for m, r in methods.items():
            if m not in paired:
                others.append((cls, params, m, r))
    if others:
        out.append("\nReference measurements (not Sluice or Netty):\n")
        out.append(f"| Benchmark | Params | Method | {unit} | B/op |")
        out.append("|---|---|---|---:|---:|")
        for cls, params, m, r in others:
            out.append(f"| {cls.removesuffix('Benchmark')} | {params or '–'} | {m} "
                       f"| {fmt(r['score'], r['error'])} | {fmt_bytes(r['alloc'])} |")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
