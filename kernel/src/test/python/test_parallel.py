"""The %%parallel extension through a real Jupyter client: worker JVMs, PIDs, code sync, variables,
inline errors, interrupt, and no worker left behind."""
import re
import os
import signal
import time

import pytest

from conftest import (
    REPLY_TIMEOUT, forget_kernel, kernel_pid, of_type, ok, process_gone, result_text, run, stdout_text, wait_gone,
)


def worker_pids(kernel):
    """PIDs of the kernel's child processes (its worker JVMs)."""
    with open(f"/proc/{kernel}/task/{kernel}/children") as f:
        return [int(p) for p in f.read().split()]


def test_parallel_cell_runs_on_every_worker_with_its_pid(kc):
    ok(run(kc, "%pool start 2")[0])
    reply, msgs = run(kc, '%%parallel\nSystem.out.println("pid " + WorkerIdentity.current().pid());\n'
                          'WorkerIdentity.current().index()')
    ok(reply)
    assert result_text(msgs) == "[0, 1]"
    printed = {int(p) for p in re.findall(r"pid (\d+)\n", stdout_text(msgs))}
    labels = {int(p) for p in re.findall(r"\[worker \d · pid (\d+)\]", stdout_text(msgs))}
    assert printed == labels and len(printed) == 2
    assert printed == set(worker_pids(kernel_pid(kc)))


def test_notebook_code_and_variables_reach_the_workers(kc):
    ok(run(kc, "int scale = 3;\nint sq(int x) { return x * x * scale; }\nrecord P(int a) {}")[0])
    reply, msgs = run(kc, "%%parallel\nsq(2) + new P(1).a()")
    ok(reply)
    assert result_text(msgs) == "[13, 13]"
    ok(run(kc, "int sq(int x) { return -x; }\nscale = 10;")[0])
    reply, msgs = run(kc, "%%parallel\nsq(2) * scale")
    ok(reply)
    assert result_text(msgs) == "[-20, -20]", "a redefined method or changed variable was stale"


def test_a_lambda_passed_to_a_notebook_method_takes_its_variables_along(kc):
    """The variables a lambda reads go with the lambda that captured it, however deep."""
    ok(run(kc, "int offset = 100;\n"
               "java.util.List<Integer> through(WorkerPool pool, SerialFunction<Integer, Integer> f) {\n"
               "    SerialFunction<Integer, Integer> twice = x -> f.apply(f.apply(x));\n"
               "    return pool.map(x -> twice.apply(x), java.util.List.of(1, 2));\n"
               "}\n"
               "var viaMethod = WorkerPool.start(1);")[0])
    try:
        reply, msgs = run(kc, "through(viaMethod, x -> x + offset)")
        ok(reply)
        assert result_text(msgs) == "[201, 202]"
    finally:
        ok(run(kc, "viaMethod.close();")[0])


def test_a_task_may_start_a_pool_or_a_process_that_runs_notebook_code(kc):
    """A worker ships the notebook code it received to the workers and processes its tasks start."""
    ok(run(kc, "int cube(int x) { return x * x * x; }\nint shift = 5;")[0])
    reply, msgs = run(kc, "%%parallel -n 1\n"
                          "var inner = WorkerPool.start(2);\n"
                          "var cubes = inner.map(x -> cube(x) + shift, java.util.List.of(1, 2, 3));\n"
                          "inner.close();\n"
                          "cubes.toString()")
    ok(reply)
    assert result_text(msgs) == "[[6, 13, 32]]"
    reply, msgs = run(kc, "%%parallel -n 1\n"
                          "var child = WorkerProcess.start(() -> System.out.println(\"child says \" + cube(4)));\n"
                          "child.join();\n"
                          "child.exitCode().getAsInt()")
    ok(reply)
    assert result_text(msgs) == "[0]"
    assert "child says 64\n" in stdout_text(msgs)


def test_line_parallel_runs_the_statement_as_written(kc):
    reply, msgs = run(kc, '%parallel System.out.println("up:  " + WorkerIdentity.current().index())')
    ok(reply)
    assert sorted(re.findall(r"up:  (\d)", stdout_text(msgs))) == ["0", "1"], stdout_text(msgs)


def test_map_over_a_range_stores_typed_results(kc):
    reply, msgs = run(kc, "var xs = java.util.stream.IntStream.range(0, 10).boxed().toList();")
    ok(reply)
    reply, msgs = run(kc, "%%parallel --map x:xs --out squares\nx * x")
    ok(reply)
    assert result_text(msgs) == "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]"
    reply, msgs = run(kc, "squares.get(9) + 1")
    ok(reply)
    assert result_text(msgs) == "82"
    progress = of_type(msgs, "display_data")
    assert progress == [] or "10/10" in progress[-1]["data"]["text/plain"]


