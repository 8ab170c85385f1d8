"""Offline reflection repairs injected defects: a real offline page gets one defect written into its
source.json, ``reflect_page`` runs the deterministic critic and fixes in Chromium, and the defect is
gone from the rendered page, the round names the fix, and the deterministic score rises."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from statistics import fmean
from typing import Any

import pytest
from bs4 import BeautifulSoup

from webagent.core.assemble import write_page
from webagent.core.colour import rgb_to_hex
from webagent.core.config import Settings
from webagent.core.contracts import ContentItem, SectionPlan
from webagent.core.records import RoundRecord
from webagent.core.render import serve_folder
from webagent.core.source import PageSource
from webagent.engine.build import build
from webagent.engine.edit import reflect_page
from webagent.reflection.critic import METRICS
from webagent.reflection.loop import load_checkpoint
from webagent.reflection.page_rules import plan_rule_fixes, restore_text
from webagent.reflection.rounds import load_history, round_dir

pytestmark = pytest.mark.browser

QUOTE = "Open every day from 7am"
PROMPT = (
    'A landing page "Northwind Coffee" with the colour #1F6F5C. Hero "Fresh beans daily" with a hero image of '
    'roasted coffee beans. A section "Our Numbers" with a bar chart of monthly sales: Jan 120, Feb 150, Mar 180. '
    f'A section "Visit Us" saying "{QUOTE}". Footer "© Northwind 2025".'
)
MARK = "data-defect"


@pytest.fixture(scope="module")
def built(tmp_path_factory, browser_session) -> Path:
    folder = tmp_path_factory.mktemp("offline-reflection") / "page"
    build(PROMPT, folder, Settings(), browser=browser_session)
    return folder


@pytest.fixture
def page(built, tmp_path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "page"))


def inject(folder: Path, defect: Callable[[PageSource], None]) -> PageSource:
    """Write the page again from its source.json with ``defect`` made to the source."""
    source = PageSource.model_validate_json((folder / "source.json").read_text(encoding="utf-8"))
    defect(source)
    write_page(folder, source)
    return source


def quote_section(source: PageSource) -> str:
    return next(s.id for s in source.plan.sections if any(item.text == QUOTE for item in s.content))


def mark_quote(source: PageSource, css: str) -> str:
    """Mark the element showing the quote and give it ``css`` in its section's styles; return the section."""
    section = quote_section(source)
    soup = BeautifulSoup(source.section_html[section], "html.parser")
    soup.find(string=QUOTE).parent[MARK] = ""
    source.section_html[section] = str(soup)
    source.section_css[section] += f"\n#{section} [{MARK}]{{{css}}}"
    return section


def read_page(browser_session, folder: Path, script: str, width: int = 1440) -> Any:
    """``script``'s value in the page as Chromium shows it at ``width`` px, once the page reports ready."""

    def run(browser: Any) -> Any:
        with serve_folder(folder) as origin:
            context = browser.new_context(viewport={"width": width, "height": 900})
            try:
                view = context.new_page()
                view.goto(f"{origin}/index.html", wait_until="load")
                view.wait_for_function("window.webagentReady()")
                return view.evaluate(script)
            finally:
                context.close()

    return browser_session.call(run)


def deterministic(record: RoundRecord) -> float:
    return fmean(record.scores_after[name] for name in METRICS)


def assert_repaired(folder: Path, rounds: list[RoundRecord], action: str, target: str, metric: str) -> RoundRecord:
    """A kept reflection round made ``action`` on ``target``; ``metric`` and the deterministic score rose
    from the check round to the one the folder shows; every round is checkpointed; no page rule is left to
    apply, nor would the check round's defects be fixed twice."""
    check, *reflection = rounds
    assert check.origin == "check" and reflection
    fixing = next(r for r in reflection if any(f.action == action and f.target == target for f in r.fixes))
    assert fixing.kept and fixing.origin == "reflection", fixing
    history = load_history(folder)
    final = next(r for r in history.rounds if r.number == history.current)
    assert final.scores_after[metric] > check.scores_after[metric]
    assert deterministic(final) > deterministic(check)
    assert final.score_after > check.score_after
    for record in rounds:
        assert (round_dir(folder, record.number) / "files.json").is_file()
        assert (round_dir(folder, record.number) / "evaluation.json").is_file()
    best = load_checkpoint(folder, history.current)
    assert plan_rule_fixes(best.critique, best.source, PROMPT) == []
    assert plan_rule_fixes(load_checkpoint(folder, check.number).critique, best.source, PROMPT) == []  # made once
    return fixing


