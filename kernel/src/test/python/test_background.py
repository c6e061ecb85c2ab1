"""Background runs through a real Jupyter client: `%%parallel ... --out r --background` returns at once with r
bound to the run; its display goes on updating (update_display_data, same display_id) after the cell's reply
while other cells run, and ends showing how the run ended; r.get() waits and throws the run's failures,
r.cancel() stops it, a timeout ends it as timed out, displaying r shows its state; a variable holding a run
still going is not rebound; a terminal gets one line instead of a display; a stopped pool and a kernel
shutdown cancel what runs in the background. Also: in a terminal, worker output of a WorkerPool call goes
below its progress line, never onto it."""
import re
import time

import pytest

from conftest import REPLY_TIMEOUT, kernel_pid, ok, of_type, request, result_text, run, wait_gone

DONE = re.compile(r'data-done="(\d+)" data-total="(-?\d+)"')
STATE = re.compile(r'data-state="(\w+)"')
SLOW = "var slow = java.util.stream.IntStream.range(0, 200).boxed().toList();"
TEN = "var ten = java.util.stream.IntStream.range(0, 10).boxed().toList();"


class Background:
    """A background cell as its client saw it up to its idle: reply content, display id (None if no display), and
    the last frame of that display seen so far (a short run may end before its cell's idle)."""

    def __init__(self, kc, code):
        msg_id = kc.execute(code)
        self.reply = kc._recv_reply(msg_id, timeout=REPLY_TIMEOUT)["content"]
        self.display_id = None
        self.last = None
        while True:
            m = kc.get_iopub_msg(timeout=REPLY_TIMEOUT)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            shown = m["content"].get("transient", {}).get("display_id")
            if m["msg_type"] == "display_data":
                self.display_id = shown
            if m["msg_type"] in ("display_data", "update_display_data") and shown == self.display_id:
                self.last = m["content"]["data"]["text/html"]
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return

    def final(self, kc):
        """The display's frame once the run has ended (read from IOPub if it had not come yet)."""
        if self.last is not None and ended(self.last):
            return self.last
        return updates_until(kc, self.display_id, ended)[-1][2]


def last_frame(cell, msgs):
    """The last frame of cell's display among a later cell's messages, else the last one the cell saw."""
    for kind, content in reversed(msgs):
        if kind == "update_display_data" and content["transient"]["display_id"] == cell.display_id:
            return content["data"]["text/html"]
    return cell.last


def updates_until(kc, display_id, stop, seconds=REPLY_TIMEOUT):
    """Reads IOPub (any request's) until stop(html) holds for an update of display_id; returns
    [(seconds since called, parent msg_id, html), ...] of its updates."""
    start = time.monotonic()
    deadline = start + seconds
    seen = []
    while True:
        m = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if m["msg_type"] == "update_display_data" and m["content"]["transient"]["display_id"] == display_id:
            html = m["content"]["data"]["text/html"]
            seen.append((time.monotonic() - start, m["parent_header"].get("msg_id"), html))
            if stop(html):
                return seen
        assert time.monotonic() < deadline, f"the display did not get there in {seconds} s: {seen[-3:]}"


def state(html):
    return STATE.search(html).group(1)


def done(html):
    return int(DONE.search(html).group(1))


def ended(html):
    return state(html) not in ("running", "starting")


@pytest.mark.watchdog(60)
def test_a_background_run_returns_at_once_and_its_display_goes_on_while_another_cell_runs(kc):
    ok(run(kc, "%pool start 2")[0])
    ok(run(kc, "var sixty = java.util.stream.IntStream.range(0, 60).boxed().toList();")[0])
    # 60 elements of 100 ms on 2 workers take 3 s at best
    cell = Background(kc, "%%parallel --map x:sixty --out r --background\nThread.sleep(100);\nx * 2")
    ok(cell.reply)
    assert cell.display_id, "the run's display is shown in its cell"
    assert done(cell.last) < 60, "the cell waited for its run"
    other = kc.execute("Thread.sleep(1500);\n\"meanwhile\"")
    updates = updates_until(kc, cell.display_id, ended)
    assert kc._recv_reply(other, timeout=REPLY_TIMEOUT)["content"]["status"] == "ok"
    during_other = [u for u in updates if u[1] == other]
    assert len(during_other) >= 2, f"no updates while the other cell ran: {[(round(t, 2), p) for t, p, _ in updates]}"
    assert done(during_other[0][2]) < 60, "the run was already over when the other cell started"
    counts = [done(html) for _, _, html in updates]
    assert counts == sorted(counts), f"the done count went down: {counts}"
    gaps = [b[0] - a[0] for a, b in zip(updates, updates[1:])]
    assert max(gaps) <= 1.0, f"the display was not redrawn for {max(gaps):.2f} s: {gaps}"
    assert state(updates[-1][2]) == "done" and counts[-1] == 60
    # the handle: typed by the body's value, its results in input order, its state when shown
    reply, msgs = run(kc, "r.get().get(30) + 1")
    ok(reply)
    assert result_text(msgs) == "61"
    reply, msgs = run(kc, "r")
    ok(reply)
    shown = of_type(msgs, "execute_result")[0]["data"]
    assert 'data-state="done" data-done="60" data-total="60"' in shown["text/html"], shown["text/html"]
    assert "60/60" in shown["text/plain"] and "· done" in shown["text/plain"], shown["text/plain"]


