#!/usr/bin/env bash
# jparallel's full test suite; stops at the first failing step.
#
#   bash install/test.sh
#
#  1. Jupyter, pytest and pyzmq (Debian packages) are installed if missing; for the browser test,
#     Chromium and Node.js/npm (Debian packages) and playwright-core (npm, into test/browser; no
#     browser download) too.
#  2. mvn verify (unit + integration tests) on JDK 17,
#  3. and again on Temurin 25 (skipped, loudly, only if it is not installed).
#  4. jparallel-core is installed into the local Maven repository, and a plain Maven project outside
#     this one (core/src/test/outside-project) that depends on it alone is built and run.
#  5. The kernel is built and installed into a throwaway prefix and a throwaway
#     Jupyter data dir (the user's own kernelspecs are not touched).
#  6. On JDK 17, then on JDK 25: the kernel's Python tests (kernel/src/test/python)
#     and every notebook in notebooks/, run and checked by the installed jparallel-nbcheck
#     (install/run_notebooks.py; executed copies in build/notebooks/jdkN). Those that need the test
#     hosts (14; .ci/hosts.sh, which .ci/run brings up) are skipped, loudly, where they are not up,
#     and fail under CI=true; so do the protocol tests that need them (test_hosts.py).
#  7. On JDK 17 only: the browser test (test/browser), a %%parallel cell run in Chromium on Jupyter
#     Notebook. It tests what the page shows, which does not depend on the JDK: one JDK is enough.
#
# The last line is "total: N passed, M failed, S skipped" over all tests run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$JP_ROOT"

START=$SECONDS
PASSED=0
FAILED=0
SKIPPED=0
NOTES=()
WORK=$(mktemp -d -t jparallel-test.XXXXXX)

