// A %%parallel --map cell in Chromium on Jupyter Notebook: the progress display advances in the page and
// ends at total/total, %pool timeline then shows the run's Gantt chart as SVG with its bars laid out, with no
// error output; then everything the test started is gone.
//
// Debian's Chromium (/usr/bin/chromium) through playwright-core: no browser is downloaded. The jparallel
// kernelspec must be in JUPYTER_DATA_DIR (install/test.sh installs a throwaway copy). Run:
//   cd test/browser && node --test --test-reporter=tap parallel_map.test.mjs

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';

import { errorOutputs, finished, kernelDisplayName, lastCell, newNotebook, resultText, typeAndRun }
    from './classic_notebook.mjs';
import { startNotebookServer } from './notebook_server.mjs';
import { killMarked, markedProcesses, newMark, waitUnmarked } from './processes.mjs';
import { progressFrames, recordProgress, waitForProgress } from './progress_frames.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
const KERNEL = 'jparallel';
const ELEMENTS = 40; // of 100 ms each: about 2 s on 2 workers, long enough for the display to advance
const RUN_LIMIT = 120; // seconds for the map cell, the pool's start included
const SHM = '/dev/shm';

const mark = newMark();
let server;
let browser;
let page;
const pageErrors = []; // uncaught exceptions in the notebook's pages
const started = []; // every marked process seen while the test ran: checked for /dev/shm segments after
let stoppedCleanly = false;

// killed from outside (install/test.sh's time limit): take the server, kernel, workers and Chromium along
for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
        killMarked(mark);
        server?.removeDirs();
        process.exit(signal === 'SIGINT' ? 130 : 143);
    });
}

/**
 * Closes Chromium, stops the server (which shuts the kernel down) and waits for every marked process to end;
 * kills what is left. Returns what went wrong: [] when everything ended in time.
 */
async function stopAll() {
    started.push(...markedProcesses(mark));
    const problems = [];
    try {
        if (browser) {
            const closing = browser;
            browser = undefined;
            let timer;
            const closed = await Promise.race([closing.close().then(() => true, (e) => `${e}`),
                new Promise((resolve) => { timer = setTimeout(() => resolve('not within 20 s'), 20_000); })]);
            clearTimeout(timer);
            if (closed !== true) {
                problems.push(`Chromium did not close: ${closed}`);
            }
        }
        if (server) {
            const stopping = server;
            server = undefined;
            if (await stopping.stop(30) === 'killed') {
                problems.push('the notebook server did not end within 30 s of SIGTERM');
            }
        }
        const left = await waitUnmarked(mark, 30);
        if (left.length > 0) {
            problems.push(`still alive 30 s after Chromium closed and the server stopped: ${JSON.stringify(left)}`);
        }
    } finally {
        killMarked(mark);
    }
    return problems;
}

/** Runs `code` in a new cell, waits until it has run, returns the cell. */
async function run(code, seconds) {
    const cell = await lastCell(page);
    await typeAndRun(page, cell, code);
    await finished(cell, seconds);
    return cell;
}

