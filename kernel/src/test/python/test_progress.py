"""The progress display of %%parallel through a real Jupyter client: shown at once and above the run's
output, redrawn at least once a second, counts that only rise, states told apart; a text line redrawn in
place for a client that behaves as a terminal (it sends is_complete_request); output grouped per worker."""
import re
import time

import pytest

from conftest import REPLY_TIMEOUT, ok, run, of_type, request, stdout_text

DONE = re.compile(r'data-done="(\d+)" data-total="(-?\d+)"')


def frames(kc, code, timeout=60):
    """Runs code, returning (reply content, [(seconds since sent, msg_type, content), ...] of its IOPub)."""
    msg_id = kc.execute(code)
    start = time.monotonic()
    seen = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append((time.monotonic() - start, m["msg_type"], m["content"]))
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    return kc._recv_reply(msg_id, timeout=REPLY_TIMEOUT)["content"], seen


def display_until(kc, msg_id, stop):
    """Reads the request's IOPub messages until stop(msg_type, content); returns the last display content seen."""
    last = None
    while True:
        m = kc.get_iopub_msg(timeout=REPLY_TIMEOUT)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] in ("display_data", "update_display_data"):
            last = m["content"]
        if stop(m["msg_type"], m["content"]):
            return last


def displays(seen):
    return [(t, kind, c) for t, kind, c in seen if kind in ("display_data", "update_display_data")]


@pytest.mark.watchdog(120)
def test_a_map_shows_its_total_at_once_is_redrawn_every_second_and_its_count_only_rises(kc):
    """The issue's own case: 1,000 elements of 50 ms on the default pool (2 workers), about 26 s."""
    ok(run(kc, "%pool start 2")[0])
    ok(run(kc, "var thousand = java.util.stream.IntStream.range(0, 1000).boxed().toList();")[0])
    reply, seen = frames(kc, "%%parallel --map x:thousand\nThread.sleep(50);\nif (x % 100 == 0) System.out.println(x);\nx",
                         timeout=REPLY_TIMEOUT)
    ok(reply)
    shown = displays(seen)
    assert shown and shown[0][1] == "display_data", seen
    assert len({c["transient"]["display_id"] for _, _, c in shown}) == 1, "one display, updated in place"
    first_output = next(i for i, (_, kind, c) in enumerate(seen) if kind == "stream")
    assert seen.index(shown[0]) < first_output, "the display must come before the run's output"
    counts = [tuple(map(int, DONE.search(c["data"]["text/html"]).groups())) for _, _, c in shown]
    assert counts[0] == (0, 1000), f"the first frame shows the total: {counts[0]}"
    done = [d for d, _ in counts]
    assert done == sorted(done), f"the done count went down: {done}"
    assert done[-1] == 1000 and "1000/1000" in shown[-1][2]["data"]["text/plain"]
    assert 'data-state="done"' in shown[-1][2]["data"]["text/html"]
    gaps = [b[0] - a[0] for a, b in zip(shown, shown[1:])]
    assert max(gaps) <= 1.0, f"the display was not redrawn for {max(gaps):.2f} s: {gaps}"
    assert len(set(done)) > 3, f"the count did not move while the run lasted: {done}"


def test_a_pool_call_in_notebook_code_shows_progress_only_once_it_has_lasted_300_ms(kc):
    """A WorkerPool call made by the cell's own code: applies that answer at once show nothing; a map of 10 x
    100 ms on 2 workers (about 0.5 s) shows a display, which ends on its final state."""
    # the function and its class reach the workers in this cell, so that no apply measured below waits for them
    ok(run(kc, "var observed = WorkerPool.start(2).awaitReady(); SerialFunction<Integer, Integer> inc = x -> x + 1; "
               "for (int i = 0; i < 200; i++) observed.apply(inc, i);")[0])
    try:
        reply, seen = frames(kc, "int sum = 0; for (int i = 0; i < 2000; i++) sum += observed.apply(inc, i); sum")
        ok(reply)
        assert not displays(seen), "a call that answered at once showed a display"
        reply, seen = frames(kc, "observed.map(x -> { java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); "
                                 "return x; }, java.util.stream.IntStream.range(0, 10).boxed().toList()).size()")
        ok(reply)
        shown = displays(seen)
        assert shown, "a call that lasted 0.5 s showed no display"
        assert 'data-state="done"' in shown[-1][2]["data"]["text/html"], shown[-1]
        assert DONE.search(shown[-1][2]["data"]["text/html"]).groups() == ("10", "10"), shown[-1]
    finally:
        ok(run(kc, "observed.close();")[0])


