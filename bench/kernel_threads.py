#!/usr/bin/python3
"""Where the installed jparallel kernel spends its CPU, thread by thread.

Usage: /usr/bin/python3 bench/kernel_threads.py [--starts N] [--warmup N] [--cells N] [options]

A companion to kernel_bench.py, which gives one CPU figure per cell for the whole
process: this one reads /proc/PID/task/*/stat of the kernel's JVM and splits that
CPU time by thread (the shell thread that compiles and runs cells, the JIT's
compiler threads, the VM thread where the serial GC runs, JeroMQ's I/O thread,
JShell's class-path indexer `Thread-N` ...). Threads of one kind are summed
(`jparallel-cell-17` and `jparallel-cell-18` count as `jparallel-cell-#`).

  start-up        --starts fresh kernels: the CPU each thread used from the
                  start until the first `1+1` result (mean over the starts),
                  with the medians of that total and of the wall time
  cells           in one more kernel, --warmup cells and then --cells cells of
                  --code: the CPU per cell of each thread over the measured cells

CPU time is what a loaded machine stretches least; the wall times are printed
too, but on a shared machine they say more about the load than the kernel.
For the cells, each kind of thread's wake-ups per cell (voluntary context
switches, /proc/PID/task/*/status) are printed beside its CPU, and with
--syscalls its epoll_wait calls per cell (perf stat on the syscall tracepoints,
which needs perf and root or perf_event_paranoid <= 1): a thread that calls
epoll_wait far more often than it wakes up is spinning.
--jvm-opts goes to the kernel as JPARALLEL_JVM_OPTS (to try JIT or GC flags),
--jdk25 runs it on JDK 25 (JPARALLEL_JAVA_HOME).
"""

import argparse
import collections
import gc
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kernel_bench  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def per_thread(pid, file, read):
    """{thread id: read(text of /proc/PID/task/TID/<file>)} for every thread of a process now."""
    threads = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/%s" % (pid, tid, file)) as f:
                threads[tid] = read(f.read())
        except FileNotFoundError:
            continue  # ended since the listing
    return threads


def _name_and_cpu(stat):
    fields = stat.rsplit(")", 1)[1].split()
    return stat[stat.index("(") + 1:stat.rindex(")")], (int(fields[11]) + int(fields[12])) / TICKS


def thread_cpu(pid):
    """{thread id: (name, CPU seconds)} for every thread of a process now."""
    return per_thread(pid, "stat", _name_and_cpu)


def kind(name):
    """The kind of a thread: its name without a trailing number."""
    return re.sub(r"\d+$", "#", name)


def by_kind(before, after):
    """CPU seconds used between two thread_cpu() readings, summed by kind of thread."""
    kinds = collections.Counter()
    for tid, (name, cpu) in after.items():
        kinds[kind(name)] += cpu - before.get(tid, (name, 0.0))[1]
    return kinds


def _name_and_wakeups(status):
    return (re.search(r"^Name:\s*(.*)$", status, re.M).group(1),
            int(re.search(r"^voluntary_ctxt_switches:\s*(\d+)", status, re.M).group(1)))


def thread_wakeups(pid):
    """{thread id: (name, voluntary context switches so far)} for every thread of a process now."""
    return per_thread(pid, "status", _name_and_wakeups)


