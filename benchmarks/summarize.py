#!/usr/bin/env python3
"""Summarizes benchmarks/target/results/*.json (from run.sh) as the Markdown tables of
docs/BENCHMARKS.md: min and median over every measured iteration of every fork, and the ratio of
each system's median (and min) to the baseline's in the same configuration."""
import glob, json, os, statistics, sys
from collections import defaultdict

results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "target/results")
BASE = {"B5Limits": "rawSemaphore", "P1Processor": "withoutProcessor", "B7Hedging": "plain"}
percentiles = defaultdict(lambda: defaultdict(list))  # B7 (sample mode): system -> p50/p90/p99 per fork

timed = defaultdict(lambda: defaultdict(list))   # (cls, params) -> system -> metric -> samples
probe = defaultdict(lambda: defaultdict(list))
for f in sorted(glob.glob(os.path.join(results, "*.json"))):
    target = probe if ".rprobe." in f else timed
    try:
        entries = json.load(open(f))
    except ValueError:  # a fork still running, or killed
        continue
    for e in entries:
        cls, system = e["benchmark"].split(".")[-2:]
        params = tuple(sorted((k, v) for k, v in (e.get("params") or {}).items() if k != "probe"))
        if cls == "B7Hedging":
            pct = e["primaryMetric"].get("scorePercentiles", {})
            for q in ("50.0", "90.0", "99.0"):
                if q in pct:
                    percentiles[system][q].append(pct[q])
            continue
        metrics = {"time": e["primaryMetric"]}
        metrics.update(e.get("secondaryMetrics", {}))
        for name, m in metrics.items():
            samples = [x for fork in m.get("rawData", []) for x in fork]
            target[(cls, params)].setdefault(system, {}).setdefault(name, []).extend(samples)
            target[(cls, params)][system].setdefault("_unit_" + name, m["scoreUnit"])

def stats(xs):
    return (min(xs), statistics.median(xs)) if xs else (float("nan"), float("nan"))

def fmt(x):
    return f"{x:,.3g}" if abs(x) < 100 else f"{x:,.0f}"

def table(cls, params, systems, metric, label, per=1.0, unit=None):
    b = BASE.get(cls, "raw")
    base = (systems.get(b) or systems.get(b + " (baseline)") or {}).get(metric)
    bmin, bmed = stats(base) if base else (None, None)
    u = unit or systems[next(iter(systems))].get("_unit_" + metric, "")
    print(f"\n{label} ({u}{'' if per == 1 else ' per task'}), {', '.join(f'{k}={v}' for k, v in params) or 'no parameters'}\n")
    print("| system | min | median | median / baseline | min / baseline | samples |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for system, ms in systems.items():
        if metric not in ms:
            continue
        mn, md = stats(ms[metric])
        r1 = f"{md / bmed:.2f}x" if bmed else "-"
        r2 = f"{mn / bmin:.2f}x" if bmin else "-"
        print(f"| {system} | {fmt(mn / per)} | {fmt(md / per)} | {r1} | {r2} | {len(ms[metric])} |")

ORDER = ["raw", "rawSemaphore", "withoutProcessor", "executor", "executorSemaphore", "completableFuture",
         "completableFutureSemaphore", "structuredTaskScope", "structuredTaskScopeSemaphore", "jox",
         "loomresult", "loomresultGather", "withProcessor", "facadeSourceWithoutProcessor"]
def order(kv):
    name = kv[0].split(" ")[0]
    return (ORDER.index(name) if name in ORDER else len(ORDER), kv[0])


for (cls, params) in sorted(timed):
    systems = dict(sorted(timed[(cls, params)].items(), key=order))
    print(f"\n### {cls} {' '.join(f'{k}={v}' for k, v in params)}")
    p = dict(params)
    if cls == "B1SpawnGather":
        n = float(p["n"])
        table(cls, params, systems, "time", "time", per=n, unit="ns")
        table(cls, params, systems, "gc.alloc.rate.norm", "allocation", per=n, unit="B")
    elif cls == "B2FanOutSleep":
        table(cls, params, systems, "time", "wall time")
        table(cls, params, systems, "probe.heap.peak", "peak heap (sum of pool peaks)")
        table(cls, params, systems, "gc.alloc.rate.norm", "allocation per call")
    elif cls == "B3FirstWins":
        table(cls, params, systems, "probe.gone", "first completion to every thread gone")
        table(cls, params, systems, "probe.alive", "tasks still running when the call returned")
        table(cls, params, systems, "time", "whole call")
    elif cls == "B4FailurePropagation":
        table(cls, params, systems, "probe.reported", "failure thrown to failure reported, all cancelled")
        table(cls, params, systems, "time", "whole call")
    else:
        table(cls, params, systems, "time", "time")
        if cls == "B5Limits":
            table(cls, params, systems, "gc.alloc.rate.norm", "allocation per call")
for (cls, params) in sorted(probe):
    systems = dict(sorted(probe[(cls, params)].items(), key=order))
    print(f"\n### {cls} thread counts, {' '.join(f'{k}={v}' for k, v in params)}")
    table(cls, params, systems, "probe.threads", "distinct threads that ran tasks")
    table(cls, params, systems, "probe.concurrent", "most tasks running at once")
if percentiles:
    print("\n### B7Hedging latency percentiles (ms, median over forks)")
    print("| system | p50 | p90 | p99 |\n| --- | --- | --- | --- |")
    for system, qs in sorted(percentiles.items()):
        cells = [f"{statistics.median(qs[q]):.1f}" if qs[q] else "-" for q in ("50.0", "90.0", "99.0")]
        print(f"| {system} | " + " | ".join(cells) + " |")
