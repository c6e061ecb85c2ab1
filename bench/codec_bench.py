#!/usr/bin/python3
"""Benchmark jparallel's value codec against Python's pickle on many small values.

Usage: /usr/bin/python3 bench/codec_bench.py [--quick] [options]

This is a benchmark, not a test: it never fails on slow figures, it measures
and prints them. In one run it

  1. builds the project with Maven if its jars are missing (or with --build),
  2. times pickle.dumps then pickle.loads (protocol 5, what multiprocessing
     sends) of 100,000 ints, and of 100,000 values cycling int, large int,
     float and str, as one chunk (median after a warm-up),
  3. compiles bench/CodecBench.java (with PoolBench.java, for its helpers)
     against the core jar and runs it: the same lists through ValueCodec's
     encodeAll then decodeAll,

and prints each figure beside Python's with a ratio (above 1: jparallel is
faster), writing both JSON objects to build/bench/codec_bench.json.
"""

import os
import pickle
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
SOURCES = [REPO / "bench" / "PoolBench.java", REPO / "bench" / "CodecBench.java"]
DEFAULT_JSON = REPO / "build" / "bench" / "codec_bench.json"
N = 100_000


def round_trips(values, warmup, reps):
    """Milliseconds of each of `reps` pickle round trips of `values`, after `warmup` untimed ones."""
    out = []
    for r in range(warmup + reps):
        t0 = time.perf_counter()
        copy = pickle.loads(pickle.dumps(values, protocol=5))
        if r >= warmup:
            out.append((time.perf_counter() - t0) * 1000)
        assert copy == values
    return out


def run_python(quick):
    integers = list(range(N))
    mixed = [i if i % 4 == 0 else i * 1_000_000 if i % 4 == 1 else i / 3.0 if i % 4 == 2 else "s%d" % i
             for i in range(N)]
    warmup, reps = (5, 5) if quick else (20, 20)
    metrics = {}
    for name, values in (("integers_100k_round_trip", integers), ("mixed_100k_round_trip", mixed)):
        ms = round_trips(values, warmup, reps)
        metrics[name] = {"value": round(statistics.median(ms), 2), "unit": "ms", "reps": reps,
                         "per_rep": [round(x, 2) for x in ms],
                         "encoded_bytes": len(pickle.dumps(values, protocol=5))}
    return {"python": sys.version.split()[0], "metrics": metrics}


ROWS = [
    ("100k ints: encode + decode (ms)", "integers_100k_round_trip"),
    ("100k int/long/float/str: encode + decode (ms)", "mixed_100k_round_trip"),
]


def main(argv=None):
    parser = pool_bench.java_bench_parser(__doc__, "5 repetitions instead of 20", "CodecBench", DEFAULT_JSON)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="jparallel-codec-bench-")
    try:
        pool_bench.build_if_needed(args.build)
        py = None if args.no_python else run_python(args.quick)
        jp = pool_bench.run_java_program(args, workdir, SOURCES, "CodecBench")
    except (pool_bench.BenchError, subprocess.TimeoutExpired, OSError, ValueError) as err:
        print("codec_bench: FAILED: %s" % err, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows, machine_rows = [], []
    for label, key in ROWS:
        a = jp["metrics"][key]["value"]
        b = py["metrics"][key]["value"] if py else None
        r = b / a if a and b else None  # times: Python's over ours, so above 1 means jparallel is faster
        rows.append([label, pool_bench.fmt(a, 2), pool_bench.fmt(b, 2), "-" if r is None else "%.1f" % r])
        machine_rows.append({"metric": label, "jparallel": a, "python_pickle": b, "ratio": r})
    print()
    print("jparallel: Java %s; Python pickle: %s" % (jp["machine"].get("java_version"),
                                                    (py or {}).get("python", "skipped")))
    print(pool_bench.table(["metric (one chunk, median)", "jparallel", "Python pickle", "ratio"], rows))
    print("ratio: Python's time / jparallel's, measured in this run; above 1 means jparallel is faster")
    pool_bench.write_report(args.json, "jparallel codec_bench", {"quick": args.quick, "no_python": args.no_python},
                            t0, load_before, {"comparison": machine_rows, "jparallel": jp, "python_pickle": py})
    return 0


if __name__ == "__main__":
    sys.exit(main())
