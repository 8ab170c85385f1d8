"""Specification of the MM-WebGEN-Bench judges: the model judge over a scripted OpenAI-compatible server
(what each judge call carries, how answers become the protocol's scores, repair and failure), the static
judge's deterministic rules, and the benchmark's means."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest
from PIL import Image
from pydantic import BaseModel

from tests.model_server import Reply, ScriptedServer, Seen, chat_reply
from webagent.core.config import Settings
from webagent.core.contracts import Dataset
from webagent.core.errors import ModelOutputError
from webagent.core.llm import ModelHub
from webagent.webbench.evaluation.contracts import (
    AestheticsCritique,
    ChartVerdict,
    DeterministicMetrics,
    ElementEvidence,
    ElementIssue,
    ImageVerdict,
    PageEvaluation,
    PageEvidence,
    PageScores,
    Penalty,
    PenaltyCritique,
    RequiredElement,
    RequiredElements,
    VideoVerdict,
)
from webagent.webbench.evaluation.evaluate import benchmark_means, evaluate_page
from webagent.webbench.evaluation.judge import Critiques, ModelJudge, StaticJudge, match_elements
from webagent.webbench.evaluation.reading import read_prompt

PROMPT = """A dark-themed landing page for a coffee roaster called "Ember & Oak". The header shows the logo and \
links "Shop", "Story". The hero has the headline "Roasted in Small Batches", a button "Order Beans" and a large \
photo of a steaming cup of coffee on a wooden table. Accent colour #D97706.

A section "Our Growth" shows a bar chart of bags sold per year:

| Year | Bags |
|---|---|
| 2022 | 1200 |
| 2023 | 1850 |
| 2024 | 2600 |

Below it, a short video loop of beans tumbling in a roaster. The footer says "Made with care"."""

BAGS = Dataset(
    title="Our Growth", columns=["Year", "Bags"], rows=[["2022", "1200"], ["2023", "1850"], ["2024", "2600"]]
)
BAGS_OPTION = {
    "xAxis": [{"type": "category", "data": ["2022", "2023", "2024"]}],
    "yAxis": [{"type": "value"}],
    "series": [{"type": "bar", "name": "Bags", "data": [1200, 1850, 2600]}],
}
PHOTO = RequiredElement(kind="image", description="a steaming cup of coffee on a wooden table")
CHART = RequiredElement(kind="chart", description="a bar chart of bags sold per year", dataset=BAGS)
VIDEO = RequiredElement(kind="video", description="beans tumbling in a roaster")
PERFECT = DeterministicMetrics(
    text_recall=1, palette_recall=1, media_coverage=1, chart_fidelity=1, render_health=1, section_order=1
)
BOX = {"x": 120.0, "y": 400.0, "width": 480.0, "height": 320.0}
LIGHT, DARK = (248, 246, 240), (18, 16, 20)


# --- pages built in the test: real PNG files, evidence written by hand --------------------------

COLOURS = count(40)


def write_png(path: Path, colour: tuple[int, int, int] | None = None, size: tuple[int, int] = (48, 32)) -> str:
    """A small PNG of one colour (a new colour each time unless given), so every file's bytes differ."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shade = next(COLOURS)
    Image.new("RGB", size, colour or (shade % 256, (shade * 7) % 256, (shade * 13) % 256)).save(path, format="PNG")
    return path.name


@dataclass
class Page:
    """A page's evidence, its evidence folder and its page folder."""

    evidence: PageEvidence
    folder: Path

    def file(self, relative: str) -> bytes:
        return (self.folder / relative).read_bytes()

    def asset(self, source: str) -> bytes:
        return (Path(self.evidence.folder) / source).read_bytes()


def make_page(
    tmp_path: Path, elements: list[ElementEvidence], background: tuple[int, int, int] = DARK, **fields: object
) -> Page:
    """Evidence of a page with ``elements``: screenshot, crops, frames and asset files exist as PNGs."""
    folder, page_folder = tmp_path / "evidence", tmp_path / "page"
    write_png(folder / "screenshot.png", background, size=(144, 400))
    for element in elements:
        for picture in [element.crop, *element.frames]:
            if picture and not (folder / picture).exists():
                write_png(folder / picture)
        if element.kind == "image":
            write_png(page_folder / element.source, size=element.natural_size or (48, 32))
    evidence = PageEvidence(
        folder=str(page_folder),
        screenshot="screenshot.png",
        elements=elements,
        **{
            "html": "<html><body><h1>Roasted in Small Batches</h1></body></html>",
            "visible_text": "Roasted in Small Batches",
            **fields,
        },
    )
    return Page(evidence, folder)


