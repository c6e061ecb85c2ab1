"""Workers on other hosts through a real Jupyter client, on the test hosts (.ci/hosts.sh: network namespaces
jp-alpha and jp-beta of this machine, an sshd in each; docs/test-hosts.md): `%pool start --hosts` lists each
worker with its host, a `--map` of notebook code runs in processes that really live in those namespaces,
an unknown host fails the cell within seconds and leaves the kernel working, and `%pool stop` leaves
nothing behind in the namespaces. Without the hosts these tests are skipped, loudly; under CI=true they fail.

The hosts are shared with other tests that may run at the same time: a leftover is looked for by what
only this kernel's workers have on their command line (the kernel's address and port)."""
import os
import re
import subprocess
import time

import pytest

from conftest import java_feature_version, kernel_pid, ok, process_gone, require_test_hosts, result_text, run

HOSTS = ("alpha", "beta")
START_LIMIT = 90  # seconds for a %pool start with workers on both hosts (about 5 s idle)
GONE_LIMIT = 10  # seconds for a stopped pool's remote workers to be gone (the limit)
ROW = re.compile(r"^(\d+)\s+(\d+)\s+(\S+)\s+idle\b", re.MULTILINE)  # worker, PID, host, state of %pool's table


@pytest.fixture(scope="module")
def hosts():
    return require_test_hosts()


def ssh_opt(hosts):
    return '--ssh-opt "-F %s"' % hosts["JP_HOSTS_SSH_CONFIG"]


