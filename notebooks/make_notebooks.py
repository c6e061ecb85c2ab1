#!/usr/bin/python3
"""Writes the generated notebooks: 01, 02 and 05 onward (00-tour is written by hand).

Run from the repository root with Debian's Python:

    /usr/bin/python3 notebooks/make_notebooks.py [NAME ...]

Without arguments it writes every notebook below; with names (such as 05-processes-and-threads)
only those. The notebooks are written without outputs; `install/run_notebooks.py --save` then runs
them and saves their outputs (see notebooks/README.md).

Each code cell may carry expectations that install/run_notebooks.py checks against the executed
notebook's outputs: "contains" (plain text), "matches" (a regular expression), "lacks" (text that
must not appear) and "raises" (the cell must fail). They are stored in the notebook's metadata
under jparallel.expect; "raises" is the cell tag raises-exception.
"""
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
CHECKS = ("contains", "matches", "lacks")

# Java that several notebooks declare: pure CPU work, and a stopwatch.
SPIN = r"""long spin(long n) {
    long x = 0;
    for (long i = 0; i < n; i++) {
        x += (i * i) % 7;
    }
    return x;
}
"""
SECONDS = r"""double seconds(Callable<?> work) throws Exception {
    long start = System.nanoTime();
    work.call();
    return (System.nanoTime() - start) / 1e9;
}
"""


def md(cid, text):
    """A markdown cell."""
    return new_markdown_cell(text.strip("\n"), id=cid)


def code(cid, src, raises=False, **expect):
    """A code cell; expect holds lists of texts under "contains", "matches" or "lacks"."""
    cell = new_code_cell(src.strip("\n"), id=cid)
    if raises:
        cell.metadata["tags"] = ["raises-exception"]
    unknown = set(expect) - set(CHECKS)
    if unknown:
        raise ValueError("cell %s: unknown expectation %s" % (cid, ", ".join(sorted(unknown))))
    cell.metadata["jparallel_expect"] = [{"cell": cid, kind: text} for kind in CHECKS for text in expect.get(kind, [])]
    return cell


def write(name, cells):
    """Writes notebooks/NAME.ipynb; expectations move from the cells to the notebook's metadata."""
    nb = new_notebook()
    expect = []
    for cell in cells:
        expect += cell.metadata.pop("jparallel_expect", [])
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "jparallel", "display_name": "Java (jparallel)", "language": "java"}
    nb.metadata["language_info"] = {"name": "java"}
    nb.metadata["jparallel"] = {"expect": expect}
    nbformat.write(nb, str(HERE / (name + ".ipynb")))



def pool_and_map():
    return [
        md("intro", r"""
# Pools and maps

A notebook has one JVM, the kernel's. `jparallel` gives it a **pool of worker JVMs**: separate processes, each with its own PID, that run your notebook's code in parallel — Python's `multiprocessing.Pool` and ipyparallel's `%%px`, for Java.

Everything you declare in the notebook (methods, records, classes, imports, jars) is usable on every worker, and the notebook variables a parallel cell reads are sent along.
"""),
        md("start-md", r"""
## Start a pool

The first parallel cell starts a pool with one worker per processor. `%pool start N` starts one of a chosen size; `%pool` shows each worker's PID, state, tasks, CPU time and memory.
"""),
        code("pool-start", r"%pool start 2",
             matches=[r"worker\s+PID\s+state", r"^1\s+\d+\s+idle"]),
        md("everywhere-md", r"""
## Run a cell on every worker

`%%parallel` runs the cell on each worker. Output is labelled with the worker and its PID, and the last expression's value comes back from each worker, in worker order.
"""),
        code("pids", r"""
%%parallel
System.out.println("hello from " + WorkerIdentity.current().name());
WorkerIdentity.current()
""",
             matches=[r"\[worker 0 · pid \d+\]\nhello from worker-0", r"WorkerIdentity\[index=1, name=worker-1, pid=\d+\]"]),
        md("map-md", r"""
## Map a function over data

`%%parallel --map x:xs` runs the body once per element of the notebook variable `xs` (a list, array, primitive array, `Stream` or `IntStream`), with the element bound to `x`. Results come back in input order; `--out NAME` keeps them as a notebook variable.
"""),
        code("square", r"""
int square(int x) {
    return x * x;
}
int[] xs = IntStream.range(0, 10).toArray();
"""),
        code("square-map", r"""
%%parallel --map x:xs --out squares
square(x)
""",
             contains=[r"[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]", r"10/10"]),
        code("squares-sum", r"squares.stream().mapToInt(Integer::intValue).sum()",
             matches=[r"^285$"]),
        md("api-md", r"""
## The same from Java: `WorkerPool`

The magics are a thin layer over a plain Java API in `org.jparallel.api` (imported into every notebook). A `WorkerPool` takes lambdas and method references — they may call notebook methods, and the notebook variables they read are sent with them.
"""),
        code("api-pool", r"""
var pool = WorkerPool.start(2);
pool.map(x -> square(x), List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9))
""",
             contains=[r"[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]"]),
        code("api-status", r"""
pool.awaitReady();
for (var w : pool.status()) {
    System.out.println("worker " + w.index() + " has pid " + w.pid() + " and is " + w.state());
}
""",
             matches=[r"worker 0 has pid \d+ and is idle", r"worker 1 has pid \d+ and is idle"]),
        md("apply-md", r"""
## `apply` and `applyAsync`

`apply` runs one call on a worker and waits for it. `applyAsync` returns at once with an `AsyncResult`: ask whether it is `ready()`, `get()` it (or `get(timeout)`), or attach callbacks.
"""),
        code("apply", r"pool.apply(x -> square(x), 7)",
             matches=[r"^49$"]),
        code("apply-async", r"""
var pending = pool.applyAsync(() -> {
    Thread.sleep(300);
    return square(12);
});
System.out.println("ready at once? " + pending.ready());
pending.get()
""",
             contains=[r"ready at once? false"],
             matches=[r"^144$"]),
        md("imap-md", r"""
## `imap` over a huge lazy input

`imap` reads its input only as results are consumed, with a bounded number of elements in flight, so the input may be endless. Closing the stream stops the remaining work.
"""),
        code("imap", r"""
Iterable<Long> naturals = () -> LongStream.iterate(1, n -> n + 1).boxed().iterator();
List<Long> firstSquares;
try (var results = pool.imap(n -> n * n, naturals)) {
    firstSquares = results.limit(5).toList();
}
firstSquares
""",
             contains=[r"[1, 4, 9, 16, 25]"]),
        md("chunks-md", r"""
## Chunk size

Each task a worker receives carries a *chunk* of elements. With chunk size 1 every element costs a message each way; the default (as in Python: length / (4 × workers)) sends a few large chunks. Same results, very different cost for tiny tasks:
"""),
        code("chunks", r"""
var many = IntStream.range(0, 20_000).boxed().toList();
long t0 = System.nanoTime();
var one = pool.map(x -> x + 1, many, 1);
long t1 = System.nanoTime();
var chunked = pool.map(x -> x + 1, many);
long t2 = System.nanoTime();
System.out.printf("chunk size 1: %d ms, default chunks: %d ms%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
one.equals(chunked)
""",
             matches=[r"chunk size 1: \d+ ms, default chunks: \d+ ms", r"^true$"]),
        md("process-md", r"""
## One job, one process: `WorkerProcess`

A pool serves many small tasks. For a few long-lived, distinct jobs, start one process per job — Python's `Process`. It has its own PID, what it prints appears in the cell, and its exit code says how it ended: 0 when the job returned, 1 when it threw.
"""),
        code("process", r"""
var job = WorkerProcess.builder(() -> {
    System.out.println("crunching in " + WorkerIdentity.current().name());
}).name("cruncher").start();
job.join();
System.out.println(job.name() + " (pid " + job.pid() + ") exited with " + job.exitCode().getAsInt());
""",
             matches=[r"\[cruncher · pid \d+\]\ncrunching in cruncher", r"cruncher \(pid \d+\) exited with 0"]),
        code("process-fails", r"""
var failing = WorkerProcess.start(() -> {
    throw new IllegalStateException("no input file");
});
failing.join();
failing.exitCode().getAsInt()
""",
             contains=[r"IllegalStateException: no input file"],
             matches=[r"^1$"]),
        code("close", r"""
pool.close();
%pool stop
""",
             contains=[r"no pool"]),
    ]


