// A Jupyter Notebook server of a test's own: Debian's `python3 -m notebook` on 127.0.0.1, a free port,
// a random token, no browser, in throwaway notebook, runtime and config directories. Kernelspecs come
// from JUPYTER_DATA_DIR as the caller has it (install/test.sh points it at a throwaway copy).

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3'; // Debian's Python: the one with python3-notebook

function freePort() {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

/** Resolves when the child exits, or after `seconds` (then with null). */
function exited(child, seconds) {
    if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve(child.exitCode ?? child.signalCode);
    }
    return new Promise((resolve) => {
        const onExit = (code, signal) => {
            clearTimeout(timer);
            resolve(code ?? signal);
        };
        const timer = setTimeout(() => {
            child.off('exit', onExit);
            resolve(null);
        }, seconds * 1000);
        child.once('exit', onExit);
    });
}

/**
 * Starts the server and waits (up to `seconds`) until its API answers. `env` is added to the server's
 * environment (the kernel and its workers inherit it). Returns {url, token, api(path), logTail(), stop()}.
 */
export async function startNotebookServer({ env = {}, seconds = 60 } = {}) {
    const root = mkdtempSync(join(tmpdir(), 'jparallel-browser-'));
    const dirs = { notebooks: join(root, 'notebooks'), runtime: join(root, 'runtime'), config: join(root, 'config') };
    for (const dir of Object.values(dirs)) {
        mkdirSync(dir);
    }
    const log = join(root, 'server.log');
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    const url = `http://127.0.0.1:${port}`;
    const out = openSync(log, 'w');
    // port-retries=0: should another process take the port meanwhile, the server fails instead of moving
    const child = spawn(PYTHON, ['-m', 'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`,
        '--port-retries=0', `--NotebookApp.token=${token}`, `--notebook-dir=${dirs.notebooks}`,
        ...(process.getuid() === 0 ? ['--allow-root'] : [])], { // CI runs as root
        env: {
            ...process.env, ...env, PATH: `/usr/bin:${process.env.PATH}`,
            JUPYTER_RUNTIME_DIR: dirs.runtime, JUPYTER_CONFIG_DIR: dirs.config,
        },
        stdio: ['ignore', out, out],
    });
    closeSync(out);
    const server = {
        url,
        token,
        /** GET (or `init.method`) on the server's REST API, with the token; the parsed JSON. */
        async api(path, init = {}) {
            const response = await fetch(`${url}${path}`,
                { ...init, headers: { Authorization: `token ${token}`, ...init.headers } });
            if (!response.ok) {
                throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status}`);
            }
            return response.status === 204 ? null : response.json();
        },
        /** The last lines the server logged, for a failure message. */
        logTail(lines = 40) {
            return readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
        },
        /** Removes the throwaway directories (stop does it too). Synchronous, so usable in a signal handler. */
        removeDirs() {
            rmSync(root, { recursive: true, force: true });
        },
        /**
         * Stops the server as a user does (SIGTERM: it shuts its kernels down), SIGKILLs it after `seconds`;
         * removes the throwaway directories. Returns how it ended ('SIGTERM', an exit code, or 'killed').
         */
        async stop(seconds = 30) {
            let how = child.exitCode ?? child.signalCode;
            if (how === null) {
                child.kill('SIGTERM');
                how = await exited(child, seconds);
                if (how === null) {
                    child.kill('SIGKILL');
                    await exited(child, 10);
                    how = 'killed';
                }
            }
            server.removeDirs();
            return how;
        },
    };
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) {
            const tail = server.logTail();
            await server.stop();
            throw new Error(`the notebook server ended (${child.exitCode ?? child.signalCode}) before it answered:\n${tail}`);
        }
        try {
            await server.api('/api/status');
            return server;
        } catch (e) {
            if (Date.now() > deadline) {
                const tail = server.logTail();
                await server.stop();
                throw new Error(`the notebook server did not answer on ${url} within ${seconds} s (${e.message}):\n${tail}`);
            }
        }
        await exited(child, 0.1); // poll again in 100 ms, or at once when it ends
    }
}
