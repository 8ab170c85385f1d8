"""Page evidence: load a page folder in Chromium once and record what the metrics and the judges need.

Works for any folder with an ``index.html`` (ours or another system's). The folder is served alone
on 127.0.0.1; every other request, websockets and navigations included, is aborted and recorded, and
so is every load the page's own Content-Security-Policy refused. What routing never sees (preconnects,
DNS prefetches) is sent to a loopback port that refuses connections. Screenshots,
element crops, video frames and the evidence itself (``evidence.json``) are written under the evidence
folder; every path in the returned ``PageEvidence`` is relative to it.
"""

from __future__ import annotations

import base64
import math
import re
import socket
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import imageio_ffmpeg
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from webagent.core.browser import BrowserSession
from webagent.core.colour import contrast_ratio, mix, rgb_to_hex
from webagent.core.errors import UnsafePathError
from webagent.core.files import atomic_write_json, safe_join
from webagent.core.health import ElementHealth, RenderHealth
from webagent.core.ownership import remove_tree
from webagent.core.render import DESKTOP, MOBILE, crop_elements, serve_folder
from webagent.webbench.evaluation.contracts import ElementEvidence, LowContrastText, OverflowingElement, PageEvidence

STATIC = Path(__file__).parent / "static"
(
    SETTLE_JS,
    MEDIA_JS,
    TEXT_BLOCKS_JS,
    HEADINGS_JS,
    OVERFLOW_JS,
    VISIBLE_TEXT_JS,
    COMPUTED_COLOURS_JS,
    PLACE_JS,
    OVERFLOWING_JS,
    FREEZE_ANIMATIONS_JS,
    NEXT_FRAMES_JS,
) = (
    (STATIC / name).read_text()
    for name in (
        "settle.js",
        "page_media.js",
        "text_blocks.js",
        "headings.js",
        "overflow.js",
        "visible_text.js",
        "computed_colours.js",
        "element_place.js",
        "overflowing.js",
        "freeze_animations.js",
        "next_frames.js",
    )
)
SCREENSHOTS = {"1440": ("page-1440.png", DESKTOP), "390": ("page-390.png", MOBILE)}
CROPS, FRAMES, EVIDENCE_JSON = "crops", "frames", "evidence.json"
FRAMES_PER_VIDEO = 5
# A full-page screenshot holds at most this many pixels (the top of a longer page): Pillow refuses images
# past ~179 M pixels, and a 1440 px page taller than ~40 000 px is no page a reader scrolls through anyway.
MAX_SHOT_PIXELS = 60_000_000
FRAME_LONGEST_PX = 960
HTML_CHARS = 2000
TEXT_CHARS = 40
RESIZE_SETTLE_MS = 150  # for pages without webagentReady: their own resize handlers may be debounced
OVERLAP_MIN_PX2 = 4.0
GLYPH_INSET_EM = 0.2  # line boxes include ascender/descender room; tight line-heights are not overlaps
AA_NORMAL, AA_LARGE = 4.5, 3.0
CSP_REFUSAL = re.compile(  # Chromium's console line for a load its CSP refused, older and newer wording
    r"'(?P<url>(?:https?|wss?|ftp)://[^']*)' (?:because it )?violates the following Content Security Policy "
    r"directive: \"(?P<directive>[\w-]+)"
)
LOAD_TIMEOUT, READY_TIMEOUT = "page did not finish loading in time", "page did not report ready in time"
CSP_ECHO = "Refused to connect because it violates the document's Content Security Policy"


