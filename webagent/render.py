"""What loading a page in Chromium needs: its folder served alone on loopback, viewport sizes, element crops."""

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


DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 390, "height": 844}

for _type, _ext in (("image/webp", ".webp"), ("video/webm", ".webm"), ("video/mp4", ".mp4"), ("text/javascript", ".js")):
    mimetypes.add_type(_type, _ext)


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


def crop_elements(full_page: Path, boxes: list[dict], shots: Path) -> None:
    """One PNG per element, cut from the full-page screenshot (cheaper than a capture per element)."""
    with Image.open(full_page) as image:
        for box in boxes:
            left, top = max(0, round(box["x"])), max(0, round(box["y"]))
            right, bottom = min(image.width, round(box["x"] + box["w"])), min(image.height, round(box["y"] + box["h"]))
            if right > left and bottom > top:
                image.crop((left, top, right, bottom)).save(shots / f"{box['id']}.png")