def test_the_run_s_output_is_grouped_per_worker(kc):
    ok(run(kc, "var forty = java.util.stream.IntStream.range(0, 40).boxed().toList();")[0])
    reply, msgs = run(kc, "%%parallel --map x:forty --progress none\nThread.sleep(50);\n"
                          "System.out.println(\"line \" + x);")
    ok(reply)
    text = stdout_text(msgs)
    assert sorted(int(n) for n in re.findall(r"^line (\d+)$", text, re.M)) == list(range(40)), text
    labels = re.findall(r"^\[worker \d · pid \d+\]$", text, re.M)
    # two workers, a second of output each per label: a label above every line was 40 labels
    assert len(labels) <= 6, f"{len(labels)} labels for 40 lines:\n{text}"


def test_an_interrupted_run_is_shown_as_interrupted_not_failed(kc):
    ok(run(kc, "var slow = java.util.stream.IntStream.range(0, 200).boxed().toList();")[0])
    msg_id = kc.execute("%%parallel --map x:slow\nThread.sleep(200);\nx")
    # stop once elements are done, so that some are done and some cancelled
    display_until(kc, msg_id, lambda kind, c: "display" in kind and DONE.search(c["data"]["text/html"]).group(1) != "0")
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    reply = kc._recv_reply(msg_id, timeout=REPLY_TIMEOUT)["content"]
    assert reply["status"] == "error"
    last = display_until(kc, msg_id, lambda kind, c: kind == "status" and c["execution_state"] == "idle")
    html, text = last["data"]["text/html"], last["data"]["text/plain"]
    assert 'data-state="interrupted"' in html and text.splitlines()[0].endswith("· interrupted"), text
    assert "failed" not in text and "failed" not in html, text
    assert "Interrupted: Interrupted" not in "\n".join(reply["traceback"])


def test_a_terminal_gets_a_text_line_redrawn_in_place(fresh_kc):
    kc = fresh_kc
    assert request(kc, "is_complete", "1 + 1")["content"]["status"] == "complete"  # as jupyter console does
    ok(run(kc, "%pool start 2")[0])
    ok(run(kc, "var twenty = java.util.stream.IntStream.range(0, 20).boxed().toList();")[0])
    reply, seen = frames(kc, "%%parallel --map x:twenty\nThread.sleep(100);\nx")
    ok(reply)
    assert displays(seen) == [], "a terminal ignores display updates: no display for it"
    err = "".join(c["text"] for _, kind, c in seen if kind == "stream" and c["name"] == "stderr")
    drawn = [piece.strip() for piece in err.split("\r") if piece.strip()]
    assert drawn[0].startswith("[....................] 0/20 · "), err
    counts = [int(n) for n in re.findall(r"\] (\d+)/20 ", err)]
    assert counts == sorted(counts) and 0 < len(set(counts) - {0, 20}), f"the line did not advance: {err!r}"
    assert drawn[-1].startswith("[####################] %%parallel --map x:twenty: 20/20 · ")
    assert "· done\n" in drawn[-1], err
    # the user may ask for the HTML display all the same, or for nothing
    reply, seen = frames(kc, "%%parallel --map x:twenty --progress html\nx")
    ok(reply)
    assert displays(seen) and "20/20" in displays(seen)[-1][2]["data"]["text/plain"]
    reply, seen = frames(kc, "%%parallel --map x:twenty --progress none\nx")
    ok(reply)
    assert displays(seen) == [] and not any(kind == "stream" for _, kind, _ in seen)


def test_a_bad_progress_form_is_a_usage_error(kc):
    reply, _ = run(kc, "%%parallel --progress fancy\n1")
    assert reply["status"] == "error"
    assert "--progress is one of auto, html, text or none, not \"fancy\"" in reply["evalue"], reply
    reply, _ = run(kc, 'System.setProperty("jparallel.progress", "loud");')
    ok(reply)
    try:
        reply, _ = run(kc, "%%parallel\n1")
        assert "system property jparallel.progress is one of auto, html, text or none, not \"loud\"" in reply["evalue"]
        ok(run(kc, 'System.setProperty("jparallel.progress", "none");')[0])
        reply, msgs = run(kc, "%%parallel\n1")
        ok(reply)
        assert of_type(msgs, "display_data") == []
    finally:
        ok(run(kc, 'System.clearProperty("jparallel.progress");')[0])
