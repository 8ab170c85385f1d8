"""Render a built page in Chromium: serve its folder on loopback, block everything else, measure health."""

from __future__ import annotations

import functools
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from PIL import Image

from webagent.browser import BrowserSession
from webagent.state import ElementHealth, RenderHealth

DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 390, "height": 844}
SCREENSHOT_DIR = "screenshots"

for _type, _ext in (("image/webp", ".webp"), ("video/webm", ".webm"), ("video/mp4", ".mp4"), ("text/javascript", ".js")):
    mimetypes.add_type(_type, _ext)

ELEMENT_STATE_JS = Path(__file__).with_name("static").joinpath("element_state.js").read_text()


class _QuietFolderHandler(SimpleHTTPRequestHandler):
    """Serves one folder; never lists directories, never logs to stderr."""

    def list_directory(self, path: str) -> None:  # type: ignore[override]
        self.send_error(404)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 at a free port; yield its origin."""
    handler = functools.partial(_QuietFolderHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


ELEMENT_BOXES_JS = """() => Array.from(document.querySelectorAll('[data-asset-id]'))
  .filter((el) => el.checkVisibility())
  .map((el) => { const r = el.getBoundingClientRect();
                 return { id: el.dataset.assetId, x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height }; })"""


def crop_elements(full_page: Path, boxes: list[dict], shots: Path) -> None:
    """One PNG per element, cut from the full-page screenshot (cheaper than a capture per element)."""
    with Image.open(full_page) as image:
        for box in boxes:
            left, top = max(0, round(box["x"])), max(0, round(box["y"]))
            right, bottom = min(image.width, round(box["x"] + box["w"])), min(image.height, round(box["y"] + box["h"]))
            if right > left and bottom > top:
                image.crop((left, top, right, bottom)).save(shots / f"{box['id']}.png")


def _overflow_px(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def _render_in_browser(browser: Any, folder: Path, origin: str, timeout_s: float) -> RenderHealth:
    health = RenderHealth()
    context = browser.new_context(viewport=DESKTOP, service_workers="block", device_scale_factor=1)

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(origin + "/"):
            route.continue_()
        else:
            health.blocked_requests.append(url[:300])
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and health.console_errors.append(msg.text[:500]))
    page.on("pageerror", lambda err: health.console_errors.append(str(err)[:500]))
    page.on(
        "response",
        lambda response: response.status >= 400 and health.failed_requests.append(f"{response.status} {response.url}"),
    )
    page.on(
        "requestfailed",
        lambda request: request.url.startswith(origin + "/")
        and health.failed_requests.append(f"{request.failure} {request.url}"),
    )
    try:
        page.goto(f"{origin}/index.html", wait_until="load", timeout=timeout_s * 1000)
        try:
            page.wait_for_function("window.webagentReady && window.webagentReady()", timeout=timeout_s * 1000 / 2)
        except Exception:
            health.console_errors.append("page did not finish loading its media in time")
        states = page.evaluate(ELEMENT_STATE_JS)
        health.elements = [ElementHealth.model_validate(state) for state in states]
        health.overflow_px["1440"] = _overflow_px(page)
        shots = folder / SCREENSHOT_DIR
        shots.mkdir(exist_ok=True)
        full = shots / "page-1440.png"
        page.screenshot(path=str(full), full_page=True, animations="disabled")
        crop_elements(full, page.evaluate(ELEMENT_BOXES_JS), shots)
        page.set_viewport_size(MOBILE)
        page.wait_for_timeout(150)
        health.overflow_px["390"] = _overflow_px(page)
        page.screenshot(path=str(shots / "page-390.png"), full_page=True, animations="disabled")
    finally:
        context.close()
    return health


def render_page(session: BrowserSession, folder: Path, timeout_s: float = 30.0) -> RenderHealth:
    """Open ``folder``/index.html in Chromium; write screenshots; return what rendered and what broke."""
    with serve_folder(folder) as origin:
        return session.call(lambda browser: _render_in_browser(browser, folder, origin, timeout_s))
