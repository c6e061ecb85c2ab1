"""%maven, %mavenRepo and %loadFromPOM through a real Jupyter client, against Maven Central (CI reaches it)
with a throwaway local repository, so the library really downloads: its jars reach every worker, those of
a pool started before the %maven cell included; each bad input is a one-line error of its own type, and
the kernel and pool work afterwards; a second kernel, offline, finds the library in the local repository."""
import hashlib
import socket

import pytest

from conftest import STARTUP_LIMIT, SHUTDOWN_LIMIT, WATCHDOG, of_type, ok, result_text, run, start_kernel, \
    stdout_text, stop_kernel

MATH = "org.apache.commons:commons-math3:3.6.1"


def settings_file(tmp, offline):
    path = tmp / ("offline.xml" if offline else "settings.xml")
    path.write_text(f"<settings><localRepository>{tmp / 'repository'}</localRepository>"
                    f"<offline>{'true' if offline else 'false'}</offline></settings>")
    return path


def kernel_with(settings, label):
    with WATCHDOG.guard(STARTUP_LIMIT, f"starting the kernel of {label}"):
        return start_kernel(label, env={"JPARALLEL_JVM_OPTS": f"-Djparallel.maven.settings={settings}"})


@pytest.fixture(scope="module")
def maven_home(tmp_path_factory):
    return tmp_path_factory.mktemp("maven")


@pytest.fixture(scope="module")
def kc(maven_home):
    client = kernel_with(settings_file(maven_home, offline=False), __name__)
    try:
        yield client
    finally:
        with WATCHDOG.guard(SHUTDOWN_LIMIT, "shutting down the kernel of test_maven"):
            stop_kernel(client)


def failed_on_one_line(reply, ename, *parts):
    assert reply["status"] == "error", reply
    assert reply["ename"] == ename, reply
    assert len(reply["traceback"]) == 1 and "\n" not in reply["evalue"], reply
    for part in parts:
        assert part in reply["evalue"], reply["evalue"]


def value(kc, code, **kw):
    """The text/plain result of a cell that must succeed."""
    reply, msgs = run(kc, code, **kw)
    ok(reply)
    return result_text(msgs)


def printed(kc, code, **kw):
    """What a cell that must succeed printed on stdout."""
    reply, msgs = run(kc, code, **kw)
    ok(reply)
    return stdout_text(msgs)


def still_works(kc):
    assert value(kc, "1 + 1") == "2"
    assert value(kc, "%%parallel\n3 * 7") == "[21, 21]"


@pytest.mark.watchdog(120)
def test_maven_reaches_every_worker_of_a_pool_started_before_it(kc, maven_home):
    ok(run(kc, "%pool start 2")[0])
    reply, msgs = run(kc, "%maven " + MATH, timeout=100)
    ok(reply)
    out = stdout_text(msgs)
    assert "org.apache.commons:commons-math3 3.6.1  downloaded" in out, out
    assert (maven_home / "repository/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar").is_file()
    progress = [c["data"]["text/plain"] for kind, c in msgs if kind in ("display_data", "update_display_data")]
    assert progress and progress[-1].startswith("Downloaded "), msgs
    assert not of_type(msgs, "execute_result")

    ok(run(kc, "var ns = java.util.List.of(1, 2, 3, 4, 5, 6);")[0])
    assert value(kc, "%%parallel --map n:ns\norg.apache.commons.math3.util.CombinatoricsUtils.factorial(n)",
                 timeout=60) == "[1, 2, 6, 24, 120, 720]"
    assert value(kc, "%%parallel\nnew org.apache.commons.math3.fraction.Fraction(1, 3).add(1).toString()") == "[4 / 3, 4 / 3]"
    # nothing was imported: the simple name is unknown
    reply, _ = run(kc, "Fraction f = null;")
    assert reply["status"] == "error" and reply["ename"] == "CompilationError", reply

    assert "commons-math3 3.6.1  already loaded" in printed(kc, "%maven " + MATH)
    # the workers run on jparallel-core alone: Maven's libraries stay in the kernel
    assert value(kc, '%%parallel\nSystem.getProperty("java.class.path").contains("maven-resolver")') == "[false, false]"


def test_maven_without_arguments_shows_the_settings_and_repositories(kc, maven_home):
    out = printed(kc, "%maven")
    assert f"Maven settings {maven_home / 'settings.xml'}, local repository {maven_home / 'repository'}" in out, out
    assert "Repositories: central https://repo.maven.apache.org/maven2/" in out, out


@pytest.mark.watchdog(60)
def test_another_version_of_a_kernel_jar_is_loaded_and_named(kc, maven_home):
    out = printed(kc, "%maven com.google.code.gson:gson:2.10.1", timeout=50)
    assert "com.google.code.gson:gson 2.10.1  downloaded" in out, out
    assert "Note: com.google.code.gson:gson:2.10.1 (gson-2.10.1.jar): the kernel has version 2.11.0 (gson-2.11.0.jar)" \
        in out, out
    # Workers load jars from their host's jar cache, where a jar is named by its SHA-256.
    jar = maven_home / "repository/com/google/code/gson/gson/2.10.1/gson-2.10.1.jar"
    digest = hashlib.sha256(jar.read_bytes()).hexdigest()
    assert value(kc, "%%parallel\ncom.google.gson.Gson.class.getProtectionDomain().getCodeSource().getLocation()"
                     f".getPath().endsWith(\"{digest}.jar\")") == "[true, true]"


