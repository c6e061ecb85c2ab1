"""A Manager through a real kernel: a managed dict filled from a %%parallel cell (its proxy sent to the
workers by reference, its values instances of a notebook record, decoded by the kernel's server), a merge
counter exact across workers, and a stopped manager named in the error of the next parallel cell."""
from conftest import ok, result_text, run


def test_a_parallel_cell_fills_a_manager_dict(kc):
    ok(run(kc, "%pool start 2")[0])
    ok(run(kc, "record Hit(int x, long pid) {}\nvar manager = Manager.start();\n"
               "var hits = manager.<Integer, Hit>dict();\nvar counts = manager.<String, Integer>dict();\n"
               "var xs = java.util.stream.IntStream.range(0, 10).boxed().toList();")[0])
    ok(run(kc, "%%parallel --map x:xs\nhits.put(x, new Hit(x, WorkerIdentity.current().pid()));\n"
               "counts.merge(x % 2 == 0 ? \"even\" : \"odd\", 1, Integer::sum)")[0])
    reply, msgs = run(kc, "new TreeMap<>(counts) + \" \" + hits.size() + \" \" + hits.get(3).x()")
    ok(reply)
    assert result_text(msgs) == "{even=5, odd=5} 10 3"
    reply, msgs = run(kc, "hits.values().stream().map(Hit::pid).distinct().count() <= 2"
                          " && hits.values().stream().noneMatch(h -> h.pid() == ProcessHandle.current().pid())")
    ok(reply)
    assert result_text(msgs) == "true"


def test_a_stopped_manager_is_named_in_the_error(kc):
    ok(run(kc, "manager.close();")[0])
    reply, _ = run(kc, "%%parallel\ncounts.size()")
    assert reply["status"] == "error"
    text = reply["evalue"] + "\n".join(reply["traceback"])
    assert "ManagerStoppedException" in text and "is stopped" in text, text
    reply, msgs = run(kc, "counts.toString().endsWith(\", stopped>\")")
    ok(reply)
    assert result_text(msgs) == "true"
