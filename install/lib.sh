# shellcheck shell=bash
# Shared functions for jparallel's install and test scripts.
# Source it (`source install/lib.sh`); it does nothing on its own.
#
# Functions:
#   ensure_python_tools           install Jupyter, pytest, pyzmq and tmux from Debian packages if missing
#   ensure_browser_tools          install Chromium and Node.js/npm (Debian packages) and test/browser's
#                                 playwright-core (npm, no browser download) if missing
#   build                         mvn package (tests skipped), check the jars exist
#   install_kernel PREFIX [JH]    copy jars to PREFIX/lib, write the launchers PREFIX/bin/jparallel-kernel
#                                 and PREFIX/bin/jparallel-jshell, install the notebook checker as
#                                 PREFIX/bin/jparallel-nbcheck, register the kernelspec `jparallel`
#                                 (JH = JAVA_HOME to record)
#   uninstall_kernel PREFIX       remove the kernelspec and what install_kernel put in PREFIX
#   default_prefix                ${JPARALLEL_HOME:-$HOME/.local/share/jparallel}
#   jupyter_cmd ARGS...           the Debian `jupyter` under /usr/bin/python3
#   jdk17_home, jdk25_home        where the two JDKs the project is tested on live
#   section, note, warn, die      output helpers

JP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
JP_PY=/usr/bin/python3           # Debian's Python: the one with the Jupyter packages
JP_KERNEL_NAME=jparallel
JP_JDK25_DEFAULT=/usr/lib/jvm/temurin-25-jdk-amd64

# The Debian packages that bring everything the scripts and tests use. python3-zmq (pyzmq on
# libzmq) comes with jupyter-client too; core's ZeroMqPeerIT uses it directly, so it is named.
# tmux runs jupyter console for the kernel's test_console.py, which reads the screen with capture-pane.
JP_APT_PACKAGES=(jupyter-client jupyter-console jupyter-nbconvert python3-nbclient
                 python3-notebook python3-jupyter-kernel-test python3-pytest python3-zmq tmux)

# The step being run, for error messages (read by test.sh).
# shellcheck disable=SC2034
JP_SECTION=""

section() {
    # shellcheck disable=SC2034
    JP_SECTION="$*"
    printf '\n==== %s ====\n' "$*"
}

note() { printf '%s\n' "$*"; }

warn() { printf 'WARNING: %s\n' "$*" >&2; }

die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

default_prefix() {
    printf '%s\n' "${JPARALLEL_HOME:-$HOME/.local/share/jparallel}"
}

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*' and sudo is not installed"
    fi
}

# `jupyter` from the Debian packages. /usr/bin goes first on PATH so that
# its subcommands (jupyter-kernelspec, ...) win over any other Python's.
jupyter_cmd() {
    PATH="/usr/bin:$PATH" "$JP_PY" -m jupyter "$@"
}

python_tools_ok() {
    [ -x "$JP_PY" ] || return 1
    "$JP_PY" -c 'import jupyter_client, nbclient, nbformat, nbconvert, notebook, jupyter_kernel_test, pytest, zmq' \
        >/dev/null 2>&1 || return 1
    [ -x /usr/bin/jupyter ] && [ -x /usr/bin/jupyter-console ] && [ -x /usr/bin/tmux ]
}

ensure_python_tools() {
    if python_tools_ok; then
        note "Jupyter, pytest and pyzmq are installed (under $JP_PY)."
        return 0
    fi
    note "Installing Jupyter, pytest and pyzmq from Debian packages: ${JP_APT_PACKAGES[*]}"
    as_root apt-get update || die "apt-get update failed"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${JP_APT_PACKAGES[@]}" </dev/null \
        || die "apt-get install failed"
    python_tools_ok || die "still missing after apt-get install: $JP_PY cannot import the Jupyter modules, or /usr/bin/jupyter{,-console} is absent"
}

# The browser test (test/browser) drives Debian's Chromium with playwright-core from npm: never a
# browser of Playwright's own. npm installs into test/browser/node_modules, from its package-lock.json.
JP_CHROMIUM=/usr/bin/chromium
JP_BROWSER_TEST_DIR="$JP_ROOT/test/browser"

