// Records every state a cell's jparallel progress display shows in the page. The display's outer element
// (class jparallel-progress) carries data-done (elements finished) and data-total (-1 while unknown); each
// update_display_data replaces it, and a MutationObserver, which runs after every change of the page, sees each.

/** Starts recording the progress frames shown in `cell` (a Playwright locator); call before running it. */
export function recordProgress(cell) {
    return cell.evaluate((element) => {
        const frames = [];
        element.jparallelProgressFrames = frames;
        const record = () => {
            const shown = element.querySelectorAll('.jparallel-progress[data-done]');
            if (shown.length === 0) {
                return;
            }
            const last = shown[shown.length - 1];
            const total = Number(last.getAttribute('data-total'));
            const value = `${last.getAttribute('data-done')}/${total < 0 ? '?' : total}`;
            if (frames.length === 0 || frames[frames.length - 1].value !== value) {
                frames.push({ value, shown: shown.length, text: last.innerText, ms: performance.now() });
            }
        };
        new MutationObserver(record).observe(element, {
            subtree: true, childList: true, attributes: true, attributeFilter: ['data-done', 'data-total'],
        });
    });
}

/** Waits until the cell's display shows `value` (e.g. '40/40'), up to `seconds`. */
export async function waitForProgress(page, cell, value, seconds) {
    const handle = await cell.elementHandle();
    await page.waitForFunction(([element, wanted]) => {
        const frames = element.jparallelProgressFrames;
        return frames.length > 0 && frames[frames.length - 1].value === wanted;
    }, [handle, value], { timeout: seconds * 1000 });
}

/**
 * The frames recorded so far: [{value, done, total, shown, text, ms}], `done` a number, `total` a number or
 * null when the display said '?'; `shown` is how many progress displays the cell held (one is right).
 */
export async function progressFrames(cell) {
    const frames = await cell.evaluate((element) => element.jparallelProgressFrames);
    return frames.map((frame) => {
        const match = /^(\d+)\/(\d+|\?)$/.exec(frame.value);
        if (!match) {
            throw new Error(`the display's data-done/data-total read "${frame.value}", not done/total`);
        }
        return { ...frame, done: Number(match[1]), total: match[2] === '?' ? null : Number(match[2]) };
    });
}
