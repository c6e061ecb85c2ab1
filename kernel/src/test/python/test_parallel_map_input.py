"""%%parallel --map over inputs that never end or partly fail, through a real Jupyter client:
--timeout bounds the reading of the input, and --out keeps every element's place."""

from conftest import ok, result_text, run


def test_a_timeout_stops_a_map_over_an_endless_stream_and_the_kernel_stays_usable(kc):
    ok(run(kc, "var endless = java.util.stream.Stream.iterate(0L, i -> i + 1);")[0])
    reply, _ = run(kc, "%%parallel --map x:endless --timeout 3 --no-progress\nx * 2")
    assert reply["status"] == "error", reply
    last = reply["traceback"][-1]
    assert "timed out after 3.0 s" in last and "the input was still being read" in last, reply["traceback"]
    ok(run(kc, "var two = List.of(1, 2);")[0])
    reply, msgs = run(kc, "%%parallel --map x:two --no-progress\nx + 1")
    ok(reply)
    assert result_text(msgs) == "[2, 3]"


def test_out_after_a_failed_map_keeps_every_elements_place_and_the_error_says_so(kc):
    ok(run(kc, "var six = List.of(1, 2, 3, 4, 5, 6);")[0])
    reply, _ = run(kc, "%%parallel --map x:six --out r --no-progress\n"
                       "if (x == 4) throw new IllegalStateException(\"four\");\nx * 10")
    assert reply["status"] == "error", reply
    text = "\n".join(reply["traceback"])
    assert "1 element failed" in text, text
    assert ("r was set all the same: 6 entries, one per element in input order, null where an element failed"
            in text), text
    reply, msgs = run(kc, "r")
    ok(reply)
    assert result_text(msgs) == "[10, 20, 30, null, 50, 60]"