def what_crosses_the_boundary():
    return [
        md("intro", r"""
# What crosses the boundary

Workers are other JVMs: what a parallel cell reads from the notebook is **sent by value** — encoded, shipped over a loopback socket and rebuilt on the worker. Records, enums, collections, arrays, your own classes and serializable lambdas cross fine. Things that belong to *this* JVM — streams, sockets, threads, locks — cannot, and jparallel says so before anything runs, naming the variable and the field.
"""),
        code("start", r"%pool start 2",
             contains=[r"idle"]),
        md("records-md", r"## Records, collections and your classes travel by value"),
        code("records", r"""
record Point(int x, int y) {}
var points = List.of(new Point(1, 2), new Point(3, 4), new Point(5, 6));
"""),
        code("records-map", r"""
%%parallel --map p:points
new Point(p.y(), p.x())
""",
             contains=[r"[Point[x=2, y=1], Point[x=4, y=3], Point[x=6, y=5]]"]),
        md("lambda-md", r"""
## Lambdas that work

Python's `pickle` refuses lambdas. Here a lambda crosses when its type is serializable: declare it as `SerialFunction` (or any functional interface that extends `Serializable`).
"""),
        code("lambda", r"""
int offset = 100;
SerialFunction<Integer, Integer> shift = x -> x + offset;
var xs = List.of(1, 2, 3);
"""),
        code("lambda-map", r"""
%%parallel --map x:xs
shift.apply(x)
""",
             contains=[r"[101, 102, 103]"]),
        md("stream-md", r"""
## What cannot cross, and what to do instead

A `PrintStream` writes to this JVM's console. A record holding one cannot be sent; the error names the variable, the path to the field and its class:
"""),
        code("config", r"""
record Config(int workers, java.io.PrintStream log) {}
var cfg = new Config(4, System.out);
"""),
        code("config-fails", r"""
%%parallel
cfg.workers() * 2
""",
             raises=True,
             contains=[r"NotSendableException", r"cfg.log", r"java.io.PrintStream"]),
        md("config-fix-md", r"Send the data, not the stream: read what the workers need into a plain variable."),
        code("config-fix", r"int workers = cfg.workers();"),
        code("config-fixed", r"""
%%parallel
workers * 2
""",
             contains=[r"[8, 8]"]),
        md("plain-lambda-md", r"A lambda whose type is not serializable (a plain `Function`) cannot be sent either:"),
        code("plain-lambda", r"Function<Integer, Integer> twice = x -> 2 * x;"),
        code("plain-lambda-fails", r"""
%%parallel --map x:xs
twice.apply(x)
""",
             raises=True,
             contains=[r"NotSendableException", r"twice"]),
        md("result-md", r"""
## Results travel back the same way

A value that cannot be sent back fails that task, inline, with the worker and its PID; the pool carries on.
"""),
        code("result-fails", r"""
%%parallel
Thread.currentThread()
""",
             raises=True,
             matches=[r"worker \d \(pid \d+\)"],
             contains=[r"java.lang.Thread"]),
        md("errors-md", r"""
## Exceptions on a worker come back inline

The element, its index, the worker and its PID, and the stack trace in your cell's lines:
"""),
        code("errors", r"""
%%parallel --map x:xs
10 / (x - 2)
""",
             raises=True,
             contains=[r"element 1 (= 2)", r"ArithmeticException"]),
        code("still-fine", r"""
%%parallel --map x:xs
x * 10
""",
             contains=[r"[10, 20, 30]"]),
        code("stop", r"%pool stop",
             contains=[r"no pool"]),
    ]


def processes_and_threads():
    return [
        md("intro", r"""
# Processes and threads

In Python, the threads of one interpreter take turns: the global interpreter lock lets one of them
run Python code at a time, so CPU-heavy code needs processes to use more than one core. Java has no
such lock. The threads of one JVM run on all cores at once.

So why run work in other JVMs at all? Because a process is a wall. It has its own memory, so it
cannot change yours by mistake. If it crashes, runs out of memory or calls `System.exit`, only it
ends, and you get an exit code. Memory it leaks goes back to the system when it ends. This
notebook measures the first point and shows the others.
"""),
        md("threads-md", r"""
## Java threads run in parallel

`spin` is pure CPU work: no memory to speak of, no I/O. The cell times two calls of it, first one
after the other on one thread, then on two threads at the same time. Each variant runs three times
and keeps its best time, because other programs on the machine can only add time.

Other programs can also take the processors away altogether. So each of the two threads also
measures how much processor time it got (`ThreadMXBean.getCurrentThreadCpuTime`): on an idle
two-core machine, close to two processors' worth. When other programs keep the processors busy,
no speedup can show, and the cell says so.
"""),
        code("spin", SPIN + "\n" + SECONDS + r"""
long spinTimed(long n, AtomicLong cpuNanos) {       // spin, adding the processor time this thread got
    var clock = java.lang.management.ManagementFactory.getThreadMXBean();
    long before = clock.getCurrentThreadCpuTime();
    long x = spin(n);
    cpuNanos.addAndGet(clock.getCurrentThreadCpuTime() - before);
    return x;
}
"""),
        code("threads", r"""
long n = 100_000_000L;
var two = Executors.newFixedThreadPool(2);
double oneThread = Double.MAX_VALUE, twoThreads = Double.MAX_VALUE, processors = 0;
for (int round = 0; round < 3; round++) {
    oneThread = Math.min(oneThread, seconds(() -> spin(n) + spin(n)));
    var cpuNanos = new AtomicLong();
    double time = seconds(() -> {
        Future<Long> a = two.submit(() -> spinTimed(n, cpuNanos));
        Future<Long> b = two.submit(() -> spinTimed(n, cpuNanos));
        return a.get() + b.get();
    });
    if (time < twoThreads) {
        twoThreads = time;
        processors = cpuNanos.get() / 1e9 / time;     // processor-seconds the two threads got per second
    }
}
two.shutdown();
double speedup = oneThread / twoThreads;
System.out.println("processors: " + Runtime.getRuntime().availableProcessors());
System.out.println(String.format(Locale.ROOT, "one thread, both calls: %.2f s", oneThread));
System.out.println(String.format(Locale.ROOT, "two threads, one call each: %.2f s (%.2f times as fast)", twoThreads, speedup));
System.out.println(String.format(Locale.ROOT, "the two threads got %.2f processors' worth of time", processors));
System.out.println(speedup > 1.3 ? "the two threads ran in parallel: true"
        : "no speedup this time: other programs kept the processors busy; run the cell again when the machine is quieter");
""",
             matches=[r"one thread, both calls: [0-9.]+ s", r"two threads, one call each: [0-9.]+ s",
                      r"the two threads got [0-9.]+ processors' worth of time",
                      r"the two threads ran in parallel: true|no speedup this time"]),
        md("threads-after-md", r"""
On an idle machine with two cores the second time is close to half the first. A thread costs
microseconds to start and shares the notebook's memory, so nothing has to be copied: for CPU-bound
work in Java, threads are usually the first choice. The rest of this notebook is about what
processes give you on top.
"""),
        md("memory-md", r"""
## Separate memory

A thread sees the notebook's objects themselves. A process gets copies: the array `box` below is
sent to the process when it starts, and the process changes its copy.
"""),
        code("memory", r"""
int[] box = {0};
var thread = new Thread(() -> box[0]++);
thread.start();
thread.join();
System.out.println("after the thread: box[0] = " + box[0]);

var process = WorkerProcess.start(() -> {
    box[0]++;
    System.out.println("in the process: box[0] = " + box[0]);
});
process.join();
System.out.println("after the process: box[0] = " + box[0]);
""",
             contains=["after the thread: box[0] = 1", "in the process: box[0] = 2",
                       "after the process: box[0] = 1"]),
        md("memory-after-md", r"""
The flip side: a process cannot hand results back by changing your variables. It returns them (a
pool call's result) or writes them into shared memory (notebook 03).
"""),
        md("exit-md", r"""
## A crash stays in its process

A cell that calls `System.exit` ends the kernel itself, and with it every variable of the
notebook. In a process, it ends only that process, and its exit code tells you what happened:
"""),
        code("exit", r"""
var quitter = WorkerProcess.start(() -> System.exit(3));
quitter.join();
System.out.println("the process exited with code " + quitter.exitCode().getAsInt());
System.out.println("the notebook is still here, in pid " + ProcessHandle.current().pid());
""",
             contains=["the process exited with code 3"],
             matches=[r"the notebook is still here, in pid \d+"]),
        md("oom-md", r"""
The same for running out of memory. This process may use at most 64 MB of heap (`-Xmx64m`) and
keeps allocating until it cannot. The `OutOfMemoryError` ends that process; the notebook's heap is
untouched.
"""),
        code("oom", r"""
var hog = WorkerProcess.builder(() -> {
    var hoard = new ArrayList<long[]>();
    while (true) {
        hoard.add(new long[1_000_000]);
    }
}).name("hog").jvmOption("-Xmx64m").start();
hog.join();
System.out.println("exit code " + hog.exitCode().getAsInt() + ", because of "
                   + hog.failure().map(TaskFailure::exceptionClass).orElse("?"));
""",
             contains=["java.lang.OutOfMemoryError: Java heap space",
                       "exit code 1, because of java.lang.OutOfMemoryError"]),
        md("pool-death-md", r"""
## A pool survives a worker's death

When a pool worker dies in the middle of a task, the pool starts a new worker in its place and
tries the task once more on another worker, in case the first one was at fault. Here the task
itself is the problem, so it kills the second worker too, and the call fails with a report naming
the worker, its PID and how it ended:
"""),
        code("pool-death", r"""
var pool = WorkerPool.start(2).awaitReady();
var firstPids = pool.status().stream().map(WorkerStatus::pid).toList();
try {
    pool.apply(() -> {
        System.exit(7);
        return "never";
    });
} catch (WorkerException e) {
    System.out.println(e.getMessage());
}
""",
             matches=[r"worker \d \(pid \d+\).*exited with code 7"]),
        code("pool-after-death", r"""
var newPids = pool.awaitReady().status().stream().map(WorkerStatus::pid).toList();
System.out.println("new worker processes: " + Collections.disjoint(firstPids, newPids));
pool.map(x -> x * x, List.of(1, 2, 3))
""",
             contains=["new worker processes: true", "[1, 4, 9]"]),
        md("leak-md", r"""
## A leak ends with its process

Code that leaks memory, such as a cache that only grows, keeps it for as long as its process
lives. A pool can start a fresh worker after a number of tasks: `maxTasksPerWorker` (Python's
`maxtasksperchild`). Each task below adds 10 MB to a static list on its worker. Static fields
belong to one JVM, so each worker has its own `Cache`, and a fresh worker starts with an empty one.
"""),
        code("leak", r"""
class Cache {
    static final List<byte[]> KEPT = new ArrayList<>();
}

var pids = new LinkedHashSet<Long>();
try (var recycling = WorkerPool.builder().workers(1).maxTasksPerWorker(3).start()) {
    for (int task = 1; task <= 7; task++) {
        String report = recycling.apply(() -> {
            Cache.KEPT.add(new byte[10_000_000]);
            return ProcessHandle.current().pid() + " holds " + Cache.KEPT.size() * 10 + " MB";
        });
        System.out.println("task " + task + ": pid " + report);
        pids.add(Long.parseLong(report.split(" ")[0]));
    }
}
System.out.println("worker processes used: " + pids.size());
""",
             matches=[r"task 3: pid \d+ holds 30 MB", r"task 4: pid \d+ holds 10 MB"],
             contains=["worker processes used: 3"], lacks=["40 MB"]),
        md("native-md", r"""
## Native code

The same wall protects you from native code. A library called through JNI or the foreign function
API that crashes (a segmentation fault) takes its whole JVM down, and no `catch` can stop that. Run
it in a `WorkerProcess` or a pool and only that process ends; the pool replaces it, and the
notebook carries on.
"""),
        code("close", r"pool.close();"),
        md("summary", r"""
## In short

| | threads | processes |
|---|---|---|
| run CPU work on all cores | yes | yes |
| start in | microseconds | a fraction of a second (a JVM) |
| share the notebook's objects | yes: no copying, but races | no: values are copied both ways |
| survive `System.exit`, `OutOfMemoryError`, a native crash | no: the kernel goes | yes: only that process ends |
| give leaked memory back | no | yes, when the process ends |
"""),
    ]


