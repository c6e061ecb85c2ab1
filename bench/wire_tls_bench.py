#!/usr/bin/python3
"""What TLS costs on jparallel's wire: apply-sized round trips and 1 MiB chunks, TLS against plain.

Usage: /usr/bin/python3 bench/wire_tls_bench.py [--quick] [options]

This is a benchmark, not a test: it never fails on slow figures, it measures
and prints them. In one run it

  1. builds the project with Maven if its jars are missing (or with --build),
  2. runs the apply round trip of the reference ../shared/bench/python_mp.py
     (its own bench_apply_rtt, imported from it, on a fork Pool(2): 2,000
     calls of pool.apply(square, (3,)); a few seconds). Python's
     multiprocessing has no TLS: its figure is the plain one, for context,
  3. compiles bench/WireTlsBench.java (with PoolBench.java, for its helpers)
     against the core jar and runs it with the JVM flags the pool gives its
     workers: the kernel's WireServer in this JVM, an echoing worker JVM
     started with the secret (and for TLS, the pool's client certificate)
     on its standard input; 5,000 apply-sized round trips and 200 x 1 MiB
     each way, over the plain loopback listener, then over the TLS listener,
     both on 127.0.0.1, and for context a whole pool.apply on WorkerPool(2)
     (plain, as pools run today; about 40 seconds),

one after the other, never at the same time. It prints TLS beside plain with
their ratio, and Python's plain figure beside them, and writes both JSON
objects to build/bench/wire_tls_bench.json.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pool_bench  # noqa: E402  (build, java tools, tables)
import shared_bench  # noqa: E402  (python_mp.py loading, JSON values)

REPO = pool_bench.REPO
SOURCES = [REPO / "bench" / "PoolBench.java", REPO / "bench" / "WireTlsBench.java"]
DEFAULT_JSON = REPO / "build" / "bench" / "wire_tls_bench.json"


def run_python(path):
    """python_mp.py's own bench_apply_rtt on a fork Pool(2), as it calls it."""
    mp_bench = shared_bench.load_python_mp(path)
    shared_bench.log("python: pool.apply(square, (3,)) round trips on a fork Pool(2) ...")
    ctx = mp_bench.mp.get_context("fork")
    with ctx.Pool(2) as pool:
        pool.map(mp_bench._getpid, range(8), chunksize=1)
        rtt = mp_bench.bench_apply_rtt(pool, 2000)
    return {"python": sys.version.split()[0], "metrics": {"apply_rtt_us": rtt}}


def main(argv=None):
    parser = pool_bench.java_bench_parser(__doc__, "1,000 round trips and 50 MiB instead of 5,000 and 200",
                                          "WireTlsBench", DEFAULT_JSON)
    pool_bench.add_tls_bench_options(parser, "run both JVMs without -XX:TieredStopAtLevel=1 (C2, with its AES-GCM"
                                             " and ChaCha20 intrinsics; the server then prefers AES-GCM), as a remote"
                                             " worker runs")
    args = parser.parse_args(argv)
    flags = pool_bench.java_flags(args.full_jit)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="jparallel-wire-tls-bench-")
    try:
        pool_bench.build_if_needed(args.build)
        py = None if args.no_python else run_python(args.python_mp)
        jp = pool_bench.run_java_program(args, workdir, SOURCES, "WireTlsBench", flags)
    except (pool_bench.BenchError, subprocess.TimeoutExpired, OSError, ValueError) as err:
        print("wire_tls_bench: FAILED: %s" % err, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows = []
    for label, path, digits, lower_better in (("apply-sized round trip, median (us)", "apply_rtt_us", 1, True),
                                              ("  p90 (us)", "apply_rtt_us/p90", 1, True),
                                              ("  p99 (us)", "apply_rtt_us/p99", 1, True),
                                              ("1 MiB chunks out and back (MB/s)", "chunk_MBps", 0, False),
                                              ("  kernel's CPU (ms per MB)", "chunk_kernel_cpu_ms_per_MB", 2, True),
                                              ("  worker's CPU (ms per MB)", "chunk_worker_cpu_ms_per_MB", 2, True)):
        plain, tls = shared_bench.value(jp, "plain/" + path), shared_bench.value(jp, "tls/" + path)
        ratio = tls / plain if tls and plain else None
        python = shared_bench.value(py, path) if path.startswith("apply_rtt_us") else None
        rows.append([label, pool_bench.fmt(tls, digits), pool_bench.fmt(plain, digits),
                     "-" if ratio is None else "%.2f" % ratio, pool_bench.fmt(python, digits)])
    print()
    print("jparallel: Java %s, %s; Python mp: %s" % (jp["machine"].get("java_version"),
                                                   " ".join(jp["machine"].get("jvm_args", [])),
                                                   (py or {}).get("python", "skipped")))
    print(pool_bench.table(["metric (kernel <-> one worker JVM, 127.0.0.1)", "TLS 1.3", "plain", "TLS / plain",
                            "Python mp (plain)"], rows))
    print("TLS / plain: the time (round trips, CPU per MB) or the rate (MB/s) over TLS as a multiple of plain's.")
    whole = shared_bench.value(jp, "pool/apply_rtt_us")
    print("A whole pool.apply(x -> x * x, 3) on WorkerPool(2) (plain, today's path) took %s us here; Python's figure"
          % pool_bench.fmt(whole, 1))
    print("is that same whole apply; the rows above are the wire alone (no codec of the function, no dispatcher).")
    pool_bench.write_report(args.json, "jparallel wire_tls_bench", {"quick": args.quick, "no_python": args.no_python,
                                                                  "full_jit": args.full_jit},
                            t0, load_before, {"jparallel": jp, "python_mp": py})
    return 0


if __name__ == "__main__":
    sys.exit(main())
