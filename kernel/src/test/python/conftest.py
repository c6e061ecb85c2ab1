"""Shared fixtures for jparallel's protocol tests: real kernels started through jupyter_client.

The kernelspec `jparallel` must be registered (install/test.sh installs a throwaway copy and points
JUPYTER_DATA_DIR at it). Run with Debian's Python:

    /usr/bin/python3 -m pytest -q kernel/src/test/python

Fixtures:
  kc        a kernel shared by the tests of one module (a BlockingKernelClient; kc.parent is its
            KernelManager)
  fresh_kc  a kernel of the test's own, for tests that interrupt, restart or shut it down
  watchdog  (autouse) a hard time limit for every test, SIGALRM-based; on expiry every live kernel's
            threads are dumped to stderr (jcmd Thread.print, else jstack) and the test fails.
            Mark a test with @pytest.mark.watchdog(SECONDS) to change its limit.

Helpers: run(kc, code, **kw) -> (reply content, [(msg_type, content), ...] of IOPub), request(...),
kernel_pid(kc), process_gone(pid), jdk_tool(name), java_feature_version(pid),
require_test_hosts() -> the test hosts' status (skips the test loudly when they are not up; fails it
under CI=true).
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from jupyter_client import KernelManager

KERNEL_NAME = "jparallel"
STARTUP_LIMIT = 60  # seconds for a kernel to start and answer kernel_info
SHUTDOWN_LIMIT = 30  # seconds for a kernel to shut down (jupyter_client kills it after 5 s)
TEST_LIMIT = 30  # default hard limit of a test: its call and its function-scoped fixtures
# (module-scoped fixtures guard their own setup and teardown with WATCHDOG.guard)
REPLY_TIMEOUT = 20  # seconds to wait for one reply


# --------------------------------------------------------------------------- watchdog

class WatchdogTimeout(BaseException):
    """A test ran past its hard limit. A BaseException, so no `except Exception` swallows it."""


_LIVE_KERNELS = {}  # pid -> label, every kernel process these tests started and did not stop yet


def jdk_tool(name):
    """A JDK tool (jcmd, jstack, javac, jar): from JPARALLEL_JAVA_HOME if set, else from PATH."""
    home = os.environ.get("JPARALLEL_JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", name), os.X_OK):
        return os.path.join(home, "bin", name)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"the JDK tool {name} is not on PATH")
    return found


def thread_dump(pid):
    """All threads of a JVM, as jcmd (or, failing that, jstack) prints them; else why not."""
    problems = []
    for tool, args in (("jcmd", [str(pid), "Thread.print"]), ("jstack", [str(pid)])):
        try:
            done = subprocess.run([jdk_tool(tool)] + args, capture_output=True, text=True, timeout=20)
        except (OSError, RuntimeError, subprocess.TimeoutExpired) as e:
            problems.append(f"{tool}: {e}")
            continue
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout
        problems.append(f"{tool} exited {done.returncode}: {(done.stderr or done.stdout).strip()}")
    return "no thread dump: " + "; ".join(problems)


def _dump_kernels(reason, out):
    out.write(f"\n===== WATCHDOG: {reason} =====\n")
    if not _LIVE_KERNELS:
        out.write("(no live kernel to dump)\n")
    for pid, label in list(_LIVE_KERNELS.items()):
        if process_gone(pid):
            out.write(f"--- kernel {label}, pid {pid}: already gone\n")
            continue
        out.write(f"--- threads of kernel {label}, pid {pid}:\n{thread_dump(pid)}\n")
    out.flush()


class Watchdog:
    """Nested hard deadlines on SIGALRM (setitimer): the earliest one armed fires.

    When a deadline passes, every live kernel's threads are dumped to stderr and WatchdogTimeout is
    raised in the main thread, wherever it is blocked. Should the test still not unwind within
    BACKSTOP seconds, the kernels are killed and the test run ends (exit status 70).
    """

    BACKSTOP = 20

    def __init__(self):
        self._stack = []  # [deadline, label, fired]
        self._backstop = None  # monotonic time at which a timed-out test ends the run

    @contextlib.contextmanager
    def guard(self, seconds, label):
        entry = [time.monotonic() + seconds, f"{label} (limit {seconds} s)", False]
        if not self._stack:
            signal.signal(signal.SIGALRM, self._fire)
        self._stack.append(entry)
        self._arm()
        try:
            yield
        finally:
            self._stack.remove(entry)
            if not any(e[2] for e in self._stack):
                self._backstop = None
            self._arm()

    def _arm(self):
        times = [e[0] for e in self._stack if not e[2]]
        if self._backstop is not None:
            times.append(self._backstop)
        if times:
            signal.setitimer(signal.ITIMER_REAL, max(min(times) - time.monotonic(), 0.001))
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _fire(self, signum, frame):
        now = time.monotonic()
        if self._backstop is not None and now >= self._backstop:
            capture = _CONFIG and _CONFIG.pluginmanager.getplugin("capturemanager")
            if capture:  # the run ends here: write to the real stderr, not to pytest's capture
                capture.suspend_global_capture(in_=False)
            _dump_kernels("a timed-out test did not stop; killing the kernels and ending the run", sys.stderr)
            for pid in list(_LIVE_KERNELS):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            os._exit(70)
        expired = [e for e in self._stack if not e[2] and e[0] <= now + 0.01]
        if not expired:
            self._arm()
            return
        for e in expired:
            e[2] = True
        label = ", ".join(e[1] for e in expired)
        _dump_kernels(f"timed out: {label}", sys.stderr)
        self._backstop = time.monotonic() + self.BACKSTOP
        self._arm()
        raise WatchdogTimeout(f"timed out: {label}; the kernels' threads are in the captured stderr")


WATCHDOG = Watchdog()


_CONFIG = None


def pytest_configure(config):
    global _CONFIG
    _CONFIG = config
    config.addinivalue_line("markers", "watchdog(seconds): hard time limit of a test (default %d s)" % TEST_LIMIT)


@pytest.fixture(autouse=True)
def watchdog(request):
    marker = request.node.get_closest_marker("watchdog")
    seconds = marker.args[0] if marker else TEST_LIMIT
    with WATCHDOG.guard(seconds, request.node.nodeid):
        yield


# --------------------------------------------------------------------------- processes

def process_gone(pid):
    """True when no process has this pid any more (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def wait_gone(pid, seconds, poll=None):
    """Waits until the process is gone; True if it went in time. For a child of this process pass its
    Popen.poll, which reaps it (and sets its returncode)."""
    deadline = time.monotonic() + seconds
    while True:
        reaped = poll is None or poll() is not None
        if reaped and process_gone(pid):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)