def how_workers_start():
    return [
        md("intro", r"""
# How workers start, and what they see

Python starts a child process in one of three ways. *fork* clones the parent, memory and all.
*spawn* starts a fresh interpreter that imports your script again, which is why scripts need the
`if __name__ == "__main__":` guard: without it, the child would run the code that starts children.
*forkserver* forks from a small server process started early.

jparallel does none of these. Every worker is a fresh JVM that the kernel starts, and it never runs
your notebook's cells. It receives two things: the compiled classes of what the notebook declared
(methods, classes, records, imports, jars), and the values of the notebook variables that a parallel
cell reads. So no guard is needed, and nothing is cloned: no half-copied threads or locks, as fork
can leave behind. This notebook shows it by experiment.
"""),
        code("start", r"%pool start 2", contains=["idle"]),
        md("command-md", r"""
## A worker is a JVM started by the kernel

Each worker reports the command that started it, and its parent process:
"""),
        code("kernel-pid", r"""
long whoAmI() {
    long pid = ProcessHandle.current().pid();
    System.out.println("whoAmI() ran in pid " + pid);
    return pid;
}

long kernelPid = whoAmI();
""",
             matches=[r"whoAmI\(\) ran in pid \d+"]),
        code("command", r"""
%%parallel
var me = ProcessHandle.current();
var args = me.info().arguments().map(List::of).orElse(List.of());
var mainClass = args.stream().filter(a -> a.startsWith("org.jparallel")).findFirst().orElse("?");
"pid " + me.pid() + ", parent " + me.parent().map(ProcessHandle::pid).orElse(-1L)
    + ", kernelPid " + kernelPid + ", running " + mainClass
""",
             matches=[r"pid \d+, parent (\d+), kernelPid \1, running org\.jparallel\.internal\.worker\.WorkerMain"],
             lacks=["whoAmI() ran"]),
        md("command-after-md", r"""
The parent of each worker is the kernel. `kernelPid` arrived as a value: the worker did not run the
cell that computed it, so `whoAmI()` printed nothing on the workers. The method itself is there,
though. Calling it runs it on each worker:
"""),
        code("call-method", r"""
%%parallel
whoAmI()
""",
             matches=[r"\[worker 0 · pid (\d+)\]\nwhoAmI\(\) ran in pid \1"]),
        md("start-cost-md", r"""
## Starting a JVM costs more than starting a thread

A fresh JVM has to load and compile its classes. That is why a pool keeps its workers and hands
them task after task, and why a pool is started once per notebook, not once per cell:
"""),
        code("start-cost", r"""
long start = System.nanoTime();
for (int i = 0; i < 100; i++) {
    var t = new Thread(() -> {});
    t.start();
    t.join();
}
double threadMicros = (System.nanoTime() - start) / 1e3 / 100;

start = System.nanoTime();
var empty = WorkerProcess.start(() -> {});
empty.join();
double processMicros = (System.nanoTime() - start) / 1e3;

System.out.println(String.format(Locale.ROOT, "a thread: %.0f µs, a process: %.0f ms", threadMicros, processMicros / 1000));
System.out.println("a process costs more than 100 threads: " + (processMicros > 100 * threadMicros));
""",
             matches=[r"a thread: \d+ µs, a process: \d+ ms"],
             contains=["a process costs more than 100 threads: true"]),
        md("values-md", r"""
## Variables are sent each time they are read

A parallel cell gets a copy of each notebook variable it reads, made when the cell runs. What a
worker does to its copy stays on that worker:
"""),
        code("names", r"""var names = new ArrayList<String>(List.of("notebook"));"""),
        code("names-add", r"""
%%parallel
names.add(WorkerIdentity.current().name());
names
""",
             contains=["[[notebook, worker-0], [notebook, worker-1]]"]),
        code("names-after", r"names", contains=["[notebook]"]),
        md("values-fresh-md", r"""
The next cell that reads `names` gets a fresh copy of the notebook's list, with the change made in
the notebook since, and without what the workers added to their old copies:
"""),
        code("names-fresh", r"""
names.add("later");
names
""",
             contains=["[notebook, later]"]),
        code("names-fresh-read", r"""
%%parallel
names
""",
             contains=["[[notebook, later], [notebook, later]]"]),
        md("fork-md", r"""
With fork, a child sees the parent's memory as it was at the moment of the fork, and never again.
Here a worker sees the notebook's variables as they are each time it is sent a cell. Declarations
follow the same rule: redefine a method in the notebook and the next parallel cell runs the new one.
"""),
        code("redefine", r"""
long whoAmI() {
    return -ProcessHandle.current().pid();
}
"""),
        code("redefined", r"""
%%parallel
whoAmI() < 0
""",
             contains=["[true, true]"], lacks=["whoAmI() ran"]),
        md("local-md", r"""
## What a worker keeps

Variables declared in a `%%parallel` cell live on the workers, one set per worker, from cell to
cell, as an ipyparallel engine keeps its namespace. They are not sent anywhere:
"""),
        code("local", r"""
%%parallel
int runs = 0;
"""),
        code("local-inc", r"""
%%parallel
runs += 1;
runs
""",
             contains=["[1, 1]"]),
        code("local-inc-again", r"""
%%parallel
runs += 1;
runs
""",
             contains=["[2, 2]"]),
        md("summary", r"""
## In short

| Python | jparallel |
|---|---|
| fork: the child starts as a copy of the parent | no fork; a fresh JVM that the kernel starts |
| spawn: the child imports your script again; guard it with `if __name__ == "__main__":` | the worker never runs your cells; no guard |
| global variables: copied by fork, re-created by spawn | notebook variables: sent when a cell reads them, every time |
| functions: must be importable by the child | declarations: compiled once, loaded by every worker |
"""),
        code("stop", r"%pool stop", contains=["no pool"]),
    ]


