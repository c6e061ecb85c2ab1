#!/usr/bin/python3
"""Run Jupyter notebooks headless and check every cell against the expectations it carries.

    jparallel-nbcheck [--save] [--kernel NAME] [--timeout S] [--output-dir DIR] PATH ...

PATH is a notebook or a folder (its *.ipynb files, sorted by name). Each notebook's saved outputs
are dropped, every code cell is run in order against the kernel (default: jparallel, as installed
by install/setup.sh, which also installs this file as the command jparallel-nbcheck), and then the
cells are checked. A notebook fails when

  * a code cell's outputs miss one of its expectations (below),
  * a cell produces an error output, unless it is tagged "raises-exception" (metadata.tags, the
    tag nbclient and Jupyter use for a cell that is meant to fail),
  * a cell tagged "raises-exception" produces no error output,
  * a cell writes to stderr a text holding "Exception" that none of its "contains" names,
  * execution stops (no such kernel, the kernel dies, a cell runs longer than --timeout), or
  * its expectations are malformed (then it is not run at all).

Every cell runs even after an error, so that one run reports all the problems. Each problem names
the notebook and the cell: its number (counting every cell, markdown too, from 1) and the first
line of its source.

Expectations live in the code cell's own metadata, so they travel with the cell:

    "metadata": {"jparallel": {"contains": ["[0, 1, 4, 9]"],
                               "matches": ["pid \\\\d+", "took [0-9.]+ ms"],
                               "lacks": ["Exception"]}}

Each value is a string or a list of strings. "contains": text that must appear; "lacks": text that
must not; "matches": a Python regular expression that must match somewhere (re.search with
re.MULTILINE, so ^ and $ are line ends). They are checked against the cell's outputs as one text:
stdout/stderr, text/plain and text/html results, and for an error its "ename: evalue" line and
traceback, without terminal colour codes. Saved outputs are never compared with new ones: outputs
that hold PIDs and timings differ on every run, so say what matters with "matches".

A notebook may need more than the kernel: its metadata.jparallel.requires lists what, by name.
"test-hosts" is the test hosts of jparallel's checkout (.ci/hosts.sh, docs/test-hosts.md), up when
`.ci/hosts.sh status`, found in the folders above the notebook or above the current directory, says
so. A notebook whose requirement is not met is not run: it is SKIPPED, with a loud line saying how to
meet it, except when the environment has CI=true, where it FAILS with that line.

--save writes each notebook that passed back over its file, with the outputs of that run (no
timestamps, so a re-saved notebook changes only where its outputs do); a notebook that fails is
left as it was. --output-dir DIR writes every executed copy, passed or failed, to DIR.

The last line printed is exactly "N passed, M failed, S skipped"; the exit status is 0 only when no
notebook failed.
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient

KERNEL_NAME = "jparallel"
META_KEY = "jparallel"  # the cell metadata key that holds a cell's expectations
CHECKS = ("contains", "matches", "lacks")
RAISES_TAG = "raises-exception"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_TIMEOUT = 120  # seconds per cell, by default
STARTUP_TIMEOUT = 120  # seconds for the kernel to answer its first request
HOSTS_SCRIPT = Path(".ci") / "hosts.sh"  # makes the test hosts; in a jparallel checkout


def _text(value):
    """Notebook text fields are either a string or a list of strings."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "".join(value)
    return str(value)


def first_line(text, limit=80):
    """The first non-blank line of text, cut at limit characters."""
    line = next((l.strip() for l in _text(text).splitlines() if l.strip()), "")
    return line if len(line) <= limit else line[:limit] + "..."


def shorten(text, head=100, tail=200):
    """Text cut in the middle: a cell's result comes last, after progress displays and prints."""
    if len(text) <= head + tail + 5:
        return text
    return text[:head] + " ... " + text[-tail:]


def cell_label(index, cell):
    """How problems name a cell: its number from 1 (markdown cells count) and its first line."""
    return "cell %d `%s`" % (index + 1, first_line(cell.get("source")))


