#!/usr/bin/python3
"""Benchmark jparallel's WorkerPool against Python's multiprocessing.

Usage: /usr/bin/python3 bench/pool_bench.py [--quick] [options]

This is a benchmark, not a test: it never fails on slow figures, it measures
and prints them. In one run it

  1. builds the project with Maven if its jars are missing (or with --build),
  2. runs the reference ../shared/bench/python_mp.py (Python's multiprocessing,
     about 1.5 minutes; it has no quick mode),
  3. compiles bench/PoolBench.java against the core jar and its libraries
     into a temporary directory and runs it (about 1.5 minutes, 45 s with
     --quick), with the same JVM flags the pool gives its workers,

one after the other, never at the same time. It prints a table of each figure
beside Python's, with a ratio oriented so that above 1 means jparallel is
better, then the issue's targets and whether each is met, and writes both JSON
objects to build/bench/pool_bench.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_SRC = REPO / "bench" / "PoolBench.java"
# the benchmarks use the library as a plain Java program does: jparallel-core and its dependencies only
CORE_JAR = REPO / "core" / "target" / "jparallel-core.jar"
CORE_LIB = REPO / "core" / "target" / "lib"
# the same less jparallel-core's optional dependency (BouncyCastle, for workers on other hosts): what a program
# that depends on jparallel-core gets, and so what PoolBench runs with; the other benches keep CORE_LIB
PROGRAM_LIB = REPO / "core" / "target" / "program-lib"
DEFAULT_JSON = REPO / "build" / "bench" / "pool_bench.json"
# the flags WorkerLauncher gives every worker JVM that matter for speed
JAVA_FLAGS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]


class BenchError(Exception):
    pass


def default_python_mp():
    """../shared/bench/python_mp.py beside the repository, or beside its main worktree when this is
    a linked worktree (git worktree add) somewhere else."""
    roots = [REPO]
    try:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=REPO,
                                capture_output=True, text=True, check=True).stdout.strip()
        roots.append(Path(common).parent)
    except (OSError, subprocess.CalledProcessError):
        pass
    candidates = [root.parent / "shared" / "bench" / "python_mp.py" for root in roots]
    return next((c for c in candidates if c.is_file()), candidates[0])


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- running


def build_if_needed(force):
    missing = [p for p in (CORE_JAR, CORE_LIB, PROGRAM_LIB) if not p.exists()]
    if not force and not missing:
        return
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BenchError("mvn is not on PATH and %s is missing" % ", ".join(map(str, missing)))
    log("building: mvn -B -q -ntp -DskipTests package (%s)"
        % ("--build" if force else "missing: " + ", ".join(str(p.relative_to(REPO)) for p in missing)))
    r = subprocess.run([mvn, "-B", "-q", "-ntp", "-DskipTests", "package"], cwd=REPO)
    if r.returncode != 0:
        raise BenchError("the Maven build failed (exit %d)" % r.returncode)


def java_tool(java_home, name):
    if java_home:
        path = Path(java_home) / "bin" / name
        if not path.is_file():
            raise BenchError("%s does not exist" % path)
        return str(path)
    path = shutil.which(name)
    if path is None:
        raise BenchError("%s is not on PATH (or give --java-home)" % name)
    return path


def run_java_program(args, workdir, sources, main, java_flags=JAVA_FLAGS, main_args=()):
    """Compiles `sources` (javac --release 17) against the core jar into `workdir`, runs class `main` with
    `java_flags` (the kernel's by default), then `main_args` (and --quick if args.quick), and returns the
    JSON it prints; its stderr goes through."""
    javac = java_tool(args.java_home, "javac")
    java = java_tool(args.java_home, "java")
    classes = Path(workdir) / "classes"
    classes.mkdir()
    cp = os.pathsep.join([str(CORE_JAR), str(CORE_LIB / "*")])
    r = subprocess.run([javac, "--release", "17", "-cp", cp, "-d", str(classes)] + [str(s) for s in sources],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise BenchError("javac failed:\n" + r.stdout)
    cmd = [java] + java_flags + ["-cp", os.pathsep.join([cp, str(classes)]), main] + list(main_args)
    if args.quick:
        cmd.append("--quick")
    log("running %s%s ..." % (main, " --quick" if args.quick else ""))
    r = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=args.timeout, cwd=workdir)
    if r.returncode != 0:
        raise BenchError("%s failed (exit %d)" % (main, r.returncode))
    return json.loads(r.stdout)


def java_bench_parser(doc, quick_help, main, default_json):
    """The options of a benchmark that runs Python, then the Java program `main`: --quick, --build,
    --no-python, --java-home, --timeout, --json; description and epilog from the script's docstring `doc`."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=doc.split("\n\n", 2)[2])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--build", action="store_true", help="run the Maven build even if the jars exist")
    parser.add_argument("--no-python", action="store_true", help="skip the Python reference")
    parser.add_argument("--no-one-cpu", action="store_true",
                        help="skip the apply round trip and thread hand-off run again on one CPU (taskset -c 0)")
    parser.add_argument("--java-home", help="JDK to compile and run %s with (default: java on PATH)" % main)
    parser.add_argument("--timeout", type=int, default=900, help="seconds for the Java program (default %(default)s)")
    parser.add_argument("--json", metavar="FILE", default=str(default_json),
                        help="where to write the JSON (default: %(default)s)")
    return parser


def add_tls_bench_options(parser, full_jit_help):
    """The options the benchmarks of TLS share: --python-mp and --full-jit (the JVM without
    -XX:TieredStopAtLevel=1, so with C2 and its cipher intrinsics)."""
    parser.add_argument("--python-mp", default=str(default_python_mp()),
                        help="reference script (default: %(default)s)")
    parser.add_argument("--full-jit", action="store_true", help=full_jit_help)


def java_flags(full_jit):
    """JAVA_FLAGS, without the C1-only flag when `full_jit`."""
    return [f for f in JAVA_FLAGS if not (full_jit and f.startswith("-XX:TieredStopAtLevel"))]


def write_report(path, benchmark, settings, t0, load_before, fields):
    """Prints the load average, then writes the run's JSON to `path`: the benchmark's name, its settings, how
    long it took and the load before and after, then `fields` (comparison, targets, both sides' JSON)."""
    print()
    print("load average: before %s, after %s (%d CPUs)" % (" ".join("%.2f" % x for x in load_before),
                                                         " ".join("%.2f" % x for x in os.getloadavg()),
                                                         os.cpu_count()))
    doc = {
        "benchmark": benchmark,
        "settings": settings,
        "elapsed_s": round(time.perf_counter() - t0, 1),
        "loadavg_before": list(load_before),
        "loadavg_after": list(os.getloadavg()),
    }
    doc.update(fields)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")
    print("JSON written to %s" % out)


def run_python_mp(path, timeout):
    log("running %s (about 1.5 minutes) ..." % path)
    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/python3", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout)
    if r.returncode != 0:
        raise BenchError("python_mp.py failed (exit %d):\n%s" % (r.returncode, r.stderr[-3000:]))
    log("  python_mp.py done in %.0f s" % (time.perf_counter() - t0))
    return json.loads(r.stdout)


def compile_pool_bench(args, workdir):
    """PoolBench compiled into workdir; returns the class path to run it with."""
    javac = java_tool(args.java_home, "javac")
    classes = Path(workdir) / "classes"
    classes.mkdir()
    cp = os.pathsep.join([str(CORE_JAR), str(PROGRAM_LIB / "*")])
    r = subprocess.run([javac, "--release", "17", "-cp", cp, "-d", str(classes), str(BENCH_SRC)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise BenchError("javac failed:\n" + r.stdout)
    return os.pathsep.join([str(CORE_JAR), str(PROGRAM_LIB / "*"), str(classes)])


def run_pool_bench(args, workdir, classpath, options=(), prefix=()):
    """PoolBench's JSON; options are its own (--apply-only), prefix a command it runs under (taskset)."""
    cmd = list(prefix) + [java_tool(args.java_home, "java")] + JAVA_FLAGS + ["-cp", classpath, "PoolBench"]
    cmd += list(options)
    if args.quick:
        cmd.append("--quick")
    if args.heavy_n:
        cmd += ["--heavy-n", str(args.heavy_n)]
    cmd += ["--section-timeout", str(args.section_timeout)]
    shown = " ".join(list(prefix) + ["PoolBench"] + list(options) + (["--quick"] if args.quick else []))
    log("running %s ..." % shown)
    t0 = time.perf_counter()
    # stderr (progress) goes straight through; stdout is the JSON
    r = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=args.timeout, cwd=workdir)
    if r.returncode != 0:
        raise BenchError("%s failed (exit %d)" % (shown, r.returncode))
    log("  %s done in %.0f s" % (shown, time.perf_counter() - t0))
    return json.loads(r.stdout)


def run_python_apply(prefix=()):
    """bench/python_apply.py's JSON (Python's apply round trip and thread hand-off), under prefix."""
    cmd = list(prefix) + ["/usr/bin/python3", str(REPO / "bench" / "python_apply.py")]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
    if r.returncode != 0:
        raise BenchError("python_apply.py failed (exit %d):\n%s" % (r.returncode, r.stderr[-3000:]))
    return json.loads(r.stdout)


def one_cpu_figures(args, workdir, classpath, jp, py):
    """The apply round trip and the thread hand-off again with every process on CPU 0 (taskset -c 0), for
    both, and Python's thread hand-off on any CPU: where they differ, wake-ups crossing CPUs are the cost."""
    pin = ["taskset", "-c", "0"]
    jp["metrics"]["one_cpu"] = run_pool_bench(args, workdir, classpath, ["--apply-only"], pin)["metrics"]
    if py is not None:
        log("running python_apply.py, then again under taskset -c 0 ...")
        py["metrics"]["thread_handoff_us"] = run_python_apply()["metrics"]["thread_handoff_us"]
        py["metrics"]["one_cpu"] = run_python_apply(pin)["metrics"]


# --------------------------------------------------------------------------- figures


def get(doc, path):
    """doc["metrics"][a][b]...["value"] for path "a/b/..."; None where missing."""
    if doc is None:
        return None
    node = doc.get("metrics", {})
    for part in path.split("/"):
        if not isinstance(node, dict) or part not in node or node[part] is None:
            return None
        node = node[part]
    if isinstance(node, dict):
        return node.get("value")
    return node


# label, jparallel path (or a function of the JSON), Python path, better ("lower"/"higher"/None), digits
ROWS = [
    ("pool of 2 ready (s) [py: spawn]", "pool_start_s/pool2_both_answered", "pool_start_s/spawn", "lower", 3),
    ("pool of 2 ready (s) [py: fork]", "pool_start_s/pool2_both_answered", "pool_start_s/fork", "lower", 3),
    ("first pool in a fresh JVM (s)", "pool_start_s/first_pool_in_jvm", None, "lower", 3),
    ("pool close (s)", "pool_start_s/close", None, "lower", 3),
    ("map 100k tiny, first call, cold JIT (tasks/s)", "map_tiny/n100k_first_call",
     "map_tiny/n100k_default_chunksize", "higher", 0),
    ("map 100k tiny, default chunk (tasks/s)", "map_tiny/n100k_default_chunksize",
     "map_tiny/n100k_default_chunksize", "higher", 0),
    ("map 1M tiny, default chunk (tasks/s)", "map_tiny/n1M_default_chunksize",
     "map_tiny/n1M_default_chunksize", "higher", 0),
    ("map tiny, chunk size 1, first (tasks/s)", "map_tiny/n20k_chunksize1_first", "map_tiny/n20k_chunksize1",
     "higher", 0),
    ("map tiny, chunk size 1 (tasks/s)", "map_tiny/n20k_chunksize1", "map_tiny/n20k_chunksize1", "higher", 0),
    ("apply round trip, median (us)", "apply_rtt_us", "apply_rtt_us", "lower", 1),
    ("apply round trip, p10 (us)", "apply_rtt_us/p10", "apply_rtt_us/p10", "lower", 1),
    ("apply round trip, p90 (us)", "apply_rtt_us/p90", "apply_rtt_us/p90", "lower", 1),
    ("apply round trip, p99 (us)", "apply_rtt_us/p99", "apply_rtt_us/p99", "lower", 1),
    ("apply round trip, all on one CPU, median (us)", "one_cpu/apply_rtt_us", "one_cpu/apply_rtt_us", "lower", 1),
    ("thread hand-off, any CPU (us)", "thread_handoff_us", "thread_handoff_us", "lower", 1),
    ("thread hand-off, one CPU (us)", "one_cpu/thread_handoff_us", "one_cpu/thread_handoff_us", "lower", 1),
    ("applyAsync then get all (tasks/s)", "apply_async_tps", "apply_async_tps", "higher", 0),
    ("bytes to workers, 8 x 12.5 MB (MB/s)", "transfer/to_workers_MBps", "transfer/to_workers_MBps", "higher", 1),
    ("bytes from workers, 8 x 12.5 MB (MB/s)", "transfer/from_workers_MBps", "transfer/from_workers_MBps",
     "higher", 1),
    ("heavy(n): n (loop iterations)", "cpu_speedup/heavy_n", "cpu_speedup/heavy_n", None, 0),
    ("heavy(n): one call in parent (s)", "cpu_speedup/heavy_single_task_s", "cpu_speedup/heavy_single_task_s",
     None, 3),
    ("8 x heavy(n), 1 worker (s)", "cpu_speedup/pool1_wall_s", "cpu_speedup/pool1_wall_s", None, 3),
    ("8 x heavy(n), 2 workers (s)", "cpu_speedup/pool2_wall_s", "cpu_speedup/pool2_wall_s", None, 3),
    ("CPU speedup 1 -> 2 workers (x)", "cpu_speedup/speedup", "cpu_speedup/speedup", "higher", 2),
    ("idle worker RSS, median (MiB) [py: spawn]", "worker_rss_mb/idle_worker_rss",
     "worker_rss_mb/spawn_idle_worker_rss", "lower", 1),
    ("idle worker RSS, median (MiB) [py: fork]", "worker_rss_mb/idle_worker_rss",
     "worker_rss_mb/fork_idle_worker_rss", "lower", 1),
    ("idle worker PSS, median (MiB) [py: spawn]", "worker_rss_mb/idle_worker_pss",
     "worker_rss_mb/spawn_idle_worker_pss", "lower", 1),
    ("idle worker RSS growth while idle (KiB/s)", "worker_rss_mb/idle_rss_growth_kBps", None, "lower", 1),
    ("parent RSS at that moment (MiB)", "worker_rss_mb/parent_rss_for_reference",
     "worker_rss_mb/parent_rss_for_reference", None, 1),
]


def fmt(value, digits):
    if value is None:
        return "-"
    if isinstance(value, (int, float)):
        return "{:,.{}f}".format(value, digits)
    return str(value)


def ratio(jp, py, better):
    """Above 1: jparallel is better."""
    if better is None or not isinstance(jp, (int, float)) or not isinstance(py, (int, float)) or not jp or not py:
        return None
    return jp / py if better == "higher" else py / jp


def table(headers, rows, right_from=1):
    widths = [max(len(r[i]) for r in [headers] + rows) for i in range(len(headers))]

    def line(row):
        return "  ".join(c.ljust(widths[i]) if i < right_from else c.rjust(widths[i]) for i, c in enumerate(row))

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


def comparison(jp, py):
    rows, machine_rows = [], []
    for label, jp_path, py_path, better, digits in ROWS:
        a = get(jp, jp_path)
        b = get(py, py_path) if py_path else None
        r = ratio(a, b, better)
        rows.append([label, fmt(a, digits), fmt(b, digits), "-" if r is None else "%.2f" % r,
                     {"lower": "lower", "higher": "higher", None: "-"}[better]])
        machine_rows.append({"metric": label, "jparallel": a, "python_mp": b, "ratio": r, "better": better})
    return rows, machine_rows


def targets(jp, py):
    """The issue's targets: (label, measured text, met or None)."""
    out = []

    def add(label, value, ok, shown):
        out.append({"target": label, "measured": value, "met": ok, "shown": shown})

    v = get(jp, "pool_start_s/pool2_both_answered")
    add("pool of 2 ready <= 0.2 s", v, None if v is None else v <= 0.2, fmt(v, 3) + " s")
    a, b = get(jp, "map_tiny/n100k_first_call"), get(py, "map_tiny/n100k_default_chunksize")
    r = a / b if a and b else None
    add("first map of 100k tiny in a fresh pool >= 1x Python's", r, None if r is None else r >= 1.0,
        "-" if r is None else "%.2fx (%s vs %s tasks/s)" % (r, fmt(a, 0), fmt(b, 0)))
    v = get(jp, "apply_rtt_us")
    add("apply round trip <= 100 us (median)", v, None if v is None else v <= 100, fmt(v, 1) + " us")
    for label, path, better in (("apply round trip >= 2x Python's (median)", "apply_rtt_us", "lower"),
                                ("bytes to workers >= 2x Python's", "transfer/to_workers_MBps", "higher"),
                                ("bytes from workers >= 2x Python's", "transfer/from_workers_MBps", "higher")):
        a, b = get(jp, path), get(py, path)
        r = ratio(a, b, better)
        add(label, r, None if r is None else r >= 2.0, "-" if r is None else "%.2fx (%s vs %s)" % (r, fmt(a, 1), fmt(b, 1)))
    a, b = get(jp, "map_tiny/n100k_default_chunksize"), get(py, "map_tiny/n100k_default_chunksize")
    r = a / b if a and b else None
    add("map over 100,000 tiny tasks >= 2x Python's throughput", r, None if r is None else r >= 2.0,
        "-" if r is None else "%.2fx (%s vs %s tasks/s)" % (r, fmt(a, 0), fmt(b, 0)))
    a, b = get(jp, "map_tiny/n20k_chunksize1"), get(py, "map_tiny/n20k_chunksize1")
    r = a / b if a and b else None
    add("map with chunk size 1 >= 1.5x Python's throughput", r, None if r is None else r >= 1.5,
        "-" if r is None else "%.2fx (%s vs %s tasks/s)" % (r, fmt(a, 0), fmt(b, 0)))
    v = get(jp, "cpu_speedup/speedup")
    add("speedup 1 -> 2 workers >= 1.9x", v, None if v is None else v >= 1.9, fmt(v, 2) + "x")
    node = (jp or {}).get("metrics", {}).get("worker_rss_mb") or {}
    per = (node.get("idle_worker_rss") or {}).get("per_worker")
    v = max(per) if per else None
    add("idle worker <= 40 MiB RSS (every worker)", v, None if v is None else v <= 40,
        "-" if v is None else "max %s MiB (%s)" % (fmt(v, 1), ", ".join(fmt(x, 1) for x in per)))
    return out


# --------------------------------------------------------------------------- main


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions in PoolBench (python_mp.py "
                                                             "has no quick mode)")
    parser.add_argument("--build", action="store_true", help="run the Maven build even if the jars exist")
    parser.add_argument("--python-mp", default=str(default_python_mp()),
                        help="reference script (default: %(default)s)")
    parser.add_argument("--python-json", metavar="FILE",
                        help="use this saved python_mp.py output instead of running it")
    parser.add_argument("--no-python", action="store_true", help="skip the Python reference")
    parser.add_argument("--no-one-cpu", action="store_true",
                        help="skip the apply round trip and thread hand-off run again on one CPU (taskset -c 0)")
    parser.add_argument("--java-home", help="JDK to compile and run PoolBench with (default: java on PATH)")
    parser.add_argument("--heavy-n", type=int, help="n for heavy(n) instead of calibrating it")
    parser.add_argument("--section-timeout", type=int, default=300,
                        help="seconds before a PoolBench section is abandoned (default %(default)s)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds for each whole script (default "
                                                                  "%(default)s)")
    parser.add_argument("--json", metavar="FILE", default=str(DEFAULT_JSON),
                        help="where to write the JSON (default: %(default)s)")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    t0 = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="jparallel-pool-bench-")
    try:
        build_if_needed(args.build)
        if args.no_python:
            py = None
        elif args.python_json:
            py = json.loads(Path(args.python_json).read_text())
        else:
            if not Path(args.python_mp).is_file():
                raise BenchError("%s does not exist (give --python-mp, --python-json or --no-python)"
                                 % args.python_mp)
            py = run_python_mp(args.python_mp, args.timeout)
        classpath = compile_pool_bench(args, workdir)
        jp = run_pool_bench(args, workdir, classpath)
        if not args.no_one_cpu:
            one_cpu_figures(args, workdir, classpath, jp, py)
    except (BenchError, subprocess.TimeoutExpired, OSError, ValueError) as err:
        print("pool_bench: FAILED: %s" % err, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows, machine_rows = comparison(jp, py)
    print()
    print("jparallel: Java %s, %s; Python mp: %s (%s)" % (
        jp["machine"].get("java_version"), " ".join(jp["machine"].get("jvm_args", [])),
        (py or {}).get("machine", {}).get("python", "-"),
        "saved JSON " + args.python_json if args.python_json else ("skipped" if args.no_python else "this run")))
    print(table(["metric", "jparallel", "Python mp", "ratio", "better"], rows))
    print("ratio: above 1 means jparallel is better (jparallel / Python where higher is better, "
          "Python / jparallel where lower is better)")
    print("heavy(n) is calibrated separately for each (Java's n runs ~0.3 s in the JVM; Python's n is "
          "fixed), so only the speedup compares.")
    errors = jp.get("errors") or {}
    if errors:
        print()
        for name, err in errors.items():
            print("PoolBench section %r failed: %s" % (name, err))

    tg = targets(jp, py)
    print()
    print(table(["target (from the issue)", "measured", "met"],
                [[t["target"], t["shown"], {True: "yes", False: "NO", None: "-"}[t["met"]]] for t in tg],
                right_from=3))
    la = jp.get("run_conditions", {})
    print()
    print("load average: before %s, PoolBench start %s, end %s (%d CPUs)" % (
        " ".join("%.2f" % x for x in load_before), la.get("loadavg_start", "?"), la.get("loadavg_end", "?"),
        os.cpu_count()))

    doc = {
        "benchmark": "jparallel pool_bench",
        "settings": {"quick": args.quick, "python_json": args.python_json, "no_python": args.no_python},
        "elapsed_s": round(time.perf_counter() - t0, 1),
        "loadavg_before": list(load_before),
        "loadavg_after": list(os.getloadavg()),
        "comparison": machine_rows,
        "targets": [{k: t[k] for k in ("target", "measured", "met")} for t in tg],
        "jparallel": jp,
        "python_mp": py,
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")
    print("JSON written to %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