def image(index: int = 0, **fields: object) -> ElementEvidence:
    values = dict(
        asset_id=f"photo-{index}",
        source=f"assets/photo-{index}.png",
        box=BOX,
        natural_size=(960, 640),
        rendered=True,
        crop=f"crops/image-{index}.png",
        html=f'<figure><img src="assets/photo-{index}.png"></figure>',
    )
    return ElementEvidence(index=index, kind="image", **{**values, **fields})


def chart(index: int = 0, **fields: object) -> ElementEvidence:
    values = dict(
        asset_id=f"growth-{index}",
        box=BOX,
        rendered=True,
        crop=f"crops/chart-{index}.png",
        html='<figure data-slot="growth"><div class="chart"></div></figure>',
        chart_option=BAGS_OPTION,
    )
    return ElementEvidence(index=index, kind="chart", **{**values, **fields})


def video(index: int = 0, **fields: object) -> ElementEvidence:
    frames = [f"frames/video-{index}-{n}.png" for n in range(3)]
    values = dict(
        asset_id=f"beans-{index}",
        source=f"assets/beans-{index}.mp4",
        box=BOX,
        natural_size=(960, 640),
        rendered=True,
        crop=f"crops/video-{index}.png",
        frames=frames,
        html="<video autoplay muted loop></video>",
    )
    return ElementEvidence(index=index, kind="video", **{**values, **fields})


def still_frames(page: Page, element: ElementEvidence) -> None:
    """Make every sampled frame of ``element`` the same picture."""
    for frame in element.frames:
        write_png(page.folder / frame, (90, 60, 30))


# --- the scripted judge model ---------------------------------------------------------------------


def answer(value: BaseModel | dict | str) -> Reply:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    return chat_reply(value if isinstance(value, str) else json.dumps(value))


def judge_call(seen: Seen) -> str:
    """Which judge call a request is: its schema name, or 'layout' / 'style' for the two penalty lists."""
    if seen.step == "PenaltyCritique":
        return "layout" if "layout of a web page" in seen.body["messages"][0]["content"] else "style"
    return seen.step


NO_PENALTIES = PenaltyCritique()
FINE = AestheticsCritique(balance=1.0, typography=1.0, colour=1.0, clarity=1.0, finish=1.0)
GOOD_ANSWERS: dict[str, BaseModel] = {
    "layout": NO_PENALTIES,
    "style": NO_PENALTIES,
    "AestheticsCritique": FINE,
    "ImageVerdict": ImageVerdict(),
    "VideoVerdict": VideoVerdict(grade=1.0),
    "ChartVerdict": ChartVerdict(blank=False),
    "RequiredElements": RequiredElements(elements=[PHOTO, CHART, VIDEO]),
}


class Script:
    """Answers per judge call: the given ones in order (the last one repeats), else a good answer."""

    def __init__(self, delay_s: float = 0.0, **answers: list[BaseModel | dict | str]) -> None:
        self.answers = answers
        self.delay_s = delay_s

    def __call__(self, seen: Seen) -> Reply:
        name = judge_call(seen)
        queue = self.answers.get(name) or [GOOD_ANSWERS[name]]
        reply = answer(queue.pop(0) if len(queue) > 1 else queue[0])
        reply.delay_s = self.delay_s
        return reply


@dataclass
class Judged:
    server: ScriptedServer
    judge: ModelJudge

    def requests(self, name: str) -> list[Seen]:
        return [seen for seen in self.server.seen("/chat/completions") if judge_call(seen) == name]

    def critique(self, page: Page, required: list[RequiredElement]) -> Critiques:
        matches = match_elements(required, page.evidence.elements)
        return self.judge.critique(PROMPT, page.evidence, page.folder, matches, PERFECT)


def judge_settings(server: ScriptedServer) -> Settings:
    return Settings(api_key="sk-test", base_url=server.url, model_backoff_s=0.01, judge_model="vision-judge")