def test_a_broken_image_and_chart_data_off_its_dataset_are_made_again(page, browser_session):
    def break_media(source: PageSource) -> None:
        source.assets[image.id].path = "assets/missing.webp"
        source.assets[chart.id].chart_option["series"][0]["data"] = [1, 2, 3]

    plan = PageSource.model_validate_json((page / "source.json").read_text(encoding="utf-8")).plan
    image, chart = (next(a for a in plan.assets if a.kind == kind) for kind in ("image", "chart"))
    inject(page, break_media)
    rounds = reflect_page(page, Settings(), browser=browser_session).rounds
    assert rounds[0].scores_after["media_coverage"] < 1 and rounds[0].scores_after["chart_fidelity"] == 0
    image_fix = assert_repaired(page, rounds, "regenerate", image.id, "media_coverage")
    chart_fix = assert_repaired(page, rounds, "regenerate", chart.id, "chart_fidelity")
    assert image_fix is chart_fix and image_fix.level == "element"  # one element round makes both again
    shown = read_page(
        browser_session,
        page,
        f"""() => {{
      const img = document.querySelector('img[data-asset-id="{image.id}"]');
      const chart = window.echarts.getInstanceByDom(document.querySelector('[data-asset-id="{chart.id}"]'));
      return {{ src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
               data: chart.getOption().series[0].data }};
    }}""",
    )
    assert shown["loaded"] and "missing" not in shown["src"], shown
    assert shown["data"] == [120, 150, 180]


def test_an_overflowing_block_is_held_to_its_container(page, browser_session):
    section = quote_section(inject(page, lambda source: mark_quote(source, "width:2400px")))
    rounds = reflect_page(page, Settings(), browser=browser_session).rounds
    seen = load_checkpoint(page, rounds[0].number).critique.evidence.overflowing
    assert seen and {e.section for e in seen} == {section}
    assert_repaired(page, rounds, "section_css", section, "render_health")
    assert set(load_checkpoint(page, load_history(page).current).critique.evidence.overflow_px.values()) == {0}
    marked, overflow, right = read_page(
        browser_session,
        page,
        f"""() => [
      document.querySelector({seen[0].selector!r}).hasAttribute('{MARK}'),
      document.documentElement.scrollWidth - document.documentElement.clientWidth,
      document.querySelector('[{MARK}]').getBoundingClientRect().right]""",
        width=390,
    )
    assert marked, seen[0].selector
    assert overflow == 0 and right <= 390


def test_low_contrast_text_takes_the_palette_text_colour(page, browser_session):
    source = inject(page, lambda source: mark_quote(source, "color:#F4F4F4"))
    section = quote_section(source)
    rounds = reflect_page(page, Settings(), browser=browser_session).rounds
    seen = load_checkpoint(page, rounds[0].number).critique.evidence.low_contrast_blocks
    assert [(b.text, b.colour, b.section) for b in seen] == [(QUOTE, "#F4F4F4", section)]
    assert_repaired(page, rounds, "section_css", section, "render_health")
    colour = read_page(browser_session, page, f"() => getComputedStyle(document.querySelector('[{MARK}]')).color")
    rgb = tuple(int(part) for part in colour[colour.index("(") + 1 : -1].split(","))
    assert rgb_to_hex(rgb) == source.plan.tokens.palette.text


def test_a_dropped_quoted_string_is_restored_into_its_section(page, browser_session):
    def drop(source: PageSource) -> None:
        section = quote_section(source)
        soup = BeautifulSoup(source.section_html[section], "html.parser")
        soup.find(string=QUOTE).parent.decompose()
        source.section_html[section] = str(soup)

    section = quote_section(inject(page, drop))
    rounds = reflect_page(page, Settings(), browser=browser_session).rounds
    assert rounds[0].scores_after["text_recall"] < 1
    fix = assert_repaired(page, rounds, "restore_text", section, "text_recall")
    assert [f.instruction for f in fix.fixes] == [QUOTE]
    text = read_page(browser_session, page, f"() => document.getElementById('{section}').textContent")
    assert text.index("Visit Us") < text.index(QUOTE)


def test_a_clean_page_gets_no_reflection_round(page, browser_session):
    rounds = reflect_page(page, Settings(), browser=browser_session).rounds
    assert [(r.origin, r.kept) for r in rounds] == [("check", True)]


def test_a_restored_string_follows_its_plan_neighbour_escaped():
    section = SectionPlan(
        id="menu",
        role="features",
        content=[
            ContentItem(text="Menu", role="heading"),
            ContentItem(text="Tom & Jerry <b>", role="body"),
            ContentItem(text="Order now", role="button"),
        ],
    )
    html = (
        '<section id="menu"><div class="container"><h2>Menu</h2>'
        '<div class="actions"><a class="btn" href="#main">Order now</a></div></div></section>'
    )
    restored = restore_text(html, section, "Tom & Jerry <b>")
    assert '<h2>Menu</h2><p class="body">Tom &amp; Jerry &lt;b&gt;</p><div class="actions">' in restored.replace(
        "\n", ""
    )
