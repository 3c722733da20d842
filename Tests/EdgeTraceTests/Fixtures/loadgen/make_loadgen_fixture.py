#!/usr/bin/env python3
"""Produce a fresh MLPerf LoadGen trace and summary for edgetop's import tests.

A tiny SingleStream system under test answers each query after a seeded random sleep
(0.2-1.5 ms, with one query in fifty taking 3 ms), so the latency distribution has a
tail. LoadGen itself measures the latencies and writes mlperf_log_trace.json and
mlperf_log_summary.txt; the tests check that `edgetop stats` reports the summary's
percentiles to the nanosecond from the trace's per-sample latencies.

Usage: pip install mlcommons-loadgen; python3 make_loadgen_fixture.py OUTDIR [QUERIES]
"""
import os
import random
import sys
import time

import mlperf_loadgen as lg


def main():
    out = sys.argv[1]
    queries = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261126)

    def issue(samples):
        responses = []
        for s in samples:
            delay = 0.003 if rng.random() < 0.02 else rng.uniform(0.0002, 0.0015)
            time.sleep(delay)
            responses.append(lg.QuerySampleResponse(s.id, 0, 0))
        lg.QuerySamplesComplete(responses)

    def flush():
        pass

    settings = lg.TestSettings()
    settings.scenario = lg.TestScenario.SingleStream
    settings.mode = lg.TestMode.PerformanceOnly
    settings.single_stream_expected_latency_ns = 1_000_000
    settings.min_query_count = queries
    settings.max_query_count = queries
    settings.min_duration_ms = 0

    log_out = lg.LogOutputSettings()
    log_out.outdir = out
    log_out.copy_summary_to_stdout = False
    log_settings = lg.LogSettings()
    log_settings.log_output = log_out
    log_settings.enable_trace = True

    sut = lg.ConstructSUT(issue, flush)
    qsl = lg.ConstructQSL(64, 64, lambda idx: None, lambda idx: None)
    lg.StartTestWithLogSettings(sut, qsl, settings, log_settings)
    lg.DestroyQSL(qsl)
    lg.DestroySUT(sut)


if __name__ == "__main__":
    main()
