#!/usr/bin/python3
"""Python's multiprocessing apply round trip alone, timed as python_mp.py times it (Pool(2), fork, the median
of 2,000 calls of pool.apply(sq, (3,))) after 500 warm-up calls (python_mp.py makes 200), and the hand-off of a turn between two
threads (threading.Event, 20,000 round trips, median of 5). pool_bench.py runs it under `taskset -c 0`
beside PoolBench --apply-only: on one CPU, no wake-up has to reach another CPU. Prints one JSON object."""
import json
import multiprocessing as mp
import statistics
import threading
import time


def sq(x):
    return x * x


def apply_rtt_us(calls=2000, warmup=500):
    with mp.get_context("fork").Pool(2) as pool:
        for _ in range(warmup):
            pool.apply(sq, (3,))
        lat = []
        for _ in range(calls):
            t0 = time.perf_counter()
            pool.apply(sq, (3,))
            lat.append((time.perf_counter() - t0) * 1e6)
    return statistics.median(lat)


def thread_handoff_us(n=20000, reps=5):
    per = []
    for _ in range(reps):
        ping, pong = threading.Event(), threading.Event()

        def answer():
            for _ in range(n):
                ping.wait()
                ping.clear()
                pong.set()

        t = threading.Thread(target=answer)
        t.start()
        t0 = time.perf_counter()
        for _ in range(n):
            ping.set()
            pong.wait()
            pong.clear()
        per.append((time.perf_counter() - t0) * 1e6 / (2 * n))
        t.join()
    return statistics.median(per)


if __name__ == "__main__":
    print(json.dumps({"metrics": {"apply_rtt_us": {"value": round(apply_rtt_us(), 1), "unit": "us"},
                                  "thread_handoff_us": {"value": round(thread_handoff_us(), 2), "unit": "us"}}}))