def test_map_shows_progress_with_pids(kc):
    reply, msgs = run(kc, "%%parallel --map x:xs\nx + 1")
    ok(reply)
    shown = [c["data"]["text/plain"] for c in of_type(msgs, "display_data") + of_type(msgs, "update_display_data")]
    assert shown and "10/10" in shown[-1] and "pid" in shown[-1]
    assert 'role="progressbar"' in (of_type(msgs, "update_display_data") or of_type(msgs, "display_data"))[-1]["data"]["text/html"]


def test_each_worker_keeps_its_own_namespace(kc):
    ok(run(kc, "%%parallel\nint local = 40 + WorkerIdentity.current().index();")[0])
    reply, msgs = run(kc, "%%parallel\nlocal")
    ok(reply)
    assert result_text(msgs) == "[40, 41]"


def test_unsendable_variable_fails_before_running(kc):
    ok(run(kc, "record Cfg(int n, java.io.PrintStream log) {}\nvar cfg = new Cfg(1, System.out);")[0])
    reply, msgs = run(kc, '%%parallel\nSystem.out.println("ran");\ncfg.n()')
    assert reply["status"] == "error"
    assert reply["ename"].endswith("NotSendableException")
    assert "cfg.log" in reply["evalue"] and "PrintStream" in reply["evalue"]
    assert "ran" not in stdout_text(msgs)
    reply, msgs = run(kc, "%%parallel\n1")
    ok(reply)


def test_worker_exception_is_reported_inline_with_element(kc):
    reply, msgs = run(kc, "%%parallel --map x:xs\n10 / (x - 3)")
    assert reply["status"] == "error"
    assert "element 3 (= 3)" in reply["evalue"] and "ArithmeticException" in reply["evalue"]
    assert re.search(r"worker \d \(pid \d+\)", reply["evalue"])


@pytest.mark.parametrize("cell, words", [
    ("%%parallel -n 0\n1", "-n must be a whole number of at least 1"),
    ("%%parallel --map x:nothing\nx", "no notebook variable nothing"),
    ("%%parallel --map x:scale\nx", "cannot be mapped over"),
    ("%%parallel --bogus\n1", "unknown option --bogus"),
    ("%%parallel --targets 7\n1", "there is no worker 7"),
    ("%%parallel --targets ,\n1", "--targets needs worker indexes such as 0,2, not ,"),
    ("%%parallel --map x:xs --map y:xs\nx", "--map is given twice (x:xs and y:xs): give it once"),
    ("%%parallel --out class\n1", "--out needs a Java variable name, not class, which is a Java keyword"),
])
def test_bad_arguments_are_usage_errors(kc, cell, words):
    reply, msgs = run(kc, cell)
    assert reply["status"] == "error"
    assert reply["ename"] == "MagicError", reply
    assert words in reply["evalue"]
    ok(run(kc, "%%parallel\n2")[0])


def test_unicode_identifiers_name_the_element_the_input_and_the_result(kc):
    ok(run(kc, "var größen = java.util.List.of(1, 2, 3);")[0])
    reply, msgs = run(kc, "%%parallel --map straße:größen --out längen\nstraße * 10")
    ok(reply)
    assert result_text(run(kc, "längen")[1]) == "[10, 20, 30]"


def test_interrupt_stops_a_parallel_run_and_the_pool_stays_usable(kc):
    msg_id = kc.execute("%%parallel\nThread.sleep(60000);")
    while True:  # the progress display appears once tasks are on their way to the workers
        m = kc.get_iopub_msg(timeout=REPLY_TIMEOUT)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "display_data":
            break
    started = time.monotonic()
    msg = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(msg)
    reply = kc._recv_reply(msg_id, timeout=REPLY_TIMEOUT)
    assert time.monotonic() - started < 4
    assert reply["content"]["status"] == "error"
    reply, msgs = run(kc, "%%parallel\n3")
    ok(reply)
    assert result_text(msgs) == "[3, 3]"


def test_pool_status_and_stop(kc):
    reply, msgs = run(kc, "%pool")
    ok(reply)
    text = result_text(msgs)
    assert "PID" in text and "idle" in text and "MiB" in text
    pids = worker_pids(kernel_pid(kc))
    reply, msgs = run(kc, "%pool stop")
    ok(reply)
    assert result_text(msgs).startswith(f"stopped the pool: {len(pids)} workers ended (pid "), result_text(msgs)
    reply, msgs = run(kc, "%pool stop")
    assert result_text(msgs) == "no pool was running"
    for pid in pids:
        assert wait_gone(pid, 5), f"worker {pid} outlived %pool stop"


def test_shutdown_leaves_no_worker(fresh_kc):
    ok(run(fresh_kc, "%pool start 2")[0])
    kernel = kernel_pid(fresh_kc)
    pids = worker_pids(kernel)
    assert len(pids) == 2
    fresh_kc.parent.shutdown_kernel(now=False)
    for pid in pids:
        assert wait_gone(pid, 5), f"worker {pid} outlived its kernel"