def start_syscall_count(pid):
    """Starts counting each thread's epoll_wait calls with perf; returns (process, output file) or None."""
    out = tempfile.NamedTemporaryFile(prefix="kernel-threads-perf-", suffix=".txt", delete=False)
    out.close()
    tids = ",".join(os.listdir("/proc/%d/task" % pid))
    try:
        perf = subprocess.Popen(["perf", "stat", "-e", "syscalls:sys_enter_epoll_wait", "--per-thread", "-x", ",",
                                 "-o", out.name, "-t", tids], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as e:
        print("no system call counts: perf: %s" % e)
        os.unlink(out.name)
        return None
    time.sleep(0.5)  # perf attaches to every thread before the cells start
    if perf.poll() is not None:
        print("no system call counts: perf: %s" % perf.stderr.read().decode().strip())
        os.unlink(out.name)
        return None
    return perf, out.name


def stop_syscall_count(counting):
    """{kind of thread: epoll_wait calls} counted since start_syscall_count()."""
    perf, path = counting
    perf.send_signal(signal.SIGINT)
    perf.wait()
    calls = collections.Counter()
    with open(path) as f:
        for line in f:
            fields = line.strip().split(",")
            if len(fields) > 2 and fields[1].isdigit():
                calls[kind(fields[0].rsplit("-", 1)[0])] += int(fields[1])
    os.unlink(path)
    return calls


def print_kinds(title, kinds, divisor, scale, unit, wakeups=None, calls=None):
    print("%s: %.2f %s in all" % (title, sum(kinds.values()) * scale / divisor, unit))
    if wakeups is not None:
        print("    %-24s %8s %12s%s" % ("thread", unit, "wake-ups", "  epoll_wait" if calls else ""))
    for name, cpu in kinds.most_common():
        if cpu > 0:
            line = "    %-24s %8.2f" % (name, cpu * scale / divisor)
            if wakeups is not None:
                line += " %12.1f" % (wakeups[name] / divisor)
                if calls:
                    line += " %11.1f" % (calls[name] / divisor)
            print(line)


def measure_startups(config, starts):
    totals, walls, kinds = [], [], collections.Counter()
    for _ in range(starts):
        km, kc, t0 = kernel_bench.start_kernel(config)
        try:
            kernel_bench.wait_until_ready(kc, km, t0 + kernel_bench.START_TIMEOUT)
            _, result_at, _, status = kernel_bench.run_cell(kc, km, kernel_bench.CODE)
            if status != "ok" or result_at is None:
                raise kernel_bench.BenchError("`%s` gave no result (reply status %s)" % (kernel_bench.CODE, status))
            used = by_kind({}, thread_cpu(kernel_bench.kernel_pid(km)))
        except BaseException:
            km.shutdown_kernel(now=True)
            raise
        kernel_bench.stop(km, kc)
        walls.append(result_at - t0)
        totals.append(sum(used.values()))
        kinds.update(used)
    print("start-up to first result: CPU %.3f s (median of %d), wall %.3f s" % (
        statistics.median(totals), starts, statistics.median(walls)))
    print_kinds("  CPU by thread, mean", kinds, starts, 1.0, "s")


def measure_cells(config, code, warmup, cells, syscalls):
    km, kc, t0 = kernel_bench.start_kernel(config)
    counting = None
    try:
        kernel_bench.wait_until_ready(kc, km, t0 + kernel_bench.START_TIMEOUT)
        for _ in range(warmup):
            kernel_bench.run_cell(kc, km, code)
        pid = kernel_bench.kernel_pid(km)
        counting = start_syscall_count(pid) if syscalls else None
        before, woken = thread_cpu(pid), thread_wakeups(pid)
        walls = []
        for _ in range(cells):
            start, _, idle_at, status = kernel_bench.run_cell(kc, km, code)
            if status != "ok":
                raise kernel_bench.BenchError("`%s` replied %s" % (code, status))
            walls.append(idle_at - start)
        used = by_kind(before, thread_cpu(pid))
        wakeups = collections.Counter()
        for tid, (name, count) in thread_wakeups(pid).items():
            wakeups[kind(name)] += count - woken.get(tid, (name, 0))[1]
        calls = stop_syscall_count(counting) if counting else None
        counting = None
    except BaseException:
        if counting:
            stop_syscall_count(counting)
        km.shutdown_kernel(now=True)
        raise
    kernel_bench.stop(km, kc)
    print("`%s` after %d cells: CPU %.2f ms per cell (mean of %d), round trip %.2f ms (median)" % (
        code, warmup, sum(used.values()) * 1000 / cells, cells, statistics.median(walls) * 1000))
    print_kinds("  CPU per cell by thread", used, cells, 1000.0, "ms", wakeups, calls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--starts", type=int, default=3, help="fresh kernels to start (default 3; 0: none)")
    parser.add_argument("--warmup", type=int, default=10, help="cells before measuring (default 10)")
    parser.add_argument("--cells", type=int, default=40, help="measured cells (default 40; 0: none)")
    parser.add_argument("--code", default=kernel_bench.CODE, help="the cell (default 1+1)")
    parser.add_argument("--kernel", default="jparallel", help="jparallel's kernelspec")
    parser.add_argument("--jupyter-data-dir", metavar="DIR", help="where the kernelspec is, as for kernel_bench.py")
    parser.add_argument("--jdk25", action="store_true", help="run the kernel on JDK 25")
    parser.add_argument("--jdk25-home", default=kernel_bench.JDK25_DEFAULT)
    parser.add_argument("--jvm-opts", help="JPARALLEL_JVM_OPTS for the kernel")
    parser.add_argument("--syscalls", action="store_true",
                        help="also count each thread's epoll_wait calls over the measured cells (perf)")
    args = parser.parse_args()
    if args.jupyter_data_dir:
        os.environ["JUPYTER_DATA_DIR"] = args.jupyter_data_dir
    env = dict(os.environ)
    env.pop("JPARALLEL_JAVA_HOME", None)
    if args.jdk25:
        env["JPARALLEL_JAVA_HOME"] = args.jdk25_home
    if args.jvm_opts is not None:
        env["JPARALLEL_JVM_OPTS"] = args.jvm_opts
    config = kernel_bench.Config("jparallel", "jparallel", args.kernel, env)
    config.log = os.devnull
    print("load average before: %.2f %.2f %.2f" % os.getloadavg())
    if args.starts > 0:
        measure_startups(config, args.starts)
    if args.cells > 0:
        measure_cells(config, args.code, args.warmup, args.cells, args.syscalls)
    print("load average after: %.2f %.2f %.2f" % os.getloadavg())
    gc.collect()  # close clients now, not in interpreter teardown (noisy __del__ warnings)


if __name__ == "__main__":
    main()
