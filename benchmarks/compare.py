#!/usr/bin/env python3
"""Summarizes benchmarks/compare.sh: the median over rounds per build, workload, system and size,
each build's ratio to raw threads in the same build, and each build's ratio to the first build; the B3 and B4 probes (completion to every thread gone,
failure to reported) as rows of their own."""
import glob, json, os, statistics, sys
from collections import defaultdict

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "target/compare")
names = sorted(os.listdir(root))
if len(sys.argv) > 2:
    names = sys.argv[2].split(",")
time, alloc, unit = defaultdict(list), defaultdict(list), {}
for name in names:
    for f in glob.glob(os.path.join(root, name, "*.json")):
        try:
            results = json.load(open(f))
        except ValueError:  # a fork still running, or one that failed before writing its results
            continue
        for res in results:
            bench = res["benchmark"].split(".")
            wl = bench[-2].lstrip("WB0123456789")
            key = (wl, bench[-1], ",".join(f"{k}={v}" for k, v in sorted(res.get("params", {}).items()) if k != "probe"))
            pm = res["primaryMetric"]
            score = statistics.median(x for fork in pm["rawData"] for x in fork) if "rawData" in pm else pm["score"]
            time[(name,) + key].append(score)
            unit[key] = pm["scoreUnit"]
            for probe in ("probe.gone", "probe.reported"):
                if probe in res.get("secondaryMetrics", {}):
                    pkey = (wl, bench[-1] + " " + probe[6:] + ".us", key[2])
                    time[(name,) + pkey].append(res["secondaryMetrics"][probe]["score"])
                    unit[pkey] = "us"
            norm = res.get("secondaryMetrics", {}).get("·gc.alloc.rate.norm") or res.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            if norm:
                alloc[(name,) + key].append(norm["score"])

keys = sorted({k[1:] for k in time})
print(f"| workload | system | params | " + " | ".join(f"{n} (time)" for n in names) + " | " + " | ".join(f"{n}/raw" for n in names) + f" | {names[-1]}/{names[0]} | bytes/op " + " / ".join(names) + " |")
print("|" + "---|" * (4 + 2 * len(names) + 1))
for key in keys:
    wl, m, params = key
    med = {n: statistics.median(time[(n,) + key]) for n in names if time.get((n,) + key)}
    raw_m = {"Limits": "rawSemaphore", "Processor": "withoutProcessor"}.get(wl, "raw")
    if " " in m:
        raw_m += m[m.index(" "):]
    cells = [f"{med[n]:.4g} {unit[key]} (n={len(time[(n,)+key])})" if n in med else "-" for n in names]
    ratios = []
    for n in names:
        r = time.get((n, wl, raw_m, params))
        ratios.append(f"{med[n] / statistics.median(r):.2f}" if r and n in med else "-")
    ab = f"{med[names[-1]] / med[names[0]]:.3f}" if names[0] in med and names[-1] in med else "-"
    by = " / ".join(f"{statistics.median(alloc[(n,)+key]):.0f}" if alloc.get((n,) + key) else "-" for n in names)
    print(f"| {wl} | {m} | {params} | " + " | ".join(cells) + " | " + " | ".join(ratios) + f" | {ab} | {by} |")
