"""Reflection driven by models, end to end against the scripted OpenAI-compatible server: the judge
model critiques every round and the coder model fixes what it flags, at the level it flags it.

The scripted judge finds nothing wrong unless a test's designer says otherwise; critiques depend on
what the page shows (an element's first version, a patched section) or on how often an element was
judged, so each test scripts one round's problem and sees what the loop made of it.
"""

from __future__ import annotations

import io
import json
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.model_server import ScriptedServer, chat_reply
from tests.scripted_model import (
    FIXED_IMAGE_RGB,
    IMAGE_RGB,
    PATCH_NOTE,
    RESTYLE_RULE,
    RESTYLED_SECONDARY,
    ScriptedDesigner,
    asset_in,
    request_text,
)
from webagent.core.config import Settings
from webagent.core.records import History, RunRecord
from webagent.core.render import serve_folder
from webagent.core.source import PageSource
from webagent.engine.build import build

pytestmark = pytest.mark.browser

PROMPT = """A landing page for a tea shop called "Leaf & Kettle". The header shows the logo and links "Teas", "Visit".
The hero has the headline "Steeped in Quiet Mornings", a button "Browse Teas" and a photo of a teapot on a windowsill.
A section "Our Gardens" shows a photo of terraced tea fields in mist.
A section "Loose Leaf Sales" with a bar chart:

| Tea | Tins |
|---|---|
| Sencha | 120 |
| Oolong | 90 |

The footer says "Brewed with care since 1998"."""
FLAGGED, OTHER, CHART, SECTION = "content-photo", "hero-photo", "chart-chart", "content"


def judged_settings(server: ScriptedServer) -> Settings:
    """Planner, coder and chart by the server's models, images by its images API, the judge model as critic."""
    return Settings(
        base_url=server.url,
        api_key="sk-test",
        image_backend="openai",
        judge_model="vision-judge",
        critic="llm",
        reflection_rounds=1,
        model_backoff_s=0.01,
        model_timeout_s=5,
        model_retries=1,
    )


def built(designer: ScriptedDesigner, folder: Path, browser_session) -> tuple[Path, ScriptedServer]:
    with ScriptedServer(designer) as server:
        result = build(PROMPT, folder, judged_settings(server), browser=browser_session)
    assert result.record.backends["critic"] == "llm" and result.record.backends["coder"] == "llm"
    return result.out_dir, server


class Counted(ScriptedDesigner):
    """A designer that counts how often each element was judged (judge calls of a round run in parallel)."""

    def __init__(self) -> None:
        super().__init__()
        self.judged: Counter[str] = Counter()
        self._count_lock = threading.Lock()

    def first_look(self, text: str) -> bool:
        """Whether this is the first judge request about the element in ``text``."""
        with self._count_lock:
            self.judged[asset_in(text)] += 1
            return self.judged[asset_in(text)] == 1


def element_issues(level: str, *issues: str) -> list[dict]:
    return [{"issue": issue, "level": level, "fix": f"fix for {issue}"} for issue in issues]


def run_record(folder: Path) -> RunRecord:
    return RunRecord.model_validate_json((folder / "run.json").read_text())


def round_files(folder: Path, number: int) -> dict[str, bytes]:
    """Every page file of round ``number`` as its checkpoint stored it."""
    manifest = json.loads((folder / "rounds" / f"{number:03d}" / "files.json").read_text())
    return {path: (folder / "rounds" / "store" / digest).read_bytes() for path, digest in manifest.items()}


def checkout(folder: Path, number: int, into: Path) -> Path:
    """A copy of round ``number``'s page in a folder of its own."""
    for path, data in round_files(folder, number).items():
        (into / path).parent.mkdir(parents=True, exist_ok=True)
        (into / path).write_bytes(data)
    return into


def sections(html: str | bytes) -> dict[str, str]:
    return {tag["id"]: str(tag) for tag in BeautifulSoup(html, "html.parser").find_all("section")}


def in_chromium(browser_session, folder: Path, look: Callable[[Any], Any]) -> Any:
    """``look(page)`` on the folder's index.html open at 1440 px in the test session's Chromium."""

    def work(browser: Any) -> Any:
        with serve_folder(folder) as origin:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            try:
                page.goto(f"{origin}/index.html", wait_until="load")
                return look(page)
            finally:
                page.close()

    return browser_session.call(work)


