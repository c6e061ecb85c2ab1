// Drives the classic Jupyter Notebook UI (Notebook 6, Debian 12's python3-notebook) as a user does:
// New → a kernel, type into the last cell, Shift+Enter, read the outputs. Every wait has a deadline.

/** Opens a new notebook on `kernelName` from the tree page (a new tab, as the menu does); the page, kernel idle. */
export async function newNotebook(context, server, kernelName, seconds = 90) {
    const tree = await context.newPage();
    await tree.goto(`${server.url}/tree?token=${server.token}`, { timeout: seconds * 1000 });
    const newButton = tree.locator('#new-dropdown-button');
    if (await newButton.count() === 0) {
        throw new Error(`${await tree.title()} at /tree is not the classic Notebook (no New button): `
            + 'this test drives Notebook 6, as Debian 12 packages it');
    }
    await newButton.click({ timeout: seconds * 1000 });
    const [page] = await Promise.all([
        context.waitForEvent('page', { timeout: seconds * 1000 }),
        tree.locator(`#kernel-${kernelName} a`).click({ timeout: seconds * 1000 }),
    ]);
    // the tree page creates the notebook and then sends the new tab to it: it stays open until then
    await page.waitForURL(/\/notebooks\/.+\.ipynb/, { timeout: seconds * 1000 });
    await tree.close();
    await page.locator('#kernel_indicator_icon.kernel_idle_icon').waitFor({ timeout: seconds * 1000 });
    return page;
}

/** The kernel's display name, as the notebook's toolbar shows it. */
export function kernelDisplayName(page) {
    return page.locator('.kernel_indicator_name').innerText();
}

/**
 * The last cell of the notebook (an empty one after a cell is run with Shift+Enter), pinned by its index:
 * it stays this cell when cells are added after it.
 */
export async function lastCell(page) {
    const cells = page.locator('#notebook-container .cell');
    return cells.nth(await cells.count() - 1);
}

/**
 * Types `code` into `cell` and runs it with Shift+Enter; resolves once it has been sent (see `finished`).
 * The text goes in as one input (as a paste does), so the editor's bracket closing and indenting leave it as is.
 */
export async function typeAndRun(page, cell, code, seconds = 30) {
    await cell.locator('.CodeMirror').click({ timeout: seconds * 1000 });
    await page.keyboard.insertText(code);
    const typed = await cell.locator('.CodeMirror').evaluate((editor) => editor.CodeMirror.getValue());
    if (typed !== code) {
        throw new Error(`the cell holds ${JSON.stringify(typed)}, not ${JSON.stringify(code)}`);
    }
    await page.keyboard.press('Shift+Enter');
}

/** Waits until `cell` has run (its prompt shows a number, not `*`); returns the execution count. */
export async function finished(cell, seconds) {
    const prompt = cell.locator('.input_prompt');
    await prompt.filter({ hasText: /In\s*\[\d+\]/ }).waitFor({ timeout: seconds * 1000 });
    return Number(/\[(\d+)\]/.exec(await prompt.innerText())[1]);
}

/** The text of every error output (tracebacks, stderr) in the notebook. */
export function errorOutputs(page) {
    return page.locator('.output_area .output_error, .output_area .output_stderr').allInnerTexts();
}

/** The text of the cell's result (its Out[n]), or '' if it has none. */
export async function resultText(cell) {
    const result = cell.locator('.output_result');
    return await result.count() === 0 ? '' : result.innerText();
}