@dataclass
class BrowserFindings:
    """What the browser pass reports; turned into PageEvidence once the browser is free."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    overflow_px: dict[str, int] = field(default_factory=dict)
    overflowing: list[dict[str, Any]] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)
    text_blocks: list[dict[str, Any]] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    visible_text: str = ""
    colours: list[str] = field(default_factory=list)


def collect_evidence(
    session: BrowserSession, page_folder: Path, evidence_folder: Path, timeout_s: float = 30.0
) -> PageEvidence:
    """Load ``page_folder``/index.html once in Chromium and record everything under ``evidence_folder``."""
    page_folder = page_folder.resolve()
    index = page_folder / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"{page_folder} has no index.html")
    evidence_folder.mkdir(parents=True, exist_ok=True)
    for stale in (CROPS, FRAMES):
        remove_tree(evidence_folder / stale)
    with serve_folder(page_folder) as origin, refusing_port() as dead_end:
        seen = session.call(lambda browser: _browse(browser, origin, dead_end, evidence_folder, timeout_s))
    evidence = PageEvidence(
        folder=str(page_folder),
        screenshot=SCREENSHOTS["1440"][0],
        mobile_screenshot=SCREENSHOTS["390"][0],
        html=index.read_text(encoding="utf-8", errors="replace"),
        visible_text=seen.visible_text,
        colours=seen.colours,
        headings=seen.headings,
        elements=_elements(seen.media, origin, page_folder, evidence_folder),
        console_errors=seen.console_errors,
        failed_requests=seen.failed_requests,
        outside_requests=seen.outside_requests,
        overflow_px=seen.overflow_px,
        overlapping_text=overlapping_text(seen.text_blocks),
        low_contrast=low_contrast(seen.text_blocks),
        low_contrast_blocks=low_contrast_blocks(seen.text_blocks),
        overflowing=[
            OverflowingElement(
                width=r["width"],
                selector=r["selector"],
                section=r["section"],
                tag=r["tag"],
                cause=r["cause"],
                right_px=round(r["right"], 1),
            )
            for r in seen.overflowing
        ],
        text_blocks=len(seen.text_blocks),
    )
    atomic_write_json(evidence_folder / EVIDENCE_JSON, evidence)
    return evidence


def element_detail(element: ElementEvidence) -> str:
    """A few words on how one element rendered."""
    if element.kind == "image":
        size = element.natural_size
        return f"{size[0]}x{size[1]}" if element.rendered and size else "image did not load"
    if element.kind == "video":
        return "playing" if element.rendered else "video did not play"
    return "chart drawn" if element.rendered else "chart is blank"


def health_of(evidence: PageEvidence) -> RenderHealth:
    """The render health facts of one page load: errors, failed and blocked requests, overflow, and
    whether each element rendered (by its asset id, else kind-index)."""
    return RenderHealth(
        console_errors=evidence.console_errors,
        failed_requests=evidence.failed_requests,
        blocked_requests=evidence.outside_requests,
        overflow_px=evidence.overflow_px,
        elements=[
            ElementHealth(id=e.asset_id or f"{e.kind}-{e.index}", kind=e.kind, ok=e.rendered, detail=element_detail(e))
            for e in evidence.elements
        ],
    )


def _browse(browser: Any, origin: str, dead_end: str, out: Path, timeout_s: float) -> BrowserFindings:
    """One page load: wait until ready, read media, text and colours at 1440 px, then screenshot both widths.

    Every connection not to ``origin`` goes through the proxy ``dead_end``, which refuses it.
    """
    seen = BrowserFindings()
    context = browser.new_context(
        viewport=DESKTOP,
        service_workers="block",
        device_scale_factor=1,
        proxy={"server": dead_end, "bypass": urlsplit(origin).netloc},
    )
    context.route("**/*", lambda route: _guard(route, origin, seen))
    context.route_web_socket(re.compile(".*"), lambda socket: _refuse_socket(socket, seen))
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    _listen(page, origin, seen)
    try:
        _load(page, f"{origin}/index.html", timeout_s, seen)
        _settle(page, timeout_s, seen)
        seen.media = page.evaluate(MEDIA_JS)
        seen.text_blocks = page.evaluate(with_place(TEXT_BLOCKS_JS))
        seen.headings = page.evaluate(HEADINGS_JS)
        seen.visible_text = page.evaluate(VISIBLE_TEXT_JS)
        seen.colours = page.evaluate(COMPUTED_COLOURS_JS)
        for width, (name, viewport) in SCREENSHOTS.items():
            if page.viewport_size != viewport:
                page.set_viewport_size(viewport)
                _after_resize(page, timeout_s, seen)
            seen.overflow_px[width] = int(page.evaluate(OVERFLOW_JS))
            if seen.overflow_px[width] > 0:
                seen.overflowing += [{**found, "width": width} for found in page.evaluate(with_place(OVERFLOWING_JS))]
            (out / name).write_bytes(_full_page_png(page, devtools))
    finally:
        context.close()
    return seen


def _after_resize(page: Any, timeout_s: float, seen: BrowserFindings) -> None:
    """Wait until a resized page has redrawn: a few frames, then its readiness check if it has one, else a
    fixed pause."""
    if page.evaluate("typeof window.webagentReady === 'function'"):
        page.evaluate(NEXT_FRAMES_JS)
        _settle(page, timeout_s, seen)
    else:
        page.wait_for_timeout(RESIZE_SETTLE_MS)


def _full_page_png(page: Any, devtools: Any) -> bytes:
    """The whole page as PNG, animations stopped as Playwright's ``animations="disabled"`` stops them.

    Asked of Chromium directly, to encode for speed (about 3x faster than ``page.screenshot``'s PNG, larger files).
    A page of more than ``MAX_SHOT_PIXELS`` is shot from the top down to that size; elements below have no crop.
    """
    page.evaluate(FREEZE_ANIMATIONS_JS)
    size = devtools.send("Page.getLayoutMetrics")["cssContentSize"]
    width = math.ceil(size["width"])
    height = min(math.ceil(size["height"]), MAX_SHOT_PIXELS // max(width, 1))
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = devtools.send(
        "Page.captureScreenshot",
        {"format": "png", "clip": clip, "captureBeyondViewport": True, "optimizeForSpeed": True},
    )
    return base64.b64decode(shot["data"])


def with_place(script: str) -> str:
    """A page function calling ``script`` with ``element_place.js`` (element → selector and section) as its argument."""
    return f"() => ({script})({PLACE_JS})"


@contextmanager
def refusing_port() -> Iterator[str]:
    """A loopback address that refuses every connection: a bound port nobody listens on, held while in use."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}"


def _guard(route: Any, origin: str, seen: BrowserFindings) -> None:
    """Let requests for the served folder through; abort and record everything else.

    A navigation of the page itself away (meta refresh, ``location =``, a form post) is cancelled
    rather than failed, so the page under evaluation stays instead of Chromium's error page.
    """
    request = route.request
    if request.url.startswith(origin + "/"):
        route.continue_()
        return
    seen.outside_requests.append(request.url[:300])
    leaves_page = request.is_navigation_request() and request.frame.parent_frame is None
    route.abort("aborted" if leaves_page else "blockedbyclient")


def _refuse_socket(socket: Any, seen: BrowserFindings) -> None:
    """A websocket always reaches past a static folder: record it and close it unconnected."""
    seen.outside_requests.append(socket.url[:300])
    socket.close()


def _listen(page: Any, origin: str, seen: BrowserFindings) -> None:
    """Record script errors and failed requests for the folder (network failures count once, as requests)."""
    page.on("console", lambda msg: msg.type == "error" and _console_error(msg.text, seen))
    page.on("pageerror", lambda error: seen.console_errors.append(str(error)[:500]))
    page.on(
        "response",
        lambda response: response.status >= 400 and seen.failed_requests.append(f"{response.status} {response.url}"),
    )
    page.on(
        "requestfailed",
        lambda request: (
            request.url.startswith(origin + "/") and seen.failed_requests.append(f"{request.failure} {request.url}")
        ),
    )


def _console_error(text: str, seen: BrowserFindings) -> None:
    """A console error, or a load the page's CSP refused (recorded as blocked: it never reached routing).

    Chromium's echoes of a failed or refused load (its URL already counted as a request) are dropped.
    """
    refused = CSP_REFUSAL.search(text)
    if refused:
        seen.outside_requests.append(f"{refused['url'][:300]} (refused by CSP {refused['directive']})")
    elif not text.startswith("Failed to load resource") and CSP_ECHO not in text:
        seen.console_errors.append(text[:500])


def _load(page: Any, url: str, timeout_s: float, seen: BrowserFindings) -> None:
    """Open ``url`` and wait until the document has loaded.

    Waits on ``document.readyState`` rather than Playwright's load event, which never comes once the
    page has tried to navigate away during loading (e.g. a form submitted by an inline script).
    """
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_function("() => document.readyState === 'complete'", timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        seen.console_errors.append(LOAD_TIMEOUT)


def _settle(page: Any, timeout_s: float, seen: BrowserFindings) -> None:
    """Wait for ``window.webagentReady()`` when the page defines it, else until its canvases stop changing."""
    if not page.evaluate("typeof window.webagentReady === 'function'"):
        page.evaluate(SETTLE_JS)
        return
    try:
        # a function, not an expression string: a page's CSP without 'unsafe-eval' refuses evaluating strings
        page.wait_for_function("() => window.webagentReady()", timeout=timeout_s * 500)
    except PlaywrightTimeout:
        seen.console_errors.append(READY_TIMEOUT)
    except PlaywrightError as exc:  # the page's own readiness check threw
        seen.console_errors.append(f"webagentReady failed: {exc.message.splitlines()[0][:300]}")


def _elements(records: list[dict[str, Any]], origin: str, page_folder: Path, out: Path) -> list[ElementEvidence]:
    """ElementEvidence for each media record, with crops cut from the 1440 px screenshot and video frames."""
    counts: Counter[str] = Counter()
    names = []
    for record in records:
        names.append((record["kind"], counts[record["kind"]]))
        counts[record["kind"]] += 1
    (out / CROPS).mkdir(exist_ok=True)
    boxes = [
        {
            "id": f"{kind}-{index}",
            "x": r["box"]["x"],
            "y": r["box"]["y"],
            "w": r["box"]["width"],
            "h": r["box"]["height"],
        }
        for (kind, index), r in zip(names, records)
    ]
    crop_elements(out / SCREENSHOTS["1440"][0], boxes, out / CROPS)
    elements = []
    for (kind, index), record in zip(names, records):
        source = folder_path(record["src"], origin)
        crop = f"{CROPS}/{kind}-{index}.png"
        elements.append(
            ElementEvidence(
                index=index,
                kind=kind,
                asset_id=record["assetId"],
                source=source,
                box=record["box"],
                natural_size=record["natural"],
                rendered=record["rendered"],
                crop=crop if (out / crop).is_file() else "",
                frames=_video_frames(page_folder, source, out, index) if kind == "video" else [],
                html=shorten_html(record["html"]),
                chart_option=record["option"],
                distortion=distortion(record) if kind == "image" else 0.0,
            )
        )
    return elements


def folder_path(url: str, origin: str) -> str:
    """The path inside the served folder that ``url`` names, or '' when it points elsewhere."""
    if not url.startswith(origin + "/"):
        return ""
    return unquote(urlsplit(url).path).lstrip("/")


def shorten_html(html: str, limit: int = HTML_CHARS) -> str:
    """HTML with long data: URIs elided, cut to ``limit`` characters."""
    html = re.sub(r"data:[^\"')\s]{60,}", "data:…", html)
    return html if len(html) <= limit else html[: limit - 1] + "…"


def distortion(record: dict[str, Any]) -> float:
    """|content-box aspect / natural aspect − 1| of an image drawn with ``object-fit: fill``, else 0.

    fill (the default) is the only object-fit that stretches; cover, contain, none and
    scale-down keep the image's aspect.
    """
    natural, content = record["natural"], record["content"]
    if record["fit"] != "fill" or not natural or min(natural) <= 0 or min(content) <= 0:
        return 0.0
    return round(abs((content[0] / content[1]) / (natural[0] / natural[1]) - 1), 4)


def _video_frames(page_folder: Path, source: str, out: Path, index: int) -> list[str]:
    """Frames of the element's video file, when it lies inside the page folder."""
    try:
        video = safe_join(page_folder, source)
    except UnsafePathError:
        return []
    if not video.is_file():
        return []
    return [path.relative_to(out).as_posix() for path in sample_frames(video, out / FRAMES, f"video-{index}")]


def sample_frames(video: Path, folder: Path, stem: str, count: int = FRAMES_PER_VIDEO) -> list[Path]:
    """``count`` frames spread evenly over ``video``, in order, as ``stem-<n>.jpg``; [] when undecodable."""
    try:
        with closing(imageio_ffmpeg.read_frames(str(video))) as probe:
            seconds = next(probe).get("duration") or imageio_ffmpeg.count_frames_and_secs(str(video))[1]
        every = ["-vf", f"fps={count / seconds:.6f}"]
        with closing(imageio_ffmpeg.read_frames(str(video), output_params=every)) as reader:
            size = next(reader)["size"]
            folder.mkdir(parents=True, exist_ok=True)
            saved = []
            for n, raw in zip(range(count), reader):
                frame = Image.frombytes("RGB", size, bytes(raw))
                frame.thumbnail((FRAME_LONGEST_PX, FRAME_LONGEST_PX))
                saved.append(folder / f"{stem}-{n}.jpg")
                frame.save(saved[-1], quality=85)
    except (RuntimeError, OSError, StopIteration, ZeroDivisionError):
        return []
    return saved


def _short(text: str) -> str:
    return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"


def _glyph_boxes(block: dict[str, Any]) -> list[tuple[float, float, float, float]]:
    """The block's text-line boxes as (left, top, right, bottom), inset to where glyphs are drawn."""
    inset = GLYPH_INSET_EM * block["size"]
    return [(x + 1, y + inset, x + w - 1, y + h - inset) for x, y, w, h in block["rects"]]


def _overlap_px2(a: list[tuple[float, ...]], b: list[tuple[float, ...]]) -> float:
    return sum(
        max(0.0, min(p[2], q[2]) - max(p[0], q[0])) * max(0.0, min(p[3], q[3]) - max(p[1], q[1])) for p in a for q in b
    )


def overlapping_text(blocks: list[dict[str, Any]]) -> list[str]:
    """'A ↔ B' for every pair of text blocks, neither inside the other, whose glyph boxes overlap by over 4 px²."""
    boxes = [_glyph_boxes(b) for b in blocks]
    top = [min((r[1] for r in bs), default=0.0) for bs in boxes]
    bottom = [max((r[3] for r in bs), default=0.0) for bs in boxes]
    order = sorted(range(len(blocks)), key=top.__getitem__)
    pairs = []
    for position, i in enumerate(order):
        for j in order[position + 1 :]:
            if top[j] >= bottom[i]:
                break
            related = i in blocks[j]["ancestors"] or j in blocks[i]["ancestors"]
            if not related and _overlap_px2(boxes[i], boxes[j]) > OVERLAP_MIN_PX2:
                first, second = sorted((i, j))
                pairs.append(f"“{_short(blocks[first]['text'])}” ↔ “{_short(blocks[second]['text'])}”")
    return pairs


def text_colours(block: dict[str, Any]) -> tuple[str, str] | None:
    """(painted text colour, background colour) as #RRGGBB, or None when the background is not one colour.

    Background layers are composited from the first opaque one (white when none is) down to the
    element; the text colour's alpha times the opacity down to that background blends it in.
    """
    if block["layers"] is None:
        return None
    background = "#FFFFFF"
    for r, g, b, alpha in reversed(block["layers"]):
        background = mix(background, rgb_to_hex((r, g, b)), alpha)
    r, g, b, alpha = block["colour"]
    return mix(background, rgb_to_hex((r, g, b)), alpha * block["opacity"]), background


def contrast_failures(blocks: list[dict[str, Any]]) -> list[tuple[dict[str, Any], tuple[str, str], float, float]]:
    """(block, (text colour, background), ratio, ratio needed) for each text block under WCAG AA: 4.5:1,
    or 3:1 for large text (≥ 24 px, or ≥ 18.66 px and bold)."""
    found = []
    for block in blocks:
        colours = text_colours(block)
        if colours is None:
            continue
        large = block["size"] >= 24 or (block["size"] >= 18.66 and block["weight"] >= 700)
        needed = AA_LARGE if large else AA_NORMAL
        ratio = contrast_ratio(*colours)
        if ratio < needed:
            found.append((block, colours, ratio, needed))
    return found


def low_contrast(blocks: list[dict[str, Any]]) -> list[str]:
    """Text blocks under WCAG AA (``contrast_failures``), each as one line."""
    return [
        f"“{_short(block['text'])}” {colours[0]} on {colours[1]}: {ratio:.2f}:1, needs {needed:g}:1"
        for block, colours, ratio, needed in contrast_failures(blocks)
    ]


def low_contrast_blocks(blocks: list[dict[str, Any]]) -> list[LowContrastText]:
    """Text blocks under WCAG AA (``contrast_failures``) with their selectors, sections and colours."""
    return [
        LowContrastText(
            text=_short(block["text"]),
            selector=block["selector"],
            section=block["section"],
            colour=colours[0],
            background=colours[1],
            ratio=round(ratio, 2),
            needed=needed,
        )
        for block, colours, ratio, needed in contrast_failures(blocks)
    ]