def shown_colour(page: Any, asset_id: str) -> np.ndarray:
    """The mean colour of an image as the page draws it."""
    element = page.locator(f'[data-asset-id="{asset_id}"]')
    element.scroll_into_view_if_needed()
    page.wait_for_function("(id) => document.querySelector(`[data-asset-id='${id}']`).complete", arg=asset_id)
    with Image.open(io.BytesIO(element.screenshot())) as shot:
        return np.asarray(shot.convert("RGB")).reshape(-1, 3).mean(axis=0)


def embedding(page: Any, asset_id: str) -> tuple[str, str]:
    style = "e => [getComputedStyle(e).objectFit, getComputedStyle(e).objectPosition]"
    return tuple(page.eval_on_selector(f'[data-asset-id="{asset_id}"]', style))


# --- element level ---------------------------------------------------------------------------------


class FlagsOneImage(ScriptedDesigner):
    """The judge finds two picture problems in the first version of one image."""

    def image_verdict(self, text: str) -> dict:
        first_version = f'src="assets/{FLAGGED}.' in text
        if asset_in(text) == FLAGGED and first_version:
            return {"issues": element_issues("element", "XYZ-distinct issue", "the mist is missing")}
        return super().image_verdict(text)


def test_flagged_image_alone_is_regenerated_with_the_issue_in_its_prompt(tmp_path, browser_session):
    folder, server = built(FlagsOneImage(), tmp_path / "page", browser_session)
    requests = server.seen("/images/generations")
    assert len(requests) == 3, "two images at build time, then exactly one regeneration"
    again = requests[-1].body["prompt"]
    assert "XYZ-distinct issue" in again and "terraced tea fields" in again
    assert not any("XYZ-distinct issue" in r.body["prompt"] for r in requests[:2])

    source = PageSource.model_validate_json((folder / "source.json").read_text())
    assert source.assets[FLAGGED].path == f"assets/{FLAGGED}-v1.webp"
    assert (folder / source.assets[OTHER].path).read_bytes() == round_files(folder, 0)[source.assets[OTHER].path]
    record = run_record(folder)
    assert [(r.number, r.level, r.kept) for r in record.rounds] == [(0, None, True), (1, "element", True)]
    assert [f.target for f in record.rounds[1].fixes] == [FLAGGED]
    colours = in_chromium(browser_session, folder, lambda page: {i: shown_colour(page, i) for i in (FLAGGED, OTHER)})
    assert np.allclose(colours[FLAGGED], FIXED_IMAGE_RGB, atol=8)
    assert np.allclose(colours[OTHER], IMAGE_RGB, atol=8)


class FlagsTheChartOnce(Counted):
    """The judge finds two problems in the chart the first time it sees it."""

    def chart_verdict(self, text: str) -> dict:
        if self.first_look(text):
            return {"blank": False, "issues": element_issues("element", "QRS-chart issue", "no axis title")}
        return super().chart_verdict(text)


def test_chart_issue_reaches_the_chart_model_request(tmp_path, browser_session):
    folder, server = built(FlagsTheChartOnce(), tmp_path / "page", browser_session)
    drafts = server.seen("/chat/completions", step="ChartDraft")
    assert len(drafts) == 2
    assert "QRS-chart issue" not in request_text(drafts[0]) and "Fix: QRS-chart issue" in request_text(drafts[1])
    source = PageSource.model_validate_json((folder / "source.json").read_text())
    assert source.assets[CHART].path == f"assets/{CHART}-v1.json" and (folder / source.assets[CHART].path).is_file()


# --- container level -------------------------------------------------------------------------------


class FlagsHowOneImageSits(Counted):
    """The first time the judge sees one image, it finds it displayed badly (the picture itself is fine)."""

    def image_verdict(self, text: str) -> dict:
        if asset_in(text) == FLAGGED and self.first_look(text):
            return {"issues": element_issues("container", "the subject sits off to one side", "the top is cropped")}
        return super().image_verdict(text)