finish() {
    local rc=$?
    rm -rf "$WORK"
    if [ "$rc" -ne 0 ]; then
        printf '\ntest.sh: FAILED in step "%s" after %d s (exit %d)\n' \
            "$JP_SECTION" $((SECONDS - START)) "$rc" >&2
    fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Step time limits (seconds): guards against a hung JVM, not expected run times.
MVN_LIMIT=1500
PYTEST_LIMIT=900
NOTEBOOK_LIMIT=1200
BROWSER_LIMIT=600

# run_limited SECONDS CMD...: run CMD, killing it (and its children) after SECONDS.
run_limited() {
    local limit=$1 rc=0
    shift
    timeout -k 20 "$limit" "$@" || rc=$?
    if [ "$rc" -eq 124 ]; then
        printf 'ERROR: timed out after %d s: %s\n' "$limit" "$*" >&2
    fi
    return "$rc"
}

add_counts() {
    PASSED=$((PASSED + $1))
    FAILED=$((FAILED + $2))
    SKIPPED=$((SKIPPED + $3))
}

# count_junit PATH...: "passed failed skipped" summed over JUnit XML reports
# (report files, or folders of TEST-*.xml); missing paths count as nothing.
count_junit() {
    "$JP_PY" - "$@" <<'EOF'
import glob, os, sys
import xml.etree.ElementTree as ET
tests = failed = skipped = 0
for arg in sys.argv[1:]:
    files = sorted(glob.glob(os.path.join(arg, "TEST-*.xml"))) if os.path.isdir(arg) else \
        ([arg] if os.path.isfile(arg) else [])
    for path in files:
        root = ET.parse(path).getroot()
        suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
        for suite in suites:
            tests += int(suite.get("tests", 0))
            failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped += int(suite.get("skipped", 0))
print(tests - failed - skipped, failed, skipped)
EOF
}

mvn_verify() {
    local label=$1 home=$2 p f s
    section "Maven verify on JDK $label ($home)"
    local opts=${MAVEN_OPTS:-}
    # Maven 3.8's Guice uses sun.misc.Unsafe; JDK 24+ warns about it on every run.
    if [ "$label" -ge 24 ]; then opts="$opts --sun-misc-unsafe-memory-access=allow"; fi
    run_limited "$MVN_LIMIT" env JAVA_HOME="$home" MAVEN_OPTS="$opts" mvn -B -ntp clean verify
    read -r p f s < <(count_junit ./*/target/surefire-reports ./*/target/failsafe-reports)
    note "JDK $label, Maven tests: $p passed, $f failed, $s skipped"
    if [ "$((p + f + s))" -eq 0 ]; then NOTES+=("JDK $label: Maven ran no Java tests"); fi
    add_counts "$p" "$f" "$s"
}

# The launcher must start the JVM it was asked for; `-version` stops java before the kernel.
check_launcher() {
    local label=$1 out
    out=$(JPARALLEL_JVM_OPTS=-version "$JPARALLEL_HOME/bin/jparallel-kernel" /dev/null 2>&1) \
        || die "the launcher failed: $out"
    if ! grep -q "version \"${label}[.\"]" <<<"$out"; then
        die "the launcher did not start JDK $label; java -version said: $out"
    fi
    note "Launcher starts JDK $label: $(head -n1 <<<"$out")"
}

kernel_tests() {
    local label=$1 rc p f s line
    section "Kernel protocol tests on JDK $label"
    check_launcher "$label"
    if [ -d kernel/src/test/python ] &&
        find kernel/src/test/python \( -name 'test_*.py' -o -name '*_test.py' \) | grep -q .; then
        rc=0
        run_limited "$PYTEST_LIMIT" "$JP_PY" -m pytest -q -p no:cacheprovider \
            --junitxml="$WORK/pytest-jdk$label.xml" kernel/src/test/python || rc=$?
        if [ "$rc" -eq 5 ]; then
            note "pytest collected no tests in kernel/src/test/python: continuing"
            NOTES+=("JDK $label: pytest collected no tests")
        elif [ "$rc" -ne 0 ]; then
            exit "$rc"
        fi
        read -r p f s < <(count_junit "$WORK/pytest-jdk$label.xml")
        add_counts "$p" "$f" "$s"
    else
        note "No Python tests in kernel/src/test/python yet: continuing"
        NOTES+=("JDK $label: no Python kernel tests yet")
    fi

    section "Notebooks on JDK $label"
    run_limited "$NOTEBOOK_LIMIT" "$JPARALLEL_HOME/bin/jparallel-nbcheck" --output-dir "build/notebooks/jdk$label" \
        notebooks | tee "$WORK/notebooks-jdk$label.log"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$WORK/notebooks-jdk$label.log" | tail -n1) \
        || die "jparallel-nbcheck printed no 'N passed, M failed, S skipped' line"
    read -r p _ f _ s _ <<<"${line//,/}"
    add_counts "$p" "$f" "$s"
    if [ "$((p + f))" -eq 0 ]; then NOTES+=("JDK $label: no notebooks to run"); fi
    # a notebook whose requirements are unmet (the test hosts: .ci/run makes them) is skipped, except under CI=true
    if [ "$s" -gt 0 ]; then NOTES+=("JDK $label: $s notebooks SKIPPED: $(grep -E '^\*\*\* NOT RUN' "$WORK/notebooks-jdk$label.log" | tail -n1 || true)"); fi
}

# The browser test (node --test, TAP): its summary lines "# pass N", "# fail N", ... counted as
# "passed failed skipped" (a cancelled test counts as failed, a todo as skipped).
browser_test() {
    local rc=0 p f s
    section "Browser test on JDK 17 (Chromium on Jupyter Notebook)"
    (cd test/browser && run_limited "$BROWSER_LIMIT" node --test --test-reporter=tap parallel_map.test.mjs) \
        | tee "$WORK/browser.tap" || rc=$?
    read -r p f s < <(awk '/^# (pass|fail|cancelled|skipped|todo) [0-9]+$/ { n[$2] = $3; seen = 1 }
        END { if (seen) print n["pass"] + 0, n["fail"] + n["cancelled"], n["skipped"] + n["todo"] }' \
        "$WORK/browser.tap") || die "the browser test printed no TAP summary"
    note "browser test: $p passed, $f failed, $s skipped"
    add_counts "$p" "$f" "$s"
    if [ "$rc" -ne 0 ]; then exit "$rc"; fi
}

section "Python tools"
ensure_python_tools

section "Browser tools"
ensure_browser_tools

JDK17=$(jdk17_home) || die "no JDK 17 found (no /usr/lib/jvm/java-17-openjdk-* and no java on PATH)"
JDK25=$(jdk25_home) || JDK25=""

mvn_verify 17 "$JDK17"

if [ -n "$JDK25" ]; then
    mvn_verify 25 "$JDK25"
else
    section "Maven verify on JDK 25"
    warn "******************************************************************"
    warn "SKIPPING every JDK 25 step: $JP_JDK25_DEFAULT is not installed."
    warn "******************************************************************"
    NOTES+=("JDK 25 SKIPPED: $JP_JDK25_DEFAULT not installed")
fi

# A plain Java program that depends on jparallel-core alone: built by Maven from the local repository,
# run with a lambda on two workers; its dependency tree holds nothing of Jupyter, nor BouncyCastle (optional:
# a pool with hosts then fails naming it).
outside_project() {
    local project="$WORK/outside-project" out tree
    section "A project outside this one on jparallel-core alone"
    run_limited "$MVN_LIMIT" env JAVA_HOME="$JDK17" mvn -B -q -ntp install -DskipTests \
        || die "mvn install failed"
    cp -r core/src/test/outside-project "$project"
    tree=$(cd "$project" && JAVA_HOME="$JDK17" mvn -B -q -ntp dependency:tree -DoutputFile=/dev/stdout) \
        || die "the outside project's dependencies did not resolve"
    if grep -Ei 'jparallel-kernel|jjava|jeromq|gson' <<<"$tree"; then
        die "jparallel-core brings Jupyter's libraries: $tree"
    fi
    if grep -Ei 'bouncycastle' <<<"$tree"; then
        die "jparallel-core brings BouncyCastle (optional: only pools with hosts need it): $tree"
    fi
    (cd "$project" && JAVA_HOME="$JDK17" mvn -B -q -ntp package dependency:build-classpath \
        -Dmdep.outputFile=classpath.txt) || die "the outside project did not build"
    out=$(run_limited 120 "$JDK17/bin/java" -cp "$project/target/classes:$(cat "$project/classpath.txt")" \
        example.Squares 2>&1) || die "the outside project failed: $out"
    printf '%s\n' "$out"
    if [ "$out" != $'squares [0, 1, 4, 9, 16]\nworker pids are not this one: true\nhosts without BouncyCastle: workers on other hosts need BouncyCastle on this program\'s class path, to issue the pool\'s TLS certificates, naming the dependency' ]; then
        printf 'outside project: 0 passed, 1 failed\n'
        die "the outside project printed something else"
    fi
    note "outside project: 1 passed, 0 failed"
    add_counts 1 0 0
}

outside_project

section "Build and install the kernel into a throwaway prefix"
export JPARALLEL_HOME="$WORK/prefix"
export JUPYTER_DATA_DIR="$WORK/jupyter-data"
export JUPYTER_RUNTIME_DIR="$WORK/jupyter-runtime"
export XDG_CACHE_HOME="$WORK/cache"   # the kernels' and workers' jar cache (JarCache), not the user's
unset JPARALLEL_JAVA_HOME
JAVA_HOME="$JDK17" build
install_kernel "$JPARALLEL_HOME" "$JDK17"

kernel_tests 17    # the launcher uses the JAVA_HOME recorded at install time
browser_test

if [ -n "$JDK25" ]; then
    export JPARALLEL_JAVA_HOME="$JDK25"
    kernel_tests 25
    unset JPARALLEL_JAVA_HOME
fi

section "Summary"
for n in ${NOTES[@]+"${NOTES[@]}"}; do note "note: $n"; done
note "test.sh: all steps passed in $((SECONDS - START)) s"
printf 'total: %d passed, %d failed, %d skipped\n' "$PASSED" "$FAILED" "$SKIPPED"