describe('a %%parallel --map cell in Chromium on Jupyter Notebook', { timeout: 600_000 }, () => {
    before(async () => {
        assert.ok(process.env.JUPYTER_DATA_DIR, 'JUPYTER_DATA_DIR is not set: point it at the Jupyter data dir that '
            + 'holds the jparallel kernelspec (install/test.sh installs a throwaway one)');
        server = await startNotebookServer({ env: { [mark.name]: mark.value } });
        const specs = await server.api('/api/kernelspecs');
        assert.ok(KERNEL in specs.kernelspecs,
            `no kernelspec ${KERNEL} in ${process.env.JUPYTER_DATA_DIR ?? 'the Jupyter data dirs'}: `
            + `the server has ${Object.keys(specs.kernelspecs).join(', ')}`);
        browser = await chromium.launch({
            executablePath: CHROMIUM, args: CHROMIUM_FLAGS, env: { ...process.env, [mark.name]: mark.value },
            timeout: 60_000,
        });
    });

    after(async () => {
        if (stoppedCleanly) {
            return;
        }
        const log = server?.logTail();
        const problems = await stopAll();
        if (log) {
            process.stderr.write(`--- the notebook server's last lines:\n${log}\n`);
        }
        assert.deepEqual(problems, []);
    });

    it('opens a new notebook on the jparallel kernel', { timeout: 120_000 }, async () => {
        const context = await browser.newContext();
        context.on('page', (opened) => opened.on('pageerror', (error) => pageErrors.push(`${opened.url()}: ${error}`)));
        page = await newNotebook(context, server, KERNEL);
        assert.equal(await kernelDisplayName(page), 'Java (jparallel)');
    });

    it(`shows the progress of ${ELEMENTS} elements advancing, then ${ELEMENTS}/${ELEMENTS}`, { timeout: 300_000 }, async (t) => {
        await run(`List<Integer> xs = IntStream.range(0, ${ELEMENTS}).boxed().toList();`, 60);
        const cell = await lastCell(page);
        await recordProgress(cell);
        await typeAndRun(page, cell, '%%parallel --map x:xs --out squares\nThread.sleep(100);\nx * x');
        let notReached;
        await waitForProgress(page, cell, `${ELEMENTS}/${ELEMENTS}`, RUN_LIMIT).catch((e) => { notReached = e; });
        const frames = await progressFrames(cell);
        const seen = frames.map((f) => f.value).join(' ');
        t.diagnostic(`progress frames seen: ${seen}`);
        if (notReached) {
            throw new Error(`the display did not show ${ELEMENTS}/${ELEMENTS} within ${RUN_LIMIT} s; it showed: ${seen}; `
                + `the notebook server's last lines:\n${server.logTail(20)}`, { cause: notReached });
        }
        await finished(cell, 30);

        assert.ok(frames.every((f) => f.shown === 1), `the cell held more than one progress display: ${seen}`);
        assert.ok(frames.every((f) => f.total === ELEMENTS), `not ${ELEMENTS} as the total in every frame: ${seen}`);
        for (let i = 1; i < frames.length; i++) {
            assert.ok(frames[i].done >= frames[i - 1].done, `the done count went back: ${seen}`);
        }
        const between = new Set(frames.map((f) => f.done).filter((done) => done > 0 && done < ELEMENTS));
        assert.ok(between.size >= 2, `the display showed ${between.size} count(s) between 0 and ${ELEMENTS}, `
            + `not at least 2 (a display that does not advance): ${seen}`);
        const display = cell.locator('.jparallel-progress[data-done]');
        assert.ok(await display.isVisible(), 'the final progress display is not visible');
        assert.match(await display.innerText(), new RegExp(`\\b${ELEMENTS}/${ELEMENTS}\\b`));

        const sum = await run('squares.stream().mapToInt(Integer::intValue).sum()', 30);
        assert.equal(await resultText(sum), String((ELEMENTS - 1) * ELEMENTS * (2 * ELEMENTS - 1) / 6));
    });

    it('shows the run\'s timeline as an SVG Gantt chart: a row per worker, bars visible in the page', { timeout: 120_000 }, async () => {
        const cell = await run('%pool timeline', 60);
        const chart = cell.locator('.output_area svg.jparallel-timeline');
        assert.equal(await chart.count(), 1, 'the cell shows one timeline chart (text/html holding the SVG inline)');
        assert.ok(await chart.isVisible(), 'the timeline chart is not visible');
        const rows = await chart.locator('g.worker').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-pid')));
        assert.equal(rows.length, 2, `not a row per worker of the default pool: ${rows}`);
        assert.ok(rows.every((pid) => /^\d+$/.test(pid)), `rows without a PID: ${rows}`);
        // the bars as the browser laid them out: real boxes of their own, in the chart, each with its tooltip
        const bars = await chart.locator('rect.span').evaluateAll((rects) => rects.map((r) => {
            const box = r.getBoundingClientRect();
            return { cls: r.getAttribute('class'), width: box.width, height: box.height,
                title: r.querySelector('title')?.textContent ?? '' };
        }));
        assert.ok(bars.length >= 2, `fewer than two bars: ${JSON.stringify(bars)}`);
        assert.ok(bars.every((b) => b.cls === 'span done' && b.width >= 1 && b.height >= 10),
            `a bar that is not a visible "done" box: ${JSON.stringify(bars)}`);
        assert.ok(bars.every((b) => /^worker \d \(pid \d+\): .*elements?.*, done, /.test(b.title)),
            `a bar without its tooltip: ${JSON.stringify(bars.map((b) => b.title))}`);
        const box = await chart.boundingBox();
        assert.ok(box && box.width >= 600 && box.height >= 100, `the chart is laid out at ${JSON.stringify(box)}`);
        const labels = await chart.locator('text').evaluateAll((ts) => ts.map((t) => t.textContent)); // SVG: no innerText
        assert.ok(labels.some((t) => /^0(\.0+)? s$/.test(t)), `no time axis starting at 0 s: ${labels.join(' | ')}`);
    });

    it('shows no error output, and the page threw no exception', async () => {
        assert.deepEqual(await errorOutputs(page), []);
        assert.deepEqual(pageErrors, []);
    });

    it('leaves no process and no /dev/shm segment behind', { timeout: 120_000 }, async () => {
        const problems = await stopAll();
        stoppedCleanly = true;
        assert.deepEqual(problems, []);
        const pids = new Set(started.map((p) => String(p.pid)));
        const segments = existsSync(SHM)
            ? readdirSync(SHM).filter((name) => /^jparallel-shm-(\d+)-/.test(name) && pids.has(name.split('-')[2]))
            : [];
        assert.deepEqual(segments, [], `segments left in ${SHM}`);
        assert.ok(started.some((p) => /KernelMain/.test(p.cmd)), 'the kernel was never seen among the processes');
    });
});
