"""User edits on a built page: `webagent edit`, `regenerate`, `history`, `restore`.

One page is built per module (real build, real Chromium) and copied for each test. An edit must
change only what it names: every other section's markup in index.html and every other asset file
stay byte for byte; `restore` brings back an earlier round exactly.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from tests.model_server import ScriptedServer, chat_reply, error_reply
from tests.scripted_model import PATCH_NOTE, ScriptedDesigner
from webagent.cli import app
from webagent.core.colour import hex_to_rgb, relative_luminance
from webagent.core.config import Settings
from webagent.core.contracts import PagePlan
from webagent.core.records import RunRecord
from webagent.core.render import serve_folder
from webagent.core.source import PageSource
from webagent.engine.build import build
from webagent.engine.edit import edit_page, regenerate_element, restore_page
from webagent.engine.pages import page_history
from webagent.reflection.edit_grammar import read_instruction
from webagent.reflection.rounds import page_files
from webagent.reflection.structure import EditError, apply_structure_fixes

pytestmark = pytest.mark.browser

PROMPT = (Path(__file__).parent.parent / "examples" / "demo-prompt.txt").read_text()
OFFLINE = Settings()
SECTIONS = ".site-header[id], main > section[id], .site-footer[id]"
FACTS_JS = """
async () => {
  const charts = Array.from(document.querySelectorAll('[data-asset-kind="chart"]'));
  for (let waited = 0; waited < 5000 && !charts.every((el) => window.echarts && echarts.getInstanceByDom(el)); waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const style = (selector, name) => { const el = document.querySelector(selector); return el ? getComputedStyle(el)[name] : null; };
  return {
    order: Array.from(document.querySelectorAll('.site-header[id], main > section[id], .site-footer[id]')).map((s) => s.id),
    hero_background: style('#hero', 'backgroundColor'),
    heading_font: style('h1', 'fontFamily'),
    body_font: style('body', 'fontFamily'),
    button_background: style('.btn-primary', 'backgroundColor'),
    charts: Object.fromEntries(charts.map((el) => [el.dataset.assetId,
      echarts.getInstanceByDom(el).getOption().series.map((s) => s.type)])),
  };
}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory, browser_session) -> Path:
    folder = tmp_path_factory.mktemp("edits") / "page"
    build(PROMPT, folder, OFFLINE, browser=browser_session)
    return folder


@pytest.fixture
def page(built, tmp_path) -> Path:
    copy = tmp_path / "page"
    shutil.copytree(built, copy)
    return copy


def sections(folder: Path) -> dict[str, str]:
    """Each section of index.html (header, <section>s, footer) by id, as markup, in page order."""
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {tag["id"]: str(tag) for tag in soup.select(SECTIONS)}


def files(folder: Path) -> dict[str, bytes]:
    """Every file that makes the page (index.html, source.json, plan.json, assets/), by relative path."""
    return {name: (folder / name).read_bytes() for name in page_files(folder)}


def assets(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in files(folder).items() if name.startswith("assets/")}


def source(folder: Path) -> PageSource:
    return PageSource.model_validate_json((folder / "source.json").read_text(encoding="utf-8"))


def facts(folder: Path, browser_session) -> dict[str, Any]:
    """What Chromium shows: section order, computed colours and fonts, each chart's series types."""

    def look(browser: Any) -> dict[str, Any]:
        with serve_folder(folder) as origin:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            view = context.new_page()
            view.goto(f"{origin}/index.html", wait_until="load")
            found = view.evaluate(FACTS_JS)
            context.close()
        return found

    return browser_session.call(look)


def rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*hex_to_rgb(colour))


def assert_others_unchanged(before: dict[str, Any], after: dict[str, Any], targets: set[str]) -> None:
    """Every key outside ``targets`` holds the same value before and after."""
    assert {k: v for k, v in before.items() if k not in targets} == {k: v for k, v in after.items() if k not in targets}


# --- the offline edit grammar on the page -------------------------------------------------------


