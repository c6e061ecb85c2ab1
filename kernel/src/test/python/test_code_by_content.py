"""Code and jars travel by content: a jar added with %jars runs on workers whose host cache lacks it, after
its file is gone from the kernel's disk, and crosses once per host; a method redefined between two runs on
one pool runs its new body; a jar a worker cannot get is named at the cell with the reason, and once it can
be had again the same pool runs the cell.

Workers get a jar cache of their own (-Djparallel.jarCache): another host as far as jars go, so every jar
they use has to come over the wire from the kernel."""
import hashlib
import os
import shutil
import subprocess

import pytest

from conftest import WATCHDOG, jdk_tool, ok, result_text, run, stdout_text


def build_jar(root, package, cls, body):
    """A jar holding one class, built with the JDK's javac and jar."""
    src = root / "src" / package
    src.mkdir(parents=True)
    (src / f"{cls}.java").write_text(f"package {package};\npublic class {cls} {{ {body} }}\n")
    classes = root / "classes"
    subprocess.run([jdk_tool("javac"), "--release", "17", "-d", str(classes), str(src / f"{cls}.java")],
                   check=True, capture_output=True, timeout=120)
    jar = root / f"{cls.lower()}.jar"
    subprocess.run([jdk_tool("jar"), "--create", "--file", str(jar), "-C", str(classes), "."],
                   check=True, capture_output=True, timeout=120)
    return jar


def kernel_cache():
    """The kernel's jar cache: the tests' XDG_CACHE_HOME is the kernel's too."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "jparallel", "jars")


def start_pool(kc, name, cache):
    ok(run(kc, f'var {name} = WorkerPool.builder().workers(2).jvmOption("-Djparallel.jarCache={cache}").start();'
               f'\n{name}.awaitReady();', timeout=60)[0])


def test_a_jar_deleted_from_the_kernels_disk_runs_on_workers_and_crosses_once(kc, tmp_path):
    with WATCHDOG.guard(120, "building the jar"):
        jar = build_jar(tmp_path / "build", "bycontent", "Shout",
                        'public static String shout(String s) { return s.toUpperCase() + "!"; }\n'
                        "public static String from() { return Shout.class.getProtectionDomain()"
                        ".getCodeSource().getLocation().getPath(); }")
    sha256 = hashlib.sha256(jar.read_bytes()).hexdigest()
    ok(run(kc, f"%jars {jar}")[0])
    shutil.rmtree(tmp_path / "build")  # the jar, its classes and sources: gone from the kernel's disk

    reply, msgs = run(kc, 'bycontent.Shout.shout("kernel")')
    ok(reply)
    assert result_text(msgs) == "KERNEL!"

    cache = tmp_path / "worker-host-cache"
    start_pool(kc, "shouting", cache)
    try:
        # on every worker, so that both receive the code at once
        reply, msgs = run(kc, 'shouting.submitOnWorkers(() -> bycontent.Shout.shout("w" + WorkerIdentity.current()'
                              '.index()) + " " + bycontent.Shout.from(), java.util.List.of(), '
                              'org.jparallel.api.RunOptions.defaults()).get()', timeout=60)
        ok(reply)
        cached = str(cache / f"{sha256}.jar")
        assert result_text(msgs) == f'[W0! {cached}, W1! {cached}]'
        reply, msgs = run(kc, "shouting.status().stream().mapToInt(WorkerStatus::jarsFetched).sum()")
        ok(reply)
        assert result_text(msgs) == "1", "the jar crossed once for the two workers of one host"
    finally:
        ok(run(kc, "shouting.close();")[0])
    assert sorted(os.listdir(cache)) == [".lock", f"{sha256}.jar"], "no temporary file left"

    process_cache = tmp_path / "process-host-cache"  # a stand-alone process asks its own kernel-side wire
    reply, msgs = run(kc, 'var shouter = WorkerProcess.builder(() -> System.out.println(bycontent.Shout.shout("p") + " "'
                          f' + bycontent.Shout.from())).jvmOption("-Djparallel.jarCache={process_cache}").start();\n'
                          "shouter.join();\nshouter.exitCode().getAsInt()", timeout=60)
    ok(reply)
    assert result_text(msgs) == "0"
    assert f"P! {process_cache / (sha256 + '.jar')}" in stdout_text(msgs), msgs


def test_a_method_redefined_between_two_runs_on_one_pool_runs_its_new_body(kc):
    ok(run(kc, "int body(int x) { return x + 1; }\nvar same = WorkerPool.start(2);\nsame.awaitReady();",
           timeout=60)[0])
    try:
        reply, msgs = run(kc, "same.map(x -> body(x), java.util.List.of(1, 2, 3, 4), 1)", timeout=60)
        ok(reply)
        assert result_text(msgs) == "[2, 3, 4, 5]"
        ok(run(kc, "int body(int x) { return x * 100; }")[0])
        reply, msgs = run(kc, "same.map(x -> body(x), java.util.List.of(1, 2, 3, 4), 1)", timeout=60)
        ok(reply)
        assert result_text(msgs) == "[100, 200, 300, 400]", "a worker ran the old body"
    finally:
        ok(run(kc, "same.close();")[0])


def test_a_jar_a_worker_cannot_get_is_named_at_the_cell_and_the_pool_recovers(kc, tmp_path):
    with WATCHDOG.guard(120, "building the jar"):
        jar = build_jar(tmp_path / "build", "lostjar", "Lost", "public static int value() { return 41; }")
    sha256 = hashlib.sha256(jar.read_bytes()).hexdigest()
    ok(run(kc, f"%jars {jar}\nint lostValue() {{ return lostjar.Lost.value(); }}")[0])
    # the kernel's cached copy, which it compiles against and serves workers from: later cells compile without it
    # as long as they do not name its classes
    os.remove(os.path.join(kernel_cache(), f"{sha256}.jar"))

    start_pool(kc, "lacking", tmp_path / "worker-host-cache")
    try:
        reply, _ = run(kc, "lacking.map(x -> lostValue() + x, java.util.List.of(1))", timeout=60)
        assert reply["status"] == "error"
        shown = reply["evalue"] + "\n".join(reply["traceback"])
        assert f"could not get jar {jar} (SHA-256 {sha256[:12]}" in shown, shown
        assert "is gone (was its jar cache deleted?); add the jar again" in shown, shown

        ok(run(kc, f"%jars {jar}")[0])  # the same bytes: the kernel's copy is back
        reply, msgs = run(kc, "lacking.map(x -> lostValue() + x, java.util.List.of(1, 2), 1)", timeout=60)
        ok(reply)
        assert result_text(msgs) == "[42, 43]"
    finally:
        ok(run(kc, "lacking.close();")[0])
