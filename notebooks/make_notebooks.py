#!/usr/bin/python3
"""Writes notebooks/01-pool-and-map.ipynb and notebooks/02-what-crosses-the-boundary.ipynb.

Run from the repository root with Debian's Python: /usr/bin/python3 notebooks/make_notebooks.py
Each code cell may carry expectations ("contains", "matches" as regular expressions, "raises")
that install/run_notebooks.py checks against the executed notebook's outputs; they are stored in
the notebook's metadata under jparallel.expect.
"""
import nbformat
from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell

def build(path, title_cells):
    nb = new_notebook()
    expect = []
    for kind, cid, src, *rest in title_cells:
        if kind == "md":
            c = new_markdown_cell(src); c["id"] = cid
        else:
            c = new_code_cell(src); c["id"] = cid
            opts = rest[0] if rest else {}
            if opts.get("raises"):
                c["metadata"]["tags"] = ["raises-exception"]
            for k in ("contains", "matches"):
                for v in opts.get(k, []):
                    expect.append({"cell": cid, k: v})
        nb.cells.append(c)
    nb.metadata["kernelspec"] = {"name": "jparallel", "display_name": "Java (jparallel)", "language": "java"}
    nb.metadata["language_info"] = {"name": "java"}
    nb.metadata["jparallel"] = {"expect": expect}
    nbformat.write(nb, path)

build("notebooks/01-pool-and-map.ipynb", [
 ("md", "intro", "# Pools and maps\n\nA notebook has one JVM, the kernel's. `jparallel` gives it a **pool of worker JVMs**: separate processes, each with its own PID, that run your notebook's code in parallel — Python's `multiprocessing.Pool` and ipyparallel's `%%px`, for Java.\n\nEverything you declare in the notebook (methods, records, classes, imports, jars) is usable on every worker, and the notebook variables a parallel cell reads are sent along."),
 ("md", "start-md", "## Start a pool\n\nThe first parallel cell starts a pool with one worker per processor. `%pool start N` starts one of a chosen size; `%pool` shows each worker's PID, state, tasks, CPU time and memory."),
 ("code", "pool-start", "%pool start 2", {"matches": [r"worker\s+PID\s+state", r"^1\s+\d+\s+idle"]}),
 ("md", "everywhere-md", "## Run a cell on every worker\n\n`%%parallel` runs the cell on each worker. Output is labelled with the worker and its PID, and the last expression's value comes back from each worker, in worker order."),
 ("code", "pids", "%%parallel\nSystem.out.println(\"hello from \" + WorkerIdentity.current().name());\nWorkerIdentity.current()", {"matches": [r"\[worker 0 · pid \d+\]\nhello from worker-0", r"WorkerIdentity\[index=1, name=worker-1, pid=\d+\]"]}),
 ("md", "map-md", "## Map a function over data\n\n`%%parallel --map x:xs` runs the body once per element of the notebook variable `xs` (a list, array, primitive array, `Stream` or `IntStream`), with the element bound to `x`. Results come back in input order; `--out NAME` keeps them as a notebook variable."),
 ("code", "square", "int square(int x) {\n    return x * x;\n}\nint[] xs = IntStream.range(0, 10).toArray();"),
 ("code", "square-map", "%%parallel --map x:xs --out squares\nsquare(x)", {"contains": ["[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]", "10/10"]}),
 ("code", "squares-sum", "squares.stream().mapToInt(Integer::intValue).sum()", {"matches": [r"^285$"]}),
 ("md", "api-md", "## The same from Java: `WorkerPool`\n\nThe magics are a thin layer over a plain Java API in `org.jparallel.api` (imported into every notebook). A `WorkerPool` takes lambdas and method references — they may call notebook methods, and the notebook variables they read are sent with them."),
 ("code", "api-pool", "var pool = WorkerPool.start(2);\npool.map(x -> square(x), List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9))", {"contains": ["[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]"]}),
 ("code", "api-status", "pool.awaitReady();\nfor (var w : pool.status()) {\n    System.out.println(\"worker \" + w.index() + \" has pid \" + w.pid() + \" and is \" + w.state());\n}", {"matches": [r"worker 0 has pid \d+ and is idle", r"worker 1 has pid \d+ and is idle"]}),
 ("md", "apply-md", "## `apply` and `applyAsync`\n\n`apply` runs one call on a worker and waits for it. `applyAsync` returns at once with an `AsyncResult`: ask whether it is `ready()`, `get()` it (or `get(timeout)`), or attach callbacks."),
 ("code", "apply", "pool.apply(x -> square(x), 7)", {"matches": [r"^49$"]}),
 ("code", "apply-async", "var pending = pool.applyAsync(() -> {\n    Thread.sleep(300);\n    return square(12);\n});\nSystem.out.println(\"ready at once? \" + pending.ready());\npending.get()", {"contains": ["ready at once? false"], "matches": [r"^144$"]}),
 ("md", "imap-md", "## `imap` over a huge lazy input\n\n`imap` reads its input only as results are consumed, with a bounded number of elements in flight, so the input may be endless. Closing the stream stops the remaining work."),
 ("code", "imap", "Iterable<Long> naturals = () -> LongStream.iterate(1, n -> n + 1).boxed().iterator();\nList<Long> firstSquares;\ntry (var results = pool.imap(n -> n * n, naturals)) {\n    firstSquares = results.limit(5).toList();\n}\nfirstSquares", {"contains": ["[1, 4, 9, 16, 25]"]}),
 ("md", "chunks-md", "## Chunk size\n\nEach task a worker receives carries a *chunk* of elements. With chunk size 1 every element costs a message each way; the default (as in Python: length / (4 × workers)) sends a few large chunks. Same results, very different cost for tiny tasks:"),
 ("code", "chunks", "var many = IntStream.range(0, 20_000).boxed().toList();\nlong t0 = System.nanoTime();\nvar one = pool.map(x -> x + 1, many, 1);\nlong t1 = System.nanoTime();\nvar chunked = pool.map(x -> x + 1, many);\nlong t2 = System.nanoTime();\nSystem.out.printf(\"chunk size 1: %d ms, default chunks: %d ms%n\", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);\none.equals(chunked)", {"matches": [r"chunk size 1: \d+ ms, default chunks: \d+ ms", r"^true$"]}),
 ("md", "process-md", "## One job, one process: `WorkerProcess`\n\nA pool serves many small tasks. For a few long-lived, distinct jobs, start one process per job — Python's `Process`. It has its own PID, what it prints appears in the cell, and its exit code says how it ended: 0 when the job returned, 1 when it threw."),
 ("code", "process", "var job = WorkerProcess.builder(() -> {\n    System.out.println(\"crunching in \" + WorkerIdentity.current().name());\n}).name(\"cruncher\").start();\njob.join();\nSystem.out.println(job.name() + \" (pid \" + job.pid() + \") exited with \" + job.exitCode().getAsInt());", {"matches": [r"\[cruncher · pid \d+\]\ncrunching in cruncher", r"cruncher \(pid \d+\) exited with 0"]}),
 ("code", "process-fails", "var failing = WorkerProcess.start(() -> {\n    throw new IllegalStateException(\"no input file\");\n});\nfailing.join();\nfailing.exitCode().getAsInt()", {"contains": ["IllegalStateException: no input file"], "matches": [r"^1$"]}),
 ("code", "close", "pool.close();\n%pool stop", {"contains": ["no pool"]}),
])

