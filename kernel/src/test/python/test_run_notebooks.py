"""The notebook runner (install/run_notebooks.py): its "lacks" expectation, and --save, which writes
a notebook back with its outputs only when the notebook passed."""

import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "install"))
import run_notebooks  # noqa: E402


def notebook(source, **expect):
    """A one-cell notebook whose cell has the id "only" and the given expectations."""
    nb = new_notebook(cells=[new_code_cell(source, id="only")])
    nb.metadata["kernelspec"] = {"name": "jparallel", "display_name": "Java (jparallel)", "language": "java"}
    nb.metadata["jparallel"] = {"expect": [{"cell": "only", kind: text} for kind, text in expect.items()]}
    return nb


def test_lacks_fails_only_when_the_text_is_there():
    nb = notebook("", lacks="ran in parallel: false")
    nb.cells[0].outputs = [new_output("stream", name="stdout", text="ran in parallel: true\n")]
    assert run_notebooks.expectation_problems(nb) == []
    nb.cells[0].outputs = [new_output("stream", name="stdout", text="ran in parallel: false\n")]
    problems = run_notebooks.expectation_problems(nb)
    assert len(problems) == 1 and "output contains 'ran in parallel: false'" in problems[0]


@pytest.mark.watchdog(120)
def test_save_writes_back_a_passing_notebook_and_leaves_a_failing_one(tmp_path):
    passing, failing = tmp_path / "passing.ipynb", tmp_path / "failing.ipynb"
    nbformat.write(notebook("6 * 7", contains="42"), str(passing))
    nbformat.write(notebook("6 * 7", contains="43"), str(failing))
    failing_before = failing.read_bytes()

    _, _, problems = run_notebooks.run_one(passing, tmp_path / "out", "jparallel", save=True)
    assert problems == []
    saved = nbformat.read(str(passing), as_version=4).cells[0]
    assert saved.execution_count == 1
    assert saved.outputs[0]["data"]["text/plain"] == "42"
    assert "execution" not in saved.metadata  # no timestamps: a saved notebook changes only with its outputs

    _, _, problems = run_notebooks.run_one(failing, tmp_path / "out", "jparallel", save=True)
    assert len(problems) == 1 and "does not contain '43'" in problems[0]
    assert failing.read_bytes() == failing_before
    assert (tmp_path / "out" / "failing.ipynb").is_file()  # the executed copy is still written
