"""The notebook checker (install/run_notebooks.py, installed as jparallel-nbcheck).

Most tests give it notebooks whose outputs are written here, as a kernel would have left them, and
check what it reports; the last ones run small notebooks on the real kernel `jparallel`."""

import sys
from pathlib import Path

import nbformat
import pytest
from conftest import require_test_hosts
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "install"))
import run_notebooks  # noqa: E402


def notebook(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "jparallel", "display_name": "Java (jparallel)", "language": "java"}
    return nb


def cell(source, outputs=(), raises=False, **expect):
    """A code cell with the given outputs and expectations (contains=..., matches=..., lacks=...)."""
    c = new_code_cell(source, outputs=list(outputs), execution_count=1)
    if expect:
        c.metadata["jparallel"] = expect
    if raises:
        c.metadata["tags"] = ["raises-exception"]
    return c


def stdout(text):
    return new_output("stream", name="stdout", text=text)


def stderr(text):
    return new_output("stream", name="stderr", text=text)


def result(text):
    return new_output("execute_result", data={"text/plain": text}, execution_count=1)


def error(ename, evalue):
    return new_output("error", ename=ename, evalue=evalue, traceback=["\x1b[31m" + ename + ": " + evalue + "\x1b[0m"])


def test_contains_matches_and_lacks_take_a_string_or_a_list():
    nb = notebook(cell("pool.map(x -> x * x, xs)", [stdout("took 12 ms\n"), result("[0, 1, 4]")],
                       contains=["[0, 1, 4]", "took"], matches=r"^took \d+ ms$", lacks="Exception"))
    assert run_notebooks.expectation_errors(nb) == []
    assert run_notebooks.check_notebook(nb) == []


def test_a_failed_expectation_names_the_cell_by_number_and_first_line():
    nb = notebook(new_markdown_cell("# Title"),
                  cell("\n%%parallel --map x:xs\nsquare(x)", [result("[0, 1, 4]")], contains="[0, 1, 9]"),
                  cell("pid()", [result("pid 4711")], matches=r"^pid \d+$", lacks="4711"))
    problems = run_notebooks.check_notebook(nb)
    assert problems == [
        "cell 2 `%%parallel --map x:xs`: output does not contain '[0, 1, 9]'; output was: '[0, 1, 4]'",
        "cell 3 `pid()`: output contains '4711'; output was: 'pid 4711'",
    ]


def test_a_long_output_is_shown_by_its_start_and_its_end():
    progress = "[####################] %%parallel --map x:xs: 10/10 · done\n" * 20
    problems = run_notebooks.check_notebook(notebook(cell("sum()", [stdout(progress), result("295")], matches="^285$")))
    assert len(problems) == 1
    shown = problems[0].split("; output was: ")[1]
    assert shown.startswith("'[####") and " ... " in shown and shown.endswith("295'") and len(shown) < 320


def test_matches_is_a_multiline_search_over_all_outputs_with_stream_pieces_glued():
    nb = notebook(cell("run()", [stdout("worker 0 · pid "), stdout("812\n"), result("true")],
                       matches=[r"worker 0 · pid \d+\n", r"^true$"]))
    assert run_notebooks.check_notebook(nb) == []
    nb.cells[0].metadata["jparallel"]["matches"].append(r"^false$")
    problems = run_notebooks.check_notebook(nb)
    assert len(problems) == 1 and "does not match /^false$/" in problems[0]


def test_an_error_output_fails_a_cell_unless_it_is_tagged_raises_exception():
    untagged = cell("1 / 0", [error("java.lang.ArithmeticException", "/ by zero")])
    tagged = cell("1 / 0", [error("java.lang.ArithmeticException", "/ by zero")], raises=True,
                  matches=r"^java\.lang\.ArithmeticException: / by zero")
    assert run_notebooks.check_notebook(notebook(untagged)) == [
        "cell 1 `1 / 0`: error: java.lang.ArithmeticException: / by zero"]
    assert run_notebooks.check_notebook(notebook(tagged)) == []


def test_a_cell_tagged_raises_exception_must_raise_if_it_ran():
    quiet = cell("1 + 1", [result("2")], raises=True)
    assert run_notebooks.check_notebook(notebook(quiet)) == [
        "cell 1 `1 + 1`: tagged 'raises-exception' but raised no error"]
    never_ran = cell("1 + 1", raises=True)
    never_ran.execution_count = None
    assert run_notebooks.check_notebook(notebook(never_ran), complete=False) == []


