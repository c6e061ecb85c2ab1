#!/usr/bin/python3
"""Workers on another host against workers on this machine: apply round trips, tiny-task maps and bulk bytes.

Usage: /usr/bin/python3 bench/hosts_bench.py [--quick] [options]

This is a benchmark, not a test: it never fails on slow figures, it measures
and prints them. It needs the test hosts (sudo .ci/hosts.sh up;
docs/test-hosts.md) and says so when they are not up. In one run it

  1. builds the project with Maven if its jars are missing (or with --build),
  2. runs the reference ../shared/bench/python_mp.py's own sections, imported
     from it and called as it calls them, on a fork Pool(2): map of 100,000
     tiny tasks, 20,000 with chunksize 1, 2,000 apply round trips, 8 x 12.5 MB
     to the workers and back (about 20 s),
  3. compiles bench/HostsBench.java (with PoolBench.java, whose sections it
     runs) against the core jar and runs it with the JVM flags the pool gives
     its workers: the same figures on a pool of 2 workers on this machine
     (the plain loopback path), then on a pool of 2 workers on host alpha (a
     network namespace reached over a veth link, through ssh, every
     connection TLS 1.3 with mutual authentication), each warmed up as
     PoolBench warms its pool (about 1.5 minutes),

one after the other, never at the same time. It prints the host's figures
beside the loopback's and Python's, with ratios oriented so that above 1 means
the first of the two is better, and writes the JSON of every side to
build/bench/hosts_bench.json.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pool_bench  # noqa: E402  (build, java tools, tables, ratios)
import shared_bench  # noqa: E402  (python_mp.py loading, JSON values)

REPO = pool_bench.REPO
SOURCES = [REPO / "bench" / "PoolBench.java", REPO / "bench" / "HostsBench.java"]
DEFAULT_JSON = REPO / "build" / "bench" / "hosts_bench.json"
HOSTS_SCRIPT = REPO / ".ci" / "hosts.sh"


def test_hosts():
    """`.ci/hosts.sh status` as a dict; BenchError, saying how to make them, when the hosts are not up."""
    done = subprocess.run(["bash", str(HOSTS_SCRIPT), "status"], capture_output=True, text=True, timeout=60)
    status = {k: v.strip('"') for k, v in (line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)}
    if done.returncode != 0:
        down = " ".join(k for k, v in status.items() if v == "false")
        raise pool_bench.BenchError("the test hosts are not up (%s): make them with `sudo %s up` (and `down` after)"
                                    % (down or done.stderr.strip(), HOSTS_SCRIPT))
    return status


def run_python(path, quick):
    """python_mp.py's own map, apply and transfer sections on a fork Pool(2), as its main calls them."""
    mp_bench = shared_bench.load_python_mp(path)
    ctx = mp_bench.mp.get_context("fork")
    metrics = {}
    with ctx.Pool(2) as pool:
        pool.map(mp_bench._getpid, range(8), chunksize=1)
        shared_bench.log("python: map 100k tiny ...")
        metrics["map_tiny_n100k"] = mp_bench.bench_map_tiny(pool, 100_000, 3 if quick else 5)
        shared_bench.log("python: map 20k, chunksize 1 ...")
        metrics["map_tiny_n20k_chunksize1"] = mp_bench.bench_map_tiny(pool, 5_000 if quick else 20_000,
                                                                      2 if quick else 3, chunksize=1)
        shared_bench.log("python: apply round trips ...")
        metrics["apply_rtt_us"] = mp_bench.bench_apply_rtt(pool, 500 if quick else 2000)
        shared_bench.log("python: transfer ...")
        metrics["transfer"] = mp_bench.bench_transfer(pool, 2 if quick else 5)
    return {"python": sys.version.split()[0], "metrics": metrics}


# label, path under a pool's metrics (and python's), better, digits
ROWS = [
    ("apply round trip, median (us)", "apply_rtt_us", "lower", 1),
    ("apply round trip, p90 (us)", "apply_rtt_us/p90", "lower", 1),
    ("map 100k tiny, default chunk (tasks/s)", "map_tiny_n100k", "higher", 0),
    ("map tiny, chunk size 1 (tasks/s)", "map_tiny_n20k_chunksize1", "higher", 0),
    ("bytes to workers, 8 x 12.5 MB (MB/s)", "transfer/to_workers_MBps", "higher", 1),
    ("bytes from workers, 8 x 12.5 MB (MB/s)", "transfer/from_workers_MBps", "higher", 1),
    ("pool ready, from start() (s)", "pool_start_s", "lower", 2),
]


def shown_ratio(a, b, better):
    r = pool_bench.ratio(a, b, better)
    return "-" if r is None else "%.2f" % r


def main(argv=None):
    parser = pool_bench.java_bench_parser(__doc__, "fewer repetitions on both sides (about 1 minute in all)",
                                          "HostsBench", DEFAULT_JSON)
    pool_bench.add_tls_bench_options(parser, "run this JVM (the kernel's end) without -XX:TieredStopAtLevel=1: C2,"
                                             " with its AES-GCM and ChaCha20 intrinsics (remote workers have C2 anyway)")
    parser.add_argument("--host", default="alpha", help="the test host to start workers on (default: %(default)s)")
    args = parser.parse_args(argv)
    flags = pool_bench.java_flags(args.full_jit)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="jparallel-hosts-bench-")
    try:
        hosts = test_hosts()
        pool_bench.build_if_needed(args.build)
        py = None if args.no_python else run_python(args.python_mp, args.quick)
        jp = pool_bench.run_java_program(args, workdir, SOURCES, "HostsBench", flags, main_args=[
            "--ssh-config", hosts["JP_HOSTS_SSH_CONFIG"], "--host", args.host])
    except (pool_bench.BenchError, subprocess.TimeoutExpired, OSError, ValueError) as err:
        print("hosts_bench: FAILED: %s" % err, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows = []
    for label, path, better, digits in ROWS:
        host = shared_bench.value(jp, "host/" + path)
        loopback = shared_bench.value(jp, "loopback/" + path)
        python = shared_bench.value(py, path)
        rows.append([label, pool_bench.fmt(host, digits), pool_bench.fmt(loopback, digits),
                     pool_bench.fmt(python, digits), shown_ratio(host, loopback, better),
                     shown_ratio(host, python, better), shown_ratio(loopback, python, better)])
    print()
    print("jparallel: Java %s, %s; 2 workers on %s (TLS 1.3, ssh) and 2 on this machine (loopback, plain); "
          "Python mp %s: fork Pool(2)" % (jp["machine"].get("java_version"),
                                           " ".join(jp["machine"].get("jvm_args", [])), args.host,
                                           (py or {}).get("python", "skipped")))
    print(pool_bench.table(["metric", args.host + " (TLS)", "loopback", "Python mp", args.host + "/loopback",
                            args.host + "/Python", "loopback/Python"], rows))
    print("ratios: above 1 means the first is better (its rate / the other's, or the other's time / its time)")
    for name, err in (jp.get("errors") or {}).items():
        print("HostsBench section %r failed: %s" % (name, err))
    pool_bench.write_report(args.json, "jparallel hosts_bench", {"quick": args.quick, "no_python": args.no_python,
                                                                "host": args.host, "full_jit": args.full_jit},
                            t0, load_before, {"jparallel": jp, "python_mp": py})
    return 0


if __name__ == "__main__":
    sys.exit(main())
