"""End to end: `build` makes a complete page that real Chromium loads, plays and draws."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import dev_prompts
from tests.pagecheck import check_page
from webagent.core.config import Settings
from webagent.core.contracts import AssetSpec, PagePlan
from webagent.core.datasets import numeric_columns
from webagent.core.records import RunRecord
from webagent.engine.build import build

pytestmark = pytest.mark.browser

ONE_LINERS = [
    "a landing page for a bakery",
    "Portfolio for a wildlife photographer named Ada Okafor, dark and cinematic, with a short video reel",
    "A SaaS analytics dashboard with a line chart of monthly active users: Jan 1200, Feb 1350, Mar 1600, Apr 1900",
]
DEV_PROMPTS = dev_prompts()


def expected_values(spec: AssetSpec) -> list[float | int]:
    """The dataset numbers a chart must draw: every numeric column, or the first for one-series types."""
    columns = list(numeric_columns(spec.dataset).values())
    assert columns, f"chart {spec.id} has no numeric data"
    if spec.attributes.chart_type == "gauge":
        columns = [columns[0][:1]]
    elif spec.attributes.chart_type in ("pie", "donut", "funnel"):
        columns = columns[:1]
    return [v for column in columns for v in column if v is not None]


def assert_page_works(folder: Path, browser_session) -> tuple[PagePlan, dict]:
    """Every image loaded, every video plays, every chart drawn with the planned data; nothing left the folder."""
    plan = PagePlan.model_validate_json((folder / "plan.json").read_text())
    report = browser_session.call(lambda browser: check_page(browser, folder))
    assert report.outside_requests == []
    assert report.console_errors == []
    assert report.failed == []
    assert report.overflow == {1440: 0, 390: 0}
    images = report.media["images"]
    assert all(img["ok"] for img in images), [i for i in images if not i["ok"]]
    planned_images = [a for a in plan.assets if a.kind == "image"]
    assert {a.path for a in planned_images} <= {i["src"] for i in images}
    videos = report.media["videos"]
    assert len(videos) == len([a for a in plan.assets if a.kind == "video"])
    for video in videos:
        assert video["ready"] >= 2 and video["advanced"], video
    charts = {c["id"]: c for c in report.media["charts"]}
    for spec in (a for a in plan.assets if a.kind == "chart"):
        chart = charts[spec.id]
        assert chart["ink"] > 0.01, f"chart {spec.id} canvas is blank"
        drawn = json.dumps(chart["series"])
        for value in expected_values(spec):
            assert json.dumps(value) in drawn, (spec.id, value, drawn[:300])
    return plan, report.media


@pytest.mark.parametrize("prompt", ONE_LINERS)
def test_one_line_prompt_builds_a_complete_page(prompt, tmp_path, browser_session):
    result = build(prompt, tmp_path / "page", Settings(), browser=browser_session)
    plan, media = assert_page_works(result.out_dir, browser_session)
    assert len(plan.sections) >= 5
    assert plan.assets, "a one-line prompt still gets media"
    record = RunRecord.model_validate_json((result.out_dir / "run.json").read_text())
    assert record.health.ok, record.health.summary()
    assert (result.out_dir / "screenshots" / "page-1440.png").stat().st_size > 10_000


@pytest.mark.skipif(not DEV_PROMPTS, reason="the MM-WebGEN-Bench dev split is not beside the repository")
@pytest.mark.parametrize("file_id", sorted(DEV_PROMPTS) or ["none"])
def test_dev_prompt_builds_a_complete_page(file_id, tmp_path, browser_session):
    result = build(DEV_PROMPTS[file_id], tmp_path / file_id, Settings(), browser=browser_session)
    assert_page_works(result.out_dir, browser_session)


def test_named_colours_and_data_reach_the_page(tmp_path, browser_session):
    prompt = (Path(__file__).parent.parent / "examples" / "demo-prompt.txt").read_text()
    result = build(prompt, tmp_path / "demo", Settings(), browser=browser_session)
    plan, media = assert_page_works(result.out_dir, browser_session)
    assert plan.title == "Crumb & Co."
    assert plan.tokens.palette.background == "#FFF8EE"
    chart = next(a for a in plan.assets if a.kind == "chart")
    assert chart.dataset.rows[0] == ["Country Sourdough", "420"]
    assert len(media["videos"]) == 1


def test_progress_reports_each_task_as_it_starts_and_finishes_and_videos_can_be_stills(tmp_path, browser_session):
    steps = []
    result = build(
        'A page "Sunrise Yoga" with a hero video of a sunrise class and a gallery of three photos',
        tmp_path / "site",
        Settings(videos=False),
        on_progress=steps.append,
        browser=browser_session,
    )
    kinds = {a.id: a.kind for a in result.plan.assets}
    assert "hero-video" in kinds and set(kinds.values()) == {"image"}  # the video was planned as a still
    assert_page_works(result.out_dir, browser_session)
    for asset_id in kinds:
        events = [s for s in steps if s.node == "generate_assets" and s.detail == asset_id]
        starts = [i for i, s in enumerate(steps) if s in events and s.started]
        ends = [i for i, s in enumerate(steps) if s in events and not s.started]
        assert len(starts) == 1 and ends and starts[0] < ends[0], asset_id
    finished = [s.done for s in steps if not s.started]
    assert finished == sorted(finished) and steps[-1].node == "finish" and not steps[-1].started


@pytest.mark.browser
def test_two_builds_of_one_prompt_write_the_same_bytes(tmp_path, browser_session):
    """Same prompt and seed, no media cache: every asset (MP4, WebM, poster, image, chart) and the page are
    byte-identical, so the media cache and the round hashes never see a change that is not there."""
    prompt = (
        'A page for "Tidewater" kayak tours: a hero with a looping video of paddlers at sunrise, a photo of the '
        "harbour, and a bar chart of tours per month: May 12, June 30, July 41."
    )
    settings = Settings(media_cache=False, reflection_rounds=0)
    folders = [build(prompt, tmp_path / run, settings, browser=browser_session).out_dir for run in ("one", "two")]
    files = [
        {p.relative_to(f).as_posix(): p.read_bytes() for p in (f / "assets").rglob("*") if p.is_file()} for f in folders
    ]
    assert {name.rsplit(".", 1)[-1] for name in files[0]} >= {"mp4", "webm", "webp", "json"}, sorted(files[0])
    assert files[0].keys() == files[1].keys()
    assert [name for name in files[0] if files[0][name] != files[1][name]] == []
    assert (folders[0] / "index.html").read_bytes() == (folders[1] / "index.html").read_bytes()