def test_container_issue_lands_as_css_scoped_to_that_element(tmp_path, browser_session):
    folder, server = built(FlagsHowOneImageSits(), tmp_path / "page", browser_session)
    assert len(server.seen("/chat/completions", step="ElementStyle")) == 1
    assert len(server.seen("/images/generations")) == 2, "a container issue regenerates nothing"
    record = run_record(folder)
    assert [(r.level, r.kept) for r in record.rounds] == [(None, True), ("container", True)]
    fix = record.rounds[1].fixes[0]
    assert (fix.level, fix.action, fix.target) == ("container", "element_style", FLAGGED)

    css = (folder / "assets" / "page.css").read_text()
    declarations = "object-fit:contain !important;object-position:left top !important"
    rule = f'#{SECTION} [data-asset-id="{FLAGGED}"]{{{declarations}}}'
    assert fix.instruction == "object-fit: contain; object-position: left top", "width is no embedding property"
    assert rule in css and "width:50%" not in css
    assert css.count("[data-asset-id=") == 1, "no other element got a rule"

    before = checkout(folder, 0, tmp_path / "round-0")
    looks = {
        name: in_chromium(browser_session, page, lambda p: {i: embedding(p, i) for i in (FLAGGED, OTHER)})
        for name, page in (("before", before), ("after", folder))
    }
    assert looks["before"][FLAGGED] == ("cover", "50% 50%")
    assert looks["after"][FLAGGED] == ("contain", "0% 0%")
    assert looks["after"][OTHER] == looks["before"][OTHER] == ("cover", "50% 50%")


# --- page level ------------------------------------------------------------------------------------


class GardensPenalty(ScriptedDesigner):
    """The judge penalises the layout of the gardens section until it is patched; ``patched`` is the
    layout it then sees."""

    issue = "The section “Our Gardens” crowds its photo against the text"
    patched: tuple[dict, ...] = ()

    def layout(self, text: str) -> dict:
        if PATCH_NOTE in text:
            return {"penalties": list(self.patched)}
        return {"penalties": [{"issue": self.issue, "penalty": 0.5, "fix": "add space between the photo and the text"}]}


class PatchMakesItWorse(GardensPenalty):
    patched = ({"issue": "the sections now read as one list", "penalty": 1.0, "fix": "restore the grid"},)


def test_global_patch_that_scores_worse_is_rolled_back(tmp_path, browser_session):
    folder, server = built(PatchMakesItWorse(), tmp_path / "page", browser_session)
    assert server.seen("/chat/completions", step="SectionChoice") == [], "the quoted heading placed the penalty"
    patches = [r for r in server.seen("/chat/completions", step="SectionCode") if "Current markup:" in request_text(r)]
    assert len(patches) == 1 and 'Section "content"' in request_text(patches[0])

    record = run_record(folder)
    assert [(r.number, r.level, r.kept) for r in record.rounds] == [(0, None, True), (1, "page", False)]
    assert record.rounds[1].note.startswith("rolled back to round 0")
    assert record.rounds[1].score_after < record.rounds[1].score_before
    assert PATCH_NOTE.encode() in round_files(folder, 1)["index.html"], "the worse round stays in the history"
    assert History.model_validate_json((folder / "rounds" / "history.json").read_text()).current == 0
    kept = round_files(folder, 0)
    assert (folder / "index.html").read_bytes() == kept["index.html"]
    for path, data in kept.items():
        assert (folder / path).read_bytes() == data, path


class CrampedContent(GardensPenalty):
    issue = "The content section is cramped: its photo touches the text"


def test_global_patch_changes_nothing_outside_the_flagged_section(tmp_path, browser_session):
    folder, server = built(CrampedContent(), tmp_path / "page", browser_session)
    assert len(server.seen("/chat/completions", step="SectionChoice")) == 1
    record = run_record(folder)
    assert record.warnings == []
    assert [(r.level, r.kept) for r in record.rounds] == [(None, True), ("page", True)]
    assert [(f.action, f.target) for f in record.rounds[1].fixes] == [("patch_section", SECTION)]

    old, new = round_files(folder, 0), {p: (folder / p).read_bytes() for p in round_files(folder, 0)}
    old_sections, new_sections = sections(old["index.html"]), sections(new["index.html"])
    assert old_sections.keys() == new_sections.keys() and len(old_sections) == 5
    assert PATCH_NOTE not in old_sections[SECTION] and PATCH_NOTE in new_sections[SECTION]
    for section_id in old_sections.keys() - {SECTION}:
        assert new_sections[section_id] == old_sections[section_id], section_id

    old_source = PageSource.model_validate_json(old["source.json"])
    new_source = PageSource.model_validate_json(new["source.json"])
    old_css, new_css = old_source.section_css[SECTION], new_source.section_css[SECTION]
    assert old_css != new_css and ".scripted-patch" in new_css
    page_css = old["assets/page.css"].decode()
    assert page_css.count(old_css) == 1
    assert new["assets/page.css"].decode() == page_css.replace(old_css, new_css)