def test_killed_kernel_leaves_no_worker(fresh_kc):
    ok(run(fresh_kc, "%pool start 2")[0])
    kernel = kernel_pid(fresh_kc)
    pids = worker_pids(kernel)
    os.kill(kernel, signal.SIGKILL)
    assert wait_gone(kernel, 5, fresh_kc.parent.provisioner.process.poll)
    forget_kernel(kernel)
    for pid in pids:
        assert wait_gone(pid, 5), f"worker {pid} outlived its SIGKILLed kernel"


def test_worker_process_from_a_cell_prints_into_the_cell_and_exits(kc):
    ok(run(kc, 'int base = 40;\n'
               'void crunch(int n) { System.out.println("crunched " + (base + n) + " in " + WorkerIdentity.current()); }\n'
               'void explode() { throw new IllegalStateException("boom"); }')[0])
    reply, msgs = run(kc, 'var p = WorkerProcess.builder(() -> crunch(2)).name("cruncher").start();\n'
                          'p.join();\n'
                          'System.out.println("exit " + p.exitCode().getAsInt() + ", alive " + p.isAlive());\n'
                          'p.pid()')
    ok(reply)
    pid = int(result_text(msgs))
    assert stdout_text(msgs) == (f"[cruncher · pid {pid}]\n"
                                 f"crunched 42 in WorkerIdentity[index=-1, name=cruncher, pid={pid}]\n"
                                 "exit 0, alive false\n")
    assert process_gone(pid)
    reply, msgs = run(kc, 'var q = WorkerProcess.start(() -> explode());\nq.join();\nq.exitCode().getAsInt()')
    ok(reply)
    assert result_text(msgs) == "1"
    assert re.search(r'\[(process-\d+) · pid \d+\]\nException in process "\1" java.lang.IllegalStateException: boom\n'
                     r'\tat explode \(cell\[\d+\] line 3\)\n', stdout_text(msgs, "stderr")), stdout_text(msgs, "stderr")
    reply, msgs = run(kc, "q.failure().get().summary()")
    ok(reply)
    assert re.fullmatch(r'pid \d+: java.lang.IllegalStateException: boom', result_text(msgs))


def test_worker_process_is_stopped_when_the_kernel_shuts_down(fresh_kc):
    reply, msgs = run(fresh_kc, 'var p = WorkerProcess.start(() -> Thread.sleep(600_000));\np.pid()')
    ok(reply)
    pid = int(result_text(msgs))
    with open(f"/proc/{pid}/stat") as f:
        assert int(f.read().rsplit(")", 1)[1].split()[1]) == kernel_pid(fresh_kc), "not the kernel's child"
    fresh_kc.parent.shutdown_kernel(now=False)
    assert wait_gone(pid, 5), f"process {pid} outlived its kernel"


def test_worker_process_output_goes_to_the_cell_running_when_it_prints(kc, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reply, msgs = run(kc, f'var r = WorkerProcess.builder(() -> {{\n'
                          f'    System.out.println("first");\n'
                          f'    java.nio.file.Files.readAllBytes(java.nio.file.Path.of("{fifo}"));\n'
                          f'    System.out.println("second");\n'
                          f'}}).name("talker").start();\n'
                          f'r.pid()')
    ok(reply)
    pid = int(result_text(msgs))
    printed = stdout_text(msgs)
    while "first\n" not in printed:  # usually printed after the cell that started the process has finished
        m = kc.get_iopub_msg(timeout=REPLY_TIMEOUT)
        if m["msg_type"] == "stream":  # the label and the text may come as one message or as two
            printed += m["content"]["text"]
    assert printed == f"[talker · pid {pid}]\nfirst\n"
    reply, msgs = run(kc, f'java.nio.file.Files.writeString(java.nio.file.Path.of("{fifo}"), "go");\n'
                          'r.join();\n'
                          'r.exitCode().getAsInt()')
    ok(reply)
    assert result_text(msgs) == "0"
    assert stdout_text(msgs) == f"[talker · pid {pid}]\nsecond\n", "the label is shown again in the new cell"
    assert process_gone(pid)


def test_worker_process_ends_when_its_kernel_is_killed(fresh_kc):
    reply, msgs = run(fresh_kc, 'var p = WorkerProcess.start(() -> Thread.sleep(600_000));\np.pid()')
    ok(reply)
    pid = int(result_text(msgs))
    kernel = kernel_pid(fresh_kc)
    os.kill(kernel, signal.SIGKILL)
    assert wait_gone(kernel, 5, fresh_kc.parent.provisioner.process.poll)
    forget_kernel(kernel)
    assert wait_gone(pid, 5), f"process {pid} outlived its SIGKILLed kernel"
