"""Synchronization through a real kernel: a barrier and an event made in notebook cells and used by
%%parallel bodies on two workers, a notebook cell waiting for an event ended by an interrupt, and the
segments gone once closed."""
import glob
import os

from conftest import REPLY_TIMEOUT, kernel_pid, ok, result_text, run

SHM = "/dev/shm" if os.path.isdir("/dev/shm") else None


def segments_of(pid):
    return sorted(glob.glob(f"{SHM}/jparallel-shm-{pid}-*")) if SHM else []


def value_of(kc, code):
    """text/plain of the result of a cell that must succeed."""
    reply, msgs = run(kc, code)
    ok(reply)
    return result_text(msgs)


def test_parallel_cells_meet_at_a_barrier_and_wait_for_an_event_set_in_the_notebook(kc):
    ok(run(kc, "%pool start 2")[0])
    before = len(segments_of(kernel_pid(kc)))
    ok(run(kc, "SharedBarrier step = Shared.barrier(2, Duration.ofSeconds(30));\n"
               "SharedEvent go = Shared.event();")[0])
    indexes = value_of(kc, "%%parallel\nstep.await()")
    assert sorted(indexes.strip("[]").split(", ")) == ["0", "1"], "one arrival index per worker"
    assert value_of(kc, "%%parallel\ngo.await(Duration.ofMillis(50))") == "[false, false]"
    ok(run(kc, "go.set();")[0])
    assert value_of(kc, "%%parallel\ngo.await(Duration.ofSeconds(30))") == "[true, true]"
    assert value_of(kc, "step.isBroken() + \" \" + step.numberWaiting()") == "false 0"
    assert len(segments_of(kernel_pid(kc))) == before + 2
    ok(run(kc, "step.close();\ngo.close();")[0])
    assert len(segments_of(kernel_pid(kc))) == before


def test_an_interrupt_ends_a_cell_waiting_for_an_event(kc):
    ok(run(kc, "SharedEvent never = Shared.event();")[0])
    msg_id = kc.execute("never.await();")
    while True:  # the cell is running once the kernel says busy for it
        m = kc.get_iopub_msg(timeout=REPLY_TIMEOUT)
        if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                and m["content"]["execution_state"] == "busy"):
            break
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    reply = kc._recv_reply(msg_id, timeout=REPLY_TIMEOUT)["content"]
    assert reply["status"] == "error", "the wait ended: an event's wait gives up when its thread is interrupted"
    assert value_of(kc, "never.isSet()") == "false"
    ok(run(kc, "never.close();")[0])
