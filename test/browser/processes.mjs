// The processes a browser test starts, found by a mark in their environment: the notebook server,
// the kernel it starts, the kernel's worker JVMs and Chromium inherit it, so a process left behind
// is found even after its parent is gone (orphans are reparented to init).

import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

const MARK_NAME = 'JPARALLEL_BROWSER_TEST';

/** A fresh mark for one test run: the environment entry to give every process it starts. */
export function newMark() {
    return { name: MARK_NAME, value: randomBytes(8).toString('hex') };
}

/**
 * The processes alive now whose environment holds the mark, and their descendants (Chromium's zygote starts
 * its children with an environment of its own): [{pid, cmd}]. Zombies count as gone.
 */
export function markedProcesses(mark) {
    const needle = Buffer.from(`\0${mark.name}=${mark.value}\0`);
    const all = new Map(); // pid -> {ppid, marked, cmd}
    for (const name of readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) {
            continue;
        }
        try {
            const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
            const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            if (state === 'Z') {
                continue;
            }
            // NUL-terminated entries; a NUL in front so that the first entry matches as well
            const environ = Buffer.concat([Buffer.from('\0'), readFileSync(`/proc/${name}/environ`)]);
            const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
            all.set(Number(name), { ppid: Number(ppid), marked: environ.indexOf(needle) >= 0, cmd });
        } catch {
            // the process ended while we looked, or is not ours to read
        }
    }
    const ours = (pid) => {
        for (let p = all.get(pid); p; p = all.get(p.ppid)) {
            if (p.marked) {
                return true;
            }
        }
        return false;
    };
    return [...all].filter(([pid]) => ours(pid)).map(([pid, p]) => ({ pid, cmd: p.cmd }));
}

/** SIGKILLs every marked process. Synchronous, so usable in a signal handler. */
export function killMarked(mark) {
    for (const p of markedProcesses(mark)) {
        try {
            process.kill(p.pid, 'SIGKILL');
        } catch {
            // already gone
        }
    }
}

/**
 * Waits until no marked process is left, polling /proc until the deadline; returns those still alive
 * then (empty when all went).
 */
export async function waitUnmarked(mark, seconds) {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const left = markedProcesses(mark);
        if (left.length === 0 || Date.now() > deadline) {
            return left;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
