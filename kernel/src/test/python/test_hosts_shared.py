"""Shared objects and workers on other hosts, through a real kernel: a notebook's SharedInt read by a
%%parallel body that would reach a worker on the test host alpha is refused at the cell, before anything
runs, with HostBoundException naming the variable, the worker and the pool's manager; the same cell on
the kernel's own worker (--targets 0) gets it, and a `%pool dict` variable is reached from both hosts. Needs the test hosts (.ci/hosts.sh up): without them that
test skips loudly, and fails under CI=true. And a malformed --hosts entry is refused at the cell
(InvalidHostException), which needs no host."""
import pytest

from conftest import ok, require_test_hosts, result_text, run


@pytest.fixture(scope="module")
def hosts():
    return require_test_hosts()


@pytest.mark.watchdog(120)
def test_a_shared_int_bound_for_another_host_is_refused_at_the_cell_and_local_workers_get_it(hosts, kc):
    config = hosts["JP_HOSTS_SSH_CONFIG"]
    reply, msgs = run(kc, f'%pool start 1 --hosts alpha:1 --ssh-opt "-F {config}"', timeout=90)
    ok(reply)
    ok(run(kc, "SharedInt hits = Shared.intValue(0);")[0])

    reply, _ = run(kc, "%%parallel\nhits.incrementAndGet()")
    assert reply["status"] == "error", reply
    assert reply["ename"].endswith("HostBoundException"), reply
    evalue = reply["evalue"]
    assert "hits is a SharedInt" in evalue and "worker 1 on host alpha" in evalue, evalue
    assert "pool.manager()" in evalue, evalue
    reply, msgs = run(kc, "hits.get()")
    ok(reply)
    assert result_text(msgs) == "0", "nothing ran"

    reply, msgs = run(kc, "%%parallel --targets 0\nhits.incrementAndGet()")
    ok(reply)
    assert result_text(msgs) == "[1]"
    reply, msgs = run(kc, "%%parallel\nProcessHandle.current().pid() > 0")
    ok(reply)
    assert result_text(msgs) == "[true, true]", "the pool still runs on both hosts"

    # what works instead: a variable of the pool's manager, which both workers reach (alpha's through TLS)
    reply, msgs = run(kc, "%pool dict seen")
    ok(reply)
    reply, msgs = run(kc, "%%parallel\nseen.put(ProcessHandle.current().pid(), WorkerIdentity.current().index())")
    ok(reply)
    reply, msgs = run(kc, "new TreeSet<>(seen.values())")
    ok(reply)
    assert result_text(msgs) == "[0, 1]", result_text(msgs)
    ok(run(kc, "%pool stop")[0])


def test_a_malformed_host_is_refused_at_the_cell_quoting_it_and_the_kernel_stays_usable(kc):
    """Needs no test host: nothing is started."""
    reply, _ = run(kc, "%pool start --hosts alpha:2,fe80::1:2")
    assert reply["status"] == "error", reply
    assert reply["ename"].endswith("InvalidHostException"), reply
    assert "not a host: 'fe80::1:2'" in reply["evalue"] and "[fe80::1:2]" in reply["evalue"], reply["evalue"]
    reply, msgs = run(kc, "1 + 1")
    ok(reply)
    assert result_text(msgs) == "2"
