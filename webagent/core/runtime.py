"""The browser runtimes copied into every page (ECharts), found locally, never from a CDN."""

from __future__ import annotations

import os
from pathlib import Path

from webagent.core.config import project_root
from webagent.core.errors import ChartRuntimeMissingError

PACKAGE_VENDOR = Path(__file__).resolve().parent / "vendor" / "echarts.min.js"
NODE_MODULES_COPY = project_root() / "node_modules" / "echarts" / "dist" / "echarts.min.js"
PAGE_RUNTIME_PATH = "assets/vendor/echarts.min.js"


def find_echarts(configured: str | None = None) -> Path:
    """The ECharts runtime: configured path, else the package's vendored copy, else node_modules."""
    candidates = [Path(p) for p in (configured, os.environ.get("WEBAGENT_ECHARTS")) if p]
    candidates += [PACKAGE_VENDOR, NODE_MODULES_COPY]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ChartRuntimeMissingError(
        "the ECharts runtime is not installed: run `make demo` (or `npm ci` in the project folder)"
    )


def echarts_version(path: Path) -> str:
    """Read the version string ECharts embeds in its bundle."""
    head = path.read_bytes()[-200_000:].decode("utf-8", "ignore")
    marker = 'version="'
    at = head.rfind(marker)
    return head[at + len(marker) : head.index('"', at + len(marker))] if at >= 0 else "unknown"