# The playwright-core version test/browser/package-lock.json pins, and the one installed ("" if none).
_playwright_versions() {
    node -e '
const fs = require("fs");
const lock = JSON.parse(fs.readFileSync(process.argv[1] + "/package-lock.json", "utf8"));
let installed = "";
try { installed = JSON.parse(fs.readFileSync(process.argv[1] + "/node_modules/playwright-core/package.json", "utf8")).version; } catch {}
console.log(lock.packages["node_modules/playwright-core"].version, installed);' "$JP_BROWSER_TEST_DIR"
}

ensure_browser_tools() {
    local packages=() major wanted installed
    [ -x "$JP_CHROMIUM" ] || packages+=(chromium)
    if ! command -v node >/dev/null 2>&1; then
        packages+=(nodejs npm)
    elif ! command -v npm >/dev/null 2>&1; then
        packages+=(npm)
    fi
    if [ ${#packages[@]} -gt 0 ]; then
        note "Installing from Debian packages: ${packages[*]}"
        as_root apt-get update || die "apt-get update failed"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}" </dev/null \
            || die "apt-get install failed"
    fi
    [ -x "$JP_CHROMIUM" ] || die "$JP_CHROMIUM is missing after apt-get install chromium"
    major=$(node -p 'process.versions.node.split(".")[0]') || die "node does not run"
    [ "$major" -ge 18 ] || die "the browser test needs Node.js 18 or newer; $(command -v node) is $(node --version)"
    read -r wanted installed < <(_playwright_versions) || die "cannot read $JP_BROWSER_TEST_DIR/package-lock.json"
    if [ "$installed" != "$wanted" ]; then
        note "Installing playwright-core $wanted into $JP_BROWSER_TEST_DIR/node_modules (npm ci, no browser download)"
        (cd "$JP_BROWSER_TEST_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund) \
            || die "npm ci in $JP_BROWSER_TEST_DIR failed"
    fi
    note "Chromium $("$JP_CHROMIUM" --version 2>/dev/null | awk '{print $2}'), Node.js $(node --version), playwright-core $wanted."
}

# The JDK 17 home: Debian's OpenJDK 17, else the JDK of the `java` on PATH.
jdk17_home() {
    local dir java
    for dir in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-*; do
        if [ -x "$dir/bin/javac" ]; then
            printf '%s\n' "$dir"
            return 0
        fi
    done
    java=$(command -v java) || return 1
    dirname "$(dirname "$(readlink -f "$java")")"
}

# The JDK 25 home; fails when it is not installed.
jdk25_home() {
    [ -x "$JP_JDK25_DEFAULT/bin/java" ] || return 1
    printf '%s\n' "$JP_JDK25_DEFAULT"
}

# mvn package without tests; JAVA_HOME as the caller has it.
build() {
    note "Building with Maven (tests skipped)${JAVA_HOME:+, JAVA_HOME=$JAVA_HOME}..."
    (cd "$JP_ROOT" && mvn -B -q -ntp -DskipTests package) || die "Maven build failed"
    [ -f "$JP_ROOT/kernel/target/jparallel-kernel.jar" ] \
        || die "the build did not produce kernel/target/jparallel-kernel.jar"
    note "Built kernel/target/jparallel-kernel.jar"
}

# Copy SRC_DIR/*.jar into DEST_DIR, skipping names that match SKIP_GLOB (optional).
_copy_jars() {
    local src=$1 dest=$2 skip=${3-} jar
    [ -d "$src" ] || return 0
    for jar in "$src"/*.jar; do
        [ -e "$jar" ] || continue
        # shellcheck disable=SC2254 # $skip is a glob on purpose
        if [ -n "$skip" ]; then case ${jar##*/} in $skip) continue ;; esac; fi
        cp -f "$jar" "$dest/"
    done
}

