"""Page-level reflection in its two modes, against the scripted server with the same critiques:
section patching (the default) and the whole-page rewrite kept to measure against.

The scripted judge penalises two sections (by quoting their headings) until the page shows a patch;
the scripted coder patches a section by adding a marked paragraph, and rewrites the whole page by
patching every section so. Both modes therefore fix the same penalties; they differ in what the
coder is sent and writes back, which run.json's model calls count.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.model_server import ScriptedServer
from tests.scripted_model import PATCH_NOTE, ScriptedDesigner
from webagent.core.config import Settings
from webagent.core.records import RunRecord
from webagent.core.source import ModelCall, PageSource
from webagent.engine.build import build

pytestmark = pytest.mark.browser

PROMPT = """A page for a bakery called "Crumb & Co". The header shows the logo and links "Bread", "Visit".
The hero has the headline "Baked Before Sunrise", a button "See the Loaves" and a photo of a sourdough loaf.
A section "Our Ovens" shows a photo of a wood-fired oven.
A section "Weekly Loaves" has a bar chart of loaves sold: Rye 80, Spelt 55, Brioche 40.
The footer says "Open every morning since 2004"."""
SECTION_IDS = {"header", "hero", "content", "chart", "footer"}
PENALISED = {"content", "hero"}
CRAMPED = {
    "issue": "The section “Our Ovens” crowds its photo against the text",
    "penalty": 0.5,
    "fix": "add space between the photo and the text",
}
SMALL_HEADLINE = {
    "issue": "The headline “Baked Before Sunrise” is too small for a hero",
    "penalty": 0.5,
    "fix": "make the headline larger",
}
REFLECTION_STEPS = ("patch ", "choose sections", "rewrite page")


class TwoPenalties(ScriptedDesigner):
    """A judge that finds the ovens section cramped (layout) and the hero's headline small (style) until
    the page shows a patch."""

    def layout(self, text: str) -> dict:
        return {"penalties": [] if PATCH_NOTE in text else [CRAMPED]}

    def style(self, text: str) -> dict:
        return {"penalties": [] if PATCH_NOTE in text else [SMALL_HEADLINE]}


def build_in_mode(mode: str, designer: ScriptedDesigner, folder: Path, browser_session, cache: Path) -> Path:
    """The page built with model planner, coder and judge, one page-level round in ``mode``."""
    with ScriptedServer(designer) as server:
        settings = Settings(
            base_url=server.url,
            api_key="sk-test",
            image_backend="openai",
            judge_model="vision-judge",
            critic="llm",
            reflection_rounds=1,
            page_reflection=mode,
            model_backoff_s=0.01,
            model_timeout_s=5,
            model_retries=1,
            cache_dir=cache,
        )
        return build(PROMPT, folder, settings, browser=browser_session).out_dir


@pytest.fixture(scope="module")
def pages(tmp_path_factory, browser_session) -> dict[str, Path]:
    """The same page built once per mode, under the same critiques."""
    root = tmp_path_factory.mktemp("modes")
    return {
        mode: build_in_mode(mode, TwoPenalties(), root / mode, browser_session, root / f"{mode}-cache")
        for mode in ("sections", "whole_page")
    }


def run_record(folder: Path) -> RunRecord:
    return RunRecord.model_validate_json((folder / "run.json").read_text())


def section_markup(folder: Path) -> dict[str, str]:
    soup = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    return {tag["id"]: str(tag) for tag in soup.find_all("section")}


def reflection_calls(folder: Path) -> list[ModelCall]:
    """The coder's page-level reflection requests of the build."""
    return [c for c in run_record(folder).model_calls if c.role == "coder" and c.step.startswith(REFLECTION_STEPS)]


def test_both_modes_fix_the_same_penalties(pages):
    for mode, folder in pages.items():
        record = run_record(folder)
        assert [(r.level, r.kept) for r in record.rounds] == [(None, True), ("page", True)], mode
        assert {f.reason for f in record.rounds[1].fixes} == {CRAMPED["issue"], SMALL_HEADLINE["issue"]}, mode
        assert record.warnings == [], mode
    section_fixes = run_record(pages["sections"]).rounds[1].fixes
    assert {(f.action, f.target) for f in section_fixes} == {("patch_section", s) for s in PENALISED}


def test_section_mode_patches_only_the_penalised_sections(pages):
    patched = {sid for sid, html in section_markup(pages["sections"]).items() if PATCH_NOTE in html}
    assert patched == PENALISED
    assert sorted(c.step for c in reflection_calls(pages["sections"])) == ["patch content", "patch hero"]


def test_whole_page_mode_rewrites_every_section_in_one_request(pages):
    markup = section_markup(pages["whole_page"])
    assert markup.keys() == SECTION_IDS
    assert all(PATCH_NOTE in html for html in markup.values())
    assert [c.step for c in reflection_calls(pages["whole_page"])] == ["rewrite page"]
    source = PageSource.model_validate_json((pages["whole_page"] / "source.json").read_text())
    assert all(".scripted-patch" in source.section_css[sid] for sid in SECTION_IDS)


def test_whole_page_mode_writes_more_output_tokens(pages):
    spent = {mode: sum(c.output_tokens for c in reflection_calls(folder)) for mode, folder in pages.items()}
    assert 0 < spent["sections"] < spent["whole_page"]


class CarelessRewrite(TwoPenalties):
    """A whole-page rewrite that drops the ovens section's copy and photo slot and puts a script and a
    page-wide rule into the footer."""

    def rewrite_page(self, text: str) -> dict:
        answer = super().rewrite_page(text)
        for section in answer["sections"]:
            if section["section_id"] == "content":
                section["html"] = '<section id="content"><p>Fresh bread.</p></section>'
            if section["section_id"] == "footer":
                section["html"] = section["html"].replace("</section>", "<script>alert(1)</script></section>")
                section["css"] += "\nbody { background: red; }"
        return answer


def test_section_the_rewrite_breaks_keeps_its_old_code_with_a_warning(tmp_path, browser_session):
    folder = build_in_mode("whole_page", CarelessRewrite(), tmp_path / "page", browser_session, tmp_path / "cache")
    record = run_record(folder)
    assert [(r.level, r.kept) for r in record.rounds] == [(None, True), ("page", True)]
    [warning] = record.warnings
    assert warning.startswith("section content was left as it was: missing copy, show it verbatim: 'Our Ovens'")
    assert "missing slot for element 'content-photo'" in warning

    markup = section_markup(folder)
    assert PATCH_NOTE not in markup["content"] and "Fresh bread." not in markup["content"]
    assert 'data-asset-id="content-photo"' in markup["content"]
    assert all(PATCH_NOTE in markup[sid] for sid in SECTION_IDS - {"content"})
    assert "<script" not in markup["footer"]
    footer_css = PageSource.model_validate_json((folder / "source.json").read_text()).section_css["footer"]
    assert "#footer { background: red; }" in footer_css and "body" not in footer_css, "scoped to its section"