def test_an_exception_on_stderr_fails_unless_the_cell_expects_that_text():
    logged = [stderr("Exception in thread \"worker\" java.lang.IllegalStateException: boom\n")]
    problems = run_notebooks.check_notebook(notebook(cell("start()", logged)))
    assert problems == ['cell 1 `start()`: stderr mentions an Exception: '
                        'Exception in thread "worker" java.lang.IllegalStateException: boom']
    assert run_notebooks.check_notebook(notebook(cell("start()", logged, contains="IllegalStateException: boom"))) == []


@pytest.mark.parametrize("meta, message", [
    ({"raises": "ArithmeticException"}, "unknown expectation 'raises': use contains, matches, lacks "
                                        "(a cell meant to fail carries the tag 'raises-exception')"),
    ({"contain": "x"}, "unknown expectation 'contain': use contains, matches, lacks"),
    ({"contains": 42}, "contains must be a string or a list of strings, not 42"),
    ({"matches": ["ok", "(unclosed"]}, "bad regular expression '(unclosed'"),
    ("42", "metadata.jparallel must be an object"),
])
def test_malformed_expectations_are_reported_with_their_cell(meta, message):
    c = cell("x")
    c.metadata["jparallel"] = meta
    problems = run_notebooks.expectation_errors(notebook(new_markdown_cell("intro"), c))
    assert len(problems) == 1 and problems[0].startswith("cell 2 `x`: " + message)


def test_expectations_on_markdown_and_the_old_notebook_level_list_are_refused():
    md = new_markdown_cell("Some **text**")
    md.metadata["jparallel"] = {"contains": "text"}
    nb = notebook(md)
    nb.metadata["jparallel"] = {"expect": [{"cell": 0, "contains": "text"}]}
    problems = run_notebooks.expectation_errors(nb)
    assert problems[0].startswith("metadata.jparallel.expect (a notebook-level list) is no longer read")
    assert problems[1] == "cell 1 `Some **text**`: expectations on a markdown cell, which has no outputs"


def test_a_notebook_with_malformed_expectations_is_not_run(tmp_path):
    path = tmp_path / "bad.ipynb"
    nbformat.write(notebook(cell("1 + 1", contains=["2", 2])), str(path))
    # a kernel that does not exist: running the notebook would add "execution stopped"
    cells, seconds, problems, skipped = run_notebooks.run_one(path, kernel_name="no-such-kernel")
    assert (cells, seconds, skipped) == (1, 0.0, [])
    assert problems == ["cell 1 `1 + 1`: contains must be a string or a list of strings, not ['2', 2]"]