@contextmanager
def model_judge(script: Script) -> Iterator[Judged]:
    with ScriptedServer(script) as server:
        hub = ModelHub(judge_settings(server))
        try:
            yield Judged(server, ModelJudge(hub))
        finally:
            hub.close()


def sent_images(seen: Seen) -> list[bytes]:
    """The pictures a request carried as image parts, in order, decoded from their data URLs."""
    pictures = []
    for message in seen.body["messages"]:
        for part in message["content"] if isinstance(message["content"], list) else []:
            if part["type"] == "image_url":
                header, data = part["image_url"]["url"].split(",", 1)
                assert header == "data:image/png;base64"
                pictures.append(base64.b64decode(data))
    return pictures


def sent_text(seen: Seen) -> str:
    """Everything a request said in words: plain messages and the text parts of multimodal ones."""
    texts = []
    for message in seen.body["messages"]:
        content = message["content"]
        texts += [content] if isinstance(content, str) else [p["text"] for p in content if p["type"] == "text"]
    return "\n".join(texts)


def issue(text: str, level: str = "element") -> ElementIssue:
    return ElementIssue(issue=text, level=level, fix="fix it")


def penalties(*amounts: float) -> PenaltyCritique:
    return PenaltyCritique(penalties=[Penalty(issue=f"defect {n}", penalty=p) for n, p in enumerate(amounts)])


# --- the model judge: global critiques ------------------------------------------------------------


def test_penalty_lists_and_aesthetic_grades_become_the_protocol_scores(tmp_path):
    script = Script(
        layout=[penalties(0.5, 0.3)],
        style=[penalties(0.5, 0.5, 0.5, 0.5)],
        AestheticsCritique=[AestheticsCritique(balance=0.6, typography=0.8, colour=1.0, clarity=0.8, finish=0.8)],
    )
    with model_judge(script) as judged:
        critiques = judged.critique(make_page(tmp_path, []), [])

    assert critiques.layout.score == 0.6  # 1 − 0.5 × (0.5 + 0.3)
    assert critiques.style.score == 0.0  # a total of 2 penalties clips to 0
    assert critiques.aesthetics.score == 0.8
    assert critiques.elements == []


def test_global_calls_carry_the_prompt_the_html_and_the_screenshot(tmp_path):
    page = make_page(tmp_path, [])
    with model_judge(Script()) as judged:
        judged.critique(page, [])

    for name in ("layout", "style", "AestheticsCritique"):
        [request] = judged.requests(name)
        assert sent_images(request) == [page.file("screenshot.png")]
    for name in ("layout", "style"):
        text = sent_text(judged.requests(name)[0])
        assert "Roasted in Small Batches" in text and "<h1>Roasted in Small Batches</h1>" in text


def test_a_penalty_outside_the_rubric_gets_a_repair_request(tmp_path):
    with model_judge(Script(layout=[penalties(0.4), penalties(0.5)])) as judged:
        critiques = judged.critique(make_page(tmp_path, []), [])

    first, repair = judged.requests("layout")
    assert "penalties[0].penalty is 0.4" in sent_text(repair)
    assert critiques.layout.score == 0.75


def test_a_malformed_answer_gets_one_repair_request_and_is_accepted(tmp_path):
    page = make_page(tmp_path, [])
    with model_judge(Script(AestheticsCritique=['{"balance": 0.7', FINE])) as judged:
        critiques = judged.critique(page, [])

    first, repair = judged.requests("AestheticsCritique")
    assert "not valid JSON" in repair.body["messages"][-1]["content"]
    assert sent_images(repair) == [page.file("screenshot.png")]  # the repair request still shows the page
    assert critiques.aesthetics.score == 1.0
    outcomes = [call.outcome for call in judged.judge.calls() if call.step == "aesthetics"]
    assert outcomes == ["invalid", "repaired"]


def test_an_answer_malformed_twice_fails_the_evaluation_naming_the_call(tmp_path):
    script = Script(
        AestheticsCritique=[{"balance": 0.7, "typography": 1.0, "colour": 1.0, "clarity": 1.0, "finish": 1.0}]
    )
    with model_judge(script) as judged, pytest.raises(ModelOutputError) as failure:
        judged.critique(make_page(tmp_path, []), [])

    assert "judge model's aesthetics answer was unusable after one repair" in str(failure.value)
    assert "balance" in str(failure.value)
    assert len(judged.requests("AestheticsCritique")) == 2


