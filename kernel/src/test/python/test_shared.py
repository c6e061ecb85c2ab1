"""Shared memory through a real kernel: values, arrays and locks made in notebook cells and used by
%%parallel bodies (sent as descriptors, so writes on the workers are seen in the notebook), a closed
object refused before anything runs, and /dev/shm cleaned at kernel start and shutdown."""
import glob
import os
import subprocess

from conftest import kernel_pid, ok, result_text, run, start_kernel, stop_kernel, wait_gone

SHM = "/dev/shm" if os.path.isdir("/dev/shm") else None


def segments_of(pid):
    """The shared-memory segments process `pid` created."""
    return sorted(glob.glob(f"{SHM}/jparallel-shm-{pid}-*")) if SHM else []


def test_parallel_cells_update_shared_values_and_arrays_made_in_the_notebook(kc):
    ok(run(kc, "%pool start 2")[0])
    ok(run(kc, "SharedLong hits = Shared.longValue(0);\nSharedIntArray squares = Shared.intArray(10);\n"
               "var xs = java.util.stream.IntStream.range(0, 10).boxed().toList();")[0])
    assert len(segments_of(kernel_pid(kc))) == 2
    reply, msgs = run(kc, "%%parallel\nhits.incrementAndGet() > 0")
    ok(reply)
    assert result_text(msgs) == "[true, true]"
    reply, msgs = run(kc, "hits.get()")
    ok(reply)
    assert result_text(msgs) == "2"
    ok(run(kc, "%%parallel --map x:xs\nsquares.set(x, x * x);\nx")[0])
    reply, msgs = run(kc, "Arrays.stream(squares.toArray()).sum()")
    ok(reply)
    assert result_text(msgs) == "285"


def test_a_lock_held_by_the_notebook_is_seen_by_the_workers(kc):
    ok(run(kc, "SharedLock gate = Shared.lock();\ngate.acquire();")[0])
    reply, msgs = run(kc, "%%parallel\ngate.tryAcquire()")
    ok(reply)
    assert result_text(msgs) == "[false, false]"
    ok(run(kc, "gate.release();")[0])  # another cell's thread: a plain lock may be released by any thread
    reply, msgs = run(kc, "%%parallel\ntry (var held = gate.hold()) { hits.addAndGet(10); }\ngate.isLocked()")
    ok(reply)
    reply, msgs = run(kc, "hits.get() + \" \" + gate.isLocked()")
    ok(reply)
    assert result_text(msgs) == "22 false"


def test_a_closed_object_is_refused_before_the_cell_runs(kc):
    ok(run(kc, "SharedInt gone = Shared.intValue(1);\ngone.close();")[0])
    reply, _ = run(kc, "%%parallel\ngone.get()")
    assert reply["status"] == "error"
    assert reply["ename"].endswith("SharedObjectClosedException"), reply
    assert "gone is a SharedInt" in reply["evalue"] and "closed" in reply["evalue"]
    ok(run(kc, "%%parallel\n1")[0])


def test_kernel_start_and_shutdown_clean_dev_shm():
    if SHM is None:
        return
    exited = subprocess.Popen(["true"])
    exited.wait()  # reaped: its pid is free
    orphan = f"{SHM}/jparallel-shm-{exited.pid}-0badf00d-1"
    with open(orphan, "wb") as f:
        f.write(b"\0" * 64)
    kc = start_kernel("shared-memory clean-up")
    try:
        # kernel_info is answered while the kernel starts; a cell runs once the start, clean-up included, is done
        ok(run(kc, "var a = Shared.intValue(1);\nvar b = Shared.rlock();\nvar c = Shared.rawArray('d', 5);")[0])
        assert not os.path.exists(orphan), "a crashed process's segment survived the kernel's start"
        pid = kernel_pid(kc)
        assert len(segments_of(pid)) == 3
    finally:
        stop_kernel(kc)
    assert wait_gone(pid, 10)
    assert segments_of(pid) == [], "the kernel's shutdown left its segments"
