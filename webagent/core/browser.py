"""One Chromium per process, driven by Playwright from a single thread, reused for every render."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from webagent.core.errors import BrowserCrashedError, BrowserMissingError

T = TypeVar("T")

SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
QUIET_FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # no DNS lookup ever leaves, ours or a page's
]


def playwright_chromium() -> str | None:
    """Path of the Chromium that Playwright manages, if it is installed."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # playwright's driver missing or broken: treat as no managed browser
        return None
    return path if path and os.path.isfile(path) else None


def find_chromium(configured: str | None = None) -> tuple[str | None, str]:
    """(executable or None for Playwright's own, description) of the browser to use.

    Order: the configured path, Playwright's managed Chromium, then a system Chromium.
    """
    configured = configured or os.environ.get("WEBAGENT_BROWSER")
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured, f"configured browser {configured}"
        raise BrowserMissingError(f"the configured browser {configured} does not exist or is not executable")
    managed = playwright_chromium()
    if managed:
        return None, f"Playwright Chromium {managed}"
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return found, f"system Chromium {found}"
    raise BrowserMissingError(
        "no Chromium found: run `make demo`, or `playwright install chromium`, "
        "or `apt-get install chromium`, or set WEBAGENT_BROWSER to a Chromium binary"
    )


def first_line(error: Exception) -> str:
    """The first line of an error's message (Playwright's messages run to many lines), or its type."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class BrowserSession:
    """A running Chromium owned by one worker thread; ``call`` runs work on that thread.

    Playwright's sync objects belong to the thread that made them, while graph nodes run in a
    pool; routing every browser call through one thread lets all renders share one browser.
    """

    def __init__(self, configured: str | None = None) -> None:
        self._configured = configured
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._lock = threading.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self.description = ""
        self.restarts = 0  # browsers that crashed and were replaced

    def _ensure_browser(self) -> Any:
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        executable, self.description = find_chromium(self._configured)
        if self._playwright is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=executable, args=QUIET_FLAGS)
        except Exception as exc:
            raise BrowserMissingError(f"Chromium failed to start ({self.description}): {first_line(exc)}") from None
        return self._browser

    def warm_up(self) -> None:
        """Start Chromium in the background so it is ready when the first render comes."""
        with self._lock:
            if self._executor is not None:
                self._executor.submit(self._ensure_browser).add_done_callback(lambda future: future.exception())

    def call(self, work: Callable[[Any], T]) -> T:
        """Run ``work(browser)`` on the browser thread and return its result."""
        with self._lock:
            if self._executor is None:
                raise RuntimeError("browser session is closed")
        return self._executor.submit(self._run, work).result()

    def _run(self, work: Callable[[Any], T]) -> T:
        """``work`` on a live browser; when Chromium dies during it, a new one is started and ``work`` runs once more."""
        browser = self._ensure_browser()
        try:
            return work(browser)
        except Exception:
            if browser.is_connected():
                raise  # the page's fault, not the browser's
        self.restarts += 1
        browser = self._ensure_browser()
        try:
            return work(browser)
        except Exception as exc:
            if browser.is_connected():
                raise
            raise BrowserCrashedError(
                f"Chromium crashed twice in a row ({self.description}): "
                f"{first_line(exc)}; check free memory and /dev/shm"
            ) from None

    def close(self) -> None:
        def shutdown() -> None:
            if self._browser is not None:
                self._browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.submit(shutdown).result()
            executor.shutdown()

    def __enter__(self) -> BrowserSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