def test_judge_calls_run_concurrently(tmp_path):
    page = make_page(tmp_path, [image(0), image(1), chart(0)])
    with model_judge(Script(delay_s=0.3)) as judged:
        judged.critique(page, [PHOTO, PHOTO, CHART])

    requests = judged.server.seen("/chat/completions")
    assert len(requests) == 6
    assert max(r.started for r in requests) < min(r.finished for r in requests)


# --- the model judge: elements --------------------------------------------------------------------


def test_image_call_carries_the_screenshot_the_crop_and_the_asset_file(tmp_path):
    element = image(0)
    page = make_page(tmp_path, [element])
    with model_judge(Script()) as judged:
        judged.critique(page, [PHOTO])

    [request] = judged.requests("ImageVerdict")
    assert sent_images(request) == [page.file("screenshot.png"), page.file(element.crop), page.asset(element.source)]
    assert PHOTO.description in sent_text(request) and element.html in sent_text(request)


def test_image_scores_one_minus_a_fifth_per_distinct_issue_and_keeps_issue_levels(tmp_path):
    verdict = ImageVerdict(
        issues=[
            issue("a watermark in the corner"),
            issue("A watermark  in the corner"),
            issue("the cup is cropped off", "container"),
        ]
    )
    with model_judge(Script(ImageVerdict=[verdict])) as judged:
        [critique] = judged.critique(make_page(tmp_path, [image(0)]), [PHOTO]).elements

    assert critique.score == 0.6  # two distinct issues
    assert [(i.issue, i.level) for i in critique.issues] == [
        ("a watermark in the corner", "element"),
        ("the cup is cropped off", "container"),
    ]
    assert critique.present and critique.asset_id == "photo-0"


def test_video_call_carries_the_frames_in_order_and_its_grade_is_the_score(tmp_path):
    element = video(0)
    page = make_page(tmp_path, [element])
    verdict = VideoVerdict(grade=0.6, issues=[issue("the beans jump between frames")])
    with model_judge(Script(VideoVerdict=[verdict])) as judged:
        [critique] = judged.critique(page, [VIDEO]).elements

    [request] = judged.requests("VideoVerdict")
    assert sent_images(request) == [page.file(frame) for frame in element.frames]
    assert critique.score == 0.6 and critique.issues[0].issue == "the beans jump between frames"


def test_chart_call_carries_the_crop_the_chart_code_the_data_and_the_container_size(tmp_path):
    element = chart(0)
    page = make_page(tmp_path, [element])
    verdict = ChartVerdict(blank=False, issues=[issue("axis labels too small"), issue("legend overlaps", "container")])
    with model_judge(Script(ChartVerdict=[verdict])) as judged:
        [critique] = judged.critique(page, [CHART]).elements

    [request] = judged.requests("ChartVerdict")
    assert sent_images(request) == [page.file("screenshot.png"), page.file(element.crop)]
    text = sent_text(request)
    assert "480 × 320" in text and '"data": [' in text and "2600" in text and '"2024"' in text
    assert critique.score == 0.6
    assert [i.level for i in critique.issues] == ["element", "container"]


def test_a_chart_the_judge_finds_blank_scores_zero(tmp_path):
    with model_judge(Script(ChartVerdict=[ChartVerdict(blank=True)])) as judged:
        [critique] = judged.critique(make_page(tmp_path, [chart(0)]), [CHART]).elements

    assert critique.score == 0.0


def test_a_required_chart_absent_from_the_page_scores_zero_without_a_judge_call(tmp_path):
    with model_judge(Script()) as judged:
        first, second = judged.critique(make_page(tmp_path, [chart(0)]), [CHART, CHART]).elements

    assert len(judged.requests("ChartVerdict")) == 1
    assert (first.present, first.score) == (True, 1.0)
    assert (second.present, second.score, second.index, second.asset_id) == (False, 0.0, 1, "")
    assert "no chart" in second.issues[0].issue


def test_a_chart_that_did_not_render_scores_zero_without_asking(tmp_path):
    with model_judge(Script()) as judged:
        [critique] = judged.critique(make_page(tmp_path, [chart(0, rendered=False)]), [CHART]).elements

    assert judged.requests("ChartVerdict") == []
    assert (critique.present, critique.score) == (True, 0.0)