def expects_error(cell):
    """Whether the cell is tagged as one that is meant to raise an error."""
    tags = cell.get("metadata", {}).get("tags", [])
    return isinstance(tags, list) and RAISES_TAG in tags


def expectations(cell):
    """The cell's expectations as {check: [text, ...]}; assumes expectation_errors found none."""
    meta = cell.get("metadata", {}).get(META_KEY) or {}
    return {kind: [value] if isinstance(value, str) else list(value) for kind, value in meta.items()}


def hosts_not_up(path):
    """Why jparallel's test hosts are not up, for the notebook at path; None when they are.
    They are up when `.ci/hosts.sh status` says so (its exit status), the script being found in the
    folders above the notebook or above the current directory."""
    folders = [Path(path).resolve().parent, Path.cwd()]
    script = next((folder / HOSTS_SCRIPT for start in folders for folder in [start, *start.parents]
                   if (folder / HOSTS_SCRIPT).is_file()), None)
    if script is None:
        return ("no %s in the folders above %s or above the current directory: run it from a jparallel "
                "checkout, where `sudo %s up` makes the hosts" % (HOSTS_SCRIPT, path, HOSTS_SCRIPT))
    try:
        status = subprocess.run(["bash", str(script), "status"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        return "`bash %s status` failed: %s" % (script, err)
    if status.returncode == 0:
        return None
    down = [line.split("=")[0][:-len("_UP")] for line in status.stdout.splitlines() if line.endswith("_UP=false")]
    return ("the test hosts are not up (%s): make them with `sudo %s up` (docs/test-hosts.md)"
            % ("down: " + ", ".join(down) if down else first_line(status.stderr or status.stdout), script))


# What a notebook may list in metadata.jparallel.requires: name -> check(path), giving why the
# requirement is not met, or None when it is.
REQUIREMENTS = {"test-hosts": hosts_not_up}


def requirements(nb):
    """The names in the notebook's metadata.jparallel.requires (assumes expectation_errors found none)."""
    return list((nb.metadata.get(META_KEY) or {}).get("requires", []))


def unmet_requirements(nb, path):
    """Why the notebook at path cannot run here: one reason per requirement not met."""
    reasons = []
    for name in requirements(nb):
        why = REQUIREMENTS[name](path)
        if why is not None:
            reasons.append("needs %s, but %s" % (name, why))
    return reasons


def expectation_errors(nb):
    """Malformed expectations, as problems; a notebook that has any is not run."""
    problems = []
    notebook_meta = nb.metadata.get(META_KEY) or {}
    if "expect" in notebook_meta:
        problems.append("metadata.jparallel.expect (a notebook-level list) is no longer read: "
                        "put each expectation in its cell's metadata.jparallel")
    required = notebook_meta.get("requires", [])
    if not isinstance(required, list) or not all(isinstance(name, str) and name in REQUIREMENTS for name in required):
        problems.append("metadata.jparallel.requires must be a list of %s, not %r"
                        % (", ".join(sorted(REQUIREMENTS)), required))
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get(META_KEY)
        if meta is None:
            continue
        label = cell_label(index, cell)
        if cell.get("cell_type") != "code":
            problems.append("%s: expectations on a %s cell, which has no outputs"
                            % (label, cell.get("cell_type")))
            continue
        if not isinstance(meta, dict):
            problems.append("%s: metadata.jparallel must be an object with %s" % (label, ", ".join(CHECKS)))
            continue
        for kind, value in meta.items():
            if kind not in CHECKS:
                hint = " (a cell meant to fail carries the tag %r)" % RAISES_TAG if kind.startswith("raise") else ""
                problems.append("%s: unknown expectation %r: use %s%s" % (label, kind, ", ".join(CHECKS), hint))
                continue
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                problems.append("%s: %s must be a string or a list of strings, not %r" % (label, kind, value))
                continue
            if kind == "matches":
                for pattern in values:
                    try:
                        re.compile(pattern)
                    except re.error as err:
                        problems.append("%s: bad regular expression %r: %s" % (label, pattern, err))
    return problems


def cell_output_text(cell):
    """Concatenated stream, text/plain, text/html and error text of a cell's outputs."""
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
    """Unexpected error outputs, expected ones that did not happen, and stderr text mentioning an
    Exception that the cell's own "contains" does not name (a cell that shows a failure on purpose).
    complete: whether every cell ran (else cells without outputs are not blamed for raising nothing)."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        label = cell_label(index, cell)
        outputs = cell.get("outputs", [])
        if expects_error(cell):
            ran = complete or cell.get("execution_count") is not None
            if ran and not any(out.get("output_type") == "error" for out in outputs):
                problems.append("%s: tagged %r but raised no error" % (label, RAISES_TAG))
        wanted = expectations(cell).get("contains", [])
        for out in outputs:
            kind = out.get("output_type")
            if kind == "error" and not expects_error(cell):
                problems.append("%s: error: %s: %s"
                                % (label, out.get("ename", "?"), first_line(out.get("evalue", ""), 200)))
            elif kind == "stream" and out.get("name") == "stderr":
                text = _text(out.get("text"))
                if "Exception" in text and not any(w in text for w in wanted):
                    line = next(l for l in text.splitlines() if "Exception" in l)
                    problems.append("%s: stderr mentions an Exception: %s" % (label, line.strip()))
    return problems


def expectation_problems(nb):
    """The expectations of every code cell that do not hold for its outputs."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        expect = expectations(cell)
        if not expect:
            continue
        label = cell_label(index, cell)
        text = cell_output_text(cell)
        shown = "; output was: %r" % shorten(text)
        for wanted in expect.get("contains", []):
            if wanted not in text:
                problems.append("%s: output does not contain %r%s" % (label, wanted, shown))
        for unwanted in expect.get("lacks", []):
            if unwanted in text:
                problems.append("%s: output contains %r%s" % (label, unwanted, shown))
        for pattern in expect.get("matches", []):
            if not re.search(pattern, text, re.MULTILINE):
                problems.append("%s: output does not match /%s/%s" % (label, pattern, shown))
    return problems


def check_notebook(nb, complete=True):
    """Every problem of an executed notebook (complete: whether every cell ran)."""
    problems = output_problems(nb, complete)
    if complete:
        problems += expectation_problems(nb)
    return problems


# What run_one found: the notebook's code cell count, how long it ran, its problems (none: it passed),
# and why it was skipped (its unmet requirements; then it did not run).
Outcome = collections.namedtuple("Outcome", "cells seconds problems skipped")


def run_one(path, kernel_name=KERNEL_NAME, timeout=CELL_TIMEOUT, save=False, out_dir=None):
    """Execute and check one notebook, unless its requirements are not met; returns an Outcome.
    A notebook whose requirements are not met is skipped, or, under CI=true, fails with the reasons.
    save: write the executed notebook over path when there are no problems.
    out_dir: also write the executed copy there, whatever the verdict."""
    nb = nbformat.read(str(path), as_version=4)
    code_cells = sum(1 for c in nb.cells if c.get("cell_type") == "code")
    problems = expectation_errors(nb)
    if problems:
        return Outcome(code_cells, 0.0, problems, [])
    unmet = unmet_requirements(nb, path)
    if unmet and os.environ.get("CI") == "true":
        return Outcome(code_cells, 0.0, ["%s (not skipped: CI=true)" % why for why in unmet], [])
    if unmet:
        return Outcome(code_cells, 0.0, [], unmet)
    # Drop saved outputs, so that a cell the run never reaches cannot pass (or fail) on what an
    # earlier run left in it.
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell.outputs = []
            cell.execution_count = None
    running = {}

    def on_cell_start(cell, cell_index):
        running["index"] = cell_index

    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=timeout,
        startup_timeout=STARTUP_TIMEOUT,
        # run every cell, then report the errors of untagged cells (output_problems); with
        # allow_errors=False nbclient would stop at the first one
        allow_errors=True,
        record_timing=False,  # no timestamps: a saved notebook changes only where its outputs do
        on_cell_start=on_cell_start,
        resources={"metadata": {"path": str(Path(path).resolve().parent)}},
    )
    start = time.monotonic()
    try:
        client.execute()
    except Exception as err:  # a cell timed out, the kernel died or never started
        where = ""
        if "index" in running:
            where = "%s: " % cell_label(running["index"], nb.cells[running["index"]])
        problems.append("%sexecution stopped: %s: %s" % (where, type(err).__name__, first_line(str(err), 200)))
    seconds = time.monotonic() - start
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(Path(out_dir) / Path(path).name))
    problems += check_notebook(nb, complete=not problems)
    if save and not problems:
        nbformat.write(nb, str(path))
    return Outcome(code_cells, seconds, problems, [])