def test_a_failing_background_run_shows_its_failures_and_get_throws_them(kc):
    ok(run(kc, TEN)[0])
    cell = Background(kc, "%%parallel --map x:ten --out bad --background\n"
                          "if (x == 3) throw new IllegalStateException(\"no \" + x);\nx")
    ok(cell.reply)
    last = cell.final(kc)
    assert state(last) == "failed" and "no 3" in last, last
    reply, _ = run(kc, "bad.get()")
    assert reply["status"] == "error" and "no 3" in reply["evalue"], reply
    reply, msgs = run(kc, "bad.results().get(3) == null && bad.results().get(4) == 4 && bad.failures().size() == 1")
    ok(reply)
    assert result_text(msgs) == "true"
    text = of_type(run(kc, "bad")[1], "execute_result")[0]["data"]["text/plain"]
    assert "10/10 (1 failed)" in text and "no 3" in text, text


def test_cancel_stops_a_background_run_and_a_run_still_going_is_not_rebound(kc):
    ok(run(kc, SLOW)[0])
    ok(run(kc, TEN)[0])
    cell = "%%parallel --map x:slow --out slowRun --background\nThread.sleep(200);\nx"
    going = Background(kc, cell)
    ok(going.reply)
    again = Background(kc, cell)
    assert again.reply["status"] == "error"
    assert "slowRun holds a background run still going" in again.reply["evalue"], again.reply["evalue"]
    assert "slowRun.cancel()" in again.reply["evalue"]
    assert again.display_id is None, "nothing ran"  # (updates of the first run's display come under its parent)
    # cancel() returns once the run has stopped: its display's last frame is read after
    msg_id = kc.execute("slowRun.cancel()")
    assert kc._recv_reply(msg_id, timeout=REPLY_TIMEOUT)["content"]["status"] == "ok"
    last = updates_until(kc, going.display_id, ended)[-1][2]
    assert state(last) == "cancelled" and "failed" not in last, last
    reply, _ = run(kc, "slowRun.get()")
    assert reply["status"] == "error" and "cancelled" in reply["evalue"], reply
    assert 'data-state="cancelled"' in of_type(run(kc, "slowRun")[1], "execute_result")[0]["data"]["text/html"]
    # once it has ended the name is free again
    ok(Background(kc, "%%parallel --map x:ten --out slowRun --background\nx").reply)
    ok(run(kc, "slowRun.get()")[0])


def test_a_background_run_with_a_timeout_ends_timed_out(kc):
    ok(run(kc, SLOW)[0])
    cell = Background(kc, "%%parallel --map x:slow --out late --background --timeout 1\nThread.sleep(200);\nx")
    ok(cell.reply)
    last = cell.final(kc)
    assert state(last) == "timed_out", last
    reply, _ = run(kc, "late.get()")
    assert reply["status"] == "error" and "timed out after 1.0 s" in reply["evalue"], reply


def test_a_cell_run_on_every_worker_can_go_to_the_background_too(kc):
    ok(Background(kc, "%%parallel --out each --background\nThread.sleep(300);\nProcessHandle.current().pid()").reply)
    reply, msgs = run(kc, "each.get().size()")
    ok(reply)
    assert result_text(msgs) == "2"


def test_two_background_runs_share_the_pool_and_both_end_with_their_own_results(kc):
    ok(run(kc, "var thirty = java.util.stream.IntStream.range(0, 30).boxed().toList();")[0])
    first = Background(kc, "%%parallel --map x:thirty --out first --background\nThread.sleep(50);\nx + 1000")
    second = Background(kc, "%%parallel --map x:thirty --out second --background\nThread.sleep(50);\nx + 2000")
    ok(first.reply)
    ok(second.reply)
    assert first.display_id != second.display_id
    reply, msgs = run(kc, "first.get().get(29) + \" \" + second.get().get(29)")
    ok(reply)
    assert result_text(msgs) == "1029 2029"
    for cell in (first, second):  # the final frame is queued before get() returns: it comes with that cell
        last = last_frame(cell, msgs)
        assert state(last) == "done" and done(last) == 30, last


