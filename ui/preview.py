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


# The devices the preview shows the page on: a true viewport of each width, scaled down to the column.
DEVICES = {"Desktop · 1440": DESKTOP["width"], "Tablet · 768": 768, "Phone · 390": MOBILE["width"]}
VISIBLE_HEIGHT = 640  # CSS px of the app the preview takes: the frame is as tall as that shows, once scaled


def frame_html(url: str, width: int, label: str) -> str:
    """An iframe laid out at ``width`` CSS px (a true viewport of that width), scaled by a small script to the
    width of its column, never past 1, so nothing is cropped; as tall as ``VISIBLE_HEIGHT`` shows once scaled."""
    src = html.escape(url, quote=True)
    return f"""<div id="fit" style="width:100%">
<div id="box" style="overflow:hidden;border:1px solid #d0d4da;border-radius:6px;height:{VISIBLE_HEIGHT}px;margin:0 auto">
<iframe id="page" src="{src}" title="{html.escape(label)}" style="width:{width}px;border:0;transform-origin:0 0"></iframe>
</div></div>
<script>
const fit = document.getElementById("fit"), box = document.getElementById("box"), page = document.getElementById("page");
function scale() {{
  const s = Math.min(1, fit.clientWidth / {width});
  page.style.transform = "scale(" + s + ")";
  page.style.height = ({VISIBLE_HEIGHT} - 2) / s + "px";
  box.style.width = {width} * s + 2 + "px";
}}
window.addEventListener("resize", scale);
scale();
</script>"""


def show_preview(root: Path, folder: Path) -> None:
    """The page on one device at a time (desktop, tablet, phone), scaled to fit, with refresh and a new-tab link."""
    import streamlit as st
    import streamlit.components.v1 as components

    device = st.radio("Device", list(DEVICES), horizontal=True, key="device", label_visibility="collapsed")
    refreshes = st.session_state.setdefault("preview_refreshes", 0)
    url = page_url(root, folder)
    links, refresh = st.columns([5, 1])
    with links:
        st.caption(f"served from {folder} — [open in a new tab]({url})")
    with refresh:
        if st.button("Refresh", key="refresh_preview"):
            st.session_state["preview_refreshes"] = refreshes + 1
    shown = f"{url}&r={st.session_state['preview_refreshes']}"
    components.html(frame_html(shown, DEVICES[device], device), height=VISIBLE_HEIGHT + 10)
