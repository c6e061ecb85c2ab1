"""A run's timeline through a real Jupyter client: r.timeline() as a cell's value and %pool timeline give
the Gantt chart as image/svg+xml and as text/html holding the <svg>, with a row per worker and a bar per
task; %pool timeline --trace FILE writes a Chrome trace that parses back with a complete event per task."""
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET

from conftest import ok, run, of_type

SVG = "{http://www.w3.org/2000/svg}"


def shown(msgs, kind):
    """The data of the one message of this kind (execute_result or display_data) that holds a timeline."""
    found = [c["data"] for c in of_type(msgs, kind) if "image/svg+xml" in c["data"]]
    assert len(found) == 1, msgs
    return found[0]


def chart(data):
    """The SVG parsed, after checking the HTML form holds the same chart inline."""
    svg = data["image/svg+xml"]
    assert "<svg" in data["text/html"] and svg in data["text/html"]
    return ET.fromstring(svg)


def rows(root):
    return [g for g in root.iter(SVG + "g") if g.get("class") == "worker"]


def bars(root, outcome=None):
    return [r for r in root.iter(SVG + "rect")
            if (r.get("class") or "").startswith("span") and (outcome is None or r.get("class") == "span " + outcome)]


def test_a_runs_timeline_shows_as_an_svg_gantt_chart(kc):
    ok(run(kc, "var pool = WorkerPool.start(2).awaitReady();")[0])
    ok(run(kc, "var xs = java.util.stream.IntStream.range(0, 20).boxed().toList();")[0])
    ok(run(kc, "var r = pool.submit(x -> { if (x == 7) throw new IllegalStateException(\"seven\"); return x * 2; },"
               " xs, RunOptions.defaults().chunkSize(5)); r.waitFor();", timeout=60)[0])
    reply, msgs = run(kc, "r.timeline()")
    ok(reply)
    data = shown(msgs, "execute_result")
    root = chart(data)
    pids = {g.get("data-pid") for g in rows(root)}
    assert len(rows(root)) == 2 and all(p.isdigit() for p in pids), data["text/plain"]
    assert len(bars(root)) == 4, "a bar per chunk of five"
    assert len(bars(root, "failed")) == 1 and len(bars(root, "done")) == 3
    failed = bars(root, "failed")[0].find(SVG + "title").text
    assert "elements 5-9" in failed and "failed" in failed, failed
    ticks = [t.text for t in root.iter(SVG + "text") if t.text and re.fullmatch(r"[0-9.]+ (s|ms)", t.text)]
    assert ticks and ticks[0].startswith("0"), ticks
    assert "RunTimeline[" in data["text/plain"]
    ok(run(kc, "pool.close();", timeout=60)[0])


def test_pool_timeline_shows_the_last_run_and_writes_its_chrome_trace(kc):
    ok(run(kc, "%pool start 2", timeout=60)[0])
    reply, msgs = run(kc, "%pool timeline")
    ok(reply)
    assert "no run yet on this pool" in "".join(c["data"]["text/plain"] for c in of_type(msgs, "display_data")
                                                 + of_type(msgs, "execute_result"))
    ok(run(kc, "var ys = java.util.stream.IntStream.range(0, 8).boxed().toList();")[0])
    ok(run(kc, "%%parallel --map y:ys --chunksize 1\ny + 1", timeout=60)[0])
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "run.trace.json")
        reply, msgs = run(kc, "%pool timeline --trace " + trace)
        ok(reply)
        data = [c["data"] for c in of_type(msgs, "display_data") + of_type(msgs, "execute_result")
                if "image/svg+xml" in c["data"]]
        assert len(data) == 1, msgs
        root = chart(data[0])
        assert len(rows(root)) == 2
        assert len(bars(root, "done")) >= 1
        assert "Chrome trace written to " + trace in data[0]["text/plain"]
        assert oct(os.stat(trace).st_mode & 0o777) == "0o600"
        with open(trace) as f:
            events = json.load(f)["traceEvents"]
    complete = [e for e in events if e["ph"] == "X"]
    assert len(complete) == 8 and all(e["cat"] == "done" and e["dur"] >= 0 for e in complete), complete
    assert sorted(e["args"]["firstElement"] for e in complete) == list(range(8))
    names = [e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"]
    assert len(names) == 2 and all(re.fullmatch(r"worker \d \(pid \d+\)", n) for n in names), names