build("notebooks/02-what-crosses-the-boundary.ipynb", [
 ("md", "intro", "# What crosses the boundary\n\nWorkers are other JVMs: what a parallel cell reads from the notebook is **sent by value** — encoded, shipped over a loopback socket and rebuilt on the worker. Records, enums, collections, arrays, your own classes and serializable lambdas cross fine. Things that belong to *this* JVM — streams, sockets, threads, locks — cannot, and jparallel says so before anything runs, naming the variable and the field."),
 ("code", "start", "%pool start 2", {"contains": ["idle"]}),
 ("md", "records-md", "## Records, collections and your classes travel by value"),
 ("code", "records", "record Point(int x, int y) {}\nvar points = List.of(new Point(1, 2), new Point(3, 4), new Point(5, 6));"),
 ("code", "records-map", "%%parallel --map p:points\nnew Point(p.y(), p.x())", {"contains": ["[Point[x=2, y=1], Point[x=4, y=3], Point[x=6, y=5]]"]}),
 ("md", "lambda-md", "## Lambdas that work\n\nPython's `pickle` refuses lambdas. Here a lambda crosses when its type is serializable: declare it as `SerialFunction` (or any functional interface that extends `Serializable`)."),
 ("code", "lambda", "int offset = 100;\nSerialFunction<Integer, Integer> shift = x -> x + offset;\nvar xs = List.of(1, 2, 3);", ),
 ("code", "lambda-map", "%%parallel --map x:xs\nshift.apply(x)", {"contains": ["[101, 102, 103]"]}),
 ("md", "stream-md", "## What cannot cross, and what to do instead\n\nA `PrintStream` writes to this JVM's console. A record holding one cannot be sent; the error names the variable, the path to the field and its class:"),
 ("code", "config", "record Config(int workers, java.io.PrintStream log) {}\nvar cfg = new Config(4, System.out);"),
 ("code", "config-fails", "%%parallel\ncfg.workers() * 2", {"raises": True, "contains": ["NotSendableException", "cfg.log", "java.io.PrintStream"]}),
 ("md", "config-fix-md", "Send the data, not the stream: read what the workers need into a plain variable."),
 ("code", "config-fix", "int workers = cfg.workers();"),
 ("code", "config-fixed", "%%parallel\nworkers * 2", {"contains": ["[8, 8]"]}),
 ("md", "plain-lambda-md", "A lambda whose type is not serializable (a plain `Function`) cannot be sent either:"),
 ("code", "plain-lambda", "Function<Integer, Integer> twice = x -> 2 * x;"),
 ("code", "plain-lambda-fails", "%%parallel --map x:xs\ntwice.apply(x)", {"raises": True, "contains": ["NotSendableException", "twice"]}),
 ("md", "result-md", "## Results travel back the same way\n\nA value that cannot be sent back fails that task, inline, with the worker and its PID; the pool carries on."),
 ("code", "result-fails", "%%parallel\nThread.currentThread()", {"raises": True, "matches": [r"worker \d \(pid \d+\)"], "contains": ["java.lang.Thread"]}),
 ("md", "errors-md", "## Exceptions on a worker come back inline\n\nThe element, its index, the worker and its PID, and the stack trace in your cell's lines:"),
 ("code", "errors", "%%parallel --map x:xs\n10 / (x - 2)", {"raises": True, "contains": ["element 1 (= 2)", "ArithmeticException"]}),
 ("code", "still-fine", "%%parallel --map x:xs\nx * 10", {"contains": ["[10, 20, 30]"]}),
 ("code", "stop", "%pool stop", {"contains": ["no pool"]}),
])