def sizing_and_feeding():
    return [
        md("intro", r"""
# How many workers, and how to feed them

How big should a pool be, and which call should hand it the work? This notebook measures three
choices: the pool's size, `map` against `imap` on a large input, and `apply` against `applyAsync`.
"""),
        md("size-md", r"""
## One worker per processor

`WorkerPool.start()` with no size starts one worker per available processor, as Python's `Pool()`
does with `os.cpu_count()`. More workers than processors cannot do CPU work faster: they take turns
on the same processors, and each one is a JVM with its own memory and its own start-up work.

The cell below runs the same 16 CPU-bound tasks on a pool of the right size and on one four times
as large, and reads each pool's status at the end: the workers' CPU time (start-up included) and
their resident memory.
"""),
        code("spin", SPIN + r"""
int cores = Runtime.getRuntime().availableProcessors();
cores
""",
             matches=[r"^\d+$"]),
        code("trial", r"""
record Trial(int workers, double seconds, double cpuSeconds, long memoryMiB) {
    public String toString() {
        return String.format(Locale.ROOT, "%2d workers: %.2f s, %.1f s of CPU, %d MiB resident",
                             workers, seconds, cpuSeconds, memoryMiB);
    }
}

Trial trial(int workers) throws InterruptedException {
    try (var pool = WorkerPool.start(workers)) {
        pool.awaitReady();
        long start = System.nanoTime();
        pool.map(n -> spin(n), Collections.nCopies(16, 50_000_000L), 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        var rows = pool.status();
        return new Trial(workers, seconds,
                         rows.stream().mapToLong(w -> w.cpuTime().toMillis()).sum() / 1000.0,
                         rows.stream().mapToLong(WorkerStatus::rssBytes).sum() >> 20);
    }
}

var right = trial(cores);
var over = trial(4 * cores);
System.out.println(right);
System.out.println(over);
System.out.println(String.format(Locale.ROOT, "%d workers took %.2f times as long as %d",
                                 over.workers(), over.seconds() / right.seconds(), right.workers()));
System.out.println("more workers, more CPU time: " + (over.cpuSeconds() > right.cpuSeconds()));
System.out.println("more workers, more memory: " + (over.memoryMiB() > 2 * right.memoryMiB()));
""",
             matches=[r"\d+ workers: [0-9.]+ s, [0-9.]+ s of CPU, \d+ MiB resident",
                      r"\d+ workers took [0-9.]+ times as long as \d+"],
             contains=["more workers, more CPU time: true", "more workers, more memory: true"]),
        md("size-after-md", r"""
Four times the workers bought no speed. The extra workers had to share the same processors, and
each of them, a fresh JVM, had to start and then compile `spin` for itself before running it at
full speed: that shows in the CPU time. Each also holds its own memory. Size a pool for CPU work by
the processor count; a pool for waiting (on
disks, networks, other services) is another matter, and notebook 11 shows that threads do that
better.
"""),
        md("imap-md", r"""
## `map` against `imap` on a large input

`map` reads its whole input and sends it all before the first result comes back, then hands you
every result in one list. `imap` reads the input only as you consume results, with a bounded
number of elements in flight, so neither the input nor the results need to fit in memory at once.

`Tally` is an input of half a million numbers that counts how far reading runs ahead of the results
the notebook has taken.
"""),
        code("tally", r"""
class Tally implements Iterable<Integer> {
    final int size;
    int read, taken, mostAhead;

    Tally(int size) {
        this.size = size;
    }

    public Iterator<Integer> iterator() {
        return new Iterator<>() {
            public boolean hasNext() {
                return read < size;
            }

            public Integer next() {
                read++;
                mostAhead = Math.max(mostAhead, read - taken);
                return read;
            }
        };
    }
}

long heapInUse() {
    System.gc();
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
}

var pool = WorkerPool.start().awaitReady();
int size = 500_000;
"""),
        code("map-big", r"""
var eager = new Tally(size);
long before = heapInUse();
List<Long> squares = pool.map(x -> (long) x * x, eager);
eager.taken = size;
long mapSum = squares.stream().mapToLong(Long::longValue).sum();
System.out.println(String.format(Locale.ROOT, "map: read %d elements ahead of the results; the results take %d MiB",
                                 eager.mostAhead, (heapInUse() - before) >> 20));
""",
             matches=[r"map: read 500000 elements ahead of the results; the results take \d+ MiB"]),
        code("imap-big", r"""
squares = null;
var lazy = new Tally(size);
long imapSum;
try (var results = pool.imap(x -> (long) x * x, lazy)) {
    imapSum = results.mapToLong(square -> {
        lazy.taken++;
        return square;
    }).sum();
}
System.out.println("imap: read at most " + lazy.mostAhead + " elements ahead of the results");
System.out.println("imap read less than a tenth of the input ahead: " + (lazy.mostAhead < size / 10));
System.out.println("same sum: " + (mapSum == imapSum));
""",
             matches=[r"imap: read at most \d+ elements ahead of the results"],
             contains=["imap read less than a tenth of the input ahead: true", "same sum: true"]),
        md("imap-after-md", r"""
With a billion elements, `map` would need them all in memory, encoded, before any work began;
`imap` would run in the same memory as here. Use `imap` (or `imapUnordered`, which hands results
over as they finish) when the input is large or endless, or when you want the first results early;
`map` when the input fits comfortably and you want one list.
"""),
        md("apply-md", r"""
## `apply` against `applyAsync`

`apply` sends one call and waits for its result, so calls in a loop run one at a time, however many
workers the pool has. `applyAsync` returns at once with an `AsyncResult`; send all the calls first,
then collect the results, and they run side by side. Each call below waits 200 ms, as a call to a
slow service would:
"""),
        code("apply", r"""
long start = System.nanoTime();
for (int i = 0; i < 6; i++) {
    pool.apply(() -> {
        Thread.sleep(200);
        return "ok";
    });
}
double applySeconds = (System.nanoTime() - start) / 1e9;

start = System.nanoTime();
var pending = new ArrayList<AsyncResult<String>>();
for (int i = 0; i < 6; i++) {
    pending.add(pool.applyAsync(() -> {
        Thread.sleep(200);
        return "ok";
    }));
}
for (var result : pending) {
    result.get();
}
double asyncSeconds = (System.nanoTime() - start) / 1e9;

System.out.println(String.format(Locale.ROOT, "6 × apply: %.2f s, 6 × applyAsync: %.2f s", applySeconds, asyncSeconds));
System.out.println("applyAsync let the calls overlap: " + (asyncSeconds < 0.8 * applySeconds));
""",
             matches=[r"6 × apply: [0-9.]+ s, 6 × applyAsync: [0-9.]+ s"],
             contains=["applyAsync let the calls overlap: true"]),
        md("callback-md", r"""
Instead of waiting, you can attach a callback. It runs on a pool thread when the result arrives,
so keep it short:
"""),
        code("callback", r"""
var done = new CountDownLatch(1);
pool.applyAsync(() -> spin(10_000_000))
    .onSuccess(x -> {
        System.out.println("callback got " + x);
        done.countDown();
    });
done.await();
""",
             matches=[r"callback got \d+"]),
        code("close", r"pool.close();"),
    ]


