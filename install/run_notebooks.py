#!/usr/bin/python3
"""Execute jparallel's notebooks headless and check their outputs.

Usage: /usr/bin/python3 install/run_notebooks.py [--save] [NOTEBOOK.ipynb ...]

Without arguments it runs every notebooks/*.ipynb (sorted by name). Each
notebook is executed with nbclient against the kernel `jparallel` and the
executed copy is written to build/notebooks/<name>.ipynb. With --save, a
notebook that passes is also written back over the notebook it came from, with
its outputs, so that the saved notebooks show a real run.

A notebook fails when
  * a cell produces an `error` output, unless the cell is tagged
    "raises-exception" (metadata.tags), the nbclient convention for a cell
    that is meant to fail,
  * a cell tagged "raises-exception" produces no `error` output,
  * a cell writes to stderr a text that contains "Exception",
  * execution itself fails (kernel missing or dead, a cell times out), or
  * an expectation in its metadata does not hold.

Every cell runs even after an error, so that all problems are reported.

Expectations live in the notebook metadata:

    "metadata": {"jparallel": {"expect": [
        {"cell": 3, "contains": "42"},
        {"cell": "a1b2c3", "matches": "took \\\\d+ ms"}
    ]}}

"cell" is a 0-based index into the notebook's list of cells (markdown cells
count) or a cell id. "contains" is a plain substring, "lacks" a plain substring
that must not appear, "matches" a Python regular expression used with
re.search (re.MULTILINE). They are checked against the concatenated text/plain, text/html and stream text of that
cell's outputs, and for an error output its "ename: evalue" line and its
traceback, with terminal colour codes removed.

The last line printed is exactly "N passed, M failed"; the exit status is
non-zero when any notebook failed.
"""

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "jparallel"
RAISES_TAG = "raises-exception"  # nbclient's tag for a cell that is expected to fail
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_TIMEOUT = 120  # seconds per cell
STARTUP_TIMEOUT = 120  # seconds for the kernel to answer its first request


def _text(value):
    """Notebook text fields are either a string or a list of strings."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "".join(value)
    return str(value)


def expects_error(cell):
    """Whether the cell is tagged as one that is meant to raise an error."""
    tags = cell.get("metadata", {}).get("tags", [])
    return isinstance(tags, list) and RAISES_TAG in tags


def cell_output_text(cell):
    """Concatenated text/plain, text/html, stream and error text of a cell's outputs."""
    parts = []
    last_stream = None  # name of the stream the previous output was, if it was one
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            # a kernel may send one line in several messages: glue them back together
            if last_stream == out.get("name") and parts:
                parts[-1] += _text(out.get("text"))
            else:
                parts.append(_text(out.get("text")))
            last_stream = out.get("name")
            continue
        last_stream = None
        if kind == "error":
            lines = ["%s: %s" % (out.get("ename", ""), out.get("evalue", ""))]
            lines += [_text(line) for line in out.get("traceback", [])]
            parts.append(ANSI_ESCAPE.sub("", "\n".join(lines)))
        elif kind in ("execute_result", "display_data", "update_display_data"):
            data = out.get("data", {})
            for mime in ("text/plain", "text/html"):
                if mime in data:
                    parts.append(_text(data[mime]))
    return "\n".join(parts)


def output_problems(nb, complete=True):
    """Unexpected error outputs, expected ones that did not happen, and stderr text
    mentioning an Exception, unless the cell's own expectations name that text (a cell
    that shows a failure on purpose). complete: whether every cell ran (else cells
    without outputs are not blamed for raising nothing)."""
    problems = []
    expected_text = {}
    for expectation in nb.metadata.get("jparallel", {}).get("expect", []):
        if "contains" in expectation:
            expected_text.setdefault(expectation.get("cell"), []).append(expectation["contains"])
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        outputs = cell.get("outputs", [])
        if expects_error(cell):
            ran = complete or cell.get("execution_count") is not None
            if ran and not any(out.get("output_type") == "error" for out in outputs):
                problems.append("cell %d: tagged %r but raised no error" % (index, RAISES_TAG))
        for out in outputs:
            kind = out.get("output_type")
            if kind == "error" and expects_error(cell):
                continue
            if kind == "error":
                problems.append(
                    "cell %d: error output: %s: %s"
                    % (index, out.get("ename", "?"), first_line(out.get("evalue", "")))
                )
            elif kind == "stream" and out.get("name") == "stderr":
                text = _text(out.get("text"))
                if any(wanted in text for wanted in expected_text.get(cell.get("id"), [])):
                    continue
                if "Exception" in text:
                    line = next(l for l in text.splitlines() if "Exception" in l)
                    problems.append("cell %d: stderr mentions an Exception: %s" % (index, line.strip()))
    return problems


def first_line(text, limit=200):
    line = _text(text).strip().splitlines()[0] if _text(text).strip() else ""
    return line if len(line) <= limit else line[:limit] + "..."


def find_cell(nb, ref):
    """A cell by 0-based index or by id; None when there is no such cell."""
    if isinstance(ref, bool):
        return None
    if isinstance(ref, int):
        return nb.cells[ref] if 0 <= ref < len(nb.cells) else None
    if isinstance(ref, str):
        for cell in nb.cells:
            if cell.get("id") == ref:
                return cell
        if ref.isdigit():
            index = int(ref)
            return nb.cells[index] if index < len(nb.cells) else None
    return None