def notebook_paths(args):
    """The notebooks named on the command line, folders expanded; (paths, missing)."""
    paths, missing = [], []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            paths += sorted(p for p in path.glob("*.ipynb") if p.is_file())
        elif path.is_file():
            paths.append(path)
        else:
            missing.append(arg)
    return paths, missing


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="jparallel-nbcheck",
        description="Run notebooks headless and check each cell's expectations (metadata.jparallel: "
                    "contains, matches, lacks; tag raises-exception for a cell meant to fail).")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a notebook, or a folder of notebooks")
    parser.add_argument("--save", action="store_true",
                        help="write each notebook that passes back over its file, with its outputs")
    parser.add_argument("--kernel", default=KERNEL_NAME, help="kernelspec to run (default: %(default)s)")
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, metavar="S",
                        help="seconds a cell may run (default: %(default)s)")
    parser.add_argument("--output-dir", metavar="DIR", help="write every executed copy to DIR")
    args = parser.parse_args(argv)

    paths, missing = notebook_paths(args.paths)
    if missing:
        print("no such notebook or folder: %s" % ", ".join(missing))
        print("0 passed, %d failed, 0 skipped" % (len(paths) + len(missing)))
        return 1
    if not paths:
        print("no notebooks in %s" % ", ".join(args.paths))
        print("0 passed, 0 failed, 0 skipped")
        return 1
    try:
        spec = KernelSpecManager().get_kernel_spec(args.kernel)
        print("kernel %s: %s" % (args.kernel, " ".join(spec.argv)))
    except NoSuchKernel:
        print("kernelspec %r is not installed (jparallel's: bash install/setup.sh)" % args.kernel)
        print("0 passed, %d failed, 0 skipped" % len(paths))
        return 1

    passed, failed, skipped = [], [], []
    total_seconds = 0.0
    width = max(len(p.name) for p in paths)
    for path in paths:
        outcome = run_one(path, args.kernel, args.timeout, args.save, args.output_dir)
        total_seconds += outcome.seconds
        if outcome.problems:
            verdict, tally = "FAIL", failed
        elif outcome.skipped:
            verdict, tally = "SKIPPED", skipped
        else:
            verdict, tally = "PASS, saved" if args.save else "PASS", passed
        tally.append(path.name)
        print("%-*s  %3d code cells  %6.1f s  %s" % (width, path.name, outcome.cells, outcome.seconds, verdict),
              flush=True)
        for problem in outcome.problems:
            print("    %s %s" % (path.name, problem), flush=True)
        for why in outcome.skipped:
            print("    *** SKIPPED %s: it %s" % (path.name, why), flush=True)
    if args.output_dir:
        print("executed copies: %s" % args.output_dir)
    print("total notebook time: %.1f s" % total_seconds)
    if skipped:  # again at the end, where it is seen
        print("*** NOT RUN, their requirements unmet (see above): %s" % ", ".join(skipped))
    print("%d passed, %d failed, %d skipped" % (len(passed), len(failed), len(skipped)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
