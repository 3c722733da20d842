#!/usr/bin/env python3
"""Times a .tflite model in edgetop (`edgetop bench --model FILE`) and in LiteRT
(ai-edge-litert, XNNPACK) on one thread, in interleaved rounds, each side in its own
process; prints each side's median of round medians, load time and peak RSS, and the ratio.

Usage: bench-tflite-vs-litert.py EDGETOP MODEL.tflite --backend int8 [--rounds 5 --runs 20]
"""
import argparse, json, os, statistics, subprocess, sys

LITERT = r'''
import json, sys, time
import numpy as np
t0 = time.perf_counter()
from ai_edge_litert.interpreter import Interpreter
it = Interpreter(model_path=sys.argv[1], num_threads=1)
it.allocate_tensors()
i = it.get_input_details()[0]
x = (np.random.default_rng(1).integers(0, 256, size=i["shape"]).astype(i["dtype"])
     if i["dtype"] != np.float32 else np.random.default_rng(1).uniform(-1, 1, size=i["shape"]).astype(np.float32))
it.set_tensor(i["index"], x)
load = time.perf_counter() - t0
it.invoke()
for _ in range(int(sys.argv[3])): it.invoke()
ts = []
for _ in range(int(sys.argv[2])):
    s = time.perf_counter_ns(); it.invoke(); ts.append(time.perf_counter_ns() - s)
ts.sort()
print(json.dumps({"p50_ns": ts[len(ts) // 2], "load_ns": int(load * 1e9)}))
'''


def child(cmd, env=None):
    """Runs cmd; returns (stdout, peak RSS in KiB) of that one process."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed with status {p.returncode}")
    return json.loads(out), usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("edgetop")
    ap.add_argument("model")
    ap.add_argument("--backend", default="int8")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()
    ours, theirs = [], []
    for _ in range(a.rounds):
        e, e_rss = child([a.edgetop, "bench", "--model", a.model, "--backend", a.backend, "--threads", "1",
                          "--runs", str(a.runs), "--warmup", str(a.warmup), "--json"])
        l, l_rss = child([sys.executable, "-c", LITERT, a.model, str(a.runs), str(a.warmup)], env=os.environ)
        ours.append((e["p50_ns"], e["load_ns"], e_rss))
        theirs.append((l["p50_ns"], l["load_ns"], l_rss))
    med = lambda xs, k: statistics.median(x[k] for x in xs)
    result = {
        "model": os.path.basename(a.model), "backend": a.backend, "rounds": a.rounds, "runs_per_round": a.runs,
        "edgetop_median_ms": med(ours, 0) / 1e6, "litert_median_ms": med(theirs, 0) / 1e6,
        "ratio": med(ours, 0) / med(theirs, 0),
        "edgetop_load_ms": med(ours, 1) / 1e6, "litert_load_ms": med(theirs, 1) / 1e6,
        "edgetop_peak_rss_mib": max(x[2] for x in ours) / 1024, "litert_peak_rss_mib": max(x[2] for x in theirs) / 1024,
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
