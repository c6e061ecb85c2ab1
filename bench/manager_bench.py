#!/usr/bin/python3
"""Benchmark jparallel's Manager proxies against Python's multiprocessing.Manager.

Usage: /usr/bin/python3 bench/manager_bench.py [--quick] [options]

This is a benchmark, not a test: it never fails on slow figures, it measures
and prints them. In one run it

  1. builds the project with Maven if its jars are missing (or with --build),
  2. measures Python's Manager().dict() with the Debian /usr/bin/python3: the
     functions below, labelled "Python Manager" (../shared/bench/python_mp.py
     has no Manager section): 2 fork processes doing d[key] = i; d[key], a
     counter incremented by 2 processes under a manager Lock (Python has no
     atomic update of a dict entry), and the round trip of one process alone,
  3. compiles bench/ManagerBench.java (with PoolBench.java and SharedBench.java,
     for their helpers) against the core jar and runs it with the kernel's JVM
     flags, since the manager's server runs in the calling JVM as in the kernel,

one after the other, never at the same time. It prints each figure beside
Python's with a ratio (above 1: jparallel is better), then the target of the
issue (a round trip of at most 100 us), and writes both JSON objects to
build/bench/manager_bench.json.
"""

import multiprocessing as mp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pool_bench  # noqa: E402  (build, java tools, tables: shared with the pool benchmark)

REPO = pool_bench.REPO
SOURCES = [REPO / "bench" / name for name in ("PoolBench.java", "SharedBench.java", "ManagerBench.java")]
DEFAULT_JSON = REPO / "build" / "bench" / "manager_bench.json"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def metric(value, unit, reps, **extra):
    return dict(value=value, unit=unit, reps=reps, **extra)


# --------------------------------------------------------------------------
# Python Manager: worker-side functions (module level, run in fork processes)
# --------------------------------------------------------------------------
def _put_get(d, barrier, key, n):
    barrier.wait(timeout=60)
    for i in range(n):
        d[key] = i
        if d[key] != i:
            raise RuntimeError("read back another value")


def _locked_increments(d, lock, barrier, n):
    barrier.wait(timeout=60)
    for _ in range(n):
        with lock:
            d["n"] = d.get("n", 0) + 1