# The start of a launcher that runs the JDK command TOOL (java, jshell) as $TOOL, with the jars in $LIBDIR.
# _launcher_head TOOL LIBDIR JAVA_HOME WHAT  (WHAT: what the launcher starts, for its comment)
_launcher_head() {
    local tool=$1 libdir=$2 java_home=$3 what=$4
    cat <<EOF
#!/usr/bin/env bash
# Starts $what
# Written by install/lib.sh; re-run install/setup.sh to update.
# JDK: \$JPARALLEL_JAVA_HOME if set, else the JAVA_HOME recorded at install time, else $tool on PATH.
# Extra JVM options: \$JPARALLEL_JVM_OPTS (split on spaces).
set -eu
EOF
    printf 'LIBDIR=%q\n' "$libdir"
    printf 'INSTALL_JAVA_HOME=%q\n' "$java_home"
    cat <<EOF
if [ -n "\${JPARALLEL_JAVA_HOME:-}" ]; then
    TOOL="\$JPARALLEL_JAVA_HOME/bin/$tool"
elif [ -n "\$INSTALL_JAVA_HOME" ] && [ -x "\$INSTALL_JAVA_HOME/bin/$tool" ]; then
    TOOL="\$INSTALL_JAVA_HOME/bin/$tool"
else
    TOOL=$tool
fi
EOF
}