def shared_state():
    return [
        md("intro", r"""
# Shared state: values, arrays, locks and atomics

Every worker is a process with its own memory. What a worker receives is a copy, and what it
changes in that copy stays on the worker. Shared memory is the exception: a `Shared` value or array
lives in a memory-mapped file under `/dev/shm` that every process maps, so all of them read and
write the same bytes. This is Python's `Value`, `Array` and `Lock`, with lock-free atomics on top.
"""),
        code("copies", r"""
var pool = WorkerPool.start(2);
int[] plain = new int[1];
var seen = pool.map(i -> {
    plain[0] += 1;            // changes the worker's copy
    return plain[0];
}, List.of(1, 2, 3, 4), 1);
System.out.println("what the workers saw: " + seen);
System.out.println("plain[0] in the notebook: " + plain[0]);
""",
             contains=["plain[0] in the notebook: 0"]),
        md("counter-md", r"""
## Ten processes, one counter

The classic exercise: ten processes each add 1 to a shared integer, many times. `Shared.intValue(0)`
is Python's `Value('i', 0)`. Its `get()` and `set()` each take the value's lock, as Python's
`.value` does, but `counter.set(counter.get() + 1)` is still two steps: another process can write
between them, and its update is lost.

The helper below starts the ten processes (`WorkerProcess`, Python's `Process`) and lines them up
at a `SharedBarrier`, so they all start counting at the same moment. They meet at the barrier again
when done, which is when the notebook stops its clock.
"""),
        code("race", r"""
int racers = 10, each = 100_000;
SharedInt counter = Shared.intValue(0);
SharedBarrier gate = Shared.barrier(racers + 1, Duration.ofSeconds(60));

long race(String how, SerialRunnable increment) throws InterruptedException {
    counter.set(0);
    List<WorkerProcess> processes = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
        processes.add(WorkerProcess.start(() -> {
            gate.await();                 // wait until all ten are up
            for (int k = 0; k < each; k++) {
                increment.run();
            }
            gate.await();                 // all done
        }));
    }
    gate.await();
    long start = System.nanoTime();
    gate.await();
    long ms = (System.nanoTime() - start) / 1_000_000;
    for (var p : processes) {
        p.join();
    }
    System.out.printf("%-8s total %,d of %,d in %d ms%n", how, counter.get(), racers * each, ms);
    return counter.get();
}
"""),
        code("no-lock", r"""
long unlocked = race("no lock", () -> counter.set(counter.get() + 1));
System.out.println("updates lost: " + (racers * each - unlocked) + ", some lost: " + (unlocked < racers * each));
""",
             matches=[r"no lock +total [\d,]+ of 1,000,000 in \d+ ms"], contains=["some lost: true"]),
        md("lock-md", r"""
## With the lock

Hold the value's lock around the read and the write, and no update is lost. `hold()` returns a
handle that releases the lock when the `try` block ends, however it ends: Python's `with
counter.get_lock():`. Inside it, `get()` and `set()` see that this thread holds the lock and do not
take it again.
"""),
        code("lock", r"""
race("lock", () -> {
    try (var held = counter.getLock().hold()) {
        counter.set(counter.get() + 1);
    }
}) == racers * each
""",
             matches=[r"lock +total 1,000,000 of 1,000,000 in \d+ ms", r"^true$"]),
        md("atomic-md", r"""
## Atomic

Python stops here. A jparallel value also has atomic updates: `incrementAndGet()`, `getAndAdd`,
`compareAndSet` and friends are single processor instructions on the shared memory, correct
without any lock and much cheaper than taking one. Use one style per value: atomics do not take
the lock, so do not mix them with read-modify-writes under the lock.
"""),
        code("atomic", r"""
race("atomic", () -> counter.incrementAndGet()) == racers * each
""",
             matches=[r"atomic +total 1,000,000 of 1,000,000 in \d+ ms", r"^true$"]),
        md("array-md", r"""
## A shared array

`Shared.rawArray('d', n)` is Python's `RawArray('d', n)`: doubles in shared memory, without a lock.
What a worker receives is a descriptor of a few dozen bytes, not two million numbers; it writes its
half of the array in place. Each worker writes its own range, so they need no lock. The notebook
then reads the workers' numbers where they are, without copying them. (Notebook 08 measures this
against sending the numbers back.)
"""),
        code("array-fill", r"""
int n = 2_000_000;
SharedDoubleArray roots = Shared.rawArray('d', n);
var writers = pool.map(half -> {
    int from = half * (n / 2);
    for (int i = from; i < from + n / 2; i++) {
        roots.set(i, Math.sqrt(i));
    }
    return WorkerIdentity.current().pid();
}, List.of(0, 1));
System.out.println("written by the workers with pids " + writers);
""",
             matches=[r"written by the workers with pids \[\d+, \d+\]"]),
        code("array-sum", r"""
double sum = 0;
for (int i = 0; i < n; i++) {
    sum += roots.get(i);          // reads the memory the workers wrote
}
double expected = 0;
for (int i = 0; i < n; i++) {
    expected += Math.sqrt(i);
}
System.out.printf(Locale.ROOT, "sum of the square roots: %.1f%n", sum);
sum == expected
""",
             matches=[r"sum of the square roots: 1885617375\.\d", r"^true$"]),
        md("more-md", r"""
## Semaphores, events, conditions and barriers

The rest of Python's synchronization primitives work across processes too, and are sent to workers
the same way: `Shared.semaphore(n)` and `Shared.boundedSemaphore(n)`, `Shared.event()`,
`Shared.condition(lock)` and `Shared.barrier(parties)` (used above as the starting line). Every wait
takes a timeout, and stopping the cell ends it. Here a semaphore with one permit lets one worker at
a time into a section, and shared counters check that no two were ever inside together:
"""),
        code("semaphore", r"""
SharedSemaphore oneAtATime = Shared.semaphore(1);
SharedInt inside = Shared.intValue(0);
SharedInt crowded = Shared.intValue(0);
var entries = pool.map(i -> {
    for (int k = 0; k < 500; k++) {
        try (var permit = oneAtATime.hold()) {
            if (inside.incrementAndGet() > 1) {
                crowded.incrementAndGet();    // someone else was inside too
            }
            inside.decrementAndGet();
        }
    }
    return 500;
}, List.of(1, 2, 3, 4), 1);
System.out.println("entries: " + entries.stream().mapToInt(Integer::intValue).sum() + ", times more than one worker was inside: " + crowded.get());
""",
             contains=["entries: 2000, times more than one worker was inside: 0"]),
        md("dies-md", r"""
A lock whose holder is stopped with `terminate()` is not held for ever, as Python's documentation
warns it would be: the next process to wait for it takes it over and is told (notebook 09).
"""),
        code("close", r"""
pool.close();
for (SharedObject o : List.of(counter, gate, roots, oneAtATime, inside, crowded)) {
    o.close();        // frees the memory; the kernel frees what is left when it shuts down
}
"""),
        md("summary", r"""
## In short

| Python | jparallel |
|---|---|
| `Value('i', 0)`, `v.value`, `v.value = x` | `Shared.intValue(0)`, `v.get()`, `v.set(x)` |
| `with v.get_lock(): v.value += 1` | `try (var held = v.getLock().hold()) { v.set(v.get() + 1); }` |
| — | `v.incrementAndGet()`, `v.getAndAdd(d)`, `v.compareAndSet(a, b)`: atomic, no lock |
| `Array('i', n)`, `RawArray('d', n)` | `Shared.intArray(n)`, `Shared.rawArray('d', n)` |
| `Lock()`, `RLock()`, `Semaphore(n)`, `Event()`, `Condition()`, `Barrier(n)` | `Shared.lock()`, `rlock()`, `semaphore(n)`, `event()`, `condition()`, `barrier(n)` |

- A plain variable sent to a worker is a copy; a shared object is the same memory everywhere.
- A read-modify-write of a shared value needs the lock around both steps, or an atomic update.
- Atomic updates beat the lock; a shared array beats sending data back.
"""),
    ]