def test_interrupting_a_cell_leaves_a_background_run_going(kc):
    ok(run(kc, "var forty = java.util.stream.IntStream.range(0, 40).boxed().toList();")[0])
    cell = Background(kc, "%%parallel --map x:forty --out steady --background\nThread.sleep(50);\nx")
    ok(cell.reply)
    msg_id = kc.execute("System.out.println(\"sleeping\");\nThread.sleep(20_000);")
    while True:  # interrupt once the cell runs (the run's frames read meanwhile are kept)
        m = kc.get_iopub_msg(timeout=REPLY_TIMEOUT)
        if m["msg_type"] == "update_display_data" and m["content"]["transient"]["display_id"] == cell.display_id:
            cell.last = m["content"]["data"]["text/html"]
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "stream":
            break
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    assert kc._recv_reply(msg_id, timeout=REPLY_TIMEOUT)["content"]["status"] == "error"
    reply, msgs = run(kc, "steady.get().size()")
    ok(reply)
    assert result_text(msgs) == "40"
    assert state(last_frame(cell, msgs)) == "done"


def test_background_needs_a_variable_for_its_run(kc):
    reply, _ = run(kc, "%%parallel --map x:ten --background\nx")
    assert reply["status"] == "error" and "--background needs --out NAME" in reply["evalue"], reply


@pytest.mark.watchdog(60)
def test_in_a_terminal_a_background_run_says_how_to_reach_it_and_a_stopped_pool_cancels_it(fresh_kc):
    kc = fresh_kc
    assert request(kc, "is_complete", "1 + 1")["content"]["status"] == "complete"  # as jupyter console does
    ok(run(kc, "%pool start 2")[0])
    ok(run(kc, SLOW)[0])
    reply, msgs = run(kc, "%%parallel --map x:slow --out r --background\nThread.sleep(200);\nx")
    ok(reply)
    assert of_type(msgs, "display_data") == [], "a terminal ignores displays"
    err = "".join(c["text"] for c in of_type(msgs, "stream") if c["name"] == "stderr")
    assert err.rstrip().endswith("r runs in the background: r shows how far it is, r.get() waits for its results,"
                                 " r.cancel() stops it"), repr(err)
    reply, msgs = run(kc, "r.progress().done() < 200")
    ok(reply)
    assert result_text(msgs) == "true"
    assert not any(c["name"] == "stderr" for c in of_type(msgs, "stream")), "the progress line came back after the cell"
    start = time.monotonic()
    ok(run(kc, "%pool stop")[0])
    assert time.monotonic() - start < 10, "stopping the pool waited for the background run"
    reply, _ = run(kc, "r.get()")
    assert reply["status"] == "error" and reply["ename"].endswith("CancellationException"), reply
    text = of_type(run(kc, "r")[1], "execute_result")[0]["data"]["text/plain"]
    assert "· cancelled" in text and "failed" not in text, text
    # a kernel shut down while a run goes on in the background stops it and leaves no worker
    ok(run(kc, "%pool start 2")[0])
    reply, _ = run(kc, "%%parallel --map x:slow --out again --background\nThread.sleep(200);\nx")
    ok(reply)
    reply, msgs = run(kc, "again.progress().workers().stream().map(w -> Long.toString(w.pid()))"
                          ".collect(java.util.stream.Collectors.joining(\" \"))")
    ok(reply)
    workers = [int(p) for p in result_text(msgs).strip('"').split()]
    assert len(workers) == 2, workers
    kernel = kernel_pid(kc)
    start = time.monotonic()
    kc.parent.shutdown_kernel(now=False)
    assert time.monotonic() - start < 10, "the shutdown waited for the background run"
    assert wait_gone(kernel, 5), "the kernel outlived its shutdown"
    for pid in workers:
        assert wait_gone(pid, 5), f"worker {pid} outlived its kernel"


def screen(text):
    """The lines a terminal shows for text written to it: a carriage return goes back to the line's start."""
    lines, line, col = [], [], 0
    for ch in text:
        if ch == "\n":
            lines.append("".join(line).rstrip())
            line, col = [], 0
        elif ch == "\r":
            col = 0
        else:
            if col < len(line):
                line[col] = ch
            else:
                line.append(ch)
            col += 1
    lines.append("".join(line).rstrip())
    return lines


def test_in_a_terminal_worker_output_of_a_pool_call_goes_below_its_progress_line(fresh_kc):
    kc = fresh_kc
    assert request(kc, "is_complete", "1 + 1")["content"]["status"] == "complete"
    reply, msgs = run(kc, "try (var pool = WorkerPool.start(2)) {\n"
                          "    pool.map(x -> { java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); System.out.println(\"out \" + x); return x; },\n"
                          "             java.util.stream.IntStream.range(0, 20).boxed().toList()).size();\n"
                          "}", timeout=60)
    ok(reply)
    written = "".join(c["text"] for c in of_type(msgs, "stream"))
    assert "\r[" in written, f"no progress line was drawn: {written!r}"
    lines = screen(written)
    outs = [line for line in lines if "out " in line]
    assert sorted(int(line.split()[-1]) for line in outs) == list(range(20)), lines
    assert all(re.fullmatch(r"out \d+", line) for line in outs), f"output ran into the progress line: {lines}"
    assert not any("/20" in line and "worker" in line for line in lines), lines
