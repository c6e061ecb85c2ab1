#!/usr/bin/env bash
# Build jparallel, install the Jupyter kernelspec `jparallel`, and run the tour
# notebook headless. Safe to re-run.
#
#   bash install/setup.sh
#
# Installs into ${JPARALLEL_HOME:-~/.local/share/jparallel}; the kernel runs on
# $JAVA_HOME as it is now (or `java` on PATH), unless JPARALLEL_JAVA_HOME is set.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$JP_ROOT"

tour=notebooks/00-tour.ipynb
prefix=$(default_prefix)

section "1/4 Python tools"
ensure_python_tools

section "2/4 Build"
build

section "3/4 Install the kernel into $prefix"
install_kernel "$prefix" "${JAVA_HOME:-}"

section "4/4 Run the tour notebook"
if [ ! -f "$tour" ]; then
    die "$tour does not exist yet; the kernel is installed, but there is no tour to run"
fi
"$prefix/bin/jparallel-nbcheck" --output-dir build/notebooks "$tour"

note ""
note "Done. The executed tour is $JP_ROOT/build/notebooks/${tour##*/}"
note "Check notebooks of your own with:  $prefix/bin/jparallel-nbcheck NOTEBOOK.ipynb ..."
note "Open it with:  jupyter notebook notebooks/    or a REPL:  jupyter console --kernel jparallel"
