"""CPU milliseconds per MB of Python's multiprocessing moving bytes through Pool.map task arguments and results:
python_mp.py's own transfer (8 x 12.5 MB bytes to a fork Pool(2) and back, its functions imported from it), with
the parent's CPU time (all its threads: Pool's task and result handlers) and the workers' (from
/proc/PID/task/*/schedstat, nanoseconds) per direction; the figures to set beside PoolCpuCost.java's
(bench/README.md, "Copies of a large byte[]").

    /usr/bin/python3 bench/python_cpu_per_mb.py [--python-mp FILE] [--reps N]
"""
import argparse
import importlib
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path

from pool_bench import default_python_mp


def load(path):
    """python_mp.py as the module python_mp, so that the pool pickles its functions by that name."""
    sys.path.insert(0, str(Path(path).resolve().parent))
    return importlib.import_module(Path(path).stem)


def cpu_ns(pid):
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        total += int((task / "schedstat").read_text().split()[0])
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--python-mp", default=str(default_python_mp()))
    parser.add_argument("--reps", type=int, default=8)
    args = parser.parse_args()
    pmp = load(args.python_mp)
    items, size = 8, pmp.PAYLOAD_BYTES
    mb = args.reps * items * size / 1e6
    data = [b"x" * size] * items
    with mp.get_context("fork").Pool(2) as pool:
        pids = [p.pid for p in pool._pool]
        for _ in range(3):
            pool.map(pmp.payload_len, data)
            pool.map(pmp.make_payload, range(items))
        for label, call in (("to", lambda: pool.map(pmp.payload_len, data)),
                            ("from", lambda: pool.map(pmp.make_payload, range(items)))):
            walls = []
            parent, workers = time.process_time_ns(), sum(cpu_ns(p) for p in pids)
            for _ in range(args.reps):
                t0 = time.perf_counter()
                call()
                walls.append(time.perf_counter() - t0)
            parent = time.process_time_ns() - parent
            workers = sum(cpu_ns(p) for p in pids) - workers
            print(f"{label}: {items * size / 1e6 / statistics.median(walls):.0f} MB/s median, "
                  f"parent CPU {parent / 1e6 / mb:.2f} ms/MB, workers CPU {workers / 1e6 / mb:.2f} ms/MB")


if __name__ == "__main__":
    main()
