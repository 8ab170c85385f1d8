"""The live page: the output folder served on loopback, shown in iframes at desktop and mobile widths."""

from __future__ import annotations

import hashlib
import html
from contextlib import ExitStack
from pathlib import Path

from webagent.core.render import DESKTOP, MOBILE, serve_folder

_servers: dict[Path, tuple[ExitStack, str]] = {}


def served_origin(root: Path) -> str:
    """The http://127.0.0.1:PORT origin serving ``root`` (started once per process, kept running)."""
    root = root.resolve()
    if root not in _servers:
        stack = ExitStack()
        origin = stack.enter_context(serve_folder(root))
        _servers[root] = (stack, origin)
    return _servers[root][1]


def page_url(root: Path, folder: Path) -> str:
    """The page in ``folder`` (under ``root``) with a query naming its content, so an edit or a restore
    reloads the iframe (restored files keep their old times, so the content, not the time, is the key)."""
    index = folder.resolve() / "index.html"
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    version = hashlib.sha256(index.read_bytes()).hexdigest()[:16]
    return f"{served_origin(root)}/{relative}/index.html?v={version}"


def frame_html(url: str, width: int, height: int, scale: float, label: str) -> str:
    """An iframe laid out at ``width`` CSS px (a true viewport of that width), scaled down to fit."""
    src = html.escape(url, quote=True)
    return (
        f'<div style="font:12px sans-serif;color:#555;margin:0 0 4px">{html.escape(label)}</div>'
        f'<div style="width:{width * scale:.0f}px;height:{height * scale:.0f}px;overflow:hidden;'
        f'border:1px solid #d0d4da;border-radius:6px">'
        f'<iframe src="{src}" title="{html.escape(label)}" style="width:{width}px;height:{height}px;border:0;'
        f'transform:scale({scale});transform-origin:0 0"></iframe></div>'
    )


def show_preview(root: Path, folder: Path) -> None:
    """Desktop (1440) and mobile (390) previews side by side."""
    import streamlit as st
    import streamlit.components.v1 as components

    url = page_url(root, folder)
    desktop, mobile = st.columns([3, 1])
    with desktop:
        scale = 0.55
        components.html(
            frame_html(url, DESKTOP["width"], DESKTOP["height"], scale, "desktop · 1440 px"),
            height=int(DESKTOP["height"] * scale) + 30,
        )
    with mobile:
        scale = 0.62
        components.html(
            frame_html(url, MOBILE["width"], MOBILE["height"], scale, "mobile · 390 px"),
            height=int(MOBILE["height"] * scale) + 30,
        )
    st.caption(f"served from {folder} — [open in a new tab]({url})")