def queues_pipes_managers():
    return [
        md("intro", r"""
# Queues, pipes and managers

Processes do not share memory, so they talk by sending messages. Python gives them a `Queue` (many
producers, many consumers), a `Pipe` (two ends) and a `Manager` (a server holding a dict or a list
that every process uses through a proxy). jparallel has all three. Queues and pipes are rings of
bytes in shared memory; what goes through them is encoded like every value a worker receives, so
the same things can be sent (notebook 02).
"""),
        md("queue-md", r"""
## A queue

The seeds' example: a child process puts a result on a queue, and the parent gets it.
`Shared.queue()` is Python's `Queue()`; the queue itself is sent to the child by reference.
"""),
        code("queue", r"""
SharedQueue<String> q = Shared.queue();
var child = WorkerProcess.start(() -> q.put("result from pid " + WorkerIdentity.current().pid()));
System.out.println(q.get());
child.join();
""",
             matches=[r"^result from pid \d+$"]),
        md("consumers-md", r"""
## Producer and consumers

A `SharedJoinableQueue` (Python's `JoinableQueue`) also counts the items still being worked on:
each consumer calls `taskDone()` after an item, and `join()` waits until every item put so far is
done. Two consumer processes share the work; a barrier holds the producer back until both are up,
and a stop value tells each consumer to return.
"""),
        code("consumers", r"""
SharedJoinableQueue<Integer> work = Shared.joinableQueue();
SharedQueue<String> results = Shared.queue();
int STOP = -1;
SharedBarrier ready = Shared.barrier(3, Duration.ofSeconds(60));
List<WorkerProcess> consumers = new ArrayList<>();
for (int c = 0; c < 2; c++) {
    consumers.add(WorkerProcess.start(() -> {
        ready.await();                  // both consumers are up
        while (true) {
            int n = work.get();
            if (n != STOP) {
                Thread.sleep(20);           // some work
                results.put(WorkerIdentity.current().name() + ": " + n + " squared is " + n * n);
            }
            work.taskDone();
            if (n == STOP) {
                return;
            }
        }
    }));
}
ready.await();
for (int n = 1; n <= 10; n++) {
    work.put(n);
}
work.join();
System.out.println("all 10 items are done; results waiting: " + results.size());
consumers.forEach(c -> work.put(STOP));
for (var c : consumers) {
    c.join();
}
List<String> lines = new ArrayList<>();
while (!results.isEmpty()) {
    lines.add(results.get());
}
lines.stream().sorted().forEach(System.out::println);
""",
             contains=["all 10 items are done; results waiting: 10", ": 10 squared is 100"]),
        md("unsendable-md", r"""
## What cannot be sent fails at `put`

An item that cannot cross to another process fails at `put`, in the cell that put it, with the same
`NotSendableException` as everywhere else, and nothing is enqueued. The queue stays usable:
"""),
        code("unsendable", r"""
SharedQueue<Object> anything = Shared.queue();
anything.put(Thread.currentThread());
""",
             raises=True, contains=["NotSendableException", "a thread runs only in the JVM that started it"]),
        code("still-usable", r"""
anything.put("still works");
anything.get()
""",
             contains=["still works"]),
        md("pipe-md", r"""
## A pipe

`Shared.pipe()` is Python's `Pipe()`: two connected ends, here `left` and `right`. What one end
sends, the other receives. Two processes play ping-pong:
"""),
        code("pipe", r"""
SharedPipe<String> pipe = Shared.pipe();
var left = pipe.first();
var right = pipe.second();
var pinger = WorkerProcess.builder(() -> {
    for (int i = 0; i < 3; i++) {
        left.send("ping " + i);
        System.out.println("got " + left.recv());
    }
    left.send("bye");
}).name("pinger").start();
var ponger = WorkerProcess.builder(() -> {
    for (String m = right.recv(); !m.equals("bye"); m = right.recv()) {
        right.send(m.replace("ping", "pong"));
    }
}).name("ponger").start();
pinger.join();
ponger.join();
""",
             matches=[r"\[pinger · pid \d+\]\ngot pong 0\ngot pong 1\ngot pong 2"]),
        md("speed-md", r"""
## Queue or pipe?

A queue takes any number of producers and consumers; a one-way pipe (`Shared.pipe(false)`) has one
sending end and one receiving end. Both move small messages between processes at hundreds of
thousands a second. Measured here, from a child process to the notebook:
"""),
        code("speed", r"""
int messages = 200_000;
double rate(String what, SerialRunnable produce, Callable<?> consumeOne) throws Exception {
    var producer = WorkerProcess.start(produce);
    consumeOne.call();                    // the first message: the producer is up
    long t0 = System.nanoTime();
    for (int i = 1; i < messages; i++) {
        consumeOne.call();
    }
    double perSecond = (messages - 1) / ((System.nanoTime() - t0) / 1e9);
    producer.join();
    System.out.printf(Locale.ROOT, "%-5s %,.0f messages/s%n", what, perSecond);
    return perSecond;
}
SharedQueue<Integer> fast = Shared.queue();
SharedPipe<Integer> oneWay = Shared.pipe(false);
var receiving = oneWay.first();
var sending = oneWay.second();
double queueRate = rate("queue", () -> { for (int i = 0; i < messages; i++) fast.put(i); }, () -> fast.get());
double pipeRate = rate("pipe", () -> { for (int i = 0; i < messages; i++) sending.send(i); }, () -> receiving.recv());
""",
             matches=[r"queue +[\d,]+ messages/s", r"pipe +[\d,]+ messages/s"]),
        md("manager-md", r"""
## A manager

A queue moves messages; a manager holds data that every process reads and changes in place. Python's
`Manager()` starts a server holding dicts, lists and namespaces, and hands out proxies to them.
`pool.manager()` is the pool's manager, started on first use and stopped with the pool
(`Manager.start()` makes one of its own). `dict()` is a `java.util.Map` whose every call is a
request to the server; `merge` and `compute` run on the server, so the count below loses no update
although both workers add to it at once.
"""),
        code("manager-dict", r"""
var pool = WorkerPool.start(2);
ManagedMap<String, Integer> squares = pool.manager().dict();
ManagedMap<String, Integer> tasksPerWorker = pool.manager().dict();
pool.map(i -> {
    squares.put("square of " + i, i * i);
    tasksPerWorker.merge("pid " + WorkerIdentity.current().pid(), 1, Integer::sum);   // runs on the server: atomic
    return i;
}, IntStream.range(0, 10).boxed().toList(), 1);
System.out.println(new TreeMap<>(squares));
System.out.println("tasks per worker: " + tasksPerWorker);
System.out.println("10 tasks counted: " + (tasksPerWorker.values().stream().mapToInt(Integer::intValue).sum() == 10));
""",
             contains=["{square of 0=0, square of 1=1, square of 2=4, square of 3=9, square of 4=16, square of 5=25,",
                       "10 tasks counted: true"]),
        md("manager-more-md", r"""
A list and a namespace work the same way: here the notebook sets a threshold in a namespace, and the
workers read it and log to a shared list.
"""),
        code("manager-list", r"""
ManagedList<String> log = pool.manager().list();
ManagedNamespace settings = pool.manager().namespace();
settings.set("threshold", 0.5);
pool.map(x -> {
    double threshold = settings.get("threshold");
    if (x > threshold) {
        log.add(x + " is above " + threshold + " (pid " + WorkerIdentity.current().pid() + ")");
    }
    return x;
}, List.of(0.1, 0.7, 0.4, 0.9));
log.stream().sorted().forEach(System.out::println);
""",
             matches=[r"^0\.7 is above 0\.5 \(pid \d+\)\n0\.9 is above 0\.5 \(pid \d+\)$"]),
        md("manager-stop-md", r"""
The manager lives in the kernel's JVM: it needs no code of its own on the workers, and it cannot be
left behind as an orphan. It stops with its pool, and its objects go with it; a proxy used after
that says so:
"""),
        code("manager-stopped", r"""
System.out.println(pool.manager());
pool.close();
squares.size()
""",
             raises=True, contains=["ManagerStoppedException", "start a new Manager"]),
        md("summary", r"""
## In short

| Python | jparallel |
|---|---|
| `Queue()`, `q.put(x)`, `q.get(timeout=1)` | `Shared.queue()`, `q.put(x)`, `q.get(Duration.ofSeconds(1))` |
| `JoinableQueue()`, `task_done()`, `join()` | `Shared.joinableQueue()`, `taskDone()`, `join()` |
| `a, b = Pipe()`, `send`, `recv`, `poll` | `var p = Shared.pipe()`, `p.first()`, `p.second()`: `send`, `recv`, `poll(Duration)` |
| `Manager().dict()`, `.list()`, `.Namespace()` | `pool.manager().dict()`, `.list()`, `.namespace()` (or `Manager.start()`) |

- Queues for many producers and consumers, pipes for two ends, a manager for shared data structures.
- What goes through any of them is sent by value, and fails at the call if it cannot be sent.
"""),
    ]


def results_and_shared_memory():
    return [
        md("intro", r"""
# Sending results back, or sharing memory

A worker cannot change the notebook's variables: its result is encoded, sent over a socket and
rebuilt in the notebook, like everything that crosses between processes (notebook 02). For a small
result that costs nothing worth measuring. For a large one it can cost more than the work.

This notebook computes 48 MB of numbers on two workers, three ways: returning them, writing them
into a shared array, and returning only what the notebook needs.
"""),
        code("setup", r"""
var pool = WorkerPool.start(2).awaitReady();
int each = 3_000_000;
var parts = List.of(0, 1);

double[] slice(int part) {
    var xs = new double[each];
    for (int i = 0; i < each; i++) {
        xs[i] = Math.sqrt((double) part * each + i);
    }
    return xs;
}

""" + SECONDS + r"""
pool.map(part -> slice(part).length, parts)
""",
             contains=["[3000000, 3000000]"]),
        md("returned-md", r"""
## Return the arrays

Each worker returns its 24 MB slice; the notebook puts the two together.
"""),
        code("returned", r"""
double[] joined = new double[2 * each];
double returnSeconds = seconds(() -> {
    List<double[]> slices = pool.map(part -> slice(part), parts);
    for (int part = 0; part < 2; part++) {
        System.arraycopy(slices.get(part), 0, joined, part * each, each);
    }
    return null;
});
String.format(Locale.ROOT, "returned: %.3f s", returnSeconds)
""",
             matches=[r"returned: [0-9.]+ s"]),
        md("shared-md", r"""
## Write into a shared array

`Shared.rawArray('d', n)` is an array of doubles in shared memory (Python's `RawArray('d', n)`).
What crosses to a worker is a descriptor of a few dozen bytes, not the contents; the worker maps the
same memory and writes its slice in place. Each worker writes its own range, so no lock is needed:
"""),
        code("shared", r"""
SharedDoubleArray shared = Shared.rawArray('d', 2 * each);
double[] copied = new double[2 * each];
double sharedSeconds = seconds(() -> {
    pool.map(part -> {
        shared.copyFrom(slice(part), 0, part * each, each);
        return part;
    }, parts);
    shared.copyTo(copied);
    return null;
});
System.out.println(String.format(Locale.ROOT, "shared array: %.3f s, %.1f times as fast as returning",
                                 sharedSeconds, returnSeconds / sharedSeconds));
System.out.println("same numbers: " + Arrays.equals(joined, copied));
System.out.println("the shared array was faster: " + (sharedSeconds < returnSeconds));
""",
             matches=[r"shared array: [0-9.]+ s, [0-9.]+ times as fast as returning"],
             contains=["same numbers: true", "the shared array was faster: true"]),
        md("shared-after-md", r"""
Even the final copy into a plain Java array (`copyTo`) is a single memory copy. If the notebook
only reads the numbers, it can read them from the shared array directly, without that copy.
"""),
        md("sum-md", r"""
## Return only what you need

Often the notebook needs a summary, not the data. Then the cheapest result is the summary:
"""),
        code("sum", r"""
double[] total = new double[1];
double sumSeconds = seconds(() -> {
    total[0] = pool.map(part -> Arrays.stream(slice(part)).sum(), parts)
                   .stream().mapToDouble(Double::doubleValue).sum();
    return null;
});
System.out.println(String.format(Locale.ROOT, "only the sums: %.3f s", sumSeconds));
System.out.println("the same total: " + (Math.abs(total[0] - Arrays.stream(joined).sum()) < 1e-6 * total[0]));
System.out.println("faster than returning the arrays: " + (sumSeconds < returnSeconds));
""",
             matches=[r"only the sums: [0-9.]+ s"],
             contains=["the same total: true", "faster than returning the arrays: true"]),
        md("close-md", r"""
A shared array is owned by the process that made it: closing it there frees the memory (and the
kernel frees what is left when it shuts down).
"""),
        code("close", r"""
shared.close();
pool.close();
"""),
        md("summary", r"""
## In short

- Every result a worker returns is encoded, sent and rebuilt: its cost grows with its size.
- Return what you need (a sum, a count, the best candidate), not intermediate data.
- For large arrays that the notebook needs whole, let the workers write into a shared array.
  Shared values, arrays and locks, and the races they bring, are the subject of notebook 03.
"""),
    ]