def java_feature_version(pid):
    """The feature version (17, 25, ...) of the java binary a process runs."""
    exe = os.readlink(f"/proc/{pid}/exe")
    done = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=30)
    m = re.search(r'version "(\d+)', done.stderr + done.stdout)
    assert m, f"cannot read the version of {exe}: {done.stderr}"
    return int(m.group(1))


# --------------------------------------------------------------------------- test hosts

HOSTS_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", ".ci", "hosts.sh")


def require_test_hosts():
    """The test hosts' status, as `.ci/hosts.sh status` prints it ({"JP_HOST_ALPHA_NETNS": "jp-alpha", ...}).
    When they are not up the calling test is skipped, with a loud message saying how to make them,
    except under CI=true, where it fails (.ci/run makes them)."""
    script = os.path.normpath(HOSTS_SCRIPT)
    try:
        done = subprocess.run(["bash", script, "status"], capture_output=True, text=True, timeout=60)
        status = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
        status = {key: value.strip('"') for key, value in status.items()}
        why = None if done.returncode == 0 else "hosts.sh status says: " + " ".join(
            key + "=false" for key, value in status.items() if value == "false")
    except (OSError, subprocess.TimeoutExpired) as e:
        status, why = {}, f"could not run {script} status: {e}"
    if why is None:
        return status
    message = f"THE TEST HOSTS ARE NOT UP, so this test cannot run: make them with `sudo {script} up` " \
              f"(and `down` after); {why}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: .ci/run makes them)")
    sys.stderr.write(f"*** SKIPPED: {message}\n")
    pytest.skip(message)