def test_the_issue_example_changes_only_the_hero_and_the_chart(page, browser_session):
    old_sections, old_assets, old_chart = sections(page), assets(page), source(page).assets["chart-chart"].path
    shown = facts(page, browser_session)
    assert shown["charts"] == {"chart-chart": ["bar"]}

    change = edit_page(page, "make the hero darker and the chart a line chart", OFFLINE, browser=browser_session)

    [record] = change.rounds
    darker, chart = record.fixes
    assert (record.origin, darker.action, darker.target) == ("edit", "section_background", "hero")
    assert (chart.action, chart.target, chart.instruction) == ("chart_type", "chart-chart", "line")
    assert_others_unchanged(old_sections, sections(page), {"hero"})  # a chart's option is in the page script
    now = facts(page, browser_session)
    assert now["charts"] == {"chart-chart": ["line"]}
    assert now["hero_background"] == rgb(darker.instruction) != shown["hero_background"]
    plan = source(page).plan
    assert plan.section("hero").background == darker.instruction
    assert relative_luminance(darker.instruction) < relative_luminance(plan.tokens.palette.background)
    new_assets, chart_path = assets(page), source(page).assets["chart-chart"].path
    assert chart_path not in old_assets and chart_path in new_assets
    assert_others_unchanged(old_assets, new_assets, {old_chart, chart_path})


def test_colour_and_font_edits_reach_the_computed_style(page, browser_session):
    old_sections = sections(page)

    edit_page(page, "use #1F2A44 as the primary colour and use Georgia for headings", OFFLINE, browser=browser_session)

    assert sections(page) == old_sections  # tokens are CSS variables: no section markup changes
    now = facts(page, browser_session)
    assert now["button_background"] == rgb("#1F2A44")
    assert now["heading_font"].startswith("Georgia")
    assert not now["body_font"].startswith("Georgia")
    assert "--primary: #1F2A44;" in (page / "assets" / "page.css").read_text()


def test_order_remove_and_add_change_only_the_structure(page, browser_session):
    old_sections, old_assets = sections(page), assets(page)

    edit_page(
        page,
        "remove the features section, move the chart section above the hero section and add a section "
        '"Opening hours" with text "Tue–Sun, 7am–3pm" after the testimonials section',
        OFFLINE,
        browser=browser_session,
    )

    now = sections(page)
    assert (
        facts(page, browser_session)["order"]
        == list(now)
        == ["header", "chart", "hero", "testimonials", "opening-hours", "footer"]
    )
    for section_id, markup in now.items():
        if section_id != "opening-hours":
            assert markup == old_sections[section_id], section_id
    added = BeautifulSoup(now["opening-hours"], "html.parser").get_text(" ")
    assert "Opening hours" in added and "Tue–Sun, 7am–3pm" in added
    plan = PagePlan.model_validate_json((page / "plan.json").read_text())
    assert "features-video" not in {a.id for a in plan.assets}
    assert "features-video" not in source(page).assets
    assert {name: data for name, data in old_assets.items() if "features-video" not in name} == assets(page)


def test_regenerate_makes_a_new_file_and_changes_nothing_else(page, browser_session):
    old_sections, old_assets = sections(page), assets(page)
    old_path = source(page).assets["hero-photo"].path

    steps = []
    change = regenerate_element(page, "hero-photo", None, OFFLINE, browser=browser_session, on_progress=steps.append)

    assert change.rounds[0].origin == "regenerate"
    assert [(s.node, s.started) for s in steps] == [
        (node, started) for node in ("reflect", "assemble", "render", "evaluate", "finish") for started in (True, False)
    ]
    assert steps[-1].done == steps[-1].total == 5 and all(s.done < s.total for s in steps[:-1])
    new_path = source(page).assets["hero-photo"].path
    now = assets(page)
    assert new_path != old_path and old_path not in now and now[new_path] != old_assets[old_path]
    assert {k: v for k, v in old_assets.items() if k != old_path} == {k: v for k, v in now.items() if k != new_path}
    assert_others_unchanged(old_sections, sections(page), {"hero"})


def test_regenerate_with_a_prompt_replaces_the_prompt(page, browser_session):
    regenerate_element(page, "hero-photo", "A city skyline at night", OFFLINE, browser=browser_session)

    spec = next(a for a in source(page).plan.assets if a.id == "hero-photo")
    assert spec.prompt == "A city skyline at night"
    assert [(f.action, f.target) for f in page_history(page).rounds[-1].fixes] == [
        ("element_prompt", "hero-photo"),
        ("regenerate", "hero-photo"),
    ]


# --- history and restore --------------------------------------------------------------------------