class SmallHeadingsEverywhere(ScriptedDesigner):
    """The judge finds every heading of the page too small until the shared stylesheet changes; the coder
    says the defect is the whole page's."""

    def layout(self, text: str) -> dict:
        if RESTYLE_RULE in text:
            return {"penalties": []}
        issue = {"issue": "Headings are too small on every section", "penalty": 0.5, "fix": "a bolder type scale"}
        return {"penalties": [issue]}

    def section_choice(self, text: str) -> dict:
        return {"choices": [{"penalty": 0, "section_ids": ["page"]}]}


def test_a_defect_of_the_whole_page_changes_the_shared_stylesheet_and_palette_not_a_section(tmp_path, browser_session):
    folder, server = built(SmallHeadingsEverywhere(), tmp_path / "page", browser_session)
    record = run_record(folder)
    assert record.warnings == []
    assert [(r.level, r.kept) for r in record.rounds] == [(None, True), ("page", True)]
    assert [(f.action, f.target) for f in record.rounds[1].fixes] == [("restyle_page", "page")]
    (restyle,) = server.seen("/chat/completions", step="PageRestyle")
    assert "a bolder type scale" in request_text(restyle)
    assert [
        r for r in server.seen("/chat/completions", step="SectionCode") if "Current markup:" in request_text(r)
    ] == []

    old, new = round_files(folder, 0), {p: (folder / p).read_bytes() for p in round_files(folder, 0)}
    assert sections(new["index.html"]) == sections(old["index.html"])  # no section's markup changed
    old_source = PageSource.model_validate_json(old["source.json"])
    new_source = PageSource.model_validate_json(new["source.json"])
    assert new_source.section_css == old_source.section_css
    assert new_source.design_css.startswith(old_source.design_css.strip()) and RESTYLE_RULE in new_source.design_css
    assert new_source.plan.tokens.palette.secondary == RESTYLED_SECONDARY
    assert f"--secondary: {RESTYLED_SECONDARY};" in new["assets/page.css"].decode()


class PatchLosesTheCopy(CrampedContent):
    """A coder whose patch drops the section's copy and its image slot, even when asked again."""

    @staticmethod
    def patch_section(text: str) -> dict:
        return {"html": '<section id="content"><p>Nothing here</p></section>', "css": ""}


def test_patch_that_loses_copy_or_slots_leaves_the_section_as_it_was(tmp_path, browser_session):
    folder, server = built(PatchLosesTheCopy(), tmp_path / "page", browser_session)
    patches = [r for r in server.seen("/chat/completions", step="SectionCode") if "Current markup:" in request_text(r)]
    assert len(patches) == 2, "one repair request, then the section is left alone"
    asked_again = request_text(patches[1])
    assert "missing copy, show it verbatim: 'Our Gardens'" in asked_again and "missing slot for element" in asked_again
    record = run_record(folder)
    assert any(w.startswith(f"section {SECTION} was left as it was:") for w in record.warnings)
    assert (folder / "index.html").read_bytes() == round_files(folder, 0)["index.html"]


class GarbledJudge(ScriptedDesigner):
    """A judge whose layout answers never hold JSON, however often it is asked to repair them."""

    def __call__(self, seen):
        if seen.step == "PenaltyCritique" and "layout" in request_text(seen).lower():
            return chat_reply("The layout looks {mostly} fine to me.")
        return super().__call__(seen)


def test_a_judge_that_never_answers_usably_does_not_end_the_build(tmp_path, browser_session):
    with ScriptedServer(GarbledJudge()) as server:
        result = build(PROMPT, tmp_path / "page", judged_settings(server), browser=browser_session)
    warnings = [w for w in result.record.warnings if "scored by the static critic" in w]
    assert warnings and "layout" in warnings[0]
    assert (result.out_dir / "index.html").is_file()
    assert all(r.score_after is not None for r in result.record.rounds)