def ending_processes():
    return [
        md("intro", r"""
# Ending processes: join, close, terminate, kill

A process that ends leaves its exit code with the operating system until its parent collects it;
until then it is a *zombie*, an entry in the process table and nothing else. A process whose parent
ended first is an *orphan*. Python's advice is to `join()` every process (or use a pool, which does)
and to avoid `terminate()` while a process holds a lock. This notebook shows how jparallel handles
each of these.
"""),
        code("helpers", r"""
String stateOf(long pid) {           // the state letter in /proc: R running, S sleeping, Z zombie
    try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch (IOException e) {
        return "gone";
    }
}

SharedInt ready = Shared.intValue(0);   // set by a process when it has got going (see notebook 03)

void awaitReady() {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (ready.get() == 0) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the process did not get going within a minute");
        }
        Thread.onSpinWait();
    }
    ready.set(0);
}
"""),
        md("join-md", r"""
## No zombies

The JVM collects the exit code of every process it started as soon as the process ends. `join()`
waits for that, and for the process's last output. Once it returns, the process is gone from the
process table:
"""),
        code("join", r"""
var quick = WorkerProcess.start(() -> System.out.println("working"));
quick.join();
System.out.println(quick + ", in /proc: " + stateOf(quick.pid()));
""",
             matches=[r"WorkerProcess\[process-\d+, pid (\d+), exit code 0\], in /proc: gone"]),
        md("meanwhile-md", r"""
## What the notebook does meanwhile

`start()` returns as soon as the process is launched; the notebook goes on with its own work while
the process runs. `join()` is where it waits, when it needs the process to have finished:
"""),
        code("meanwhile", r"""
var napper = WorkerProcess.builder(() -> {
    Thread.sleep(1000);
    System.out.println("napper: done");
}).name("napper").start();
System.out.println("started; alive: " + napper.isAlive());
long start = System.nanoTime();
napper.join();
System.out.println(String.format(Locale.ROOT, "join() waited %.1f s; alive: %b",
                                 (System.nanoTime() - start) / 1e9, napper.isAlive()));
""",
             contains=["started; alive: true"],
             matches=[r"napper: done\n[\s\S]*join\(\) waited [0-9.]+ s; alive: false"]),
        md("codes-md", r"""
## Exit codes

The exit code says how a process ended, with Python's numbers: 0 when its target returned, 1 when
it threw, `n` after `System.exit(n)`.
"""),
        code("codes", r"""
var returns = WorkerProcess.start(() -> {});
var throwsUp = WorkerProcess.start(() -> {
    throw new IllegalArgumentException("bad input");
});
var exits = WorkerProcess.start(() -> System.exit(4));
for (var p : List.of(returns, throwsUp, exits)) {
    p.join();
}
System.out.println("returned: " + returns.exitCode().getAsInt());
System.out.println("threw: " + throwsUp.exitCode().getAsInt() + " (" + throwsUp.failure().orElseThrow().message() + ")");
System.out.println("System.exit(4): " + exits.exitCode().getAsInt());
""",
             contains=["IllegalArgumentException: bad input", "returned: 0", "threw: 1 (bad input)",
                       "System.exit(4): 4"]),
        md("stop-md", r"""
## `terminate()` against `kill()`

`terminate()` sends SIGTERM: the JVM runs its shutdown hooks and exits, with code -15. `kill()` sends
SIGKILL: the process ends on the spot, nothing of it runs, and the code is -9. `close()`, as in
Python, is for a process that has ended; on a running one it fails. Each process below installs a
shutdown hook, says it is ready, and sleeps for a minute:
"""),
        code("sleeper", r"""
WorkerProcess sleeper(String name) throws InterruptedException {
    var p = WorkerProcess.builder(() -> {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook: cleaning up")));
        ready.set(1);
        Thread.sleep(60_000);
    }).name(name).start();
    awaitReady();
    return p;
}

var polite = sleeper("polite");
try {
    polite.close();
} catch (IllegalStateException e) {
    System.out.println("close(): " + e.getMessage());
}
polite.terminate();
polite.join();
System.out.println("polite: exit code " + polite.exitCode().getAsInt());
polite.close();
""",
             contains=["close(): process polite", "shutdown hook: cleaning up", "polite: exit code -15"]),
        code("kill", r"""
var blunt = sleeper("blunt");
blunt.kill();
blunt.join();
System.out.println("blunt: exit code " + blunt.exitCode().getAsInt());
blunt.close();
""",
             contains=["blunt: exit code -9"], lacks=["cleaning up"]),
        md("lock-md", r"""
## A lock held by a process that was stopped

Python's documentation warns that a process stopped with `terminate()` while it holds a lock leaves
the lock locked for good, and whoever waits for it next waits for ever. A jparallel `SharedLock`
knows which process holds it. A waiter that finds the holder dead takes the lock over and is told,
so it can check the data the lock protects, which the dead process may have left half-updated.
"""),
        code("lock", r"""
SharedLock lock = Shared.lock();
var holder = WorkerProcess.builder(() -> {
    lock.acquire();
    ready.set(1);
    Thread.sleep(60_000);       // stopped before it ever releases the lock
}).name("holder").start();
awaitReady();
holder.terminate();
holder.join();
System.out.println("holder: exit code " + holder.exitCode().getAsInt() + ", lock still locked: " + lock.isLocked());

try (var held = lock.hold()) {
    System.out.println("got the lock; its owner died: " + held.ownerDied()
                       + ", and it was the holder: " + (lock.deadOwnerPid() == holder.pid()));
}
System.out.println("locked after release: " + lock.isLocked());
""",
             contains=["holder: exit code -15, lock still locked: true",
                       "got the lock; its owner died: true, and it was the holder: true",
                       "locked after release: false"]),
        md("pool-md", r"""
## Pools: `close()`, `terminate()`, `join()`

`close()` waits for the calls in progress, then stops every worker; `terminate()` stops them at
once; `join()` waits until every worker process has exited. Either way the pool collects every
worker's exit code, so no zombie and no orphan is left:
"""),
        code("pool", r"""
var pool = WorkerPool.start(2).awaitReady();
var pids = pool.status().stream().map(WorkerStatus::pid).toList();
pool.close();
pool.join();
pids.stream().map(pid -> pid + ": " + stateOf(pid)).toList()
""",
             matches=[r"^\[\d+: gone, \d+: gone\]$"]),
        md("orphans-md", r"""
And if the kernel itself dies, say killed by the operating system? Every worker and every
`WorkerProcess` reads a pipe from the kernel, which the operating system closes when the kernel
ends, however it ends. The worker sees the end of that pipe and exits at once, so no orphan is
left running. When the kernel shuts down normally, or restarts, it stops its processes itself:
SIGTERM, then SIGKILL for any still running two seconds later.
"""),
        code("close", r"""
lock.close();
ready.close();
"""),
        md("summary", r"""
## In short

| Python | jparallel |
|---|---|
| `join()` every process, or it stays a zombie | `join()` to wait; the JVM collects exit codes by itself |
| `p.close()` releases the process's resources | they are released when it ends; `close()` marks the object done and fails while it runs |
| `terminate()`: SIGTERM, exit code -15 | the same; shutdown hooks run |
| `kill()`: SIGKILL, exit code -9 | the same |
| a lock held by a terminated process stays locked | the next waiter takes it over and is told (`ownerDied()`) |
| a pool's `close()`, `terminate()`, `join()` | the same, and no worker outlives its pool or its kernel |
"""),
    ]


def interrupting():
    return [
        md("intro", r"""
# Stopping a long parallel run

You started a parallel run that takes far longer than you thought. What now?

**Press the stop button** (■ in the toolbar, or `I`, `I` in command mode). The kernel receives an
interrupt request and stops the run on every worker: no
more elements are sent, and the running ones are stopped at their next loop iteration or method
call, or woken from a sleep or a wait. A worker that has not stopped within a grace period is
killed and replaced. The cell then fails with `CancellationException: interrupted: N element(s)
had finished`, and its progress display keeps the final count. The pool stays as it was, ready for
the next cell.

In Python, `Ctrl+C` during `Pool.map` is known to leave workers hanging; the usual advice is to make
workers ignore the signal (an initializer) and to call `pool.terminate()` and `pool.join()` in an
`except KeyboardInterrupt:` block. None of that is needed here: workers never get the signal, the
kernel tells them to stop over its own connection to them.

In `jupyter console`, `Ctrl+C` does not stop a running cell (a bug of the console,
jupyter/jupyter_console#296, which Python's own kernel meets too). There, give a run that may take
long a `--timeout`.

A notebook run by a program cannot press the button either, but `--timeout` stops a run through the
same path, so this notebook uses it.
"""),
        code("start", r"%pool start 2", contains=["idle"]),
        code("setup", SPIN + r"""
var inputs = IntStream.range(0, 200).toArray();
"""),
        code("pids-before", r"""
%%parallel --out pidsBefore
ProcessHandle.current().pid()
"""),
        md("timeout-md", r"""
## A run that stops itself

Each of the 200 elements takes a fraction of a second of CPU; all of them would take about a minute.
`--timeout 2` stops the run after two seconds, as the stop button would:
"""),
        code("timeout", r"""
%%parallel --map x:inputs --timeout 2
spin(30_000_000L + x)
""",
             raises=True,
             matches=[r"CancellationException: timed out after 2\.0 s: \d+ element\(s\) had finished"]),
        md("after-md", r"""
The display counts the elements that were stopped or never started as failed. The same workers
are still there, idle, and the next run works:
"""),
        code("pids-after", r"""
%%parallel --out pidsAfter
ProcessHandle.current().pid()
"""),
        code("same-workers", r"""
System.out.println("the same worker processes: " + pidsBefore.equals(pidsAfter));
%pool
""",
             contains=["the same worker processes: true"],
             matches=[r"^1\s+\d+\s+idle"]),
        code("next-run", r"""
%%parallel --map x:inputs --out small
x % 10
""",
             contains=["200/200"]),
        md("api-md", r"""
## From Java code

A call on a `WorkerPool` stops the same way: the stop button interrupts the cell's thread, the call
stops its run on the workers and throws `CancellationException`. To give up after a while in your
own code, wait with a timeout. `AsyncResult.get(Duration)` throws `TimeoutException` when time runs
out; the run goes on until you stop it, so stop it: `terminate()` ends the workers at once, and
`join()` waits until they have exited.
"""),
        code("api", r"""
var pool = WorkerPool.start(2).awaitReady();
var workers = pool.status().stream().map(WorkerStatus::pid).toList();
var all = pool.mapAsync(x -> spin(30_000_000L + x), IntStream.range(0, 200).boxed().toList());
try {
    all.get(Duration.ofSeconds(1));
} catch (TimeoutException e) {
    System.out.println("not finished after 1 s: terminating the pool");
    pool.terminate();
    pool.join();
}
System.out.println("worker processes left: " + workers.stream().filter(pid -> ProcessHandle.of(pid).isPresent()).count());
""",
             contains=["not finished after 1 s: terminating the pool", "worker processes left: 0"]),
        md("summary", r"""
## In short

- Stop a long run with the stop button. The cell says how many elements had finished; the pool
  stays, with the same workers unless one would not stop.
- In code, bound the wait (`get(Duration)`, `waitFor(Duration)`, or `--timeout` on a parallel cell)
  and stop what you no longer need: `terminate()` and `join()`.
"""),
        code("stop", r"%pool stop", contains=["no pool"]),
    ]


