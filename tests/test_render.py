"""One page load: the folder is served alone, everything else is blocked and reported, health is measured."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from webagent.webbench.evaluation.evidence import collect_evidence, health_of

pytestmark = pytest.mark.browser


def render_page(session, folder: Path):
    """The render health of one load of ``folder``, its evidence kept in ``folder``/evidence."""
    return health_of(collect_evidence(session, folder, folder / "evidence"))


def write_page(folder: Path, body: str, style: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><style>{style}</style></head><body>{body}"
        "<script>window.webagentReady = () => true;</script></body></html>"
    )
    return folder


def test_requests_outside_the_folder_are_blocked_and_reported(tmp_path, browser_session):
    (tmp_path / "secret.txt").write_text("outside the page folder")
    page = write_page(
        tmp_path / "site",
        '<img src="https://example.invalid/logo.png" alt="">'
        '<script src="http://127.0.0.2:9/tracker.js"></script>'
        '<link rel="stylesheet" href="https://fonts.invalid/css">'
        '<img src="../secret.txt" alt="">',
    )
    health = render_page(browser_session, page)
    blocked = " ".join(health.blocked_requests)
    assert "example.invalid" in blocked and "127.0.0.2" in blocked and "fonts.invalid" in blocked
    # the relative escape resolves inside the served origin, where the server cannot reach above the folder
    assert any("secret.txt" in failed and failed.startswith("404") for failed in health.failed_requests)
    assert not health.ok


def test_broken_media_and_overflow_are_reported(tmp_path, browser_session):
    page = write_page(
        tmp_path / "site",
        '<img data-asset-id="hero" data-asset-kind="image" src="assets/missing.webp" alt="">'
        '<div style="width:2000px;height:10px"></div>',
    )
    health = render_page(browser_session, page)
    hero = next(e for e in health.elements if e.id == "hero")
    assert not hero.ok and hero.detail == "image did not load"
    assert health.overflow_px["1440"] > 0 and health.overflow_px["390"] > 0
    assert any("missing.webp" in f for f in health.failed_requests)


def test_console_errors_are_reported(tmp_path, browser_session):
    page = write_page(tmp_path / "site", "<script>throw new Error('boom in page')</script>")
    health = render_page(browser_session, page)
    assert any("boom in page" in e for e in health.console_errors)


def test_clean_page_is_healthy_and_every_element_is_cropped(tmp_path, browser_session):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    Image.new("RGB", (400, 200), "#C8742B").save(site / "assets" / "hero.png")
    page = write_page(
        site,
        '<h1>Hello</h1><div style="height:1500px"></div>'
        '<img data-asset-id="hero" data-asset-kind="image" src="assets/hero.png" width="200" height="100" alt="">',
        style="body { margin: 0 }",
    )
    health = render_page(browser_session, page)
    assert health.ok, health.summary()
    assert (page / "evidence" / "page-390.png").exists()
    with Image.open(page / "evidence" / "page-1440.png") as full:
        assert full.height > 1500
    with Image.open(page / "evidence" / "crops" / "image-0.png") as crop:
        assert crop.size == (200, 100)
        assert crop.convert("RGB").getpixel((100, 50)) == (0xC8, 0x74, 0x2B)


def test_screenshots_show_finite_animations_finished_and_endless_ones_at_rest(tmp_path, browser_session):
    """As Playwright's animations="disabled": a finite animation at its end, an endless one at the element's own style."""
    page = write_page(
        tmp_path / "site",
        '<div id="finite"></div><div id="endless"></div>',
        style="body { margin: 0 } div { width: 200px; height: 100px }"
        "#finite { background: rgb(255, 0, 0); animation: to-blue 100s forwards }"
        "#endless { background: rgb(0, 0, 0); animation: flash 1s infinite }"
        "@keyframes to-blue { to { background: rgb(0, 0, 255) } }"
        "@keyframes flash { from { background: rgb(0, 255, 0) } to { background: rgb(255, 255, 0) } }",
    )
    render_page(browser_session, page)
    for name in ("page-1440.png", "page-390.png"):
        with Image.open(page / "evidence" / name) as shot:
            pixels = shot.convert("RGB")
            assert (pixels.getpixel((100, 50)), pixels.getpixel((100, 150))) == ((0, 0, 255), (0, 0, 0)), name