def test_the_command_takes_folders_and_refuses_missing_paths(tmp_path, capsys):
    (tmp_path / "b.ipynb").write_text("{}")
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    paths, missing = run_notebooks.notebook_paths([str(tmp_path), str(tmp_path / "nope.ipynb")])
    assert [p.name for p in paths] == ["a.ipynb", "b.ipynb"] and missing == [str(tmp_path / "nope.ipynb")]
    assert run_notebooks.main([str(tmp_path / "nope.ipynb")]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "0 passed, 1 failed, 0 skipped"


# ---------------------------------------------------------------- requirements: the test hosts

REPO = Path(__file__).resolve().parents[4]


def needing_hosts(tmp_path, name="hosts.ipynb"):
    """A notebook that needs the test hosts, in a folder outside the checkout."""
    path = tmp_path / name
    nb = notebook(cell("6 * 7", contains="42"))
    nb.metadata["jparallel"] = {"requires": ["test-hosts"]}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def hosts_down(monkeypatch, tmp_path):
    """The real .ci/hosts.sh, found from the current directory (the checkout), pointed at an empty run
    directory: its status says the hosts are down, whatever this machine has."""
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("JP_HOSTS_RUN", str(tmp_path / "no-hosts-here"))
    monkeypatch.delenv("CI", raising=False)


@pytest.mark.parametrize("requires", ["test-hosts", ["slurm-cluster"], [["test-hosts"]]])
def test_requires_is_a_list_of_known_names(requires):
    nb = notebook(cell("1 + 1"))
    nb.metadata["jparallel"] = {"requires": requires}
    assert run_notebooks.expectation_errors(nb) == [
        "metadata.jparallel.requires must be a list of test-hosts, not %r" % (requires,)]


def test_without_the_test_hosts_a_notebook_needing_them_is_skipped_loudly_and_not_run(tmp_path, hosts_down):
    # a kernel that does not exist: running the notebook would fail it with "execution stopped"
    outcome = run_notebooks.run_one(needing_hosts(tmp_path), kernel_name="no-such-kernel")
    assert outcome.problems == [] and outcome.seconds == 0.0
    assert len(outcome.skipped) == 1
    why = outcome.skipped[0]
    assert why.startswith("needs test-hosts, but the test hosts are not up (down: JP_HOST_ALPHA, JP_HOST_BETA, JP_SLURM)")
    assert "make them with `sudo %s up`" % (REPO / ".ci/hosts.sh") in why


def test_the_command_says_skipped_on_the_notebooks_line_and_at_the_end(tmp_path, hosts_down, capsys):
    needing_hosts(tmp_path, "a-hosts.ipynb")
    assert run_notebooks.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "0 passed, 0 failed, 1 skipped"
    assert out[-2] == "*** NOT RUN, their requirements unmet (see above): a-hosts.ipynb"
    assert [line for line in out if line.startswith("a-hosts.ipynb") and line.endswith("SKIPPED")]
    assert [line for line in out if line.startswith("    *** SKIPPED a-hosts.ipynb: it needs test-hosts, but")]


def test_under_ci_a_notebook_whose_hosts_are_not_up_fails(tmp_path, hosts_down, monkeypatch):
    monkeypatch.setenv("CI", "true")
    outcome = run_notebooks.run_one(needing_hosts(tmp_path), kernel_name="no-such-kernel")
    assert outcome.skipped == [] and len(outcome.problems) == 1
    assert outcome.problems[0].startswith("needs test-hosts, but the test hosts are not up")
    assert outcome.problems[0].endswith("(not skipped: CI=true)")


def test_outside_a_checkout_the_reason_says_where_to_run_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    why = run_notebooks.hosts_not_up(needing_hosts(tmp_path))
    assert why.startswith("no .ci/hosts.sh in the folders above %s" % (tmp_path / "hosts.ipynb"))


# ---------------------------------------------------------------- on the real kernel

@pytest.mark.watchdog(120)
def test_save_writes_back_a_passing_notebook_and_leaves_a_failing_one(tmp_path):
    passing, failing = tmp_path / "passing.ipynb", tmp_path / "failing.ipynb"
    nbformat.write(notebook(cell("6 * 7", contains="42")), str(passing))
    nbformat.write(notebook(cell("6 * 7", contains="43")), str(failing))
    failing_before = failing.read_bytes()

    _, _, problems, _ = run_notebooks.run_one(passing, save=True, out_dir=tmp_path / "out")
    assert problems == []
    saved = nbformat.read(str(passing), as_version=4).cells[0]
    assert saved.execution_count == 1
    assert saved.outputs[0]["data"]["text/plain"] == "42"
    assert saved.metadata["jparallel"] == {"contains": "42"}  # the expectations stay with the cell
    assert "execution" not in saved.metadata  # no timestamps: a saved notebook changes only with its outputs

    _, _, problems, _ = run_notebooks.run_one(failing, save=True, out_dir=tmp_path / "out")
    assert problems == ["cell 1 `6 * 7`: output does not contain '43'; output was: '42'"]
    assert failing.read_bytes() == failing_before
    assert (tmp_path / "out" / "failing.ipynb").is_file()  # the executed copy is still written


@pytest.mark.watchdog(120)
def test_the_command_names_the_failing_cell_and_the_cell_that_timed_out(tmp_path, capsys):
    errors = tmp_path / "errors.ipynb"
    nbformat.write(notebook(cell("int zero = 0;"),
                            cell("10 / zero", raises=True, matches=r"ArithmeticException: / by zero"),
                            cell("// the total\n10 / zero")), str(errors))
    slow = tmp_path / "slow.ipynb"
    nbformat.write(notebook(cell("Thread.sleep(600_000);"), cell("1 + 1", contains="2")), str(slow))

    assert run_notebooks.main(["--timeout", "3", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "0 passed, 2 failed, 0 skipped"
    assert "    errors.ipynb cell 3 `// the total`: error: java.lang.ArithmeticException: / by zero" in out
    assert not [line for line in out if "errors.ipynb cell 2" in line]  # tagged, and it raised
    stopped = [line for line in out if line.startswith("    slow.ipynb cell 1 `Thread.sleep(600_000);`: execution stopped:")]
    assert len(stopped) == 1 and "CellTimeoutError" in stopped[0]


@pytest.mark.watchdog(120)
def test_with_the_test_hosts_up_a_notebook_needing_them_runs(tmp_path, monkeypatch):
    require_test_hosts()
    monkeypatch.chdir(REPO)
    outcome = run_notebooks.run_one(needing_hosts(tmp_path), save=True)
    assert (outcome.problems, outcome.skipped) == ([], [])
    assert nbformat.read(str(tmp_path / "hosts.ipynb"), as_version=4).cells[0].outputs[0]["data"]["text/plain"] == "42"