def test_restore_brings_back_the_earlier_version_byte_for_byte(page, browser_session):
    before = files(page)
    edit_page(
        page,
        "make the hero darker, remove the testimonials section and make the chart a pie chart",
        OFFLINE,
        browser=browser_session,
    )
    regenerate_element(page, "features-video", None, OFFLINE, browser=browser_session)
    assert files(page) != before

    record = restore_page(page, 0)

    assert record.origin == "build"
    assert files(page) == before
    assert page_history(page).current == 0
    shots = page / "screenshots"  # the screenshots are round 0's again too
    assert (shots / "page-1440.png").read_bytes() == (page / "rounds" / "000" / "page-1440.png").read_bytes()
    assert (shots / "features-video.png").read_bytes() == (
        page / "rounds" / "000" / "crops" / "video-0.png"
    ).read_bytes()


def test_history_lists_the_rounds_and_marks_the_current_one(page, browser_session):
    printed = CliRunner().invoke(app, ["edit", str(page), "use #1F2A44 as the primary colour"])
    assert printed.exit_code == 0, printed.output
    assert "round 1 (edit): score " in printed.stdout and "→" in printed.stdout
    assert "tokens page: use #1F2A44 as the primary colour" in printed.stdout
    regenerate_element(page, "chart-chart", None, OFFLINE, browser=browser_session)
    restore_page(page, 1)

    history = page_history(page)
    assert [(r.number, r.origin) for r in history.rounds] == [(0, "build"), (1, "edit"), (2, "regenerate")]
    assert history.current == 1
    result = CliRunner().invoke(app, ["history", str(page)])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines() if line.strip()]
    assert ["*", "1", "edit"] in [row[:3] for row in rows], result.stdout
    shown = " ".join(result.stdout.split())  # the fixes column may wrap
    edit, again = (f"{r.score_before:.3f} → {r.score_after:.3f}" for r in history.rounds[1:])
    assert f"1 edit — {edit} kept tokens page: use #1F2A44 as the primary colour" in shown
    assert f"2 regenerate — {again} kept regenerate chart-chart: regenerate with a new seed" in shown
    run = RunRecord.model_validate_json((page / "run.json").read_text())
    assert [r.origin for r in run.rounds][-2:] == ["edit", "regenerate"]


# --- one-line errors ------------------------------------------------------------------------------


def assert_one_line_error(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], result.stderr
    assert "Traceback" not in result.output


def test_cli_errors_are_one_line(built, page, tmp_path):
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "index.html").write_text("<html></html>")
    assert_one_line_error(["history", str(tmp_path / "missing")], "is not a folder")
    assert_one_line_error(["edit", str(stranger), "make the hero darker"], "was not written by webagent")
    assert_one_line_error(["restore", str(page), "7"], "has no round 7 (rounds: 0)")
    assert_one_line_error(["edit", str(page), "   "], "the edit is empty")
    assert_one_line_error(["edit", str(page), "make it pop"], "could not read “make it pop”")
    assert_one_line_error(["regenerate", str(page), "--element", "banner"], "elements: hero-photo")
    assert_one_line_error(
        ["regenerate", str(page), "--element", "hero-photo", "--prompt", " "], "the new prompt is empty"
    )
    assert files(page) == files(built)  # nothing was written


# --- the grammar's names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "instruction, expected",
    [
        ("remove the blog section", "the page has no section “blog”; sections: header, hero (Baked Before Sunrise"),
        (
            'add a section "Out First Thing" and remove the out first section',
            "could be any of these sections: chart (What Sells Out First), out-first-thing (Out First Thing)",
        ),
        ("make the hero photo a pie chart", "hero-photo is an image; only charts have a chart type"),
        ("regenerate the banner", "the page has no element like “banner”; elements: hero-photo (image)"),
        ("use #12345 as the primary colour", "could not read"),
        ("move the hero above the hero section", "cannot move the hero section next to itself"),
    ],
)
def test_grammar_names_what_it_cannot_find(built, instruction, expected):
    with pytest.raises(EditError) as failure:
        read_instruction(instruction, source(built))
    assert expected in str(failure.value) and "\n" not in str(failure.value)


