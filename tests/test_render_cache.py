"""The render cache: a page whose files were rendered before gets that render's evidence back without Chromium.

Every test has an empty cache of its own (``WEBAGENT_CACHE_DIR``, set in conftest.py). A session whose
browser cannot start proves that nothing was rendered: any render through it raises BrowserMissingError.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.errors import BrowserMissingError
from webagent.core.store import ENTRY_FILE, StoredEntry, load_entry
from webagent.engine.build import build
from webagent.reflection.critic import look_at_page
from webagent.webbench.evaluation.evidence_cache import evidence_root, page_key

pytestmark = pytest.mark.browser

PROMPT = "A landing page for a small mountain coffee roaster: a hero photo of the hills and a note on the beans."
NEVER_READY = "<script>window.webagentReady = () => false;</script>"


@pytest.fixture
def no_browser(tmp_path):
    with BrowserSession(configured=str(tmp_path / "no-chromium")) as session:
        yield session


def make_page(folder: Path, colour: str = "#336699", script: str = "") -> Path:
    """A page of a heading and one picture (``assets/pic.png`` filled with ``colour``)."""
    (folder / "assets").mkdir(parents=True)
    Image.new("RGB", (64, 48), colour).save(folder / "assets" / "pic.png")
    (folder / "index.html").write_text(
        f"<!doctype html><html><body><h1>Roastery</h1>{script}"
        '<img data-asset-kind="image" data-asset-id="pic" src="assets/pic.png" width="320" height="240">'
        "</body></html>",
        encoding="utf-8",
    )
    return folder


def entries() -> list[Path]:
    root = evidence_root(Settings())
    return sorted(p for p in root.iterdir() if not p.name.startswith(".")) if root.is_dir() else []


def evidence_files(folder: Path) -> dict[str, bytes]:
    """A round's screenshots, crops and frames (not its manifest, evaluation or evidence.json), by path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix != ".json"
    }


def test_rebuild_of_an_unchanged_page_needs_no_browser(tmp_path, browser_session, no_browser):
    first = build(PROMPT, tmp_path / "first", Settings(), browser=browser_session)
    again = build(PROMPT, tmp_path / "again", Settings(), browser=no_browser)

    first_round, again_round = first.out_dir / "rounds" / "000", again.out_dir / "rounds" / "000"
    assert evidence_files(again_round) == evidence_files(first_round)
    assert "page-1440.png" in evidence_files(again_round)
    kept = json.loads((again_round / "evidence.json").read_text())
    assert kept["folder"] == str(again.out_dir.parent / f".{again.out_dir.name}.building")  # where it was rendered
    assert (again.out_dir / "screenshots" / "page-1440.png").read_bytes() == (
        first.out_dir / "screenshots" / "page-1440.png"
    ).read_bytes()
    assert again.record.health.elements == first.record.health.elements


def test_a_changed_asset_byte_renders_again(tmp_path, browser_session, no_browser):
    page = make_page(tmp_path / "page")
    look_at_page(page, 0, Settings(), browser_session)
    Image.new("RGB", (64, 48), "#336698").save(page / "assets" / "pic.png")

    with pytest.raises(BrowserMissingError):
        look_at_page(page, 1, Settings(), no_browser)


def test_the_same_page_in_another_folder_comes_from_the_cache(tmp_path, browser_session, no_browser):
    rendered = look_at_page(make_page(tmp_path / "one"), 0, Settings(), browser_session)
    copied = look_at_page(make_page(tmp_path / "two"), 0, Settings(), no_browser)

    assert copied.folder == str(tmp_path / "two")
    assert copied.model_dump(exclude={"folder"}) == rendered.model_dump(exclude={"folder"})
    assert (tmp_path / "two" / "rounds" / "000" / copied.elements[0].crop).is_file()


def test_corrupt_entry_is_rendered_again_and_replaced(tmp_path, browser_session, no_browser):
    page = make_page(tmp_path / "page")
    look_at_page(page, 0, Settings(), browser_session)
    [entry] = entries()
    (entry / "0").write_bytes(b"not a screenshot")

    with pytest.raises(BrowserMissingError):
        look_at_page(page, 1, Settings(), no_browser)
    look_at_page(page, 2, Settings(), browser_session)
    assert load_entry(entry, entry.name) is not None
    assert look_at_page(page, 3, Settings(), no_browser).elements[0].rendered


def test_entry_naming_a_file_outside_its_folder_is_a_miss(tmp_path, browser_session):
    page = make_page(tmp_path / "page")
    look_at_page(page, 0, Settings(), browser_session)
    [entry] = entries()
    stored = StoredEntry.model_validate_json((entry / ENTRY_FILE).read_text())
    stored.files[0].name = "../../planted.png"
    (entry / ENTRY_FILE).write_text(stored.model_dump_json())

    evidence = look_at_page(page, 1, Settings(), browser_session)

    assert evidence.elements[0].rendered
    assert not (page / "planted.png").exists() and not (page / "rounds" / "planted.png").exists()


def test_a_render_that_timed_out_is_not_stored(tmp_path, browser_session):
    page = make_page(tmp_path / "page", script=NEVER_READY)
    evidence = look_at_page(page, 0, Settings(render_timeout_s=1), browser_session)

    assert "page did not report ready in time" in evidence.console_errors
    assert entries() == []


def test_cache_off_renders_every_time(tmp_path, browser_session, no_browser):
    page = make_page(tmp_path / "page")
    look_at_page(page, 0, Settings(media_cache=False), browser_session)

    assert entries() == []
    with pytest.raises(BrowserMissingError):
        look_at_page(page, 1, Settings(), no_browser)


def test_key_follows_the_page_files_and_nothing_else(tmp_path):
    one, two = make_page(tmp_path / "one"), make_page(tmp_path / "two")
    (two / "run.json").write_text("{}")
    (two / "rounds").mkdir()

    assert page_key(one) == page_key(two)
    (two / "assets" / "extra.css").write_text("h1 { color: red }")
    assert page_key(one) != page_key(two)
