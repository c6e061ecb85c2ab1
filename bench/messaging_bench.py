#!/usr/bin/python3
"""Benchmark jparallel's queues and pipes against Python's multiprocessing.

Usage: /usr/bin/python3 bench/messaging_bench.py [--quick] [options]

This is a benchmark, not a test: it never fails on slow figures, it measures
and prints them. In one run it

  1. builds the project with Maven if its jars are missing (or with --build),
  2. runs the messaging section of the reference ../shared/bench/python_mp.py
     (its own functions, imported from it: bench_queue and bench_pipe, 200,000
     small ints from one fork Process to the parent; about 10 seconds),
  3. compiles bench/MessagingBench.java (with PoolBench.java, for its helpers)
     against the core jar into a temporary directory and runs it with the
     JVM flags the pool gives its workers (the same traffic from one
     WorkerProcess; about 30 seconds),

one after the other, never at the same time. It prints each figure beside
Python's with a ratio (above 1: jparallel is better), then the issue's
targets, and writes both JSON objects to build/bench/messaging_bench.json.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pool_bench  # noqa: E402  (build, java tools, tables)
import shared_bench  # noqa: E402  (python_mp.py loading, JSON paths)

REPO = pool_bench.REPO
SOURCES = [REPO / "bench" / "PoolBench.java", REPO / "bench" / "MessagingBench.java"]
DEFAULT_JSON = REPO / "build" / "bench" / "messaging_bench.json"
N = 200_000  # messages per repetition, as python_mp.py

# label, jparallel path, Python path, target factor
ROWS = [
    ("queue messages (/s)", "queue_msgs_per_s", "queue_msgs_per_s", 5),
    ("pipe messages (/s)", "pipe_msgs_per_s", "pipe_msgs_per_s", 5),
]


def run_python(path, reps):
    """python_mp.py's own bench_queue and bench_pipe, called as it calls them."""
    mp_bench = shared_bench.load_python_mp(path)
    out = {}
    for name, bench, what in (("queue_msgs_per_s", mp_bench.bench_queue, "mp.Queue"),
                              ("pipe_msgs_per_s", mp_bench.bench_pipe, "mp.Pipe(duplex=False)")):
        shared_bench.log("python: %s, %d ints from a fork Process ..." % (what, N))
        rates = bench(N, reps)
        out[name] = mp_bench.metric(round(statistics.median(rates)), "msgs/s", reps,
                                    per_rep=[round(r) for r in rates],
                                    note="%s, 1 producer process -> main, %d small ints, one by one" % (what, N))
    return {"python": sys.version.split()[0], "metrics": out}


def run_java(args, workdir):
    javac = pool_bench.java_tool(args.java_home, "javac")
    java = pool_bench.java_tool(args.java_home, "java")
    classes = Path(workdir) / "classes"
    classes.mkdir()
    cp = os.pathsep.join([str(pool_bench.CORE_JAR), str(pool_bench.CORE_LIB / "*")])
    compiled = subprocess.run([javac, "--release", "17", "-cp", cp, "-d", str(classes)] + [str(s) for s in SOURCES],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if compiled.returncode != 0:
        raise pool_bench.BenchError("javac failed:\n" + compiled.stdout)
    cmd = [java] + pool_bench.JAVA_FLAGS + ["-cp", os.pathsep.join([cp, str(classes)]), "MessagingBench"]
    shared_bench.log("running MessagingBench%s ..." % (" --quick" if args.quick else ""))
    ran = subprocess.run(cmd + (["--quick"] if args.quick else []), stdout=subprocess.PIPE, text=True,
                         timeout=args.timeout, cwd=workdir)
    if ran.returncode != 0:
        raise pool_bench.BenchError("MessagingBench failed (exit %d)" % ran.returncode)
    return json.loads(ran.stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--quick", action="store_true", help="3 repetitions instead of 5")
    parser.add_argument("--build", action="store_true", help="run the Maven build even if the jars exist")
    parser.add_argument("--python-mp", default=str(pool_bench.default_python_mp()),
                        help="reference script (default: %(default)s)")
    parser.add_argument("--no-python", action="store_true", help="skip the Python reference")
    parser.add_argument("--java-home", help="JDK to compile and run MessagingBench with (default: java on PATH)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds for the Java program (default %(default)s)")
    parser.add_argument("--json", metavar="FILE", default=str(DEFAULT_JSON),
                        help="where to write the JSON (default: %(default)s)")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    t0 = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="jparallel-messaging-bench-")
    try:
        pool_bench.build_if_needed(args.build)
        py = None if args.no_python else run_python(args.python_mp, 3 if args.quick else 5)
        jp = run_java(args, workdir)
    except (pool_bench.BenchError, subprocess.TimeoutExpired, OSError, ValueError) as err:
        print("messaging_bench: FAILED: %s" % err, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows, targets = [], []
    for label, jp_path, py_path, factor in ROWS:
        a, b = shared_bench.value(jp, jp_path), shared_bench.value(py, py_path)
        r = a / b if a and b else None
        rows.append([label, pool_bench.fmt(a, 0), pool_bench.fmt(b, 0), "-" if r is None else "%.1f" % r])
        targets.append({"target": "%s >= %dx Python's" % (label, factor), "jparallel": a, "python_mp": b,
                        "ratio": r, "met": None if r is None else r >= factor})
    print()
    print("jparallel: Java %s, %s; Python mp: %s" % (jp["machine"].get("java_version"),
                                                   " ".join(jp["machine"].get("jvm_args", [])),
                                                   (py or {}).get("python", "skipped")))
    print(pool_bench.table(["metric (1 producer process -> 1 consumer)", "jparallel", "Python mp", "ratio"], rows))
    print("ratio: jparallel / Python, measured in this run; above 1 means jparallel is better")
    print()
    print(pool_bench.table(["target (from the issue)", "measured", "met"],
                           [[t["target"], "-" if t["ratio"] is None else "%.1fx" % t["ratio"],
                             {True: "yes", False: "NO", None: "-"}[t["met"]]] for t in targets], right_from=3))
    pool_bench.write_report(args.json, "jparallel messaging_bench", {"quick": args.quick, "no_python": args.no_python},
                            t0, load_before, {"targets": targets, "jparallel": jp, "python_mp": py})
    return 0


if __name__ == "__main__":
    sys.exit(main())
