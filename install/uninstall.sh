#!/usr/bin/env bash
# Remove the kernelspec `jparallel` and the installed jars and commands (jparallel-kernel, jparallel-jshell,
# jparallel-nbcheck).
#
#   bash install/uninstall.sh
#
# Uses the same prefix as setup.sh: ${JPARALLEL_HOME:-~/.local/share/jparallel}.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

uninstall_kernel "$(default_prefix)"