def test_grammar_names_elements_by_title_and_prompt_words(built):
    fixes = read_instruction(
        "make the what sells out first chart a pie chart and regenerate the sourdough loaves", source(built)
    )
    assert [(f.action, f.target, f.instruction) for f in fixes] == [
        ("chart_type", "chart-chart", "pie"),
        ("regenerate", "hero-photo", ""),
    ]


def test_grammar_reads_names_with_and_in_them_and_inherits_verbs(built):
    fixes = read_instruction(
        'add a section "Hours and Prices", move the hours and prices section to the top and '
        "the chart section to the bottom; regenerate the hero image, the video and the chart",
        source(built),
    )
    assert [(f.action, f.target) for f in fixes] == [
        ("add_section", "hours-and-prices"),
        ("reorder", "page"),
        ("reorder", "page"),
        ("regenerate", "hero-photo"),
        ("regenerate", "features-video"),
        ("regenerate", "chart-chart"),
    ]
    assert fixes[1].instruction.split()[:2] == ["header", "hours-and-prices"]
    assert fixes[2].instruction.split()[-2:] == ["chart", "footer"]


def test_a_model_written_section_keeps_its_markup_and_gets_a_background_rule(built):
    written = source(built)
    markup = '<section id="hero"><div class="container"><h1>Baked Before Sunrise, Loved All Day</h1></div></section>'
    by_model = written.model_copy(update={"section_html": {**written.section_html, "hero": markup}})
    fixes = read_instruction("make the hero background #102030", by_model)

    painted = apply_structure_fixes(fixes, by_model)
    again = apply_structure_fixes(read_instruction("make the hero background #203040", painted), painted)

    assert painted.section_html == by_model.section_html
    assert "#hero{--section-bg:#102030;" in painted.section_css["hero"]
    assert again.section_css["hero"].count("--section-bg") == 1 and "#203040" in again.section_css["hero"]
    offline = apply_structure_fixes(fixes, written)
    assert offline.section_css == written.section_css and "--section-bg:#102030" in offline.section_html["hero"]
    assert {k: v for k, v in offline.section_html.items() if k != "hero"} == {
        k: v for k, v in written.section_html.items() if k != "hero"
    }


# --- the model edit planner (scripted OpenAI-compatible server) ---------------------------------------


def model_settings(server: ScriptedServer) -> Settings:
    return Settings(
        base_url=server.url,
        api_key="sk-test",
        critic="static",
        chart_backend="offline",
        model_backoff_s=0.01,
        model_timeout_s=5,
        model_retries=0,
    )


def test_model_plans_a_free_text_edit(page, browser_session):
    old_sections = sections(page)
    unknown_section = chat_reply(json.dumps({"sections": [{"section_id": "banner", "instruction": "darker"}]}))
    designer = ScriptedDesigner(faults={"EditPlan": [unknown_section]})
    with ScriptedServer(designer) as server:
        change = edit_page(
            page,
            "Give the hero more drama, use #1F2A44 for the brand and show sales as a line",
            model_settings(server),
            browser=browser_session,
        )
        first, repair = server.seen("/chat/completions", step="EditPlan")

    asked = first.text()
    assert "Give the hero more drama" in asked and '"id": "chart-chart", "kind": "chart"' in asked
    assert "unknown section id 'banner'; the sections are header, hero" in repair.text()
    assert [(f.action, f.target) for f in change.rounds[0].fixes] == [
        ("tokens", "page"),
        ("patch_section", "hero"),
        ("chart_type", "chart-chart"),
    ]
    assert change.warnings == []
    now = sections(page)
    assert PATCH_NOTE in now["hero"]
    assert_others_unchanged(old_sections, now, {"hero", "chart"})
    shown = facts(page, browser_session)
    assert shown["charts"] == {"chart-chart": ["line"]} and shown["button_background"] == rgb("#1F2A44")


def test_failed_model_plan_falls_back_to_the_grammar(page, browser_session):
    designer = ScriptedDesigner(faults={"EditPlan": [error_reply(500, "scripted outage")]})
    with ScriptedServer(designer) as server:
        change = edit_page(page, "make the chart a pie chart", model_settings(server), browser=browser_session)

    assert [(f.action, f.instruction) for f in change.rounds[0].fixes] == [("chart_type", "pie")]
    [warning] = change.warnings
    assert warning.startswith("edit plan: ") and "offline edit grammar" in warning
    assert warning in RunRecord.model_validate_json((page / "run.json").read_text()).warnings