# install_kernel PREFIX [JAVA_HOME]
install_kernel() {
    local prefix=${1:?usage: install_kernel PREFIX [JAVA_HOME]} java_home=${2-}
    local kjar="$JP_ROOT/kernel/target/jparallel-kernel.jar"
    local mjar="$JP_ROOT/magics/target/jparallel-magics.jar"
    [ -f "$kjar" ] || die "$kjar is missing: run the build first"

    mkdir -p "$prefix/bin" "$prefix/lib" || die "cannot create $prefix"
    prefix=$(cd "$prefix" && pwd -P)
    local libdir="$prefix/lib" launcher="$prefix/bin/jparallel-kernel" jshell_launcher="$prefix/bin/jparallel-jshell"
    local nbcheck="$prefix/bin/jparallel-nbcheck"

    # Jars: start from an empty lib/ so jars left by an older build go away.
    rm -f "$libdir"/*.jar
    cp -f "$kjar" "$libdir/"
    _copy_jars "$JP_ROOT/kernel/target/lib" "$libdir"
    if [ -f "$mjar" ]; then
        cp -f "$mjar" "$libdir/"
    else
        warn "magics/target/jparallel-magics.jar is missing: installing without the magics"
    fi
    # magics/target/lib holds the kernel again (as jparallel-kernel-<version>.jar): skip it.
    _copy_jars "$JP_ROOT/magics/target/lib" "$libdir" 'jparallel-kernel*.jar'

    # The launchers: the exact command lines, with the JDK chosen at run time.
    {
        _launcher_head java "$libdir" "$java_home" "the jparallel Jupyter kernel."
        cat <<'EOF'
# Class-data sharing: an archive of the classes a kernel loads up to its first result, one per JDK, made at
# install time by `jparallel-kernel --warm-up` (a kernel start-up and a first cell without a connection);
# it took a third off the CPU time of that start-up (0.96 to 0.68 s on JDK 17). JDK 25 and later keep an
# AOT cache, older ones a dynamic CDS archive. The JVM checks an archive against itself and the jars, and
# starts without it (printing a warning on stdout) when it does not match; a JDK whose release file is
# unreadable gets none.
CDS=()
ARCHIVE=""
JAVA_BIN=$(command -v "$TOOL" || true)
[ -z "$JAVA_BIN" ] || JAVA_BIN=$(readlink -f "$JAVA_BIN" || true)
JDK_DIR=${JAVA_BIN%/bin/java}
JDK_VERSION=""
if [ -n "$JAVA_BIN" ] && [ -r "$JDK_DIR/release" ]; then
    while IFS='=' read -r key value; do
        if [ "$key" = JAVA_VERSION ]; then JDK_VERSION=${value//\"/}; fi
    done <"$JDK_DIR/release"
fi
if [ -n "$JDK_VERSION" ]; then
    ARCHIVE="$LIBDIR/cds/${JDK_DIR//[^A-Za-z0-9._-]/_}-$JDK_VERSION"
    if [ "${JDK_VERSION%%.*}" -ge 25 ] 2>/dev/null; then ARCHIVE="$ARCHIVE.aot"; else ARCHIVE="$ARCHIVE.jsa"; fi
fi
if [ "${1:-}" = --warm-up ]; then
    [ -n "$ARCHIVE" ] || { echo "jparallel-kernel: cannot tell the version of the JDK of $TOOL" >&2; exit 1; }
    mkdir -p "$LIBDIR/cds"
    rm -f "$ARCHIVE"
    case $ARCHIVE in
        *.aot) CDS=(-XX:AOTCacheOutput="$ARCHIVE") ;;
        *) CDS=(-XX:ArchiveClassesAtExit="$ARCHIVE") ;;
    esac
elif [ -n "$ARCHIVE" ] && [ -f "$ARCHIVE" ]; then
    case $ARCHIVE in
        *.aot) CDS=(-XX:AOTCache="$ARCHIVE") ;;
        *) CDS=(-XX:SharedArchiveFile="$ARCHIVE") ;;
    esac
fi
set -f  # JPARALLEL_JVM_OPTS is split on spaces but never globbed
# shellcheck disable=SC2086
# (the class path comes first: an archive is checked against it, also by `JPARALLEL_JVM_OPTS=-version`)
# (--add-opens: the kernel's eval.CompilerClassFiles and eval.ClassIndexing reach into JShell; on JDK 17 it turns off
# the archive's module graph, about 10 ms more CPU to start the JVM: 50 to 60 ms for -version)
exec "$TOOL" -Xss4m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$LIBDIR/*" ${CDS[@]+"${CDS[@]}"} \
    --add-opens jdk.jshell/jdk.jshell=ALL-UNNAMED -Djparallel.worker.archiveDir="$LIBDIR/worker-archives" \
    ${JPARALLEL_JVM_OPTS:-} org.jparallel.kernel.KernelMain "$@"
EOF
    } >"$launcher"
    chmod 755 "$launcher"
    # jshell: the jars on the tool's class path (where it finds the engine `jparallel`, which runs snippets in
    # the tool's JVM and keeps their classes for the workers) and on the snippets' (to compile against them).
    printf 'import org.jparallel.api.*;\n' >"$libdir/jparallel-jshell.jsh"
    {
        _launcher_head jshell "$libdir" "$java_home" \
            "the JDK's jshell with jparallel: what is typed at the prompt runs on workers too.
# Arguments go on to jshell (more jars: --class-path JARS; a script to run: FILE)."
        cat <<'EOF'
JARS=$(printf '%s:' "$LIBDIR"/*.jar)
JARS=${JARS%:}
# jshell takes one --class-path: the user's goes after jparallel's
SNIPPET_PATH=$JARS
ARGS=()
while [ $# -gt 0 ]; do
    case $1 in
        --class-path)
            [ $# -ge 2 ] || { echo "jparallel-jshell: --class-path needs a path" >&2; exit 2; }
            SNIPPET_PATH="$SNIPPET_PATH:$2"
            shift 2 ;;
        --class-path=*)
            SNIPPET_PATH="$SNIPPET_PATH:${1#--class-path=}"
            shift ;;
        *)
            ARGS+=("$1")
            shift ;;
    esac
done
JVM_OPTS=()
set -f  # JPARALLEL_JVM_OPTS is split on spaces but never globbed
for opt in ${JPARALLEL_JVM_OPTS:-}; do JVM_OPTS+=("-J$opt"); done
set +f
exec "$TOOL" -J-Xss4m -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 -J-Djparallel.worker.archiveDir="$LIBDIR/worker-archives" \
    ${JVM_OPTS[@]+"${JVM_OPTS[@]}"} \
    -J--class-path -J"$JARS" --class-path "$SNIPPET_PATH" --execution jparallel \
    --startup DEFAULT --startup "$LIBDIR/jparallel-jshell.jsh" ${ARGS[@]+"${ARGS[@]}"}
EOF
    } >"$jshell_launcher"
    chmod 755 "$jshell_launcher"
    # The workers' class-data archive (docs/architecture.md, "Worker start-up"), made now for the JDK recorded
    # here so that the first pool starts from it; another JDK's is made on its first use, in the same folder.
    local java_cmd=java archive
    if [ -n "$java_home" ]; then java_cmd="$java_home/bin/java"; fi
    if archive=$("$java_cmd" -Xss4m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
            -Djparallel.worker.archiveDir="$libdir/worker-archives" -cp "$libdir/*" \
            org.jparallel.internal.pool.WorkerArchiveMaker); then
        note "Workers' class-data archive: $archive"
    else
        warn "no class-data archive for the workers: they start without one (slower, larger)"
    fi
    # Class-data archives for the JDK recorded here and for JDK 25 if it is installed (see the launcher). The kernel
    # starts without one, more slowly, so a failure here is only a warning.
    local jdk made=" "
    rm -rf "$libdir/cds"
    for jdk in "$java_home" "$(jdk25_home || true)"; do
        [ -n "$jdk" ] || [ -z "$java_home" ] || continue  # no JDK 25
        case $made in *" ${jdk:-PATH} "*) continue ;; esac
        made="$made${jdk:-PATH} "
        if JPARALLEL_JAVA_HOME=$jdk JPARALLEL_JVM_OPTS="" timeout 600 "$launcher" --warm-up >"$libdir/cds-warm-up.log" 2>&1; then
            rm -f "$libdir/cds-warm-up.log"
        else
            warn "no class-data archive for the kernel on ${jdk:-the java on PATH}: see $libdir/cds-warm-up.log"
        fi
    done
    # The notebook checker: one self-contained script (it runs on $JP_PY, its shebang).
    install -m 755 "$JP_ROOT/install/run_notebooks.py" "$nbcheck" || die "cannot write $nbcheck"

    # The kernelspec, registered for this user (honours JUPYTER_DATA_DIR).
    local specdir
    specdir=$(mktemp -d) || die "mktemp failed"
    "$JP_PY" - "$launcher" "$specdir/kernel.json" <<'EOF' || { rm -rf "$specdir"; die "cannot write kernel.json"; }
import json, sys
spec = {
    "argv": [sys.argv[1], "{connection_file}"],
    "display_name": "Java (jparallel)",
    "language": "java",
    "interrupt_mode": "message",
}
with open(sys.argv[2], "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
EOF
    jupyter_cmd kernelspec install --user --replace --name "$JP_KERNEL_NAME" "$specdir" \
        || { rm -rf "$specdir"; die "jupyter kernelspec install failed"; }
    rm -rf "$specdir"

    note "Installed $(find "$libdir" -name '*.jar' | wc -l) jars in $libdir"
    note "Launchers: $launcher, $jshell_launcher (JDK: ${java_home:-java and jshell on PATH})"
    note "Notebook checker: $nbcheck"
}

# uninstall_kernel PREFIX
uninstall_kernel() {
    local prefix=${1:?usage: uninstall_kernel PREFIX}

    if "$JP_PY" -c 'import jupyter_client' >/dev/null 2>&1; then
        if "$JP_PY" -c 'import sys
from jupyter_client.kernelspec import KernelSpecManager
sys.exit(0 if sys.argv[1] in KernelSpecManager().find_kernel_specs() else 1)' "$JP_KERNEL_NAME"; then
            jupyter_cmd kernelspec remove -f "$JP_KERNEL_NAME" || die "jupyter kernelspec remove failed"
        else
            note "No kernelspec named $JP_KERNEL_NAME is registered."
        fi
    else
        # No Jupyter to ask: remove the spec from the user data dir by hand.
        local dir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/$JP_KERNEL_NAME"
        if [ -d "$dir" ]; then rm -rf "$dir" && note "Removed $dir"; fi
    fi

    # Remove only what install_kernel wrote, then the folders if they are empty.
    if [ -d "$prefix" ]; then
        rm -f "$prefix/bin/jparallel-kernel" "$prefix/bin/jparallel-jshell" "$prefix/bin/jparallel-nbcheck" \
            "$prefix/lib/jparallel-jshell.jsh" "$prefix/lib/cds-warm-up.log" \
            "$prefix"/lib/*.jar
        rm -rf "$prefix/lib/worker-archives"
        rm -rf "$prefix/lib/cds"
        rmdir "$prefix/bin" "$prefix/lib" 2>/dev/null || true
        if rmdir "$prefix" 2>/dev/null; then
            note "Removed $prefix"
        else
            warn "$prefix still holds files jparallel did not install; left it in place"
        fi
    else
        note "Nothing installed in $prefix."
    fi
}