def netns_name(pid):
    """The name `ip netns` gives the network namespace of process pid ("" for this machine's own)."""
    done = subprocess.run(["ip", "netns", "identify", str(pid)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def netns_of(pid):
    return os.readlink(f"/proc/{pid}/ns/net")


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode(errors="replace").split("\0")
    except (FileNotFoundError, ProcessLookupError):
        return []


def processes_in(namespace):
    done = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return [int(pid) for pid in done.stdout.split()]


def start_pool(kc, hosts, spec):
    """`%pool start SPEC` with the test hosts' ssh config; its workers as {host: [pid, ...]}."""
    reply, msgs = run(kc, "%pool start " + spec + " " + ssh_opt(hosts), timeout=START_LIMIT)
    ok(reply)
    rows = ROW.findall(result_text(msgs))
    workers = {}
    for _, pid, host in rows:
        workers.setdefault(host, []).append(int(pid))
    return workers


def kernel_address_of(pid):
    """The ADDRESS:PORT a remote worker dials (its WorkerMain's first argument): unique to its kernel's pool."""
    words = cmdline(pid)
    main = words.index("org.jparallel.internal.worker.WorkerMain")
    return words[main + 1]


@pytest.mark.watchdog(180)
def test_a_pool_across_both_hosts_maps_notebook_code_in_processes_living_in_their_namespaces(hosts, kc):
    workers = start_pool(kc, hosts, "1 --hosts alpha:1,beta:1")
    assert sorted(workers) == ["alpha", "beta", "localhost"] and all(len(p) == 1 for p in workers.values()), workers
    (local,), (alpha,), (beta,) = workers["localhost"], workers["alpha"], workers["beta"]
    # each PID lives in its host's namespace (the hosts share this machine's PID space), the local one in ours
    assert netns_name(alpha) == hosts["JP_HOST_ALPHA_NETNS"]
    assert netns_name(beta) == hosts["JP_HOST_BETA_NETNS"]
    assert netns_of(local) == netns_of(os.getpid()) != netns_of(alpha)
    # the same JDK at both ends (the kernel's own, which these hosts have at the same path)
    assert java_feature_version(alpha) == java_feature_version(beta) == java_feature_version(kernel_pid(kc))

    ok(run(kc, "record Ran(int square, long pid, String netns) {}\n"
               "Ran square(int x) throws IOException {\n"
               "    return new Ran(x * x, ProcessHandle.current().pid(),\n"
               "            Files.readSymbolicLink(Path.of(\"/proc/self/ns/net\")).toString());\n"
               "}\n"
               "var xs = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8);")[0])
    # chunks of one: the first three tasks go one to each worker (each to the worker holding the fewest)
    reply, msgs = run(kc, "%%parallel --map x:xs --chunksize 1\nsquare(x)", timeout=60)
    ok(reply)
    ran = re.findall(r"Ran\[square=(\d+), pid=(\d+), netns=(net:\[\d+\])\]", result_text(msgs))
    assert [int(square) for square, _, _ in ran] == [x * x for x in range(9)], ran
    pids = {int(pid) for _, pid, _ in ran}
    assert pids == {local, alpha, beta}, (pids, workers)
    for _, pid, netns in ran:
        assert netns == netns_of(int(pid)), ran  # what the worker says is what this machine sees

    ok(run(kc, "%pool stop")[0])


@pytest.mark.watchdog(120)
def test_an_unknown_host_or_jdk_fails_the_cell_within_seconds_and_the_kernel_still_works(hosts, kc):
    started = time.monotonic()
    reply, _ = run(kc, "%pool start --hosts gamma:1 " + ssh_opt(hosts), timeout=60)
    seconds = time.monotonic() - started
    assert reply["status"] == "error", reply
    assert reply["ename"] == "org.jparallel.api.HostLaunchException", reply
    assert "'gamma'" in reply["evalue"] and "Could not resolve hostname gamma" in reply["evalue"], reply["evalue"]
    # ssh's own connect timeout is 10 s; a name that does not resolve fails at once
    assert seconds < 15, f"the cell took {seconds:.1f} s"

    reply, msgs = run(kc, "6 * 7")
    ok(reply)
    assert result_text(msgs) == "42"
    # a JDK the host does not have: the check's `java -version` there fails, in words
    reply, _ = run(kc, "%pool start --hosts alpha:1 --java-home /no/such/jdk " + ssh_opt(hosts), timeout=60)
    assert reply["status"] == "error" and reply["ename"] == "org.jparallel.api.HostLaunchException", reply
    assert "host 'alpha' cannot run /no/such/jdk/bin/java (exit status 127)" in reply["evalue"], reply["evalue"]
    workers = start_pool(kc, hosts, "--hosts beta:1")
    assert list(workers) == ["beta"], workers
    reply, msgs = run(kc, "%%parallel\nProcessHandle.current().pid()", timeout=60)
    ok(reply)
    assert result_text(msgs) == "[%d]" % workers["beta"][0]
    ok(run(kc, "%pool stop")[0])


@pytest.mark.watchdog(180)
def test_pool_stop_leaves_no_process_of_the_pool_in_the_namespaces(hosts, kc):
    workers = start_pool(kc, hosts, "--hosts alpha:2,beta:1")
    remote = workers["alpha"] + workers["beta"]
    assert len(workers["alpha"]) == 2 and len(workers["beta"]) == 1, workers
    dialled = {kernel_address_of(pid) for pid in remote}  # one listener per host's link
    assert {address.rsplit(":", 1)[0] for address in dialled} == {
        hosts["JP_HOST_ALPHA_KERNEL_ADDRESS"], hosts["JP_HOST_BETA_KERNEL_ADDRESS"]}, dialled

    reply, msgs = run(kc, "%pool stop")
    ok(reply)
    assert "stopped the pool: 3 workers ended" in result_text(msgs)
    deadline = time.monotonic() + GONE_LIMIT
    while True:
        left = [(namespace, pid, " ".join(cmdline(pid)))
                for namespace in (hosts["JP_HOST_ALPHA_NETNS"], hosts["JP_HOST_BETA_NETNS"])
                for pid in processes_in(namespace)
                if any(address in cmdline(pid) for address in dialled)]
        left += [("?", pid, "a worker of the pool") for pid in remote if not process_gone(pid)]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert not left, f"left {GONE_LIMIT} s after %pool stop: {left}"
    reply, msgs = run(kc, "%pool")
    ok(reply)
    assert result_text(msgs).startswith("no pool")