def expectation_problems(nb):
    """Check metadata.jparallel.expect; a list of messages for what failed."""
    meta = nb.metadata.get("jparallel", {}) or {}
    expect = meta.get("expect", [])
    if not isinstance(expect, list):
        return ["metadata.jparallel.expect is not a list"]
    problems = []
    for number, item in enumerate(expect):
        label = "expect[%d]" % number
        if not isinstance(item, dict) or "cell" not in item:
            problems.append("%s: needs a \"cell\" key: %r" % (label, item))
            continue
        cell = find_cell(nb, item["cell"])
        if cell is None:
            problems.append("%s: no cell %r" % (label, item["cell"]))
            continue
        label = "%s (cell %r)" % (label, item["cell"])
        text = cell_output_text(cell)
        checked = False
        if "contains" in item:
            checked = True
            if str(item["contains"]) not in text:
                problems.append("%s: output does not contain %r; output was: %r"
                                % (label, item["contains"], shorten(text)))
        if "lacks" in item:
            checked = True
            if str(item["lacks"]) in text:
                problems.append("%s: output contains %r; output was: %r"
                                % (label, item["lacks"], shorten(text)))
        if "matches" in item:
            checked = True
            try:
                found = re.search(str(item["matches"]), text, re.MULTILINE)
            except re.error as err:
                problems.append("%s: bad regex %r: %s" % (label, item["matches"], err))
            else:
                if not found:
                    problems.append("%s: output does not match /%s/; output was: %r"
                                    % (label, item["matches"], shorten(text)))
        if not checked:
            problems.append("%s: needs \"contains\", \"lacks\" or \"matches\"" % label)
    return problems


def shorten(text, limit=300):
    return text if len(text) <= limit else text[:limit] + "..."


def run_one(path, out_dir, kernel_name, save=False):
    """Execute one notebook; returns (code cell count, seconds, problems). save: also write the
    executed notebook over path when there are no problems."""
    nb = nbformat.read(str(path), as_version=4)
    code_cells = sum(1 for c in nb.cells if c.get("cell_type") == "code")
    # Notebooks may be saved with outputs: drop them, so that a cell the run never
    # reaches cannot pass (or fail) on what an earlier run left in it.
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = []
            cell.execution_count = None
    problems = []
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=CELL_TIMEOUT,
        startup_timeout=STARTUP_TIMEOUT,
        # run every cell, then report the errors of untagged cells below (output_problems);
        # with allow_errors=False nbclient would stop at the first untagged error
        allow_errors=True,
        record_timing=False,  # no per-cell timestamps: a saved notebook changes only where its outputs do
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.monotonic()
    try:
        client.execute()
    except Exception as err:  # timeout, dead kernel, kernel that never started
        problems.append("execution stopped: %s: %s" % (type(err).__name__, first_line(str(err))))
    seconds = time.monotonic() - start
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out_dir / path.name))
    stopped = bool(problems)
    problems += output_problems(nb, complete=not stopped)
    if not stopped:
        problems += expectation_problems(nb)
    if save and not problems:
        nbformat.write(nb, str(path))
    return code_cells, seconds, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--save", action="store_true",
                        help="write each notebook that passes back over its source, with its outputs")
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--kernel", default=KERNEL_NAME, help="kernelspec name (default: %(default)s)")
    parser.add_argument("--output-dir", default=str(ROOT / "build" / "notebooks"),
                        help="where executed copies go (default: build/notebooks)")
    args = parser.parse_args(argv)

    if args.notebooks:
        paths = [Path(p).resolve() for p in args.notebooks]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            print("no such notebook: %s" % ", ".join(missing))
            print("0 passed, %d failed" % len(missing))
            return 1
    else:
        paths = sorted((ROOT / "notebooks").glob("*.ipynb"))
        if not paths:
            print("no notebooks in %s: nothing to run" % (ROOT / "notebooks"))
            print("0 passed, 0 failed")
            return 0

    try:
        spec = KernelSpecManager().get_kernel_spec(args.kernel)
        print("kernel %s: %s" % (args.kernel, " ".join(spec.argv)))
    except NoSuchKernel:
        print("kernelspec %r is not installed: run `bash install/setup.sh` first" % args.kernel)
        print("0 passed, %d failed" % len(paths))
        return 1

    out_dir = Path(args.output_dir)
    passed = failed = 0
    total_seconds = 0.0
    width = max(len(p.name) for p in paths)
    for path in paths:
        cells, seconds, problems = run_one(path, out_dir, args.kernel, args.save)
        total_seconds += seconds
        verdict = "FAIL" if problems else "PASS, saved" if args.save else "PASS"
        print("%-*s  %3d cells  %6.1f s  %s" % (width, path.name, cells, seconds, verdict), flush=True)
        for problem in problems:
            print("    " + problem, flush=True)
        if problems:
            failed += 1
        else:
            passed += 1
    print("executed copies: %s" % out_dir)
    print("total notebook time: %.1f s" % total_seconds)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
