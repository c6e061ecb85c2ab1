#!/usr/bin/python3
"""Benchmark jparallel's shared memory against Python's multiprocessing.

Usage: /usr/bin/python3 bench/shared_bench.py [--quick] [options]

This is a benchmark, not a test: it never fails on slow figures, it measures
and prints them. In one run it

  1. builds the project with Maven if its jars are missing (or with --build),
  2. runs the shared-memory sections of the reference ../shared/bench/python_mp.py
     (its own functions, imported from it: Value increments with get_lock()
     and raw, 2 fork processes x 200,000; bytes through task arguments of a
     fork Pool(2), 8 x 12.5 MB each way; about 20 seconds), and the
     synchronization measurements written in this file (python_mp.py has
     none): Semaphore(1) acquire/release pairs and Barrier(2) rounds, 2 fork
     processes contending,
  3. compiles bench/SharedBench.java (with PoolBench.java, for its helpers)
     against the core jar into a temporary directory and runs it with the
     JVM flags the pool gives its workers (about 10 seconds),

one after the other, never at the same time. It prints each figure beside
Python's with a ratio (above 1: jparallel is better), then the issue's
targets, and writes both JSON objects to build/bench/shared_bench.json.
"""

import importlib.util
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
SOURCES = [REPO / "bench" / "PoolBench.java", REPO / "bench" / "SharedBench.java"]
DEFAULT_JSON = REPO / "build" / "bench" / "shared_bench.json"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load_python_mp(path):
    spec = importlib.util.spec_from_file_location("python_mp", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["python_mp"] = module  # fork workers find the functions by this module name
    spec.loader.exec_module(module)
    return module


# ---- synchronization: measured here, with the same shape as python_mp.py's bench_value ----

def _semaphore_pairs(sem, n, go):
    go.wait()
    for _ in range(n):
        sem.acquire()
        sem.release()


def _barrier_rounds(barrier, n, go):
    go.wait()
    for _ in range(n):
        barrier.wait()


def bench_sync(mp, kind, n, reps):
    """2 fork processes x n: Semaphore(1) acquire/release pairs (pairs/s over both) or Barrier(2) waits
    (rounds/s), timed from go.set() until both have been joined."""
    ctx = mp.get_context("fork")
    rates = []
    for _ in range(reps):
        go = ctx.Event()
        if kind == "semaphore":
            target, shared, done = _semaphore_pairs, ctx.Semaphore(1), 2 * n
        else:
            target, shared, done = _barrier_rounds, ctx.Barrier(2), n
        procs = [ctx.Process(target=target, args=(shared, n, go)) for _ in range(2)]
        for p in procs:
            p.start()
        t0 = time.perf_counter()
        go.set()
        for p in procs:
            p.join()
        rates.append(done / (time.perf_counter() - t0))
        assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    return rates


def run_python(path, reps):
    """python_mp.py's own value and transfer sections, called as it calls them."""
    mp_bench = load_python_mp(path)
    med = statistics.median
    out = {}
    log("python: Value increments with get_lock() (2 x 200,000) ...")
    rates, lost = mp_bench.bench_value("locked", 200_000, reps)
    out["with_get_lock"] = mp_bench.metric(round(med(rates)), "increments/s", reps, per_rep=[round(r) for r in rates],
                                           lost_updates=int(med(lost)),
                                           note="2 fork processes x 200000 `with v.get_lock(): v.value += 1`")
    log("python: raw Value increments (2 x 200,000) ...")
    rates, lost = mp_bench.bench_value("raw", 200_000, reps)
    out["raw_value_no_lock"] = mp_bench.metric(round(med(rates)), "increments/s", reps,
                                               per_rep=[round(r) for r in rates], lost_updates=int(med(lost)),
                                               note="Value('i', lock=False): plain shared memory, no locking")
    log("python: Semaphore(1) acquire/release pairs and Barrier(2) rounds (measured in shared_bench.py) ...")
    rates = bench_sync(mp_bench.mp, "semaphore", 200_000, reps)
    out["semaphore_pairs"] = mp_bench.metric(round(med(rates)), "pairs/s", reps, per_rep=[round(r) for r in rates],
                                             note="measured in shared_bench.py: 2 fork processes x 200000"
                                                  " `s.acquire(); s.release()` on multiprocessing.Semaphore(1)")
    rates = bench_sync(mp_bench.mp, "barrier", 20_000, reps)
    out["barrier_rounds"] = mp_bench.metric(round(med(rates)), "rounds/s", reps, per_rep=[round(r) for r in rates],
                                            note="measured in shared_bench.py: 2 fork processes x 20000"
                                                 " `b.wait()` on multiprocessing.Barrier(2)")
    log("python: bytes through task arguments of a fork Pool(2) ...")
    with mp_bench.mp.get_context("fork").Pool(2) as pool:
        pool.map(mp_bench._getpid, range(8), chunksize=1)
        out["transfer"] = mp_bench.bench_transfer(pool, reps)
    return {"python": sys.version.split()[0], "metrics": out}


def run_java(args, workdir):
    return pool_bench.run_java_program(args, workdir, SOURCES, "SharedBench")


def value(doc, path):
    node = (doc or {}).get("metrics", {})
    for part in path.split("/"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node.get("value") if isinstance(node, dict) else node


# label, jparallel path, Python path, digits
ROWS = [
    ("increments under the lock (/s)", "value_ops/locked", "with_get_lock", 0),
    ("atomic increments (/s) [py: under the lock]", "value_ops/atomic", "with_get_lock", 0),
    ("raw increments, no lock (/s)", "value_ops/raw_no_lock", "raw_value_no_lock", 0),
    ("semaphore acquire/release pairs (/s) [py: measured here]", "sync/semaphore_pairs", "semaphore_pairs", 0),
    ("barrier rounds, 2 parties (/s) [py: measured here]", "sync/barrier_rounds", "barrier_rounds", 0),
    ("bytes to workers (MB/s), streaming", "shared_array/to_workers_MBps", "transfer/to_workers_MBps", 1),
    ("  … end to end", "shared_array/to_workers_end_to_end_MBps", "transfer/to_workers_MBps", 1),
    ("  … raw array, streaming", "raw_shared_array/to_workers_MBps", "transfer/to_workers_MBps", 1),
    ("  … raw array, end to end", "raw_shared_array/to_workers_end_to_end_MBps", "transfer/to_workers_MBps", 1),
    ("bytes from workers (MB/s), streaming", "shared_array/from_workers_MBps", "transfer/from_workers_MBps", 1),
    ("  … end to end", "shared_array/from_workers_end_to_end_MBps", "transfer/from_workers_MBps", 1),
    ("  … raw array, streaming", "raw_shared_array/from_workers_MBps", "transfer/from_workers_MBps", 1),
    ("  … raw array, end to end", "raw_shared_array/from_workers_end_to_end_MBps", "transfer/from_workers_MBps", 1),
]

TARGETS = [
    ("increments under the lock >= 10x Python's get_lock()", "value_ops/locked", "with_get_lock", 10),
    ("atomic increments >= 30x Python's get_lock()", "value_ops/atomic", "with_get_lock", 30),
    ("bytes to workers through a shared array >= 10x Python's task arguments (streaming)",
     "shared_array/to_workers_MBps", "transfer/to_workers_MBps", 10),
    ("  … end to end", "shared_array/to_workers_end_to_end_MBps", "transfer/to_workers_MBps", 10),
    ("  … raw array, streaming", "raw_shared_array/to_workers_MBps", "transfer/to_workers_MBps", 10),
    ("  … raw array, end to end", "raw_shared_array/to_workers_end_to_end_MBps", "transfer/to_workers_MBps", 10),
]


def main(argv=None):
    parser = pool_bench.java_bench_parser(__doc__, "3 repetitions instead of 5, fewer increments in Java",
                                          "SharedBench", DEFAULT_JSON)
    parser.add_argument("--python-mp", default=str(pool_bench.default_python_mp()),
                        help="reference script (default: %(default)s)")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    t0 = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="jparallel-shared-bench-")
    try:
        pool_bench.build_if_needed(args.build)
        py = None if args.no_python else run_python(args.python_mp, 3 if args.quick else 5)
        jp = run_java(args, workdir)
    except (pool_bench.BenchError, subprocess.TimeoutExpired, OSError, ValueError) as err:
        print("shared_bench: FAILED: %s" % err, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows, machine_rows = [], []
    for label, jp_path, py_path, digits in ROWS:
        a, b = value(jp, jp_path), value(py, py_path)
        r = a / b if a and b else None
        rows.append([label, pool_bench.fmt(a, digits), pool_bench.fmt(b, digits), "-" if r is None else "%.1f" % r])
        machine_rows.append({"metric": label, "jparallel": a, "python_mp": b, "ratio": r})
    print()
    print("jparallel: Java %s, %s; Python mp: %s" % (jp["machine"].get("java_version"),
                                                   " ".join(jp["machine"].get("jvm_args", [])),
                                                   (py or {}).get("python", "skipped")))
    print(pool_bench.table(["metric (2 processes contending)", "jparallel", "Python mp", "ratio"], rows))
    print("ratio: jparallel / Python, measured in this run; above 1 means jparallel is better")

    targets = []
    for label, jp_path, py_path, factor in TARGETS:
        a, b = value(jp, jp_path), value(py, py_path)
        r = a / b if a and b else None
        targets.append({"target": label, "ratio": r, "met": None if r is None else r >= factor})
    print()
    print(pool_bench.table(["target (from the issue)", "measured", "met"],
                           [[t["target"], "-" if t["ratio"] is None else "%.1fx" % t["ratio"],
                             {True: "yes", False: "NO", None: "-"}[t["met"]]] for t in targets], right_from=3))
    pool_bench.write_report(args.json, "jparallel shared_bench", {"quick": args.quick, "no_python": args.no_python}, t0,
                            load_before, {"comparison": machine_rows, "targets": targets, "jparallel": jp, "python_mp": py})
    return 0


if __name__ == "__main__":
    sys.exit(main())