def test_required_elements_are_matched_by_kind_in_document_order(tmp_path):
    elements = [image(1, asset_id="second"), chart(0), image(0, asset_id="first")]
    matches = match_elements([PHOTO, CHART, PHOTO, VIDEO], elements)

    assert [(m.required.kind, m.index, m.evidence.asset_id if m.evidence else None) for m in matches] == [
        ("image", 0, "first"),
        ("chart", 0, "growth-0"),
        ("image", 1, "second"),
        ("video", 0, None),
    ]


def test_the_model_extracts_required_elements_with_datasets_copied_verbatim():
    invented = RequiredElement(
        kind="chart", description="bags per year", dataset=Dataset(columns=["Year", "Bags"], rows=[["2022", "1,300"]])
    )
    script = Script(
        RequiredElements=[
            RequiredElements(elements=[PHOTO, invented]),
            RequiredElements(elements=[PHOTO, CHART, VIDEO]),
        ]
    )
    with model_judge(script) as judged:
        required = judged.judge.required_elements(PROMPT)

    first, repair = judged.requests("RequiredElements")
    assert "cell '1,300' is not in the prompt" in sent_text(repair)
    assert required == [PHOTO, CHART, VIDEO]


# --- the static judge -----------------------------------------------------------------------------


def static_critique(
    page: Page,
    prompt: str = PROMPT,
    required: list[RequiredElement] | None = None,
    metrics: DeterministicMetrics = PERFECT,
) -> Critiques:
    judge = StaticJudge()
    wanted = judge.required_elements(prompt) if required is None else required
    return judge.critique(prompt, page.evidence, page.folder, match_elements(wanted, page.evidence.elements), metrics)


def penalty_list(critique: PenaltyCritique) -> list[float]:
    return [p.penalty for p in critique.penalties]


def test_static_required_elements_come_from_the_evaluation_reader_and_match_the_prompt():
    required = StaticJudge().required_elements(PROMPT)

    assert required == read_prompt(PROMPT).elements
    assert [r.kind for r in required] == ["image", "chart", "video"]
    assert "steaming cup of coffee" in required[0].description
    assert "bar chart of bags sold per year" in required[1].description
    assert "beans tumbling in a roaster" in required[2].description
    assert required[1].dataset is not None and required[1].dataset.rows == BAGS.rows
    assert required[0].dataset is None and required[2].dataset is None


def test_a_page_that_matches_the_prompt_gets_full_static_scores(tmp_path):
    critiques = static_critique(make_page(tmp_path, [image(0), chart(0), video(0)]))

    assert (critiques.layout.score, critiques.style.score, critiques.aesthetics.score) == (1.0, 1.0, 1.0)
    assert [e.score for e in critiques.elements] == [1.0, 1.0, 1.0]


def test_static_layout_missing_media_are_critical_for_the_primary_image_charts_and_videos(tmp_path):
    critiques = static_critique(make_page(tmp_path, [image(0)]), required=[PHOTO, PHOTO, CHART, VIDEO])

    assert penalty_list(critiques.layout) == [0.3, 0.5, 0.5]  # second image minor; chart, video critical
    assert critiques.layout.score == 0.35
    assert [e.score for e in critiques.elements] == [1.0, 0.0, 0.0, 0.0]
    assert static_critique(make_page(tmp_path / "none", []), required=[PHOTO]).layout.penalties[0].penalty == 0.5


def test_static_layout_missing_headings_are_critical_and_other_quoted_text_minor(tmp_path):
    metrics = PERFECT.model_copy(
        update={"text_recall": 0.5, "details": {"text_recall": ["Roasted in Small Batches", "Order Beans"]}}
    )
    critiques = static_critique(make_page(tmp_path, [image(0), chart(0), video(0)]), metrics=metrics)

    assert penalty_list(critiques.layout) == [0.5, 0.3]
    assert "Order Beans" in critiques.layout.penalties[1].issue


def test_static_layout_sections_out_of_order_are_a_structural_mismatch(tmp_path):
    page = make_page(tmp_path, [image(0), chart(0), video(0)])
    shuffled = PERFECT.model_copy(
        update={"section_order": 0.75, "details": {"section_order": ["“B” comes before “A”"]}}
    )
    one_pair_swapped = PERFECT.model_copy(update={"section_order": 0.9})

    layout = static_critique(page, metrics=shuffled).layout
    assert penalty_list(layout) == [1.0]
    assert layout.score == 0.5 and "“B” comes before “A”" in layout.penalties[0].issue
    assert static_critique(page, metrics=one_pair_swapped).layout.penalties == []