def cpu_and_io():
    return [
        md("intro", r"""
# CPU-bound or I/O-bound: threads or processes?

Python's rule of thumb is processes for CPU-bound work (the interpreter lock keeps threads from
computing in parallel) and threads or asyncio for I/O-bound work (waiting on networks and disks).
In Java, threads compute in parallel too (notebook 05), so the question becomes: what do processes
add, and what do they cost? This notebook fetches pages from a slow web server, then does CPU work,
both ways.
"""),
        md("server-md", r"""
## A slow server

A small HTTP server inside the notebook answers every request after 100 ms, as a busy remote
service might. `fetch` reads one page. The `HttpClient` lives in a static field: each JVM (the
notebook and every worker) makes its own once and reuses it, since a client cannot be sent from one
process to another.
"""),
        code("imports", r"""
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
"""),
        code("server", r"""
var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
server.createContext("/", exchange -> {
    try {
        Thread.sleep(100);
    } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
    }
    byte[] page = ("page " + exchange.getRequestURI().getPath()).getBytes();
    exchange.sendResponseHeaders(200, page.length);
    try (var body = exchange.getResponseBody()) {
        body.write(page);
    }
});
server.setExecutor(Executors.newCachedThreadPool());
server.start();

class Http {
    static final HttpClient CLIENT = HttpClient.newHttpClient();
}

String fetch(String url) {
    try {
        var request = HttpRequest.newBuilder(URI.create(url)).build();
        return Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("could not fetch " + url, e);
    }
}

""" + SECONDS + r"""
var urls = IntStream.range(0, 20)
    .mapToObj(i -> "http://127.0.0.1:" + server.getAddress().getPort() + "/" + i)
    .toList();
fetch(urls.get(0))
""",
             contains=["page /0"]),
        md("io-md", r"""
## Waiting: threads win

Twenty pages, fetched one after the other, on one thread per page, and on a pool of two worker
processes. The pool's initializer (Python's `initializer=`) makes each worker fetch a page when it
starts, so that its `HttpClient` is ready, and the pool fetches every page once before it is timed. Each thread spends nearly all its time waiting, so twenty of them wait side by side.
Java 21 and later have *virtual threads*, so cheap that one per task is the normal way to wait on
thousands of things at once; on Java 17 the cell uses ordinary threads, which do as well for twenty.
"""),
        code("io", r"""
ExecutorService threadPerTask() {
    try {       // Java 21+: Executors.newVirtualThreadPerTaskExecutor()
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
        return Executors.newCachedThreadPool();
    }
}

double oneByOne = seconds(() -> urls.stream().map(url -> fetch(url)).toList());
double threads = seconds(() -> {
    var executor = threadPerTask();
    try {
        var pages = new ArrayList<Future<String>>();
        for (String url : urls) {
            pages.add(executor.submit(() -> fetch(url)));
        }
        for (var page : pages) {
            page.get();
        }
    } finally {
        executor.shutdown();
    }
    return null;
});
String firstUrl = urls.get(0);
var pool = WorkerPool.builder().workers(2).initializer(() -> fetch(firstUrl)).start().awaitReady();
pool.map(url -> fetch(url), urls);
double processes = seconds(() -> pool.map(url -> fetch(url), urls, 1));

System.out.println(String.format(Locale.ROOT, "one by one: %.2f s", oneByOne));
System.out.println(String.format(Locale.ROOT, "a thread per page: %.2f s", threads));
System.out.println(String.format(Locale.ROOT, "2 worker processes: %.2f s", processes));
System.out.println("threads beat the processes: " + (threads < processes / 2));
""",
             matches=[r"one by one: [0-9.]+ s", r"a thread per page: [0-9.]+ s", r"2 worker processes: [0-9.]+ s"],
             contains=["threads beat the processes: true"]),
        md("io-after-md", r"""
Two workers fetch two pages at a time. More workers would help, but each is a whole JVM that does
nothing but wait; a waiting thread costs a stack, and a waiting virtual thread hardly anything.
"""),
        md("cpu-md", r"""
## Computing: both scale

The same CPU-bound work, eight calls of `spin`, on one thread, on a thread pool with one thread per
processor, and on the worker pool. Each variant runs three times and keeps its best time:
"""),
        code("cpu", SPIN + r"""
var work = Collections.nCopies(8, 25_000_000L);
int cores = Runtime.getRuntime().availableProcessors();
var computing = Executors.newFixedThreadPool(cores);
double sequential = Double.MAX_VALUE, onThreads = Double.MAX_VALUE, onWorkers = Double.MAX_VALUE;
for (int round = 0; round < 3; round++) {
    sequential = Math.min(sequential, seconds(() -> work.stream().map(n -> spin(n)).toList()));
    onThreads = Math.min(onThreads, seconds(() -> {
        for (var result : computing.invokeAll(work.stream().map(n -> (Callable<Long>) () -> spin(n)).toList())) {
            result.get();
        }
        return null;
    }));
    onWorkers = Math.min(onWorkers, seconds(() -> pool.map(n -> spin(n), work, 1)));
}
computing.shutdown();
System.out.println(String.format(Locale.ROOT, "one thread: %.2f s, %d threads: %.2f s, %d workers: %.2f s",
                                 sequential, cores, onThreads, pool.size(), onWorkers));
""",
             matches=[r"one thread: [0-9.]+ s, \d+ threads: [0-9.]+ s, \d+ workers: [0-9.]+ s"]),
        md("cpu-after-md", r"""
Both use every core: on an idle machine with two cores, both take about half the time of one
thread. The workers pay for sending the calls and results, and for their own start-up (not counted
here: the pool was started above). On the other hand the kernel's JVM compiles with less
optimization than the workers' (it favours a quick start), so for a long computation like this
one the workers can come out ahead.
"""),
        code("close", r"""
pool.close();
server.stop(0);
"""),
        md("summary", r"""
## Which to use

| work | Python | Java with jparallel |
|---|---|---|
| waiting on networks, disks, services | threads or asyncio | threads; virtual threads on Java 21+ |
| computing, in plain Java code | processes | threads: no start-up, no copying |
| computing that must not take the notebook down (crashes, `System.exit`, running out of memory, native code) | processes | worker processes |
| code that leaks, or needs its own heap size or JVM options | processes | worker processes (`maxTasksPerWorker`, `jvmOption`) |
| many notebook cells' worth of state kept apart, as ipyparallel engines | processes | `%%parallel` workers |
"""),
    ]


NOTEBOOKS = {
    "01-pool-and-map": pool_and_map,
    "02-what-crosses-the-boundary": what_crosses_the_boundary,
    "03-shared-state": shared_state,
    "04-queues-pipes-managers": queues_pipes_managers,
    "05-processes-and-threads": processes_and_threads,
    "06-how-workers-start": how_workers_start,
    "07-pool-size-map-imap-apply": sizing_and_feeding,
    "08-results-and-shared-memory": results_and_shared_memory,
    "09-ending-processes": ending_processes,
    "10-stopping-a-run": interrupting,
    "11-cpu-and-io": cpu_and_io,
}


def main(names):
    unknown = [name for name in names if name not in NOTEBOOKS]
    if unknown:
        sys.exit("no such notebook: %s (known: %s)" % (", ".join(unknown), ", ".join(NOTEBOOKS)))
    for name in names or NOTEBOOKS:
        write(name, NOTEBOOKS[name]())
        print("wrote notebooks/%s.ipynb" % name)


if __name__ == "__main__":
    main(sys.argv[1:])