def test_a_malformed_coordinate(kc):
    reply, _ = run(kc, "%maven org.apache.commons:commons-math3")
    failed_on_one_line(reply, "BadCoordinateException", "'org.apache.commons:commons-math3'",
                       "groupId:artifactId:version")
    still_works(kc)


@pytest.mark.watchdog(60)
def test_an_unknown_artifact(kc):
    reply, _ = run(kc, "%maven org.jparallel.no-such-group:no-such-artifact:1.0", timeout=50)
    failed_on_one_line(reply, "UnknownArtifactException", "org.jparallel.no-such-group:no-such-artifact",
                       "was not found in central")
    still_works(kc)


@pytest.mark.watchdog(60)
def test_an_unreachable_repository_names_its_url(kc):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/maven2/"
    assert f"dead {url}" in printed(kc, f"%mavenRepo dead {url}")
    try:
        reply, _ = run(kc, "%maven org.jparallel.no-such-group:no-such-artifact:1.0", timeout=50)
        failed_on_one_line(reply, "RepositoryUnreachableException", f"cannot reach repository dead at {url}")
    finally:
        ok(run(kc, "%mavenRepo --remove dead")[0])
    still_works(kc)


@pytest.mark.watchdog(60)
def test_a_second_version_of_a_loaded_library_names_both_jars(kc):
    ok(run(kc, "%maven " + MATH, timeout=50)[0])
    reply, _ = run(kc, "%maven org.apache.commons:commons-math3:3.5", timeout=50)
    failed_on_one_line(reply, "LibraryConflictException", "commons-math3-3.5.jar", "commons-math3-3.6.1.jar",
                       "cannot unload")
    assert value(kc, "%%parallel\norg.apache.commons.math3.util.ArithmeticUtils.gcd(12, 18)") == "[6, 6]"
    still_works(kc)


def test_a_missing_pom_file_or_a_broken_pom_cell(kc, tmp_path):
    reply, _ = run(kc, f"%loadFromPOM {tmp_path}/missing/pom.xml")
    failed_on_one_line(reply, "PomException", f"no POM file {tmp_path}/missing/pom.xml")
    reply, _ = run(kc, "%%loadFromPOM\n<dependencies>\n  <dependency>\n    <groupId>org.apache.commons</groupId>")
    failed_on_one_line(reply, "PomException", "cannot read the cell's POM: ")
    still_works(kc)


@pytest.mark.watchdog(60)
def test_load_from_pom_file_and_cell(kc, tmp_path):
    ok(run(kc, "%maven " + MATH, timeout=50)[0])
    pom = tmp_path / "pom.xml"
    pom.write_text("<project><modelVersion>4.0.0</modelVersion><groupId>n</groupId><artifactId>b</artifactId>"
                   "<version>1</version><properties><m>3.6.1</m></properties><dependencies><dependency>"
                   "<groupId>org.apache.commons</groupId><artifactId>commons-math3</artifactId><version>${m}</version>"
                   "</dependency></dependencies></project>")
    assert "commons-math3 3.6.1  already loaded" in printed(kc, f"%loadFromPOM {pom}", timeout=50)
    assert "commons-math3 3.6.1  already loaded" in printed(
        kc, "%%loadFromPOM\n<dependencies>\n  <dependency>\n    <groupId>org.apache.commons</groupId>\n"
            "    <artifactId>commons-math3</artifactId>\n    <version>3.6.1</version>\n  </dependency>\n"
            "</dependencies>", timeout=50)


@pytest.mark.watchdog(90)
def test_a_terminal_sees_the_progress_as_a_line_on_stderr(maven_home):
    terminal = kernel_with(settings_file(maven_home, offline=False), "terminal")
    try:
        terminal.is_complete("1 +")  # what jupyter console sends: the kernel takes the session for a terminal
        terminal.get_shell_msg(timeout=10)
        reply, msgs = run(terminal, "%maven org.apache.commons:commons-lang3:3.17.0", timeout=60)
        ok(reply)
        err = stdout_text(msgs, "stderr")
        assert err.startswith("\rDownloading ") and "commons-lang3-3.17.0" in err, err
        assert err.rstrip().rsplit("\r", 1)[-1].startswith("Downloaded "), err
        assert not [m for m in msgs if m[0] in ("display_data", "update_display_data")], msgs
    finally:
        stop_kernel(terminal)


@pytest.mark.watchdog(90)
def test_an_offline_kernel_finds_the_library_in_the_local_repository(kc, maven_home):
    ok(run(kc, "%maven " + MATH, timeout=50)[0])  # in the local repository now, whatever ran before
    offline = kernel_with(settings_file(maven_home, offline=True), "offline")
    try:
        assert "org.apache.commons:commons-math3 3.6.1  from the local repository" in printed(offline, "%maven " + MATH)
        assert value(offline, "org.apache.commons.math3.util.ArithmeticUtils.gcd(12, 18)") == "6"
        reply, _ = run(offline, "%maven org.apache.commons:commons-collections4:4.4")
        failed_on_one_line(reply, "UnknownArtifactException", "commons-collections4", "offline")
    finally:
        stop_kernel(offline)