# --------------------------------------------------------------------------- kernels

def kernel_pid(kc):
    return kc.parent.provisioner.process.pid


def start_kernel(label, env=None):
    """Starts the jparallel kernel and returns a ready BlockingKernelClient (kc.parent is the manager).
    env: variables to set for the kernel on top of this process's (e.g. JPARALLEL_JVM_OPTS)."""
    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(**({"env": {**os.environ, **env}} if env else {}))
    _LIVE_KERNELS[km.provisioner.process.pid] = label
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=STARTUP_LIMIT)
    except BaseException:
        stop_kernel(kc)
        raise
    return kc


def stop_kernel(kc):
    """Shuts the kernel down (shutdown_request, then a kill if it does not go) and closes the client."""
    km = kc.parent
    pid = km.provisioner.process.pid if km.has_kernel else None
    try:
        kc.stop_channels()
        if km.has_kernel:
            km.shutdown_kernel(now=False)
    finally:
        if pid is not None:
            _LIVE_KERNELS.pop(pid, None)
        for other in [p for p in _LIVE_KERNELS if process_gone(p)]:
            _LIVE_KERNELS.pop(other, None)


def forget_kernel(pid):
    _LIVE_KERNELS.pop(pid, None)


def track_kernel(pid, label):
    _LIVE_KERNELS[pid] = label


@pytest.fixture(scope="module")
def kc(request):
    """A kernel shared by the tests of one module."""
    label = request.module.__name__
    with WATCHDOG.guard(STARTUP_LIMIT, f"starting the kernel of {label}"):
        client = start_kernel(label)
    try:
        yield client
    finally:
        with WATCHDOG.guard(SHUTDOWN_LIMIT, f"shutting down the kernel of {label}"):
            stop_kernel(client)


@pytest.fixture
def fresh_kc(request, watchdog):
    """A kernel of this test's own (started and stopped within the test's time limit)."""
    client = start_kernel(request.node.name)
    try:
        yield client
    finally:
        stop_kernel(client)


# --------------------------------------------------------------------------- requests

def run(kc, code, timeout=REPLY_TIMEOUT, allow_stdin=False, **kw):
    """Executes code; returns (execute_reply content, [(msg_type, content), ...] of its IOPub messages).

    The IOPub list holds every message of this request in order, status busy/idle and execute_input
    included. allow_stdin is False unless asked for (jupyter_client's default stdin hook would read
    this process's stdin); pass stdin_hook to answer input_request messages.
    """
    msgs = []
    reply = kc.execute_interactive(code, timeout=timeout, allow_stdin=allow_stdin,
                                   output_hook=lambda m: msgs.append((m["msg_type"], m["content"])), **kw)
    return reply["content"], msgs


def request(kc, method, *args, timeout=REPLY_TIMEOUT, **kw):
    """Sends a request (complete, inspect, is_complete, history, kernel_info, comm_info on shell;
    shutdown on control) and returns its whole reply message."""
    msg_id = getattr(kc, method)(*args, **kw)
    channel = "control" if method == "shutdown" else "shell"
    return kc._recv_reply(msg_id, timeout=timeout, channel=channel)


def of_type(msgs, msg_type):
    """The contents of the IOPub messages of one type."""
    return [content for kind, content in msgs if kind == msg_type]


def stdout_text(msgs, name="stdout"):
    return "".join(c["text"] for c in of_type(msgs, "stream") if c["name"] == name)


def ok(reply):
    """Asserts an ok execute_reply, showing the error otherwise."""
    assert reply["status"] == "ok", "the cell failed: %s: %s\n%s" % (
        reply.get("ename"), reply.get("evalue"), "\n".join(reply.get("traceback", [])))


def result_text(msgs):
    """text/plain of the one execute_result."""
    results = of_type(msgs, "execute_result")
    assert len(results) == 1, f"expected one execute_result, got {msgs}"
    return results[0]["data"]["text/plain"]
