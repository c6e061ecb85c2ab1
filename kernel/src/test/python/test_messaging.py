"""Queues and pipes through a real kernel: made in notebook cells, used by %%parallel bodies on the
workers (sent as descriptors), with items of classes declared in the notebook decoded on both sides,
and /dev/shm left clean when they are closed."""
import glob
import os

from conftest import kernel_pid, ok, result_text, run

SHM = "/dev/shm" if os.path.isdir("/dev/shm") else None


def segments_of(pid):
    """The shared-memory segments process `pid` created."""
    return sorted(glob.glob(f"{SHM}/jparallel-shm-{pid}-*")) if SHM else []


def test_parallel_cells_put_into_a_queue_made_in_the_notebook(kc):
    ok(run(kc, "%pool start 2")[0])
    ok(run(kc, "record Point(int x, int y) {}\nSharedQueue<Point> points = Shared.queue();")[0])
    reply, msgs = run(kc, "%%parallel\nint w = WorkerIdentity.current().index();\n"
                          "for (int i = 0; i < 100; i++) points.put(new Point(w, i));\nw")
    ok(reply)
    assert result_text(msgs) == "[0, 1]"
    reply, msgs = run(kc, "int total = 0;\nfor (int i = 0; i < 200; i++) total += points.get().y();\n"
                          "total + \" \" + points.isEmpty()")
    ok(reply)
    assert result_text(msgs) == "9900 true"


def test_workers_get_notebook_records_from_a_queue_and_answer_through_a_pipe(kc):
    ok(run(kc, "for (int i = 1; i <= 2; i++) points.put(new Point(i, 10 * i));\n"
               "SharedPipe<String> pipe = Shared.pipe();\nvar reply = pipe.first();")[0])
    reply, msgs = run(kc, "%%parallel\nPoint p = points.get(java.time.Duration.ofSeconds(20));\n"
                          "pipe.second().send(\"got \" + p);\np.x() * p.y()")
    ok(reply)
    assert sorted(result_text(msgs).strip("[]").split(", ")) == ["10", "40"]
    reply, msgs = run(kc, "var got = new java.util.TreeSet<String>();\ngot.add(reply.recv());\ngot.add(reply.recv());\ngot")
    ok(reply)
    assert result_text(msgs) == "[got Point[x=1, y=10], got Point[x=2, y=20]]"


def test_an_unsendable_item_fails_at_put_and_closing_releases_the_segments(kc):
    reply, _ = run(kc, "SharedQueue<Object> things = Shared.queue();\nthings.put(List.of(1, new Thread()));")
    assert reply["status"] == "error"
    assert reply["ename"].endswith("NotSendableException"), reply
    assert "cannot send item (List): item[1] is a java.lang.Thread" in reply["evalue"], reply
    reply, msgs = run(kc, "things.put(\"fine\");\nthings.get()")
    ok(reply)
    assert result_text(msgs) == "fine"
    pid = kernel_pid(kc)
    assert len(segments_of(pid)) == 3
    ok(run(kc, "points.close();\npipe.close();\nthings.close();")[0])
    assert segments_of(pid) == [], "closed queues and pipes leave no segment"