def test_static_layout_overflow_and_overlap_cost_a_tenth_each(tmp_path):
    overlaps = [f"“a{n}” overlaps “b{n}”" for n in range(7)]
    page = make_page(
        tmp_path, [image(0), chart(0), video(0)], overflow_px={"1440": 0, "390": 24}, overlapping_text=overlaps
    )
    critiques = static_critique(page)

    assert penalty_list(critiques.layout) == [0.1] * 6  # one width overflowing, at most five overlaps counted
    assert critiques.layout.score == 0.7
    assert critiques.aesthetics.balance == 0.2


def test_static_style_penalises_a_light_page_for_a_dark_prompt_and_missing_colours(tmp_path):
    metrics = PERFECT.model_copy(update={"palette_recall": 0.0, "details": {"palette_recall": ["#D97706"]}})
    elements = [image(0), chart(0), video(0)]
    light = static_critique(make_page(tmp_path / "light", elements, background=LIGHT), metrics=metrics)
    dark = static_critique(make_page(tmp_path / "dark", elements, background=DARK), metrics=metrics)

    assert penalty_list(light.style) == [0.5, 0.2] and light.style.score == 0.65
    assert penalty_list(dark.style) == [0.2]
    light_prompt = 'A calm, light-themed page for a yoga studio called "Still".'
    assert static_critique(make_page(tmp_path / "yoga", [], background=DARK), prompt=light_prompt).style.score == 0.75
    unsaid = 'A page for a yoga studio called "Still".'
    assert static_critique(make_page(tmp_path / "plain", [], background=DARK), prompt=unsaid).style.score == 1.0


def test_static_aesthetics_grade_contrast_palette_and_render_health(tmp_path):
    page = make_page(tmp_path, [], low_contrast=["small grey text"] * 3, text_blocks=10)
    metrics = PERFECT.model_copy(update={"palette_recall": 0.4, "render_health": 0.8})
    aesthetics = static_critique(page, prompt="A page for a yoga studio.", required=[], metrics=metrics).aesthetics

    assert (aesthetics.balance, aesthetics.typography, aesthetics.colour, aesthetics.clarity) == (1.0, 0.4, 0.4, 0.8)
    assert aesthetics.finish == 0.6  # mean of the signals 1.0, 0.4, 0.4, 0.8 = 0.65
    assert aesthetics.notes.startswith("static proxy")


def test_static_image_loses_a_fifth_per_display_issue(tmp_path):
    elements = [
        image(0, distortion=0.2),
        image(1, natural_size=(200, 150)),
        image(2, box={"x": 1300.0, "y": 0.0, "width": 400.0, "height": 300.0}),
        image(3, rendered=False),
    ]
    critiques = static_critique(make_page(tmp_path, elements), required=[PHOTO] * 4)

    assert [e.score for e in critiques.elements] == [0.8, 0.8, 0.8, 0.0]
    assert [e.issues[0].level for e in critiques.elements[:3]] == ["container", "element", "container"]


def test_static_video_without_motion_grades_six_tenths(tmp_path):
    moving, still = video(0), video(1)
    page = make_page(tmp_path, [moving, still, video(2, rendered=False)])
    still_frames(page, still)
    critiques = static_critique(page, required=[VIDEO] * 3)

    assert [e.score for e in critiques.elements] == [1.0, 0.6, 0.0]
    assert critiques.elements[1].issues[0].issue == "no motion between the sampled frames"


def test_static_chart_checks_data_values_and_its_container(tmp_path):
    wrong_data = {**BAGS_OPTION, "series": [{"type": "bar", "data": [1200, 1850, 2500]}]}
    elements = [
        chart(0, chart_option=wrong_data),
        chart(1, box={"x": 0.0, "y": 0.0, "width": 200.0, "height": 120.0}),
        chart(2, rendered=False),
        chart(3),
    ]
    critiques = static_critique(make_page(tmp_path, elements), required=[CHART] * 4)

    assert [e.score for e in critiques.elements] == [0.8, 0.8, 0.0, 1.0]
    assert "2600" in critiques.elements[0].issues[0].issue
    assert critiques.elements[1].issues[0].level == "container"


