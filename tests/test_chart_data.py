"""A chart's numbers are the user's: every data format the prompt may use ends up, exactly, in the chart
option the offline planner and chart builder make; bad cells are left out one by one and reported; a chart
without data says so on the page and in the build report.

Expected numbers are the test's own: it writes the values, then formats them the way people do.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webagent.core.contracts import AssetSpec, Dataset
from webagent.core.datasets import numeric_columns, parse_number, reads_decimal_comma, unreadable_cells
from webagent.core.render import serve_folder
from webagent.generators.chart.offline import build_option
from webagent.planners.offline import compile_prompt

LABELS = ["North", "Süd", "Łódź", "绿茶", "東京", "Café Noir", "Zürich", "Ørsted", "Rīga", "Oslo", "Bergen", "Tromsø"]
FORMATS = ("markdown", "csv", "tsv", "json", "inline", "versus")
CHARTS_AND_NOTES = """() => Array.from(document.querySelectorAll('[data-asset-kind=chart]')).map((el) => {
  const note = el.closest('figure').querySelector('[data-illustrative]');
  const box = note ? note.getBoundingClientRect() : null;
  const style = note ? getComputedStyle(note) : null;
  return { data: echarts.getInstanceByDom(el).getOption().series.map((s) => s.data),
           note: note ? note.textContent : null,
           visible: !!box && box.height > 0 && style.visibility === 'visible' && style.opacity === '1' };
})"""


def drawn_numbers(spec: AssetSpec, plan) -> list[float]:
    """Every number the chart's ECharts option draws (series data, a data item's value)."""
    option = build_option(spec, plan.tokens)
    found: list[float] = []
    for series in option["series"]:
        for item in series["data"]:
            value = item["value"] if isinstance(item, dict) else item
            if isinstance(value, list):
                found += [v for v in value if isinstance(v, (int, float))]
            elif isinstance(value, (int, float)):
                found.append(value)
    return found


def charted_sets(prompt: str) -> list[list[float]]:
    plan = compile_prompt(prompt)
    return [sorted(drawn_numbers(a, plan)) for a in plan.assets if a.kind == "chart"]


def same(left: list[float], right: list[float]) -> bool:
    return len(left) == len(right) and all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(sorted(left), right))


def written(value: float, style: str) -> str:
    """``value`` as a person writes it: plain, with thousands commas, with a k suffix, or as a percentage."""
    if style == "k" and abs(value) >= 1000 and value % 100 == 0:
        return f"{value / 1000:g}k"
    if style == "commas" and abs(value) >= 1000 and float(value).is_integer():
        return f"{int(value):,}"
    if style == "percent" and 0 <= value <= 100:
        return f"{value:g}%"
    return f"{value:g}"


def dataset_text(kind: str, labels: list[str], cells: list[str]) -> str:
    pairs = list(zip(labels, cells))
    if kind == "markdown":
        return "| Place | Amount |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in pairs)
    if kind == "csv":
        return "```csv\nPlace,Amount\n" + "\n".join(f'{a},"{b}"' for a, b in pairs) + "\n```"
    if kind == "tsv":
        return "```\nPlace\tAmount\n" + "\n".join(f"{a}\t{b}" for a, b in pairs) + "\n```"
    if kind == "json":
        return "```json\n" + json.dumps([{"place": a, "amount": b} for a, b in pairs], ensure_ascii=False) + "\n```"
    joiner = " vs " if kind == "versus" else ", "
    return joiner.join(f"{a} {b}" for a, b in pairs)


@st.composite
def data_prompts(draw):
    """A prompt with one chart and its data in a random format and place; the values it must chart."""
    count = draw(st.integers(3, 6))
    labels = draw(st.permutations(LABELS))[:count]
    style = draw(st.sampled_from(["plain", "commas", "k", "percent"]))
    if style == "percent":
        values = draw(st.lists(st.integers(1, 99), min_size=count, max_size=count))
    elif style == "k":
        values = [v * 100 for v in draw(st.lists(st.integers(10, 990), min_size=count, max_size=count))]
    else:
        values = draw(st.lists(st.integers(-5000, 250_000), min_size=count, max_size=count))
    kind = draw(st.sampled_from(FORMATS))
    data = dataset_text(kind, labels, [written(v, style) for v in values])
    intro = draw(st.sampled_from(["A landing page for Harbour Lights, a ferry company", "Page for a regional bakery"]))
    if kind in ("inline", "versus"):
        prompt = f"{intro}, with a bar chart of passengers by route: {data}."
    elif draw(st.booleans()):
        prompt = f"{intro}, with a bar chart of passengers by route.\n\n### Dataset\n\n{data}\n"
    else:
        prompt = f"{intro}.\n\nPassengers by route:\n\n{data}\n\nShow them as a bar chart near the top."
    return prompt, [float(v) for v in values]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data_prompts())
def test_every_data_format_charts_exactly_the_prompts_numbers(case):
    prompt, values = case
    charts = charted_sets(prompt)
    assert any(same(values, drawn) for drawn in charts), (prompt, charts)


@pytest.mark.parametrize(
    ("prompt", "values"),
    [
        (
            "A museum page with a line chart of visitors per quarter: Q1 8.1k, Q2 9.4k, Q3 12k, Q4 10.2k.",
            [8100, 9400, 12000, 10200],
        ),
        (
            "A delivery startup page with a bar chart of market share: ours 5100 vs theirs 2300 vs others 900.",
            [5100, 2300, 900],
        ),
        (
            "A sales page with a bar chart of revenue by city (Oslo 2.4M, Bergen 1.1M, Trondheim 0.9M).",
            [2.4e6, 1.1e6, 0.9e6],
        ),
        ("A charity page with a line chart of donors per year: 2019 40, 2020 55, 2021 61, 2022 80.", [40, 55, 61, 80]),
        ("A chess club page with a line chart of members — 40 in 2019, 55 in 2020, 61 in 2021.", [40, 55, 61]),
        (
            "Una página para una panadería con un gráfico de barras de ventas: lunes 120, martes 95, miércoles 130.",
            [120, 95, 130],
        ),
        (
            "Web del museo con un gráfico circular del origen de visitantes: España 46,5 %, Francia 14,2 %, otros 39,3 %.",
            [46.5, 14.2, 39.3],
        ),
        (
            "Webseite der Imkerei mit einem Balkendiagramm der Ernte in kg: 2020: 1.234, 2021: 987, 2022: 1.456.",
            [1234, 987, 1456],
        ),
        (
            "A ski shop recap with a bar chart of rentals by month: Dec +12%, Jan −4%, Feb 18%, Mar −9.5%.",
            [12, -4, 18, -9.5],
        ),
        (
            "Page pour le club de voile, puis nos chiffres en graphique en barres — 2019 : 120 membres, 2020 : 95, "
            "2021 : 134, 2022 : 160.",
            [120, 95, 134, 160],
        ),
        (
            "Webseite für die Imkerei. Dann ein Balkendiagramm der Honigernte in kg:\n\nJahr;Ernte\n2021;412,5\n"
            "2022;388,0\n2023;455,5\n\nZum Schluss ein Kontaktformular.",
            [412.5, 388.0, 455.5],
        ),
        (
            "Hosting page with an uptime chart.\n\nMonth\tUptime\nJan\t99.95\nFeb\t99.99\nMar\t99.97\n",
            [99.95, 99.99, 99.97],
        ),
        (
            "Website für das Kletterzentrum: ein Kreisdiagramm der Besucher nach Alter (unter 18: 22 %, 18–30: 48 %, "
            "über 30: 30 %), und vier Fotos der Halle.",
            [22, 48, 30],
        ),
        ("A site for my dog-walking business with a bar chart of walks: Jan 210 / Feb 190 / Mar 260.", [210, 190, 260]),
        (
            "Web de la academia con un gráfico circular de la edad de los alumnos: menores de 18 35 %, de 18 a 30 41 %, "
            "mayores de 30 24 %.",
            [35, 41, 24],
        ),
        (
            "Recap page for the Harbour Half Marathon.\n\nFinishers by age group:\n- Under 30: 812\n- 30–39: 1,245\n"
            "- 50+: 604\n\nShow that as a bar chart. Add a photo of the start line.",
            [812, 1245, 604],
        ),
        (  # value first, "from" what it came from, the data before the chart's own words
            "Page for Hartside Cricket Club. Income last season: £31k from match teas, £12.5k from the bar, £4.8k "
            "from hall hire — show it as a pie chart.",
            [31000, 12500, 4800],
        ),
        (  # value, unit word, then the year; joined by "and"
            "Site for Greenfinch Apiary. We harvested 410 kg in 2021, 530 in 2022 and 615 in 2023 — a line chart "
            "of that, please.",
            [410, 530, 615],
        ),
        (
            "Recruitment page for Lowfell Mountain Rescue. A funnel chart of this year's intake: 64 enquired, 31 trained, 12 qualified.",
            [64, 31, 12],
        ),
        (  # the data in the sentence before a chart that has a sentence of its own
            "Page for Tarn Bikes. One photo of the workshop. Repairs per month: 120 in May, 145 in June, 170 in July. "
            "Column chart.",
            [120, 145, 170],
        ),
        (  # a cell marked missing keeps the series whole and is left out alone
            "Page for the Kestrel Film Society. Members per year: 2019 88 · 2020 n/a · 2021 64 · 2022 97. Bar chart.",
            [88, 64, 97],
        ),
        (
            "Webseite für das Hofcafé Lindenhof. Ein Foto der Terrasse. Säulendiagramm Gäste pro Tag: Freitag 80, "
            "Samstag 140, Sonntag 165.",
            [80, 140, 165],
        ),
        (
            "Webbplats för Bageriet Solros i Umeå. En bild på ugnen och ett linjediagram över sålda bullar: januari 400, "
            "februari 420, mars 510.",
            [400, 420, 510],
        ),
        (
            "Strona dla kawiarni Pod Lipą w Gdańsku. Wykres kołowy zamówień: kawa 55 %, herbata 30 %, czekolada 15 %.",
            [55, 30, 15],
        ),
        (  # a list item naming the chart, its data in the items under it
            "Page for Fellside Swim Club.\n\n- Hero photo of the pool\n- Line chart of lane bookings per week:\n"
            "  - Week 1: 310\n  - Week 2: 355\n  - Week 3: 402\n- Contact form",
            [310, 355, 402],
        ),
        (  # a markdown table written without its outer pipes
            "Page for the Brackenfield Show. A bar chart of entries from the table.\n\nClass | Entries\n--- | ---\n"
            "Sheep | 140\nCattle | 62\nPoultry | 215",
            [140, 62, 215],
        ),
    ],
)
def test_inline_data_in_every_written_form_is_charted_exactly(prompt, values):
    assert any(same([float(v) for v in values], drawn) for drawn in charted_sets(prompt)), charted_sets(prompt)


def test_a_bad_cell_is_left_out_alone_and_listed():
    table = Dataset(
        columns=["Farm", "Yield"],
        rows=[["North", "12"], ["South", "NaN"], ["East", "15"], ["West", "1e308"], ["Hill", "7"]],
    )
    assert numeric_columns(table) == {"Yield": [12, None, 15, None, 7]}
    assert [(c.row, c.text) for c in unreadable_cells(table)] == [("South", "NaN"), ("West", "1e308")]
    prompt = "A farm report with a bar chart of yields.\n\n" + "\n".join(
        ["| Farm | Yield |", "|---|---|", "| North | 12 |", "| South | NaN |", "| East | 15 |", "| Hill | ∞ |"]
    )
    assert [12, 15] in charted_sets(prompt)


def test_a_long_table_is_drawn_one_chart_per_metric_when_asked():
    prompt = (
        "Impact page for Riverbend Food Bank\n- Hero photo of volunteers\n"
        "- One bar chart per metric from the long table, with the regions as categories\n"
        "- Volunteer call-to-action button “Give two hours”\n- Footer with the address\n\n"
        "| Metric | Region | Value |\n|---|---|---|\n| Parcels | North | 4,210 |\n| Parcels | South | 3,870 |\n"
        "| Volunteers | North | 118 |\n| Volunteers | South | 96 |\n"
    )
    charts = charted_sets(prompt)
    assert [3870, 4210] in charts and [96, 118] in charts


def test_decimal_commas_are_read_from_the_cells_and_the_language():
    assert reads_decimal_comma(["46,5 %", "14,2 %"], comma_language=False)
    assert reads_decimal_comma(["38.400", "12.150"], comma_language=True)
    assert not reads_decimal_comma(["38.400", "12.150"], comma_language=False)
    assert not reads_decimal_comma(["1,234.5", "46,5"], comma_language=True)
    assert parse_number("1.234,5", decimal_comma=True) == 1234.5
    assert parse_number("€ 14,95", decimal_comma=True) == 14.95
    assert parse_number("1 250", decimal_comma=True) == 1250


def test_a_three_photo_gallery_and_a_pie_chart_are_three_photos_and_one_chart():
    plan = compile_prompt(
        "A photography page with a gallery of three photos and a pie chart of camera brands: Canon 40, Nikon 35, Sony 25."
    )
    assert [a.kind for a in plan.assets].count("chart") == 1
    assert [a.kind for a in plan.assets].count("image") >= 3


@pytest.mark.browser
def test_the_build_report_and_the_page_say_what_was_not_done_as_asked(tmp_path, browser_session):
    """A table with a NaN cell and a chart named without data: the chart draws the good cells only, the other
    chart says on the page that its data is illustrative, and run.json and the CLI list both."""
    prompt = (
        "A farm report page for Hill Farm with a bar chart of yields and a line chart of rainfall.\n\n"
        "| Farm | Yield |\n|---|---|\n| North | 12 |\n| South | NaN |\n| East | 15 |\n"
    )
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "page"
    env = {**os.environ, "HOME": str(home), "WEBAGENT_CACHE_DIR": str(tmp_path / "cache")}
    args = [sys.executable, "-m", "webagent", "build", prompt, "--out", str(out), "--planner", "offline"]
    result = subprocess.run(
        [*args, "--coder", "offline", "--chart", "offline"], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("not as asked:")]
    assert any("“NaN”" in line and "left out" in line for line in lines), result.stdout
    assert any("illustrative data" in line for line in lines), result.stdout
    record = json.loads((out / "run.json").read_text())
    kinds = [s["kind"] for s in record["shortfalls"]]
    assert "unreadable_cell" in kinds and "illustrative_data" in kinds

    def read_charts(browser) -> list[dict]:
        with serve_folder(out) as origin:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            try:
                page.goto(f"{origin}/index.html")
                page.wait_for_function("() => document.querySelectorAll('[data-asset-kind=chart] canvas').length >= 2")
                return page.evaluate(CHARTS_AND_NOTES)
            finally:
                page.close()

    found = browser_session.call(read_charts)
    yields = next(chart for chart in found if chart["note"] is None)
    assert [v for v in yields["data"][0] if v is not None] == [12, 15]
    rainfall = next(chart for chart in found if chart["note"] is not None)
    assert rainfall["visible"] and "Illustrative data" in rainfall["note"]


def test_a_json_block_nested_past_any_table_is_no_table_and_no_crash():
    plan = compile_prompt("A page with a bar chart of sales.\n\n```json\n" + "[" * 100_000 + "\n```\n")
    charts = [a for a in plan.assets if a.kind == "chart"]
    assert charts and all(c.dataset.illustrative for c in charts)


def test_a_french_prompt_writes_thousands_with_a_space_and_the_chart_keeps_them_whole():
    plan = compile_prompt(
        "Site pour la fromagerie Les Caves, à Dole.\n"
        "- Diagramme en barres des ventes par fromage, en kg : Comté 24 mois 2 310, Morbier 780, Bleu 1 045, Tomme 95\n"
        "- Couleurs : #8C5A2B"
    )
    chart = next(a for a in plan.assets if a.kind == "chart")
    assert sorted(drawn_numbers(chart, plan)) == [95, 780, 1045, 2310]
    assert parse_number("12 500") == 12500 and parse_number("1 25") is None


def test_a_line_of_data_under_its_own_title_goes_to_the_chart_of_that_title_and_a_price_list_to_none():
    plan = compile_prompt(
        "Site for Harbour Ales, a brewery.\n\n"
        "Prices: pint £5, half £3, flight £9.\n\n"
        "Taproom visits: a line chart by month, from the data below.\n\n"
        "Footer: address.\n\n"
        "### Data\n\nTaproom visits by month: Jan 410, Feb 380, Mar 520, Apr 610\n"
    )
    chart = next(a for a in plan.assets if a.kind == "chart")
    assert drawn_numbers(chart, plan) == [410, 380, 520, 610]
    assert not chart.dataset.illustrative


def test_shares_written_before_their_labels_are_the_charts_data():
    plan = compile_prompt(
        "Site for Fernside Park with a pie chart of visits — 52% walkers, 30% cyclists, 18% drivers — and a photo."
    )
    chart = next(a for a in plan.assets if a.kind == "chart")
    assert chart.dataset.rows == [["walkers", "52%"], ["cyclists", "30%"], ["drivers", "18%"]]
    assert chart.title == "Visits"


def test_two_charts_in_one_sentence_each_take_the_data_line_about_them():
    plan = compile_prompt(
        "We are Oakfield Dance in Leeds. Please make a homepage with a photo of the studio, a pie chart showing how "
        "members join, and a bar chart of classes per weekday.\n\nData\n"
        "Joining routes: Website 61%, Friends 27%, Flyers 12%\nClasses per weekday: Mon 6, Tue 8, Wed 7\n"
    )
    pie, bar = (a for a in plan.assets if a.kind == "chart")
    assert drawn_numbers(pie, plan) == [61, 27, 12]
    assert drawn_numbers(bar, plan) == [6, 8, 7]


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        (
            "Web para la Academia Lingua. Arriba, una foto del aula. Luego un gráfico de barras de alumnos por curso: "
            "inglés 240, alemán 85, francés 62.",
            "Alumnos por curso",
        ),
        (
            "Startseite für das Museum Hohenfeld. Oben ein großes Foto eines Hauses. Danach ein Liniendiagramm der "
            "Besucher: 2021 26, 2022 41, 2023 47.",
            "Besucher",
        ),
        (
            "Sito per la fattoria Il Casale. In alto una foto dei campi. Poi un grafico a barre della produzione: "
            "2021 31, 2022 36, 2023 40.",
            "Produzione",
        ),
    ],
)
def test_a_chart_after_a_photo_is_a_chart_of_its_own_in_any_language(prompt, title):
    plan = compile_prompt(prompt)
    charts = [a for a in plan.assets if a.kind == "chart"]
    assert len(charts) == 1 and not charts[0].dataset.illustrative
    assert charts[0].title == title


def test_a_titled_list_of_points_is_the_data_of_the_chart_it_names():
    plan = compile_prompt(
        "Landing page for Forkful, a meal-kit company in Bristol. Hero with a photo of a kitchen table, then three "
        "feature cards, then a line chart of monthly signups from the list below, then pricing.\n\n"
        "Monthly signups:\n- January: 340\n- February: 410\n- March: 520\n- April: 615\n"
    )
    chart = next(a for a in plan.assets if a.kind == "chart")
    assert drawn_numbers(chart, plan) == [340, 410, 520, 615]
    copy = " ".join([s.title for s in plan.sections] + [i.text for s in plan.sections for i in s.content])
    assert "January" not in copy and "340" not in copy  # the list is the chart's data, not sections or their copy


def test_values_told_year_by_year_in_a_sentence_are_the_charts_data():
    plan = compile_prompt(
        "Website for the Wearside Choir. Put a photo of the choir at the top. Then a bar chart of how many singers we "
        "had each year — in 2021 we had 34 singers, in 2022 41, in 2023 52 and in 2024 58. Add a footer."
    )
    chart = next(a for a in plan.assets if a.kind == "chart")
    assert chart.dataset.rows == [["2021", "34"], ["2022", "41"], ["2023", "52"], ["2024", "58"]]


def test_one_chart_for_each_dataset_draws_every_dataset():
    prompt = (
        "Report page for Northmoor Food Co-op.\n\nMembers per year (CSV):\n```csv\nyear,members\n2021,240\n2022,310\n"
        '2023,390\n```\n\nSales by aisle (JSON):\n```json\n{"Fresh": 51, "Dry goods": 33, "Household": 16}\n```\n\n'
        "One chart for each dataset, please, and a photo of the shop."
    )
    assert sorted(charted_sets(prompt)) == [[16, 33, 51], [240, 310, 390]]
    charts = [a for a in compile_prompt(prompt).assets if a.kind == "chart"]
    assert len({c.path for c in charts}) == 2 and all(c.path == f"assets/{c.id}.json" for c in charts)


def test_one_chart_for_each_dataset_of_a_sectioned_brief_gets_a_file_of_its_own():
    plan = compile_prompt(
        "Impact page for the Moorside Reading Trust.\n\nPupils reached per year (JSON):\n```json\n"
        '{"2021": 410, "2022": 520, "2023": 655}\n```\n\nTutor hours by scheme (CSV):\n```csv\nscheme,hours\n'
        "Paired reading,900\nHomework hub,640\nHoliday club,380\n```\n\n"
        "One chart for each dataset, plus two photos of tutoring sessions."
    )
    charts = [a for a in plan.assets if a.kind == "chart"]
    assert sorted(sorted(drawn_numbers(c, plan)) for c in charts) == [[380, 640, 900], [410, 520, 655]]
    assert len({c.path for c in charts}) == 2 and all(c.path == f"assets/{c.id}.json" for c in charts)


def test_media_counts_are_never_a_charts_data():
    plan = compile_prompt("Page for Dunmore Lodge. We want 3 photos, 2 videos and 1 map. A bar chart too.")
    chart = next(a for a in plan.assets if a.kind == "chart")
    assert chart.dataset.illustrative


def test_numbers_of_the_chart_before_are_not_read_again_for_the_next_one():
    plan = compile_prompt(
        "A page for Loaf Lab with a bar chart of loaves sold: Mon 40, Tue 55, Wed 61, and a pie chart of orders by channel."
    )
    bars, pie = [a for a in plan.assets if a.kind == "chart"]
    assert drawn_numbers(bars, plan) == [40, 55, 61]
    assert pie.dataset.illustrative
