"""%pool start N --slurm through a real Jupyter client, on the test hosts' one-node Slurm cluster
(.ci/hosts.sh up; docs/test-hosts.md): the pool's workers are steps of one job, a %%parallel map runs on them
(their environment names the job, scontrol listpids lists them), %pool shows the node as each worker's host,
and %pool stop cancels the job and ends the workers. Without the test hosts the tests are skipped with a loud
message, except under CI=true, where they fail (as the Java *HostsIT do)."""
import os
import re
import subprocess
import sys
import time

import pytest

from conftest import ok, require_test_hosts, result_text, run

STOP_LIMIT = 20  # seconds for a stopped pool's job to leave the queue and its workers to end


@pytest.fixture(scope="module")
def slurm():
    """hosts.sh status when the test hosts are up; else skips loudly (fails under CI=true)."""
    return require_test_hosts()


def squeue(*args):
    return subprocess.run(["squeue", "-h", *args], capture_output=True, text=True, timeout=30).stdout.strip()


def text(msgs):
    return "\n".join(c["data"].get("text/plain", "") for t, c in msgs if t in ("execute_result", "display_data"))


@pytest.mark.watchdog(180)
def test_a_slurm_pool_maps_a_cell_in_its_job_and_stop_cancels_the_job(kc, slurm):
    node, partition = slurm["JP_SLURM_NODE"], slurm["JP_SLURM_PARTITION"]
    started = time.monotonic()
    reply, msgs = run(kc, f"%pool start 2 --slurm --partition {partition}", timeout=90)
    ok(reply)
    print(f"%pool start 2 --slurm answered in {time.monotonic() - started:.1f} s", file=sys.stderr)
    table = text(msgs)
    rows = [line.split() for line in table.splitlines()[1:]]
    assert [r[0] for r in rows] == ["0", "1"] and all(r[2] == node for r in rows), table
    workers = {int(r[1]) for r in rows}
    jobs = [line.split()[0] for line in squeue("-n", "jparallel", "-o", "%i %T").splitlines() if line.endswith(" RUNNING")]
    assert jobs, "the pool's job runs"

    ok(run(kc, "var xs = java.util.stream.IntStream.range(0, 8).boxed().toList();")[0])
    reply, msgs = run(kc, '%%parallel --map x:xs\nProcessHandle.current().pid() + " " + System.getenv("SLURM_JOB_ID")',
                      timeout=60)
    ok(reply)
    seen = re.findall(r"(\d+) (\d+)", result_text(msgs))
    assert len(seen) == 8, result_text(msgs)
    job = seen[0][1]
    assert job in jobs and all(j == job for _, j in seen), seen
    listed = subprocess.run(["scontrol", "listpids", job], capture_output=True, text=True, timeout=30).stdout
    listed = {int(line.split()[0]) for line in listed.splitlines()[1:] if line.strip()}
    for pid, _ in seen:
        assert int(pid) in workers and int(pid) in listed, (pid, workers, listed)

    reply, msgs = run(kc, "%pool stop", timeout=60)
    ok(reply)
    assert "stopped the pool: 2 workers ended" in text(msgs), text(msgs)
    deadline = time.monotonic() + STOP_LIMIT
    while squeue("-j", job) or any(os.path.exists(f"/proc/{pid}") for pid in workers):
        assert time.monotonic() < deadline, f"job {job} or its workers {workers} outlived %pool stop: {squeue('-j', job)}"
        time.sleep(0.2)


def test_a_partition_that_does_not_exist_is_refused_quoting_slurm(kc, slurm):
    reply, msgs = run(kc, "%pool start 1 --slurm --partition no-such-partition", timeout=30)
    assert reply["status"] == "error"
    said = reply["ename"] + ": " + reply["evalue"]
    assert "SlurmLaunchException" in said and "invalid partition" in said and "no-such-partition" in said, said
    reply, msgs = run(kc, "%pool")
    ok(reply)
    assert "no pool" in text(msgs), "the refused start left no pool behind"
