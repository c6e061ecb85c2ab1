"""How %%parallel cells fail, through a real Jupyter client: checked exceptions in a body, compile
errors placed on the cell's lines, and tracebacks free of the kernel's own frames."""
import re

from conftest import REPLY_TIMEOUT, ok, result_text, run, stdout_text

MACHINERY = ("org.jparallel.internal.", "org.jparallel.kernel.", "org.dflib.jjava.")


def shows_machinery(reply):
    return [line for line in reply["traceback"] if any(m in line for m in MACHINERY)]


def failed(reply, ename):
    assert reply["status"] == "error", reply
    assert reply["ename"] == ename, reply


def test_a_body_may_call_a_method_that_throws_checked_exceptions(kc):
    ok(run(kc, "long slow(int x) throws InterruptedException { Thread.sleep(10); return x; }\n"
               "var inputs = java.util.List.of(1, 2, 3, 4);")[0])
    reply, msgs = run(kc, "%%parallel --map x:inputs\nslow(x)")
    ok(reply)
    assert result_text(msgs) == "[1, 2, 3, 4]"
    reply, msgs = run(kc, "%%parallel --map x:inputs --out slowed\nThread.sleep(1);\nslow(x) * 2")
    ok(reply)
    assert result_text(run(kc, "slowed")[1]) == "[2, 4, 6, 8]"
    reply, msgs = run(kc, "%%parallel\nslow(3)")
    ok(reply)
    assert result_text(msgs) == "[3, 3]"


def test_a_checked_exception_a_body_throws_is_its_elements_failure(kc):
    reply, _ = run(kc, '%%parallel --map x:inputs\nif (x == 2) {\n    throw new java.io.IOException("no " + x);\n}\nx')
    failed(reply, "org.jparallel.api.WorkerException")
    assert re.search(r"^1 element failed\n  worker \d \(pid \d+\), element 1 \(= 2\): java.io.IOException: no 2\n"
                     r"      at lambda \(cell\[\d+\] line 3\)$", reply["evalue"]), reply["evalue"]
    assert shows_machinery(reply) == []
    reply, _ = run(kc, '%%parallel\nif (WorkerIdentity.current().index() == 1) {\n'
                       '    throw new java.io.IOException("one");\n}\n0')
    failed(reply, "org.jparallel.api.WorkerException")
    assert re.search(r"^1 element failed\n  worker 1 \(pid \d+\): java.io.IOException: one\n", reply["evalue"]), \
        reply["evalue"]


def test_a_map_body_may_be_a_statement_on_the_element_or_end_without_its_semicolon(kc):
    """JShell takes "if (x == 2) ..." for an erroneous expression, since x is unknown at the notebook's level."""
    ok(run(kc, "var few = java.util.List.of(1, 2, 3);")[0])
    reply, msgs = run(kc, '%%parallel --map x:few\nif (x == 2) { System.out.println("two"); }')
    ok(reply)
    assert "two\n" in stdout_text(msgs)
    reply, msgs = run(kc, '%%parallel --map x:few --out printed\nSystem.out.println("got " + x)')
    ok(reply)
    assert sorted(re.findall(r"got \d", stdout_text(msgs))) == ["got 1", "got 2", "got 3"]
    assert result_text(run(kc, "printed")[1]) == "[null, null, null]"


def test_a_notebook_function_on_a_worker_fails_saying_it_runs_in_the_notebook_only(kc):
    """Workers run on jparallel-core alone: the kernel's display() is not there, and the error says why."""
    reply, _ = run(kc, '%%parallel -n 1\ndisplay("from a worker");\n1')
    failed(reply, "org.jparallel.api.WorkerException")
    assert "org/jparallel/notebook/Notebook: this belongs to the notebook's kernel, not to a worker" in reply["evalue"]
    reply, msgs = run(kc, "%%parallel -n 1\n2")
    ok(reply)
    assert result_text(msgs) == "[2]"


def test_compile_errors_in_a_parallel_body_point_at_the_cell_line(kc):
    for cell, line in (("%%parallel --map x:inputs\nint y = x;\nnope(y)", "nope(y)"),
                       ("%%parallel --map x:inputs\nint y = x;\nnope(y);", "nope(y);"),
                       ("%%parallel\nint y = 1;\nnope(y)", "nope(y)")):
        reply, _ = run(kc, cell)
        failed(reply, "CompilationError")
        assert re.search(r"cell\[\d+\] line 3, column 1(\x1b\[0m)?: cannot find symbol", reply["traceback"][1]), reply
        assert reply["traceback"][2] == "    " + line, reply
        assert reply["traceback"][3].startswith("    ^"), reply


def test_a_timed_out_or_interrupted_cell_shows_no_machinery(kc):
    reply, _ = run(kc, "%%parallel --timeout 1\nThread.sleep(60_000);")
    failed(reply, "java.util.concurrent.CancellationException")
    assert reply["traceback"][0].endswith("timed out after 1.0 s: 0 element(s) had finished"), reply
    assert len(reply["traceback"]) <= 2 and shows_machinery(reply) == [], reply

    msg_id = kc.execute("%%parallel\nThread.sleep(60_000);")
    while True:  # the progress display appears once tasks are on their way to the workers
        m = kc.get_iopub_msg(timeout=REPLY_TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "display_data":
            break
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    reply = kc._recv_reply(msg_id, timeout=REPLY_TIMEOUT)["content"]
    assert reply["status"] == "error" and len(reply["traceback"]) <= 2 and shows_machinery(reply) == [], reply
    reply, msgs = run(kc, "%%parallel\n3")
    ok(reply)
    assert result_text(msgs) == "[3, 3]"


def test_a_line_magics_compile_error_is_one_line_naming_the_magic(kc):
    """Where a line magic stands in its cell is not known, so its code's errors give no cell line."""
    for cell, magic, code in (("int a = 1;\n%time nope(a)", "%time", "nope(a)"),
                              ("%parallel nope(2);", "%parallel", "nope(2);")):
        reply, _ = run(kc, cell)
        failed(reply, "MagicError")
        assert reply["evalue"].startswith(f"{magic}: {code} does not compile: cannot find symbol"), reply
