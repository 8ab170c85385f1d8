"""The model path against an independent double that plans by its own rules and answers with real models'
habits (tests/realistic_model.py): reasoning blocks and fields, fences, prefaces with braces, extra keys,
capitalised keys, numbers as strings, nulls, short hex, dropped copy, function strings, reveal-on-scroll
CSS, header and footer roots, answers cut off at the length limit, error objects with status 200, slow
streams. With every habit on, for the demo prompt, a one-liner and a Spanish prompt, no step falls back
offline, the prompt's quoted text and colours are on the page, charts hold the prompt's numbers read back
from ECharts, and nothing is left invisible or scripted. Each habit alone is also read without a fallback.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.model_server import ScriptedServer
from tests.pagecheck import check_page, evaluate_on_page
from tests.realistic_model import HABITS, RealisticDesigner, fell_back
from tests.test_llm_build import model_settings, run_record
from webagent.engine.build import build

pytestmark = pytest.mark.browser

PROMPTS = {
    "demo": (Path(__file__).parent.parent / "examples" / "demo-prompt.txt").read_text(),
    "one-liner": 'A landing page for a climbing gym called "Crux Hall" with a photo of the bouldering wall.',
    "spanish": (
        'Una página para la panadería "Horno Lumbre", con fondo crema #FFF6E9 y botones en terracota #C0562F.\n\n'
        'Portada con el titular "Pan de verdad, cada mañana" y una foto del horno de leña.\n\n'
        "Un gráfico de barras con las ventas por mes: enero 120, febrero 135, marzo 160, abril 150.\n\n"
        'Pie de página con la dirección "Calle Mayor 8, Zaragoza" y el horario "Mar–Dom, 7–15 h".'
    ),
}
QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')
HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")
SEEN_JS = """() => ({
  text: document.body.innerText,
  hidden: Array.from(document.querySelectorAll('section *, header *, footer *')).filter((el) =>
    el.textContent.trim() && getComputedStyle(el).opacity === '0').map((el) => el.className || el.tagName),
})"""


def build_against(designer: RealisticDesigner, prompt: str, folder: Path, browser_session, **settings):
    with ScriptedServer(designer) as server:
        result = build(prompt, folder, model_settings(server, **settings), browser=browser_session)
    return result, run_record(result.out_dir)


def unfinished_steps(record) -> list[str]:
    """Steps whose last request did not end in a usable answer."""
    last: dict[str, str] = {}
    for call in record.model_calls:
        last[call.step] = call.outcome
    return [step for step, outcome in last.items() if outcome not in ("ok", "repaired")]


def numbers_of(cells: list[str]) -> list[float]:
    return [float(re.sub(r"[^\d.]", "", cell)) for cell in cells]


def prompt_series(prompt: str) -> list[list[float]]:
    """The numbers the prompt gives for a chart: a markdown table's numeric column, or inline 'label N' pairs."""
    table = [line.strip("|").split("|") for line in prompt.splitlines() if line.startswith("|") and "---" not in line]
    if table:
        return [numbers_of([row[1] for row in table[1:]])]
    inline = re.findall(r"\b[a-z]+ (\d+)\b", prompt.split("mes:")[1].split("\n")[0]) if "mes:" in prompt else []
    return [numbers_of(inline)] if inline else []


@pytest.mark.parametrize("name", list(PROMPTS))
def test_a_realistic_model_with_every_habit_makes_the_asked_page_without_falling_back(name, tmp_path, browser_session):
    prompt = PROMPTS[name]
    designer = RealisticDesigner()
    result, record = build_against(designer, prompt, tmp_path / "page", browser_session, reflection_rounds=1)

    assert result.plan.planner == "llm" and fell_back(record.warnings) == [], record.warnings
    assert unfinished_steps(record) == []
    expected = prompt_series(prompt)
    idle = {"function_strings", "slow_stream"} if not expected else set()  # chart habits need a chart
    idle |= {"dropped_copy"} if name == "one-liner" else set()  # no section of it has two pieces of copy
    assert {habit for habit in HABITS if designer.used[habit]} == set(HABITS) - idle

    seen = evaluate_on_page(browser_session, result.out_dir, SEEN_JS)
    page_text = " ".join(seen["text"].split())
    quotes = [" ".join(next(g for g in m.groups() if g).split()) for m in QUOTED.finditer(prompt)]
    shown = [q for q in quotes if q in page_text]
    assert len(shown) >= 0.98 * len(quotes), sorted(set(quotes) - set(shown))
    assert seen["hidden"] == []

    styles = (result.out_dir / "index.html").read_text() + "".join(
        p.read_text() for p in (result.out_dir / "assets").glob("*.css")
    )
    colours = {c.upper() for c in HEX.findall(prompt)}
    missing = {c for c in colours if c not in styles.upper()}
    assert len(missing) <= 0.05 * len(colours), missing

    report = browser_session.call(lambda browser: check_page(browser, result.out_dir))
    charts = report.media["charts"]
    assert len(charts) == len(expected)
    for chart, numbers in zip(charts, expected):
        drawn = [point["value"] if isinstance(point, dict) else point for point in chart["series"][0]]
        assert [float(v) for v in drawn] == numbers  # read back from ECharts: exactly the prompt's
    options = [json.loads(p.read_text()) for p in (result.out_dir / "assets").glob("*.json")]
    assert not any("function" in json.dumps(option) for option in options)


@pytest.mark.parametrize("habit", HABITS)
def test_each_habit_alone_is_read_without_a_fallback(habit, tmp_path, browser_session):
    designer = RealisticDesigner(habits=[habit])
    prompt = PROMPTS["spanish"]
    result, record = build_against(designer, prompt, tmp_path / "page", browser_session, reflection_rounds=0)
    assert designer.used[habit] > 0
    assert result.plan.planner == "llm" and fell_back(record.warnings) == [], record.warnings
    assert unfinished_steps(record) == []
    page = BeautifulSoup((result.out_dir / "index.html").read_text(), "html.parser")
    assert all(len(page.select(f'[id="{s.id}"]')) == 1 for s in result.plan.sections)  # one element per section id
    repaired = defaultdict(int)
    for call in record.model_calls:
        repaired[call.outcome] += 1
    # only the habits that are wrong by any reading cost a repair: a cut-off answer, copy left out
    if habit not in ("truncation", "dropped_copy"):
        assert repaired["invalid"] == 0, [(c.step, c.outcome) for c in record.model_calls]
