"""%%parallel in `jupyter console`, driven under tmux and read off the screen with capture-pane: the
progress line advances in place during a run and shows the final count after it (the console prints a
display once and ignores its updates, so it gets a text line redrawn with a carriage return).

Needs Debian's tmux and jupyter-console (install/lib.sh installs both). Every wait is on screen content,
with a deadline."""
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from conftest import process_gone, track_kernel, forget_kernel, wait_gone

COUNT = re.compile(r"(?:\] |x:xs: )(\d+)/40 ")  # the line's count, or the final block's
STARTUP = 60  # seconds for the console to start its kernel and show its first prompt


class Screen:
    """A tmux server of its own with one window running a command."""

    def __init__(self, command, width=160, height=50):
        self.socket = f"jparallel-test-{os.getpid()}"
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-x", str(width),
                        "-y", str(height), "--"] + command, check=True, env=os.environ.copy())

    def text(self):
        done = subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-J", "-S", "-200"],
                              capture_output=True, text=True, check=True)
        return done.stdout

    def type(self, line, then):
        """Types a line, waits until it shows, presses Enter and waits until the screen shows what
        then(text) finds: keys sent while the console still handles the last ones can be lost."""
        before = self.text()
        if line:
            # tmux takes an argument ending in ";" for its command separator: a final ";" goes as a key code
            literal, semicolon = (line[:-1], True) if line.endswith(";") else (line, False)
            subprocess.run(["tmux", "-L", self.socket, "send-keys", "-l", literal], check=True)
            if semicolon:
                subprocess.run(["tmux", "-L", self.socket, "send-keys", "-H", "3b"], check=True)
            self.wait_for(lambda s: s.rstrip().endswith(line), 10, f"echo of {line!r}")
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "Enter"], check=True)
        return self.wait_for(lambda s: s != before and then(s), 60, f"answer to {line!r}")

    def keys(self, *keys):
        subprocess.run(["tmux", "-L", self.socket, "send-keys"] + list(keys), check=True)

    def wait_for(self, found, seconds, what):
        """Polls the screen until found(text) returns something true; returns it. Fails at the deadline."""
        deadline = time.monotonic() + seconds
        while True:
            text = self.text()
            value = found(text)
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {seconds} s; the screen:\n{text}")
            time.sleep(0.05)  # the pace of polling, not a wait for something

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.mark.watchdog(180)
def test_the_progress_line_advances_in_place_and_shows_the_final_count():
    assert shutil.which("tmux"), "tmux is missing: install/lib.sh installs it"
    screen = Screen([sys.executable, "-m", "jupyter", "console", "--kernel", "jparallel",
                     "--ZMQTerminalIPythonApp.confirm_exit=False"])
    kernel = None
    try:
        screen.wait_for(lambda s: "In [1]:" in s, STARTUP, "first prompt")
        screen.type("ProcessHandle.current().pid()", lambda s: "In [2]:" in s)
        kernel = int(re.search(r"Out\[1\]: (\d+)", screen.text()).group(1))
        track_kernel(kernel, "console")
        screen.type("%pool start 2", lambda s: "In [3]:" in s)
        screen.type("var xs = java.util.stream.IntStream.range(0, 40).boxed().toList();", lambda s: "In [4]:" in s)
        for n, line in enumerate(("%%parallel --map x:xs", "Thread.sleep(150);", "x * 2"), 1):
            screen.type(line, lambda s, n=n: s.count("...:") >= n)
        screen.type("", lambda s: COUNT.search(s))
        seen = []  # the counts the progress line showed, each time it changed
        while True:
            text = screen.wait_for(lambda s: s if COUNT.search(s) else None, 30, "progress line")
            count = int(COUNT.findall(text)[-1])
            if not seen or count != seen[-1]:
                seen.append(count)
            if "Out[4]" in text:
                break
        assert seen == sorted(seen), f"the count went down: {seen}"
        assert len([n for n in seen if 0 < n < 40]) >= 2, f"the line did not advance during the run: {seen}"
        final = screen.text()
        assert re.search(r"\[#{20}\] %%parallel --map x:xs: 40/40 · [\d.]+ s · [\d.]+/s · done", final), final
        # the line was redrawn in place: one progress line on the screen, not one per frame
        assert len(COUNT.findall(final)) == 1, final
        assert re.search(r"Out\[4\]: \[0, 2, 4, ", final), final
        screen.keys("C-d")
        assert wait_gone(kernel, 30), "the console's kernel outlived the console"
        forget_kernel(kernel)
    finally:
        screen.close()
        if kernel is not None and not process_gone(kernel):
            os.kill(kernel, 9)
            forget_kernel(kernel)