def test_static_pie_chart_needs_one_whole_column_of_the_dataset(tmp_path):
    shares = Dataset(columns=["Origin", "2023", "2024"], rows=[["Brazil", "40", "45"], ["Kenya", "60", "55"]])
    pie = {"series": [{"type": "pie", "data": [{"name": "Brazil", "value": 45}, {"name": "Kenya", "value": 55}]}]}
    mixed = {"series": [{"type": "pie", "data": [{"name": "Brazil", "value": 40}, {"name": "Kenya", "value": 55}]}]}
    wanted = RequiredElement(kind="chart", description="bean origins", dataset=shares)
    critiques = static_critique(
        make_page(tmp_path, [chart(0, chart_option=pie), chart(1, chart_option=mixed)]), required=[wanted, wanted]
    )

    assert [e.score for e in critiques.elements] == [1.0, 0.8]


# --- page scores and the benchmark's means ----------------------------------------------------------


def evaluation(file_id: str, **scores: float | None) -> PageEvaluation:
    return PageEvaluation(
        file_id=file_id,
        judge="static",
        scores=PageScores(**scores),
        metrics=PERFECT,
        layout=PenaltyCritique(),
        style=PenaltyCritique(),
        aesthetics=FINE,
    )


def test_benchmark_means_average_modalities_only_over_pages_that_have_them():
    pages = [
        evaluation("001", layout=1.0, style=0.5, aesthetics=0.8, image=0.6, chart=0.0),
        evaluation("002", layout=0.5, style=0.5, aesthetics=0.6, image=1.0, video=0.4),
    ]
    means = benchmark_means(pages)

    assert means == {
        "layout": 0.75,
        "style": 0.5,
        "aesthetics": 0.7,
        "image": 0.8,
        "video": 0.4,
        "chart": 0.0,
        "average": round((0.75 + 0.5 + 0.7 + 0.8 + 0.4 + 0.0) / 6, 4),
    }
    assert benchmark_means([evaluation("003", layout=1.0, style=1.0, aesthetics=0.4)])["average"] == 0.8
    assert benchmark_means([]) == {}


# what a reader sees on a page made for PROMPT: its copy, about its coffee roaster
ON_TOPIC_TEXT = (
    "Ember & Oak\nShop\nStory\nRoasted in Small Batches\nOrder Beans\nA steaming cup of our coffee on a wooden "
    "table.\nOur Growth\nBags sold per year, 2022 to 2024.\nBeans tumbling in the roaster.\nMade with care"
)


def test_static_evaluation_is_written_beside_the_evidence(tmp_path):
    page = make_page(tmp_path, [image(0), chart(0)], visible_text=ON_TOPIC_TEXT)
    result = evaluate_page(PROMPT, "007", page.evidence, page.folder, "static", Settings())

    saved = PageEvaluation.model_validate_json((page.folder / "evaluation.json").read_text())
    assert saved == result
    assert result.judge == "static" and result.model_calls == []
    assert [r.kind for r in result.required] == ["image", "chart", "video"]
    assert result.scores.image == 1.0 and result.scores.chart == 1.0 and result.scores.video == 0.0


def test_model_evaluation_records_the_judge_and_its_calls(tmp_path):
    page = make_page(tmp_path, [image(0), chart(0), video(0)])
    video_verdict = VideoVerdict(grade=0.8, issues=[issue("too fast")])
    with ScriptedServer(Script(VideoVerdict=[video_verdict], layout=[penalties(0.2)])) as server:
        result = evaluate_page(PROMPT, "007", page.evidence, page.folder, "vision-judge", judge_settings(server))

    assert result.judge == f"vision-judge at {server.url}"
    assert result.required == [PHOTO, CHART, VIDEO]
    assert result.scores == PageScores(layout=0.9, style=1.0, aesthetics=1.0, image=1.0, video=0.8, chart=1.0)
    steps = sorted(call.step for call in result.model_calls)
    assert steps == ["aesthetics", "chart 1", "image 1", "layout", "required elements", "style", "video 1"]
    assert all(call.model == "vision-judge" and call.outcome == "ok" for call in result.model_calls)
    assert PageEvaluation.model_validate_json((page.folder / "evaluation.json").read_text()) == result
