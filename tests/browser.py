"""Test harness: a real headless Chromium, driven over the DevTools protocol, stdlib only.

Chromium talks the protocol over a pipe (``--remote-debugging-pipe``: commands in on fd 3,
replies and events out on fd 4, each message JSON ending in a NUL byte), so no websocket
client and no Python package is needed. Debian's ``chromium`` is what ``.ci/run`` installs.

    with Browser() as browser:
        page = browser.open(url, width=390)
        page.evaluate("document.title")
        page.screenshot(path)
        page.requests    # every URL the page asked for (Network.requestWillBeSent)

Network is cut off as well as watched: host names resolve to nothing and the proxy is a
closed port, so a request the page should not make fails instead of reaching anywhere.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 60.0


def chromium_path() -> str:
    """The browser, or a skip (a failure where CI sets FLASHCARDS_REQUIRE_CHROMIUM)."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("FLASHCARDS_REQUIRE_CHROMIUM"):
        pytest.fail("chromium is not installed and FLASHCARDS_REQUIRE_CHROMIUM is set")
    pytest.skip("needs chromium (Debian: apt-get install chromium); .ci/run installs it")


class BrowserError(AssertionError):
    pass


class Browser:
    def __init__(self) -> None:
        self.binary = chromium_path()
        self.profile = tempfile.mkdtemp(prefix="flashcards-chromium-")
        self.process: subprocess.Popen | None = None
        # The browser's own messages, for the failure report when it stops answering.
        self.log = tempfile.TemporaryFile()
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []

    def __enter__(self) -> Browser:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--mute-audio",
            "--hide-scrollbars",
            # Any request that escaped the page's CSP goes nowhere.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        # The pipe ends become the browser's fd 3 and 4: a small Python step moves them there
        # and execs the browser (a shell cannot name fds above 9, and pytest's are).
        move = (
            "import os, sys; a, b = int(sys.argv[1]), int(sys.argv[2]); "
            "os.dup2(a, 3); os.dup2(b, 4); os.execv(sys.argv[3], sys.argv[3:])"
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                move,
                str(to_browser_read),
                str(from_browser_write),
                self.binary,
                *args,
            ],
            pass_fds=(to_browser_read, from_browser_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                try:
                    self.send("Browser.close")
                except (BrowserError, OSError):
                    pass
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(10)
        finally:
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)
            self.log.close()

    def stderr(self) -> str:
        self.log.seek(0)
        lines = self.log.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-15:])

    # --- the protocol ---------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise BrowserError(f"chromium closed the DevTools pipe: {self.stderr()}")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        ident = self._next_id
        message: dict = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            code = self.process.poll() if self.process else None
            raise BrowserError(f"chromium is gone (exit {code}): {self.stderr()}") from None
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == ident:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def wait_for(self, method: str, session: str, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for n, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self._events.pop(n)
            self._events.append(self._read_message(deadline))

    def events(self, method: str, session: str) -> list[dict]:
        return [
            e["params"]
            for e in self._events
            if e.get("method") == method and e.get("sessionId") == session
        ]

    def open(self, url: str, width: int, height: int = 900) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session, width, height)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            session,
        )
        self.send("Network.enable", {}, session)
        self.send("Page.enable", {}, session)
        self.send("Runtime.enable", {}, session)
        self.send("Log.enable", {}, session)
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired", session)
        return page


class Page:
    def __init__(self, browser: Browser, session: str, width: int, height: int) -> None:
        self.browser, self.session, self.width, self.height = browser, session, width, height

    def evaluate(self, expression: str):
        """The value of a JavaScript expression (awaited when it is a promise)."""
        result = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            self.session,
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:60]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, height: int | None = None) -> Path:
        """A PNG of the top of the page, ``height`` CSS pixels tall (the viewport's)."""
        height = height or self.height
        clip = {"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1}
        # Beyond the viewport, Chromium lays out the whole page again: slow on a long page.
        data = self.browser.send(
            "Page.captureScreenshot",
            {"format": "png", "clip": clip, "captureBeyondViewport": height > self.height},
            self.session,
        )["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    @property
    def requests(self) -> list[str]:
        return [
            e["request"]["url"]
            for e in self.browser.events("Network.requestWillBeSent", self.session)
        ]

    @property
    def console_errors(self) -> list[str]:
        found = [
            str(e.get("exceptionDetails", {}).get("text", e))
            for e in self.browser.events("Runtime.exceptionThrown", self.session)
        ]
        found += [
            " ".join(str(a.get("value", "")) for a in e.get("args", []))
            for e in self.browser.events("Runtime.consoleAPICalled", self.session)
            if e.get("type") == "error"
        ]
        return found

    @property
    def csp_violations(self) -> list[str]:
        return [
            e["entry"]["text"]
            for e in self.browser.events("Log.entryAdded", self.session)
            if "Content Security Policy" in e["entry"].get("text", "")
        ]
