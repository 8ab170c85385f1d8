"""What loading a page in Chromium needs: its folder served alone on loopback, viewport sizes, element crops."""

from __future__ import annotations

import functools
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from PIL import Image

from webagent.core.errors import UnsafePathError
from webagent.core.files import safe_join

DESKTOP = {"width": 1440, "height": 900}
MOBILE = {"width": 390, "height": 844}
SHUTDOWN_POLL_S = 0.02  # how often the page server checks for shutdown (socketserver waits up to 0.5 s by default)

for _type, _ext in (
    ("image/webp", ".webp"),
    ("video/webm", ".webm"),
    ("video/mp4", ".mp4"),
    ("text/javascript", ".js"),
):
    mimetypes.add_type(_type, _ext)


class _QuietFolderHandler(SimpleHTTPRequestHandler):
    """Serves one folder, every path through ``safe_join``; never lists directories, never logs to stderr.

    A request that would leave the folder (``..``, ``%2e%2e``, an absolute or drive path, a symbolic
    link pointing outside) is answered 403 without reading anything.
    """

    def translate_path(self, path: str) -> str:
        """The file a request path names inside the folder, or UnsafePathError; folders mean their index.html."""
        relative = unquote(path.split("?", 1)[0].split("#", 1)[0], errors="surrogatepass").removeprefix("/")
        if not relative or relative.endswith("/"):
            relative += "index.html"
        return str(safe_join(Path(self.directory), relative))

    def send_head(self) -> Any:
        """The base class's response, or 403 when ``translate_path`` refused the path."""
        try:
            return super().send_head()
        except UnsafePathError:
            self.send_error(HTTPStatus.FORBIDDEN)
            return None

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
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL_S}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def crop_elements(full_page: Path, boxes: list[dict], shots: Path) -> None:
    """One PNG per element, cut from the full-page screenshot (cheaper than a capture per element), compressed
    for speed."""
    with Image.open(full_page) as image:
        for box in boxes:
            left, top = max(0, round(box["x"])), max(0, round(box["y"]))
            right, bottom = min(image.width, round(box["x"] + box["w"])), min(image.height, round(box["y"] + box["h"]))
            if right > left and bottom > top:
                image.crop((left, top, right, bottom)).save(safe_join(shots, f"{box['id']}.png"), compress_level=1)
