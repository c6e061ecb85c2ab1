"""The jparallel kernel driven through jupyter_client, one request type after another.

Tests that only execute, complete or inspect share one kernel (the module-scoped `kc`); tests that
interrupt, restart, shut down or orphan a kernel get one of their own.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from jupyter_client import KernelManager

from conftest import (
    REPLY_TIMEOUT, STARTUP_LIMIT, WATCHDOG, forget_kernel, java_feature_version, jdk_tool, kernel_pid, of_type, ok,
    process_gone, request, result_text, run, stdout_text, thread_dump, track_kernel, wait_gone,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(lines):
    return [ANSI.sub("", line) for line in lines]


def streams(msgs):
    """The stream output as [(name, text)], adjacent chunks of the same stream joined."""
    merged = []
    for c in of_type(msgs, "stream"):
        if merged and merged[-1][0] == c["name"]:
            merged[-1] = (c["name"], merged[-1][1] + c["text"])
        else:
            merged.append((c["name"], c["text"]))
    return merged


# =========================================================================== execute_request

def test_cell_of_many_declarations_then_an_expression(kc):
    reply, msgs = run(kc, textwrap.dedent("""\
        import java.util.function.IntUnaryOperator;
        record Point(int x, int y) {}
        interface Shape { double area(); }
        enum Color { RED, GREEN }
        class Square implements Shape {
            final double side;
            Square(double side) { this.side = side; }
            public double area() { return side * side; }
        }
        int twice(int n) { return 2 * n; }
        IntUnaryOperator inc = n -> n + 1;
        var p = new Point(1, 2);
        p + " " + Color.GREEN + " " + new Square(3).area() + " " + twice(inc.applyAsInt(20))
        """))
    ok(reply)
    assert result_text(msgs) == "Point[x=1, y=2] GREEN 9.0 42"
    # every declaration outlives its cell
    reply, msgs = run(kc, "Color.valueOf(\"RED\").ordinal() + twice(p.y()) + (int) new Square(2).area()")
    ok(reply)
    assert result_text(msgs) == "8"


def test_redefined_method_is_seen_by_its_callers(kc):
    ok(run(kc, "int base() { return 1; }\nint caller() { return base() * 10; }")[0])
    reply, msgs = run(kc, "caller()")
    ok(reply)
    assert result_text(msgs) == "10"
    reply, msgs = run(kc, "int base() { return 2; }\ncaller()")
    ok(reply)
    assert result_text(msgs) == "20"


def test_last_expression_is_the_execute_result(kc):
    code = "int six = 6;\nsix * 7"
    reply, msgs = run(kc, code)
    ok(reply)
    n = reply["execution_count"]
    assert [kind for kind, _ in msgs] == ["status", "execute_input", "execute_result", "status"]
    assert of_type(msgs, "execute_input") == [{"code": code, "execution_count": n}]
    [result] = of_type(msgs, "execute_result")
    assert result["execution_count"] == n
    assert result["data"]["text/plain"] == "42"
    assert [c["execution_state"] for c in of_type(msgs, "status")] == ["busy", "idle"]


def test_cell_ending_in_a_statement_has_no_result(kc):
    reply, msgs = run(kc, "int unshown = 5;")
    ok(reply)
    assert of_type(msgs, "execute_result") == []


def test_array_result_shows_its_contents(kc):
    reply, msgs = run(kc, "new int[] {1, 2, 3}")
    ok(reply)
    assert result_text(msgs) == "[1, 2, 3]"


def test_html_value_is_rich_output(kc):
    reply, msgs = run(kc, 'html("<b>x</b>")')
    ok(reply)
    [result] = of_type(msgs, "execute_result")
    assert result["data"]["text/html"] == "<b>x</b>"
    assert result["data"]["text/plain"] == "x"


def test_display_then_update_display(kc):
    reply, msgs = run(kc, textwrap.dedent("""\
        String bar = display(html("<b>0%</b>"));
        updateDisplay(bar, html("<b>100%</b>"));
        bar
        """))
    ok(reply)
    kinds = [k for k, _ in msgs if k in ("display_data", "update_display_data", "execute_result")]
    assert kinds == ["display_data", "update_display_data", "execute_result"]
    [shown] = of_type(msgs, "display_data")
    [update] = of_type(msgs, "update_display_data")
    display_id = result_text(msgs)
    assert display_id
    assert shown["transient"]["display_id"] == display_id
    assert shown["data"]["text/html"] == "<b>0%</b>"
    assert update["transient"]["display_id"] == display_id
    assert update["data"]["text/html"] == "<b>100%</b>"


def test_display_of_plain_text(kc):
    reply, msgs = run(kc, 'display("just text");')
    ok(reply)
    [shown] = of_type(msgs, "display_data")
    assert shown["data"] == {"text/plain": "just text"}
    assert shown["transient"]["display_id"]


def test_a_display_that_cannot_be_sent_is_reported_and_the_kernel_goes_on(kc):
    """Display data that cannot become JSON (here a map that contains itself) costs that display only."""
    reply, msgs = run(kc, textwrap.dedent("""\
        var loop = new HashMap<String, Object>();
        loop.put("self", loop);
        var data = new org.dflib.jjava.jupyter.kernel.display.DisplayData("text");
        data.putData("application/json", loop);
        display(data);
        System.out.println("after");
        """))
    ok(reply)
    assert of_type(msgs, "display_data") == []
    assert streams(msgs) == [("stderr", "jparallel: could not show a display (its data nests too deeply or refers"
                                        " to itself)\n"), ("stdout", "after\n")]
    reply, msgs = run(kc, 'display("next");')
    ok(reply)
    assert [d["data"] for d in of_type(msgs, "display_data")] == [{"text/plain": "next"}]


def test_stdout_and_stderr_arrive_as_streams_in_order(kc):
    reply, msgs = run(kc, textwrap.dedent("""\
        System.out.println("one");
        System.err.println("two");
        System.out.println("three");
        for (int i = 0; i < 3; i++) System.err.print(i);
        """))
    ok(reply)
    assert streams(msgs) == [("stdout", "one\n"), ("stderr", "two\n"), ("stdout", "three\n"), ("stderr", "012")]


def test_output_of_a_thread_the_cell_started(kc):
    reply, msgs = run(kc, textwrap.dedent("""\
        Thread worker = new Thread(() -> System.out.println("from worker"));
        worker.start();
        worker.join();
        "joined"
        """))
    ok(reply)
    assert stdout_text(msgs) == "from worker\n"
    assert result_text(msgs) == "joined"
    # the output is published before the result
    kinds = [k for k, _ in msgs]
    assert kinds.index("stream") < kinds.index("execute_result")


def test_a_line_written_in_pieces_arrives_whole(kc):
    """The relay waits (up to 50 ms) for the end of a line before publishing it."""
    reply, msgs = run(kc, textwrap.dedent("""\
        for (int i = 0; i < 3; i++) {
            System.out.print("row " + i + ":");
            Thread.sleep(1);
            System.out.printf(" %,d done%n", 1000 * i);
        }
        """))
    ok(reply)
    chunks = [c["text"] for c in of_type(msgs, "stream")]
    assert "".join(chunks) == "row 0: 0 done\nrow 1: 1,000 done\nrow 2: 2,000 done\n"
    assert all(chunk.endswith("\n") for chunk in chunks), chunks


def test_print_without_newline_arrives(kc):
    reply, msgs = run(kc, 'System.out.print("no newline")')
    ok(reply)
    assert stdout_text(msgs) == "no newline"


def test_compile_error_points_at_line_and_column(kc):
    reply, msgs = run(kc, "int fine = 1;\nString wrong = 5;\nint after = 2;")
    assert reply["status"] == "error"
    assert reply["ename"] == "CompilationError"
    assert "incompatible types" in reply["evalue"]
    n = reply["execution_count"]
    lines = plain(reply["traceback"])
    assert any(f"cell[{n}] line 2, column 16" in line for line in lines), lines
    source = next(i for i, line in enumerate(lines) if line.strip() == "String wrong = 5;")
    caret = lines[source + 1]
    assert caret.strip() == "^", lines
    assert caret.index("^") == lines[source].index("5"), lines
    [error] = of_type(msgs, "error")
    assert (error["ename"], error["evalue"], error["traceback"]) == \
        (reply["ename"], reply["evalue"], reply["traceback"])


def test_runtime_exception_names_class_and_cell_line(kc):
    reply, msgs = run(kc, "int zero = 0;\nint q = 1 / zero;")
    assert reply["status"] == "error"
    assert reply["ename"] == "java.lang.ArithmeticException"
    assert reply["evalue"] == "/ by zero"
    n = reply["execution_count"]
    assert any(f"(cell[{n}] line 2)" in line for line in plain(reply["traceback"])), reply["traceback"]
    assert of_type(msgs, "error")[0]["ename"] == "java.lang.ArithmeticException"


def test_exception_in_a_method_of_an_earlier_cell(kc):
    reply, _ = run(kc, "int divide(int d) {\n    int unused = 0;\n    return 10 / d;\n}")
    ok(reply)
    defined = reply["execution_count"]
    reply, _ = run(kc, "int before = 1;\ndivide(0)")
    assert reply["ename"] == "java.lang.ArithmeticException"
    lines = plain(reply["traceback"])
    assert any(f"divide (cell[{defined}] line 3)" in line for line in lines), lines
    assert any(f"(cell[{reply['execution_count']}] line 2)" in line for line in lines), lines


def test_exception_cause_is_shown(kc):
    reply, _ = run(kc, 'throw new IllegalStateException("outer", new RuntimeException("inner"));')
    assert (reply["ename"], reply["evalue"]) == ("java.lang.IllegalStateException", "outer")
    assert any(line.startswith("Caused by: java.lang.RuntimeException: inner") for line in plain(reply["traceback"]))


def test_unclosed_cell_is_an_error(kc):
    reply, _ = run(kc, "int ok1 = 1;\nvoid unfinished() {")
    assert reply["status"] == "error"
    assert reply["ename"] == "IncompleteCell"
    assert "void unfinished() {" in reply["evalue"]


def test_execution_count_counts_stored_cells_only(kc):
    first, _ = run(kc, "1")
    n = first["execution_count"]
    reply, msgs = run(kc, "2", silent=True)
    ok(reply)
    reply, msgs = run(kc, "3", store_history=False)
    ok(reply)
    assert result_text(msgs) == "3"
    failed, _ = run(kc, "1 / 0")
    assert failed["status"] == "error"
    assert failed["execution_count"] == n + 1
    reply, msgs = run(kc, "4")
    assert reply["execution_count"] == n + 2
    assert of_type(msgs, "execute_input")[0]["execution_count"] == n + 2
    assert of_type(msgs, "execute_result")[0]["execution_count"] == n + 2


def test_silent_cell_publishes_no_input_and_no_result(kc):
    reply, msgs = run(kc, "int quiet = 40;\nquiet + 2", silent=True)
    ok(reply)
    kinds = [k for k, _ in msgs]
    assert "execute_input" not in kinds
    assert "execute_result" not in kinds
    assert [c["execution_state"] for c in of_type(msgs, "status")] == ["busy", "idle"]
    # the code did run
    reply, msgs = run(kc, "quiet")
    assert result_text(msgs) == "40"


def test_user_expressions_are_evaluated(kc):
    reply, _ = run(kc, "int ux = 6;", user_expressions={"answer": "ux * 7"})
    ok(reply)
    assert "42" in str(reply["user_expressions"]["answer"])


def test_user_expressions_follow_the_spec(kc):
    """Spec: each value is {status: ok, data: {mime: ...}, metadata} or {status: error, ename, ...}."""
    reply, _ = run(kc, "int uy = 6;", user_expressions={"good": "uy * 7", "bad": "1 / 0"})
    ok(reply)
    good = reply["user_expressions"]["good"]
    bad = reply["user_expressions"]["bad"]
    assert good.get("status") == "ok", good
    assert good.get("data") == {"text/plain": "42"}, good
    assert bad.get("status") == "error", bad
    assert bad.get("ename") == "java.lang.ArithmeticException", bad


def test_error_aborts_the_queued_cells(kc):
    """stop_on_error=True (the default): requests queued behind a failing cell are aborted.

    The failing cell waits for input, so the next request is surely queued before it fails."""
    failing = kc.execute('input("continue? ");\nthrow new RuntimeException("stop here");', allow_stdin=True)
    request_msg = kc.get_stdin_msg(timeout=REPLY_TIMEOUT)
    assert request_msg["msg_type"] == "input_request"
    queued = kc.execute('"ran anyway"')
    kc.input("yes")
    assert kc._recv_reply(failing, timeout=REPLY_TIMEOUT)["content"]["status"] == "error"
    reply = kc._recv_reply(queued, timeout=REPLY_TIMEOUT)["content"]
    assert reply["status"] == "aborted", reply


# =========================================================================== complete_request

def test_complete_type_name(kc):
    reply = request(kc, "complete", "Str", 3)["content"]
    assert reply["status"] == "ok"
    assert "String" in reply["matches"]
    assert "StringBuilder" in reply["matches"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (0, 3)


def test_complete_member(kc):
    reply = request(kc, "complete", '"abc".len', 9)["content"]
    assert any(m.startswith("length(") for m in reply["matches"]), reply["matches"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (6, 9)


def test_complete_in_a_later_snippet_of_the_cell(kc):
    code = "int x0 = 1;\nMath.ab"
    reply = request(kc, "complete", code, len(code))["content"]
    assert any(m.startswith("abs(") for m in reply["matches"]), reply["matches"]
    assert reply["cursor_start"] == code.index("ab")


def test_complete_a_variable_of_an_earlier_cell(kc):
    ok(run(kc, "int myCounter = 1;")[0])
    reply = request(kc, "complete", "myCou", 5)["content"]
    assert "myCounter" in reply["matches"]


@pytest.mark.parametrize("code, match, start", [("%ls", "lsmagic", 1), ("%%ti", "time", 2)])
def test_complete_magic_name(kc, code, match, start):
    reply = request(kc, "complete", code, len(code))["content"]
    assert reply["matches"] == [match]
    assert (reply["cursor_start"], reply["cursor_end"]) == (start, len(code))


# =========================================================================== inspect_request

@pytest.mark.parametrize("cursor", [6, 9, 13], ids=["on-name", "in-args", "at-end"])
def test_inspect_method_call(kc, cursor):
    reply = request(kc, "inspect", "Math.max(1,2)", cursor)["content"]
    assert reply["status"] == "ok"
    assert reply["found"] is True
    assert "Math.max" in reply["data"]["text/plain"]
    assert "Math.max" in reply["data"]["text/html"]


def test_inspect_unknown_name(kc):
    reply = request(kc, "inspect", "noSuchThing", 4)["content"]
    assert reply["status"] == "ok"
    assert reply["found"] is False


# =========================================================================== is_complete_request

@pytest.mark.parametrize("code, status, indent", [
    ("int x = 1;", "complete", ""),
    ("int x = 1;\nSystem.out.println(x);", "complete", ""),
    ("%lsmagic", "complete", ""),
    ("%%time\nint x = 1;", "incomplete", ""),  # a cell magic ends with an empty line, as in IPython
    ("%%time\nint x = 1;\n", "complete", ""),
    ("%%parallel --map x:xs\nif (x == 2) { f(x); }\nx * 10\n", "complete", ""),
    ("%%parallel\n", "incomplete", ""),
    ("void f() {", "incomplete", "    "),
    ("void f() {\n    if (true) {", "incomplete", "        "),
    ("%%time", "incomplete", None),
    ("int x = ;", "invalid", None),
])
def test_is_complete(kc, code, status, indent):
    reply = request(kc, "is_complete", code)["content"]
    assert reply["status"] == status, reply
    if indent is not None:
        assert reply.get("indent", "") == indent


# =========================================================================== history_request

def _history_input(entry):
    """The input of a history entry, read from the spec's tuple or from the kernel's object form."""
    if isinstance(entry, dict):
        return entry["input"]
    return entry[2][0] if isinstance(entry[2], (list, tuple)) else entry[2]


def test_history_tail_returns_the_last_cells(kc):
    cells = ["int h1 = 1;", "h1 + 1", "String h3 = \"three\";"]
    for code in cells:
        ok(run(kc, code)[0])
    run(kc, '"not stored"', store_history=False)
    run(kc, '"silent"', silent=True)
    reply = request(kc, "history", hist_access_type="tail", n=3, output=False, raw=True)["content"]
    assert [_history_input(e) for e in reply["history"]] == cells


def test_history_search_finds_a_cell_by_glob(kc):
    ok(run(kc, "int searchable42 = 42;")[0])
    reply = request(kc, "history", hist_access_type="search", pattern="*searchable42*",
                    output=False, raw=True)["content"]
    assert [_history_input(e) for e in reply["history"]] == ["int searchable42 = 42;"]


def test_history_reply_follows_the_spec(kc):
    """Spec: history is a list of (session, line_number, input) triples, or (session, line_number,
    (input, output)) with output=True; the reply has status ok."""
    reply, _ = run(kc, "40 + 2")
    n = reply["execution_count"]
    content = request(kc, "history", hist_access_type="tail", n=1, output=False, raw=True)["content"]
    assert content.get("status") == "ok", content
    entry = content["history"][-1]
    assert isinstance(entry, list) and len(entry) == 3, entry
    assert entry[1:] == [n, "40 + 2"], entry
    content = request(kc, "history", hist_access_type="tail", n=1, output=True, raw=True)["content"]
    assert content["history"][-1][2] == ["40 + 2", "42"], content


# =========================================================================== kernel_info_request

def test_kernel_info(kc):
    reply = request(kc, "kernel_info")["content"]
    info = reply["language_info"]
    assert info["name"] == "java"
    assert info["file_extension"] == ".jshell"
    assert info["mimetype"] == "text/x-java-source"
    assert info["pygments_lexer"] == "java"
    assert info["codemirror_mode"] == "text/x-java"
    feature = java_feature_version(kernel_pid(kc))
    assert re.match(rf"{feature}(\D|$)", info["version"]), (feature, info["version"])
    assert reply["implementation"] == "jparallel"
    assert reply["protocol_version"].startswith("5.")
    assert reply["banner"]
    assert any(f"/{feature}/" in link["url"] for link in reply["help_links"]), reply["help_links"]


@contextlib.contextmanager
def starting_kernel():
    """A kernel just started, and a client whose channels are connected but which has not waited for it."""
    km = KernelManager(kernel_name="jparallel")
    km.start_kernel()
    track_kernel(km.provisioner.process.pid, "starting kernel")
    kc = km.client()
    kc.start_channels()
    try:
        yield kc
    finally:
        pid = km.provisioner.process.pid
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        forget_kernel(pid)


def test_requests_sent_while_the_kernel_starts_are_answered_in_order():
    """kernel_info is answered while JShell starts; a cell sent then waits for it and runs, in order."""
    with starting_kernel() as kc:
        sent = [kc.kernel_info(), kc.execute("int x = 40;", user_expressions={"y": "x + 2"}), kc.kernel_info()]
        replies = [kc.get_shell_msg(timeout=STARTUP_LIMIT) for _ in sent]
        assert [r["parent_header"]["msg_id"] for r in replies] == sent
        first, cell, last = (r["content"] for r in replies)
        assert cell["status"] == "ok", cell
        assert cell["user_expressions"]["y"]["data"]["text/plain"] == "42", cell
        assert first == last
        assert first["status"] == "ok" and first["implementation"] == "jparallel", first


def test_the_first_kernel_info_of_a_starting_kernel_has_its_status_on_iopub():
    """The kernel answers kernel_info while JShell starts, but only once the asking client's IOPub subscription
    has come: the busy and idle statuses of that first request reach the client, which otherwise asks again
    0.2 to 0.5 s later (jupyter_client's wait_for_ready, the Notebook server's nudge). Three fresh starts."""
    for start in range(3):
        with starting_kernel() as kc:
            msg_id = kc.kernel_info()
            reply = kc.get_shell_msg(timeout=STARTUP_LIMIT)
            assert reply["parent_header"]["msg_id"] == msg_id
            states = []
            while "idle" not in states:
                msg = kc.get_iopub_msg(timeout=5)  # raises Empty if the statuses were lost
                if msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == msg_id:
                    states.append(msg["content"]["execution_state"])
            assert states == ["busy", "idle"], (start, states)


def test_comm_info(kc):
    reply = request(kc, "comm_info")["content"]
    assert reply["comms"] == {}


def test_comm_open_to_an_unknown_target_is_closed_on_iopub(kc):
    """The messaging spec: a comm_open whose target the kernel does not know is answered by a comm_close on
    IOPub (published through the kernel's own IOPub socket, like every reply's messages)."""
    kc.shell_channel.send(kc.session.msg("comm_open", {"comm_id": "c-unknown", "target_name": "no-such-target",
                                                        "data": {}}))
    deadline = time.monotonic() + REPLY_TIMEOUT
    while True:
        assert time.monotonic() < deadline, "no comm_close came"
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["msg_type"] == "comm_close":
            assert msg["content"]["comm_id"] == "c-unknown"
            return


def test_kernelspec_asks_for_message_interrupts(kc):
    assert kc.parent.kernel_spec.interrupt_mode == "message"
    assert kc.parent.kernel_spec.language == "java"


def _interrupt_request(kc):
    msg = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(msg)
    return kc._recv_reply(msg["header"]["msg_id"], timeout=REPLY_TIMEOUT, channel="control")


@pytest.mark.parametrize("ask", [
    pytest.param(lambda kc: request(kc, "kernel_info"), id="kernel_info"),
    pytest.param(lambda kc: request(kc, "comm_info"), id="comm_info"),
    pytest.param(lambda kc: request(kc, "history", hist_access_type="tail", n=1, output=False, raw=True),
                 id="history"),
    pytest.param(_interrupt_request, id="interrupt"),
    pytest.param(lambda kc: request(kc, "complete", "Str", 3), id="complete"),
    pytest.param(lambda kc: request(kc, "inspect", "Math.max(1,2)", 6), id="inspect"),
])
def test_reply_has_status_ok(kc, ask):
    """Spec: every reply but is_complete_reply carries status ('ok' when it worked)."""
    reply = ask(kc)
    assert reply["content"].get("status") == "ok", f"{reply['msg_type']} without status: {reply['content']}"


# =========================================================================== magics

def test_lsmagic_lists_the_magics(kc):
    reply, msgs = run(kc, "%lsmagic")
    ok(reply)
    words = stdout_text(msgs).split()
    for magic in ("%time", "%%time", "%classpath", "%jars", "%load", "%lsmagic"):
        assert magic in words, stdout_text(msgs)


def test_cell_time_magic(kc):
    reply, msgs = run(kc, "%%time\nint t1 = 20;\nt1 + 1")
    ok(reply)
    assert "Wall time" in stdout_text(msgs)
    assert result_text(msgs) == "21"


def test_line_time_magic_gives_the_value(kc):
    reply, msgs = run(kc, "var timed = %time 6*7;")
    ok(reply)
    assert "Wall time" in stdout_text(msgs)
    reply, msgs = run(kc, "timed")
    assert result_text(msgs) == "42"


def test_line_magic_code_keeps_its_quotes_and_spaces(kc):
    reply, msgs = run(kc, 'var said = %time String.valueOf("x  \\"y\\"");')
    ok(reply)
    reply, msgs = run(kc, "said")
    assert result_text(msgs) == 'x  "y"'
    reply, msgs = run(kc, '%time System.out.println("a b  c")')
    ok(reply)
    assert stdout_text(msgs).startswith("a b  c\n"), stdout_text(msgs)


def test_unknown_magic_is_a_magic_error(kc):
    reply, msgs = run(kc, "%nope")
    assert reply["status"] == "error"
    assert reply["ename"] == "MagicError"
    assert "%nope" in reply["evalue"]
    assert of_type(msgs, "error")[0]["ename"] == "MagicError"


def test_classpath_of_a_missing_path_is_a_magic_error(kc, tmp_path):
    missing = tmp_path / "missing.jar"
    reply, _ = run(kc, f"%classpath {missing}")
    assert reply["ename"] == "MagicError"
    assert str(missing) in reply["evalue"]


@pytest.fixture(scope="module")
def jars(tmp_path_factory):
    """Jars built with the JDK tools: greeter.jar (demo.Greeter) and lib/{one,two}.jar."""
    with WATCHDOG.guard(120, "building the test jars"):
        return _build_jars(tmp_path_factory.mktemp("jars"))


def _build_jars(root):
    def build(jar, package, cls, body):
        src = root / "src" / jar.stem / package
        src.mkdir(parents=True)
        (src / f"{cls}.java").write_text(f"package {package};\npublic class {cls} {{ {body} }}\n")
        classes = root / "classes" / jar.stem
        subprocess.run([jdk_tool("javac"), "--release", "17", "-d", str(classes), str(src / f"{cls}.java")],
                       check=True, capture_output=True, timeout=120)
        jar.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([jdk_tool("jar"), "--create", "--file", str(jar), "-C", str(classes), "."],
                       check=True, capture_output=True, timeout=120)
        return jar

    return {
        "greeter": build(root / "greeter.jar", "demo", "Greeter",
                         'public static String greet(String n) { return "hello " + n; }'),
        "lib": root / "lib",
        "one": build(root / "lib" / "one.jar", "libone", "One", "public static int value() { return 1; }"),
        "two": build(root / "lib" / "two.jar", "libtwo", "Two", "public static int value() { return 2; }"),
    }


def test_classpath_jar_is_usable_in_the_next_cell(kc, jars):
    reply, _ = run(kc, f"%classpath {jars['greeter']}")
    ok(reply)
    reply, msgs = run(kc, 'demo.Greeter.greet("jupyter")')
    ok(reply)
    assert result_text(msgs) == "hello jupyter"
    reply, msgs = run(kc, "%classpath")
    assert str(jars["greeter"]) in stdout_text(msgs).splitlines()


def test_jars_adds_every_jar_of_a_glob(kc, jars):
    reply, msgs = run(kc, f"%jars {jars['lib']}/*.jar")
    ok(reply)
    assert str(jars["one"]) in result_text(msgs) and str(jars["two"]) in result_text(msgs)
    reply, msgs = run(kc, "libone.One.value() + libtwo.Two.value()")
    ok(reply)
    assert result_text(msgs) == "3"
    reply, _ = run(kc, f"%jars {jars['lib']}/nothing-*.jar")
    assert reply["ename"] == "MagicError"
    assert "no jar matches" in reply["evalue"]


def test_load_runs_a_jsh_file(kc, tmp_path):
    script = tmp_path / "defs.jsh"
    script.write_text('int triple(int x) {\n    return 3 * x;\n}\nString loadedFrom = "defs.jsh";\n"loaded"\n')
    reply, msgs = run(kc, f"%load {script}")
    ok(reply)
    assert result_text(msgs) == "loaded"
    reply, msgs = run(kc, 'triple(14) + " " + loadedFrom')
    assert result_text(msgs) == "42 defs.jsh"


# =========================================================================== stdin

def test_scanner_and_input_read_from_the_front_end(kc):
    prompts = []

    def answer(msg):
        assert msg["msg_type"] == "input_request"
        prompts.append((msg["content"]["prompt"], msg["content"]["password"]))
        kc.input("Ada" if msg["content"]["prompt"] == "name? " else "first line")

    reply, msgs = run(kc, textwrap.dedent("""\
        String line = new java.util.Scanner(System.in).nextLine();
        String name = input("name? ");
        line + "|" + name
        """), allow_stdin=True, stdin_hook=answer)
    ok(reply)
    assert result_text(msgs) == "first line|Ada"
    assert prompts == [("", False), ("name? ", False)]


def test_input_request_answered_without_a_hook(kc):
    """The client reads the input_request from the stdin channel itself and answers it.

    (Not from a second thread: jupyter_client's blocking client is not safe to use from two threads
    at once, which made such a test flaky.)"""
    msg_id = kc.execute('Integer.parseInt(input("number? ")) * 6', allow_stdin=True)
    asked = kc.get_stdin_msg(timeout=REPLY_TIMEOUT)
    assert asked["msg_type"] == "input_request"
    assert asked["parent_header"]["msg_id"] == msg_id
    assert asked["content"] == {"prompt": "number? ", "password": False}
    kc.input("7")
    reply = kc._recv_reply(msg_id, timeout=REPLY_TIMEOUT)["content"]
    ok(reply)
    assert result_text(collect_iopub(kc, msg_id)) == "42"


def test_password_request_is_marked_as_such(kc):
    def answer(msg):
        assert msg["content"] == {"prompt": "secret? ", "password": True}
        kc.input("hunter2")

    reply, msgs = run(kc, 'password("secret? ").length()', allow_stdin=True, stdin_hook=answer)
    ok(reply)
    assert result_text(msgs) == "7"


@pytest.mark.parametrize("code", [
    'input("name? ")',
    "new BufferedReader(new InputStreamReader(System.in)).readLine()",
    pytest.param("new java.util.Scanner(System.in).nextLine()"),
], ids=["input", "BufferedReader", "Scanner"])
def test_reading_input_without_stdin_fails_clearly(kc, code):
    reply, msgs = run(kc, code, allow_stdin=False)
    assert reply["status"] == "error"
    text = reply["evalue"] + "\n" + "\n".join(plain(reply["traceback"]))
    assert "allow_stdin" in text, f"{reply['ename']}: {text}"
    assert of_type(msgs, "error")


# =========================================================================== interrupt

def wait_until_snippet_runs(kc, deadline_s=REPLY_TIMEOUT):
    """Waits until a kernel thread is inside snippet code (a REPL.$JShell$N frame in a thread dump)."""
    pid = kernel_pid(kc)
    deadline = time.monotonic() + deadline_s
    while True:
        dump = thread_dump(pid)
        if re.search(r"at REPL\.\$JShell\$\w+\.do_it\$", dump):
            return
        assert time.monotonic() < deadline, f"the cell never started running:\n{dump}"


def collect_iopub(kc, msg_id, timeout=REPLY_TIMEOUT):
    """The IOPub messages of one request, up to its idle status."""
    msgs = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.0, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append((msg["msg_type"], msg["content"]))
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return msgs


def wait_for_output(kc, msg_id, text, timeout=REPLY_TIMEOUT):
    """Waits until the request's stdout has shown text."""
    seen = ""
    deadline = time.monotonic() + timeout
    while text not in seen:
        msg = kc.get_iopub_msg(timeout=max(0.0, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            seen += msg["content"]["text"]


@pytest.mark.parametrize("code", ["while (true) {}", "Thread.sleep(60000);"], ids=["busy-loop", "sleep"])
def test_interrupt_stops_the_running_cell(fresh_kc, code):
    kc = fresh_kc
    msg_id = kc.execute(code)
    wait_until_snippet_runs(kc)
    start = time.monotonic()
    kc.parent.interrupt_kernel()
    reply = kc._recv_reply(msg_id, timeout=5)["content"]
    took = time.monotonic() - start
    assert reply["status"] == "error"
    assert reply["ename"] == "Interrupted"
    assert took < 1.0, f"the interrupt took {took:.2f} s"
    assert [c["ename"] for c in of_type(collect_iopub(kc, msg_id), "error")] == ["Interrupted"]
    reply, msgs = run(kc, "1+1")
    ok(reply)
    assert result_text(msgs) == "2"


def test_interrupt_stops_the_rest_of_the_cell(fresh_kc):
    """An interrupt stops the cell, not only the snippet running when it came: here the first snippet
    swallows the InterruptedException, and the loop after it must not run."""
    kc = fresh_kc
    msg_id = kc.execute(textwrap.dedent("""\
        try {
            System.out.println("sleeping");
            Thread.sleep(60000);
        } catch (InterruptedException e) {
            System.out.println("woken");
        }
        while (true) {}
        """))
    wait_for_output(kc, msg_id, "sleeping")
    kc.parent.interrupt_kernel()
    try:
        reply = kc._recv_reply(msg_id, timeout=3)["content"]
    except TimeoutError:
        pytest.fail("the cell ran on into `while (true) {}` after the interrupt: no reply within 3 s")
    assert reply["ename"] == "Interrupted"


# =========================================================================== restart and shutdown

@pytest.mark.watchdog(60)
def test_restart_gives_a_fresh_working_kernel(fresh_kc):
    kc = fresh_kc
    km = kc.parent
    ok(run(kc, "int kept = 5;")[0])
    old = km.provisioner.process
    km.restart_kernel(now=False)
    forget_kernel(old.pid)
    track_kernel(kernel_pid(kc), "restarted")
    assert kernel_pid(kc) != old.pid
    assert wait_gone(old.pid, 5, poll=old.poll), "the old kernel process is still there"
    assert old.returncode == 0, f"the old kernel did not exit by itself (exit status {old.returncode})"
    kc.wait_for_ready(timeout=STARTUP_LIMIT)
    reply, msgs = run(kc, "1+1")
    ok(reply)
    assert result_text(msgs) == "2"
    reply, _ = run(kc, "kept")
    assert reply["ename"] == "CompilationError", "the restarted kernel still knows `kept`"


def test_shutdown_request_ends_the_kernel_process(fresh_kc):
    kc = fresh_kc
    proc = kc.parent.provisioner.process
    reply = request(kc, "shutdown")
    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"]["restart"] is False
    assert wait_gone(proc.pid, 5, poll=proc.poll), "the kernel process is still there 5 s after shutdown_reply"
    assert proc.returncode == 0
    with pytest.raises(ProcessLookupError):
        os.kill(proc.pid, 0)


def test_manager_shutdown_leaves_no_kernel_process(fresh_kc):
    kc = fresh_kc
    km = kc.parent
    proc = km.provisioner.process
    start = time.monotonic()
    km.shutdown_kernel(now=False)
    took = time.monotonic() - start
    assert proc.returncode == 0, f"jupyter_client had to kill the kernel (exit status {proc.returncode})"
    assert took < 5
    with pytest.raises(ProcessLookupError):
        os.kill(proc.pid, 0)


def test_shutdown_request_ends_a_kernel_with_a_running_cell(fresh_kc):
    """Spec: once the client has the shutdown_reply it may assume the kernel has shut down. Here a
    cell is still running (no interrupt is sent first, unlike KernelManager.shutdown_kernel)."""
    kc = fresh_kc
    proc = kc.parent.provisioner.process
    msg_id = kc.execute('{ System.out.println("spinning"); while (true) {} }')
    wait_for_output(kc, msg_id, "spinning")
    assert request(kc, "shutdown")["msg_type"] == "shutdown_reply"
    assert wait_gone(proc.pid, 5, poll=proc.poll), "the kernel replied to shutdown_request but is still running"


def test_shutdown_reply_has_status_ok(fresh_kc):
    content = request(fresh_kc, "shutdown")["content"]
    assert content.get("status") == "ok", content


# =========================================================================== orphaned kernel

ORPHAN_PARENT = textwrap.dedent("""\
    import sys, time
    from jupyter_client import KernelManager
    km = KernelManager(kernel_name="jparallel", connection_file=sys.argv[1])
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    if sys.argv[2] == "busy":
        kc.execute('{ System.out.println("spinning"); while (true) {} }')
        while kc.get_iopub_msg(timeout=60)["msg_type"] != "stream":
            pass
    print("READY", km.provisioner.process.pid, flush=True)
    time.sleep(600)
    """)


@pytest.mark.parametrize("state", [
    "idle",
    pytest.param("busy"),
])
def test_kernel_exits_when_its_parent_dies(tmp_path, state):
    script = tmp_path / "parent.py"
    script.write_text(ORPHAN_PARENT)
    parent = subprocess.Popen([sys.executable, str(script), str(tmp_path / "kernel.json"), state],
                              stdout=subprocess.PIPE, text=True)
    kernel = None
    try:
        line = parent.stdout.readline()
        assert line.startswith("READY "), f"the parent process failed (exit status {parent.poll()})"
        kernel = int(line.split()[1])
        track_kernel(kernel, f"orphan-{state}")
        parent.kill()
        parent.wait()
        assert wait_gone(kernel, 10), f"the {state} kernel {kernel} outlived its parent by 10 s"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if kernel is not None:
            if not process_gone(kernel):
                os.kill(kernel, signal.SIGKILL)
                wait_gone(kernel, 10)
            forget_kernel(kernel)
