"""Specification of the LLM chart backend: through the real ``openai`` client, the coder model writes an
ECharts option; we check it against the dataset, ask for one repair, theme it with the page's look,
or fall back to the offline chart."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.model_server import Reply, ScriptedServer, Seen, chat_reply, error_reply
from tests.pagecheck import check_page
from tests.test_generators import TOKENS, WARM, assert_no_partial_files, make_spec
from webagent.core.answers import ChartDraft
from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, Dataset
from webagent.core.errors import GenerationError
from webagent.core.llm import ModelHub
from webagent.core.runtime import find_echarts
from webagent.generators import generate_asset
from webagent.generators.chart import llm, offline

VISITS = Dataset(
    title="Visitors by month",
    columns=["Month", "Visitors", "Signups"],
    rows=[["Jan", "1,200", "85"], ["Feb", "1.5k", "97"], ["Mar", "1710", "120"]],
)
MONTHS = ["Jan", "Feb", "Mar"]
VISITORS = [1200, 1500, 1710]
SIGNUPS = [85, 97, 120]
HIGHLIGHTED_MARCH = {"value": 1710, "itemStyle": {"color": WARM.accent}}


def chart_spec(chart_type: str = "bar", dataset: Dataset | None = VISITS) -> AssetSpec:
    return make_spec(
        "chart",
        "monthly visitors and signups",
        title="Visitors",
        dataset=dataset,
        width=640,
        height=400,
        chart_type=chart_type,
        emphasis="highlight Mar",
    )


def bar_option(visitors: Sequence = (1200, 1500, HIGHLIGHTED_MARCH), signups: Sequence = SIGNUPS, **extra) -> dict:
    """A bar option as a model writes it: the data, a layout, and colours and fonts of its own choosing."""
    return {
        "title": {"text": "Visitors", "left": "center", "textStyle": {"fontFamily": "Comic Sans MS", "fontSize": 22}},
        "color": ["#FF0000", "#00FF00"],
        "textStyle": {"fontFamily": "Papyrus", "fontSize": 13},
        "grid": {"left": 48, "right": 24, "containLabel": True},
        "legend": {"top": 28},
        "xAxis": {"type": "category", "data": MONTHS},
        "yAxis": {"type": "value", "axisLabel": {"color": "#FF00FF"}},
        "series": [
            {
                "type": "bar",
                "name": "Visitors",
                "data": list(visitors),
                "barWidth": 18,
                "itemStyle": {"color": "#FF0000", "borderColor": "#0000FF", "borderRadius": 4},
            },
            {"type": "bar", "name": "Signups", "data": list(signups)},
        ],
        **extra,
    }


def answer(option: dict) -> Reply:
    return chat_reply(json.dumps({"option": option}))


@dataclass
class Coder:
    """A scripted coder model and the generation context that reaches it over HTTP."""

    server: ScriptedServer
    hub: ModelHub
    ctx: GenerationContext

    def requests(self) -> list[Seen]:
        return self.server.seen("/chat/completions", step="ChartDraft")

    def outcomes(self) -> list[str]:
        return [call.outcome for call in self.hub.log.calls]


@contextmanager
def coder_answering(out_dir: Path, *replies: Reply) -> Iterator[Coder]:
    """A coder model that sends ``replies`` in order, then server errors."""
    queue = list(replies)

    def respond(seen: Seen) -> Reply:
        return queue.pop(0) if queue else error_reply(500, "no more scripted answers")

    with ScriptedServer(respond) as server:
        settings = Settings(
            chart_backend="llm", base_url=server.url, api_key="test-key", model_backoff_s=0.01, model_timeout_s=2
        )
        hub = ModelHub(settings)
        try:
            yield Coder(server, hub, GenerationContext(out_dir, 0, settings, hub))
        finally:
            hub.close()


def repair_request(coder: Coder) -> str:
    """The user message of the repair request, after checking it follows the first answer."""
    first, second = coder.requests()
    assert second.body["messages"][:2] == first.body["messages"]
    assert second.body["messages"][2]["role"] == "assistant"
    return second.body["messages"][3]["content"]


# --- the request ----------------------------------------------------------------------------


def test_request_asks_for_a_chart_draft_with_the_dataset_and_the_slot(tmp_path):
    with coder_answering(tmp_path, answer(bar_option())) as coder:
        llm.generate(chart_spec(), TOKENS, coder.ctx)
        (request,) = coder.requests()

    assert request.body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "ChartDraft", "schema": ChartDraft.model_json_schema(), "strict": False},
    }
    asked = request.text()
    assert VISITS.model_dump_json() in asked, "the dataset's cells, verbatim"
    assert '"Visitors": [1200, 1500, 1710]' in asked and '"Signups": [85, 97, 120]' in asked
    assert 'series of type "bar"' in asked and "highlight Mar" in asked
    assert "640×400 px" in asked and "Chart: Visitors" in asked
    assert WARM.accent in asked and TOKENS.fonts.body in asked
    assert request.headers["authorization"] == "Bearer test-key"


# --- an accepted option ---------------------------------------------------------------------


def test_accepted_option_is_themed_with_the_page_look_and_keeps_its_data_and_layout(tmp_path):
    with coder_answering(tmp_path, answer(bar_option())) as coder:
        asset = llm.generate(chart_spec(), TOKENS, coder.ctx)
        calls = coder.hub.log.calls

    option = asset.chart_option
    assert (asset.id, asset.kind, asset.path, asset.backend) == ("chart-1", "chart", "assets/chart.json", "llm")
    assert json.loads((tmp_path / "assets/chart.json").read_text()) == option
    assert_no_partial_files(tmp_path)

    assert option["xAxis"]["data"] == MONTHS
    assert [s["data"] for s in option["series"]] == [[1200, 1500, HIGHLIGHTED_MARCH], SIGNUPS]
    assert option["grid"] == {"left": 48, "right": 24, "containLabel": True}
    assert option["title"]["left"] == "center" and option["series"][0]["barWidth"] == 18
    assert option["series"][0]["itemStyle"] == {"borderRadius": 4}

    assert option["color"][:3] == [WARM.primary, WARM.secondary, WARM.accent]
    assert option["textStyle"] == {"fontSize": 13, "color": WARM.text, "fontFamily": TOKENS.fonts.body}
    assert option["title"]["textStyle"]["fontFamily"] == TOKENS.fonts.heading
    assert option["title"]["textStyle"]["color"] == WARM.text
    assert option["yAxis"]["axisLabel"]["color"] == WARM.muted
    assert option["legend"]["textStyle"] == {"color": WARM.muted}
    assert (option["backgroundColor"], option["animation"]) == ("transparent", False)
    for foreign in ("#FF0000", "#00FF00", "#0000FF", "#FF00FF", "Comic Sans", "Papyrus"):
        assert foreign not in json.dumps(option)

    assert [(c.role, c.step, c.outcome) for c in calls] == [("coder", "chart chart-1", "ok")]


@pytest.mark.parametrize(
    ("chart_type", "option"),
    [
        (
            "line",
            {
                "xAxis": {"data": MONTHS},
                "yAxis": {},
                "series": [
                    {
                        "type": "line",
                        "data": [[0, 1200], [1, 1500], [2, 1710]],
                        "markPoint": {"data": [{"coord": [2, 1710]}]},
                    },
                    {"type": "line", "data": [["Jan", 85], ["Feb", 97], ["Mar", 120]]},
                ],
            },
        ),
        (
            "scatter",
            {
                "xAxis": {"type": "value"},
                "yAxis": {"type": "value"},
                "series": [
                    {
                        "type": "scatter",
                        "data": [{"name": m, "value": [v, s]} for m, v, s in zip(MONTHS, VISITORS, SIGNUPS)],
                    }
                ],
            },
        ),
        (
            "donut",
            {
                "series": [
                    {
                        "type": "pie",
                        "radius": ["40%", "70%"],
                        "data": [{"name": m, "value": v} for m, v in zip(MONTHS, VISITORS)],
                    }
                ]
            },
        ),
        (
            "radar",
            {
                "radar": {"indicator": [{"name": m, "max": 2000} for m in MONTHS]},
                "series": [
                    {
                        "type": "radar",
                        "data": [{"name": "Visitors", "value": VISITORS}, {"name": "Signups", "value": SIGNUPS}],
                    }
                ],
            },
        ),
        ("gauge", {"series": [{"type": "gauge", "max": 2000, "data": [{"name": "Jan", "value": 1200}]}]}),
        (
            "heatmap",
            {
                "xAxis": {"type": "category", "data": ["Visitors", "Signups"]},
                "yAxis": {"data": MONTHS},
                "visualMap": {"min": 85, "max": 1710},
                "series": [
                    {
                        "type": "heatmap",
                        "data": [[0, 0, 1200], [0, 1, 1500], [0, 2, 1710], [1, 0, 85], [1, 1, 97], [1, 2, 120]],
                    }
                ],
            },
        ),
    ],
)
def test_dataset_drawn_in_any_echarts_form_is_accepted(chart_type, option):
    """Index coordinates, [label, value] pairs, {value} objects, named slices, radar lists and a gauge's
    single number are all the dataset as it is."""
    assert llm.option_problems(option, VISITS, chart_type) == []


# --- problems a repair request lists --------------------------------------------------------


HEATMAP_CELLS = [[0, 0, 1200], [0, 1, 1500], [0, 2, 1710], [1, 0, 85], [1, 1, 97], [1, 2, 120]]


@pytest.mark.parametrize(
    ("chart_type", "option", "problem"),
    [
        ("bar", bar_option(visitors=[1200, 1500]), "the dataset value 1710 (Visitors, Mar) is missing from the chart"),
        (
            "bar",
            bar_option(signups=[85, 97, 120.5]),
            "series[1].data[2] is 120.5, which is not a number of the dataset",
        ),
        (
            "bar",
            bar_option(visitors=[1.2, 1.5, 1.71]),
            "series[0].data[0] is 1.2, which is not a number of the dataset",
        ),
        ("bar", bar_option(visitors=["1,200", 1500, 1710]), 'series[0].data[0] is "1,200", not a number'),
        (
            "bar",
            bar_option(xAxis={"data": ["January", "Feb", "Mar"]}),
            'xAxis[0].data[0] is "January", which is not a cell or header of the dataset',
        ),
        (
            "heatmap",
            {
                "xAxis": {"data": ["Visitors", "Signups"]},
                "yAxis": {"data": MONTHS},
                "series": [{"type": "heatmap", "data": [*HEATMAP_CELLS[:5], [1, 2, 121]]}],
            },
            "series[0].data[5][2] is 121, which is not a number of the dataset",
        ),
        (
            "heatmap",
            {
                "xAxis": {"data": ["Visitors", "Signups"]},
                "yAxis": {"data": MONTHS},
                "series": [{"type": "heatmap", "data": [*HEATMAP_CELLS[:5], [1, 3, 120]]}],
            },
            "series[0].data[5][1] is 3, which is not a cell or header of the dataset",
        ),
        (
            "pie",
            {
                "series": [
                    {
                        "type": "pie",
                        "data": [
                            {"name": "January", "value": 1200},
                            {"name": "Feb", "value": 1500},
                            {"name": "Mar", "value": 1710},
                        ],
                    }
                ]
            },
            'series[0].data[0].name is "January", which is not a cell or header of the dataset',
        ),
        (
            "pie",
            {"series": [{"type": "pie", "data": [{"name": "Jan", "value": 1200}, {"name": "Feb", "value": 1500}]}]},
            "the dataset value 1710 (Visitors, Mar) is missing from the chart",
        ),
        (
            "radar",
            {
                "radar": {"indicator": [{"name": "Q1"}, {"name": "Feb"}, {"name": "Mar"}]},
                "series": [{"type": "radar", "data": [{"value": VISITORS}, {"value": SIGNUPS}]}],
            },
            'radar[0].indicator[0].name is "Q1", which is not a cell or header of the dataset',
        ),
        ("bar", bar_option(dataset={"source": [["Jan", 1200]]}), 'not in an ECharts "dataset" component'),
        ("bar", {"title": {"text": "Visitors"}}, 'the option needs a "series" list'),
        (
            "bar",
            bar_option(series=[{"type": "sankey", "data": []}]),
            'series[0] has type "sankey"; use one of: bar, line',
        ),
        (
            "bar",
            bar_option(series=[{"type": "line", "data": VISITORS}, {"type": "line", "data": SIGNUPS}]),
            'the chart should be a bar chart: draw it with series of type "bar"',
        ),
        ("bar", bar_option(series=[{"type": "bar", "name": "Visitors"}]), 'series[0] has no "data" list'),
    ],
)
def test_problems_say_where_the_option_departs_from_the_dataset(chart_type, option, problem):
    problems = llm.option_problems(option, VISITS, chart_type)
    assert any(problem in line for line in problems), problems


@pytest.mark.parametrize(
    ("place", "content"),
    [
        ({"symbol": "image://http://cdn.example/pin.png"}, "series[0].symbol"),
        ({"symbol": "image://data:image/png;base64,iVBORw0KGgo="}, "series[0].symbol"),
        ({"label": {"show": True, "formatter": "javascript:alert(1)"}}, "series[0].label.formatter"),
        ({"name": "Visitors<script>alert(1)</script>"}, "series[0].name"),
        ({"itemStyle": {"decal": {"image": "https://cdn.example/stripes.png"}}}, "series[0].itemStyle.decal.image"),
        ({"markPoint": {"symbol": "//cdn.example/pin.svg", "data": [{"type": "max"}]}}, "series[0].markPoint.symbol"),
    ],
)
def test_remote_or_scriptable_content_is_refused_and_repaired(tmp_path, place, content):
    option = bar_option()
    option["series"][0] |= place
    with coder_answering(tmp_path, answer(option), answer(bar_option())) as coder:
        asset = llm.generate(chart_spec(), TOKENS, coder.ctx)
        repair = repair_request(coder)

    assert f"- option.{content} is " in repair and "the page loads nothing remote and runs no script" in repair
    assert asset.chart_option["series"][0]["data"] == [1200, 1500, HIGHLIGHTED_MARCH]
    assert all(asset.chart_option["series"][0].get(key) != value for key, value in place.items())


# --- one repair, then the offline chart -----------------------------------------------------


def test_wrong_number_gets_one_repair_and_the_corrected_answer_is_used(tmp_path):
    with coder_answering(
        tmp_path, answer(bar_option(visitors=[1200, 1300, HIGHLIGHTED_MARCH])), answer(bar_option())
    ) as coder:
        asset = llm.generate(chart_spec(), TOKENS, coder.ctx)
        repair = repair_request(coder)
        outcomes = coder.outcomes()

    assert "- series[0].data[1] is 1300, which is not a number of the dataset" in repair
    assert "- the dataset value 1500 (Visitors, Feb) is missing from the chart" in repair
    assert outcomes == ["invalid", "repaired"]
    assert asset.backend == "llm"
    assert asset.chart_option["series"][0]["data"] == [1200, 1500, HIGHLIGHTED_MARCH]


def test_answer_still_wrong_after_the_repair_gives_the_offline_chart_and_a_warning(tmp_path):
    wrong = answer(bar_option(visitors=[1200, 1300, 1710]))
    spec = chart_spec()
    with coder_answering(tmp_path, wrong, wrong) as coder:
        asset = generate_asset(spec, TOKENS, coder.ctx)
        requests, outcomes = coder.requests(), coder.outcomes()

    assert len(requests) == 2 and outcomes == ["invalid", "invalid"]
    assert asset.backend == "offline"
    assert asset.chart_option == offline.build_option(spec, TOKENS)
    assert json.loads((tmp_path / spec.path).read_text()) == asset.chart_option
    (warning,) = asset.warnings
    assert warning.startswith(
        "chart chart-1: the llm backend failed (coder model's chart chart-1 answer was "
        "unusable after one repair (series[0].data[1] is 1300"
    )
    assert warning.endswith("made offline instead")


@pytest.mark.parametrize(
    ("first", "problem"),
    [
        (chat_reply('{"option": {"series": [{"type": "bar", data: [1200]}]}}'), "not valid JSON"),
        (chat_reply(json.dumps({"option": bar_option()})[:120], finish_reason="length"), "cut off before it ended"),
        (chat_reply(json.dumps({"chart": bar_option()})), "option: Field required"),
    ],
)
def test_broken_json_gets_one_repair(tmp_path, first, problem):
    with coder_answering(tmp_path, first, answer(bar_option())) as coder:
        asset = llm.generate(chart_spec(), TOKENS, coder.ctx)
        repair = repair_request(coder)
        outcomes = coder.outcomes()

    assert problem in repair
    assert outcomes == ["invalid", "repaired"]
    assert asset.chart_option["xAxis"]["data"] == MONTHS


@pytest.mark.parametrize(
    "dataset",
    [None, Dataset(columns=["Name", "Role"], rows=[["Ana", "CEO"]]), Dataset(columns=["Month", "Visitors"], rows=[])],
)
def test_chart_without_numbers_is_refused_before_any_model_call(tmp_path, dataset):
    with coder_answering(tmp_path) as coder:
        with pytest.raises(GenerationError, match="^chart chart-1 has no numeric data$"):
            llm.generate(chart_spec(dataset=dataset), TOKENS, coder.ctx)
        assert coder.server.requests == []


# --- in the browser -------------------------------------------------------------------------


def chart_page(folder: Path, spec: AssetSpec, option: dict) -> None:
    """A minimal page: one chart slot, the vendored ECharts runtime and the option."""
    shutil.copyfile(find_echarts(), folder / "echarts.min.js")
    script = json.dumps(option).replace("</", "<\\/")
    (folder / "index.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"></head><body>'
        f'<div data-asset-kind="chart" data-asset-id="{spec.id}" '
        f'style="width:100%;max-width:{spec.size.width}px;height:{spec.size.height}px"></div>'
        '<script src="echarts.min.js"></script>'
        f"<script>echarts.init(document.querySelector('[data-asset-kind]')).setOption({script});</script>"
        "</body></html>",
        encoding="utf-8",
    )


@pytest.mark.browser
def test_accepted_chart_draws_the_dataset_in_chromium(tmp_path, browser_session):
    spec = chart_spec()
    with coder_answering(tmp_path, answer(bar_option())) as coder:
        asset = llm.generate(spec, TOKENS, coder.ctx)
    chart_page(tmp_path, spec, asset.chart_option)

    report = browser_session.call(lambda browser: check_page(browser, tmp_path))

    assert report.console_errors == [] and report.outside_requests == [] and report.failed == []
    (chart,) = report.media["charts"]
    assert chart["ink"] > 0.01, "the canvas is blank"
    assert chart["series"] == [[1200, 1500, HIGHLIGHTED_MARCH], SIGNUPS]
    assert chart["xAxis"] == [MONTHS]