def _two_processes(ctx, target, args_of):
    procs = [ctx.Process(target=target, args=args_of(w)) for w in range(2)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    wall = time.perf_counter() - t0
    if any(p.exitcode != 0 for p in procs):
        raise RuntimeError("a Python worker failed")
    return wall


def run_python(n, reps):
    """Python's Manager().dict(), measured as ManagerBench measures jparallel's."""
    ctx = mp.get_context("fork")
    med = statistics.median
    out = {}
    with ctx.Manager() as manager:
        log("python Manager: put/get from 2 processes (2 x %d) ..." % n)
        rates = []
        for rep in range(-1, reps):
            d = manager.dict()
            barrier = ctx.Barrier(2)
            wall = _two_processes(ctx, _put_get, lambda w: (d, barrier, "worker %d" % w, n))
            if rep >= 0:
                rates.append(2 * 2 * n / wall)
        out["put_get_2_workers"] = metric(round(med(rates)), "round trips/s", reps,
                                          per_rep=[round(r) for r in rates],
                                          note="Python Manager: 2 fork processes x %d x (d[key] = i; d[key]), each "
                                               "its own key, start together (Barrier); all round trips / wall time "
                                               "of start() and join() in the parent" % n)
        log("python Manager: counter under a manager Lock from 2 processes (2 x %d) ..." % (n // 4))
        rates = []
        for rep in range(-1, reps):
            d = manager.dict()
            lock = manager.Lock()
            barrier = ctx.Barrier(2)
            wall = _two_processes(ctx, _locked_increments, lambda w: (d, lock, barrier, n // 4))
            if d["n"] != 2 * (n // 4):
                raise RuntimeError("the locked counter lost updates")
            if rep >= 0:
                rates.append(2 * (n // 4) / wall)
        out["locked_increments_2_workers"] = metric(
            round(med(rates)), "increments/s", reps, per_rep=[round(r) for r in rates],
            note="Python Manager: 2 fork processes x %d `with lock: d['n'] = d.get('n', 0) + 1`, lock = "
                 "manager.Lock() (4 round trips; Python has no atomic update of a dict entry)" % (n // 4))
        log("python Manager: round trip of one process alone ...")
        d = manager.dict()
        for i in range(n // 10):  # warm-up
            d["k"] = i
            d["k"]
        samples = []
        for i in range(n):
            t0 = time.perf_counter_ns()
            d["k"] = i
            t1 = time.perf_counter_ns()
            d["k"]
            samples += [(t1 - t0) / 1e3, (time.perf_counter_ns() - t1) / 1e3]
        samples.sort()
        count = len(samples)
        out["round_trip_latency"] = metric(round(samples[count // 2], 1), "us", count,
                                           p10=round(samples[count // 10], 1), p90=round(samples[count * 9 // 10], 1),
                                           p99=round(samples[count * 99 // 100], 1),
                                           note="Python Manager: one process alone (the parent), each of %d "
                                                "d['k'] = i and %d d['k'] timed" % (n, n))
    return {"python": sys.version.split()[0], "metrics": out}


def value(doc, name, field="value"):
    return ((doc or {}).get("metrics", {}).get(name) or {}).get(field)


# label, jparallel metric, Python metric, field, better ("higher" or "lower")
ROWS = [
    ("dict put/get from 2 workers (round trips/s)", "put_get_2_workers", "put_get_2_workers", "value", "higher"),
    ("counter from 2 workers (increments/s) [py: under a Lock]", "merge_2_workers",
     "locked_increments_2_workers", "value", "higher"),
    ("round trip, one caller (us, median)", "round_trip_latency", "round_trip_latency", "value", "lower"),
    ("round trip, one caller (us, p90)", "round_trip_latency", "round_trip_latency", "p90", "lower"),
]


def main(argv=None):
    parser = pool_bench.java_bench_parser(__doc__, "3 repetitions instead of 5, fewer operations", "ManagerBench",
                                          DEFAULT_JSON)
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    t0 = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="jparallel-manager-bench-")
    reps = 3 if args.quick else 5
    try:
        pool_bench.build_if_needed(args.build)
        py = None if args.no_python else run_python(2_000 if args.quick else 5_000, reps)
        jp = pool_bench.run_java_program(args, workdir, SOURCES, "ManagerBench")
    except (pool_bench.BenchError, subprocess.TimeoutExpired, OSError, ValueError, RuntimeError) as err:
        print("manager_bench: FAILED: %s" % err, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows, machine_rows = [], []
    for label, jp_name, py_name, field, better in ROWS:
        a, b = value(jp, jp_name, field), value(py, py_name, field)
        r = None if not (a and b) else (a / b if better == "higher" else b / a)
        rows.append([label, pool_bench.fmt(a, 1), pool_bench.fmt(b, 1), "-" if r is None else "%.1f" % r])
        machine_rows.append({"metric": label, "jparallel": a, "python_mp": b, "ratio": r})
    print()
    print("jparallel: Java %s, %s; Python Manager: %s" % (jp["machine"].get("java_version"),
                                                        " ".join(jp["machine"].get("jvm_args", [])),
                                                        (py or {}).get("python", "skipped")))
    print(pool_bench.table(["metric (Manager dict)", "jparallel", "Python", "ratio"], rows))
    print("ratio: above 1 means jparallel is better (jparallel / Python for rates, Python / jparallel for times),"
          " measured in this run")
    median_us = value(jp, "round_trip_latency")
    target = {"target": "a proxy round trip <= 100 us (median, one caller)", "measured_us": median_us,
              "met": None if median_us is None else median_us <= 100}
    print()
    print(pool_bench.table(["target (from the issue)", "measured", "met"],
                           [[target["target"], pool_bench.fmt(median_us, 1) + " us",
                             {True: "yes", False: "NO", None: "-"}[target["met"]]]], right_from=3))
    pool_bench.write_report(args.json, "jparallel manager_bench", {"quick": args.quick, "no_python": args.no_python}, t0,
                            load_before, {"comparison": machine_rows, "targets": [target], "jparallel": jp, "python_manager": py})
    return 0


if __name__ == "__main__":
    sys.exit(main())
