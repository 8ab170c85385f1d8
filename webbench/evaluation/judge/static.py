"""The static judge: the protocol's six numbers from deterministic signals only (``--judge static``).

A deterministic PROXY for runs without a model. It keeps the protocol's structure (penalty lists,
five aesthetic grades, per-element issues and the same arithmetic) but every verdict comes from a
rule below, never from looking at the page. Its evaluations say ``judge: static``; they are not
the paper's model-judged numbers and must not be reported as such.

Required elements: the images, videos and charts of the evaluation's own prompt reader
(``webagent.webbench.evaluation.reading.read_prompt``, which shares no code with the page makers it judges),
matched with the page's elements of the same kind in document order.

Relevance gate — a page is judged as the realisation of its prompt, so each of the six numbers below is
multiplied by the ``relevance`` metric (``relevance.py``: the graded share of the prompt's subject words the
page shows): 1.0 on a page about what the prompt asks, 0 on a page about something else.

Layout — penalties, score = clip(1 − 0.5 × total):
- a required element the page lacks: 0.5 (critical) for a video, a chart or the primary image
  (the first image the prompt asks for); 0.3 (minor) for any other image;
- a quoted string of the prompt missing from the visible text (``text_recall`` details): 0.5
  (critical) when the prompt reader reads it as the title, a heading or the logo; 0.3 otherwise;
- sections out of order (``section_order`` under 0.8: over a fifth of the adjacent pairs of the
  prompt's quoted strings appear in the other order on the page): 1.0 (structural mismatch), once;
- horizontal overflow: per viewport width that overflows, 0.5 (critical: the page scrolls sideways) when by a
  tenth of that width or more, else 0.1;
- overlapping text: 0.1 per overlapping pair of text boxes, at most 5 pairs counted.

Style — penalties, same form:
- the prompt asks for a dark page (the prompt reader's ``theme``) and the screenshot's median
  colour is light, or it asks for a light page and that colour is dark: 0.5 (whole page off-style);
- a hex colour of the prompt not among the page's colours (``palette_recall`` details): 0.2 each.

Aesthetics — each aspect is a signal in [0, 1] rounded to the nearest of 0.2 … 1.0; score = mean:
- balance: 1 − 0.2 × (overflowing viewport widths + overlapping text pairs);
- typography: 1 − 2 × the share of checked text blocks under WCAG AA contrast;
- colour: the ``palette_recall`` metric;
- clarity: the ``render_health`` metric;
- finish: the mean of the four signals above.

Elements — a required element the page lacks scores 0; one the browser did not draw scores 0:
- image: 1 − 0.2 per issue: stretched or squashed by more than 5 % (container); natural size under
  half its box in width or height (element); box outside the 1440 px page or of no size (container);
- video: 1.0 when two consecutive sampled frames differ (mean channel difference ≥ 2/255), else 0.6
  (no motion seen, also with fewer than two frames); then −0.2 per image issue above;
- chart: 1 − 0.2 per issue: the chart does not draw a number of the prompt's dataset (the option's
  numbers as read back from ECharts, ``option_numbers``; element; a pie, funnel or gauge needs one
  whole numeric column only); box outside the
  page (container); box under 240 × 160 px (container). Without a dataset or a readable option
  the data is not checked.
"""

from __future__ import annotations

import math
from pathlib import Path
from statistics import fmean

from webagent.core.colour import is_dark
from webagent.core.contracts import Dataset
from webagent.core.datasets import numeric_columns
from webagent.core.source import ModelCall
from webagent.webbench.evaluation.contracts import (
    AestheticsCritique,
    DeterministicMetrics,
    ElementCritique,
    ElementEvidence,
    ElementIssue,
    PageEvidence,
    Penalty,
    PenaltyCritique,
    RequiredElement,
    clip_score,
)
from webagent.webbench.evaluation.judge.critiques import (
    ISSUE_PENALTY,
    Critiques,
    element_critique,
    issue_score,
    missing_element,
    unrendered_element,
)
from webagent.webbench.evaluation.judge.matching import Match
from webagent.webbench.evaluation.judge.pixels import frames_move, median_colour
from webagent.webbench.evaluation.metrics import normalise, option_numbers
from webagent.webbench.evaluation.reading import read_prompt

CRITICAL, MINOR, STRUCTURE, SPACING = 0.5, 0.3, 1.0, 0.1
ORDER_KEPT = 0.8  # a section_order under this is a structural mismatch
SIDEWAYS_SHARE = 0.1  # overflow by this share of the viewport's width or more: the page scrolls sideways
WHOLE_PAGE_STYLE, OFF_STYLE_FAMILY = 0.5, 0.2
MAX_OVERLAPS_COUNTED = 5
PAGE_WIDTH = 1440
DISTORTION_LIMIT = 0.05
STILL_VIDEO_GRADE = 0.6
MIN_CHART_BOX = (240, 160)
SINGLE_MEASURE_SERIES = {"pie", "funnel", "gauge"}


class StaticJudge:
    """The protocol's critiques from the rules of this module's docstring."""

    name = "static"

    def required_elements(self, prompt: str) -> list[RequiredElement]:
        return read_prompt(prompt).elements

    def calls(self) -> list[ModelCall]:
        return []

    def critique(
        self,
        prompt: str,
        evidence: PageEvidence,
        evidence_folder: Path,
        matches: list[Match],
        metrics: DeterministicMetrics,
    ) -> Critiques:
        return Critiques(
            layout=layout_critique(prompt, evidence, matches, metrics),
            style=style_critique(prompt, evidence_folder / evidence.screenshot, metrics),
            aesthetics=aesthetics_critique(evidence, metrics),
            elements=[judge_element(evidence_folder, match) for match in matches],
            gate=metrics.relevance,
        )


# --- layout -------------------------------------------------------------------------------------


def layout_critique(
    prompt: str, evidence: PageEvidence, matches: list[Match], metrics: DeterministicMetrics
) -> PenaltyCritique:
    penalties = [*missing_media(matches), *missing_text(prompt, metrics.details.get("text_recall", []))]
    if metrics.section_order < ORDER_KEPT:
        order = "; ".join(metrics.details.get("section_order", [])) or "sections appear in another order"
        penalties.append(
            Penalty(
                issue=f"sections out of the prompt's order: {order}",
                penalty=STRUCTURE,
                fix="put the sections in the order the prompt gives",
            )
        )
    penalties += [
        Penalty(
            issue=f"the page overflows horizontally by {px} px at {width} px wide",
            penalty=CRITICAL if px >= SIDEWAYS_SHARE * int(width) else SPACING,
            fix="keep every element within the viewport width",
        )
        for width, px in evidence.overflow_px.items()
        if px > 0
    ]
    penalties += [
        Penalty(issue=f"text overlaps: {pair}", penalty=SPACING, fix="give the overlapping texts room")
        for pair in evidence.overlapping_text[:MAX_OVERLAPS_COUNTED]
    ]
    return PenaltyCritique(penalties=penalties)


def missing_media(matches: list[Match]) -> list[Penalty]:
    """Required elements the page lacks: videos, charts and the primary image are critical."""
    return [
        Penalty(
            issue=f"missing {m.required.kind}: {m.required.description[:160]}",
            penalty=CRITICAL if m.required.kind != "image" or m.index == 0 else MINOR,
            fix=f"add the {m.required.kind} the prompt asks for",
        )
        for m in matches
        if m.evidence is None
    ]


def missing_text(prompt: str, quotes: list[str]) -> list[Penalty]:
    """Quoted strings the page does not show: the title, headings and the logo are critical."""
    critical = read_prompt(prompt).critical_text()
    return [
        Penalty(
            issue=f"the page does not show the text “{quote}”",
            penalty=CRITICAL if normalise(quote) in critical else MINOR,
            fix=f"show “{quote}” where the prompt puts it",
        )
        for quote in quotes
    ]


# --- style --------------------------------------------------------------------------------------


def style_critique(prompt: str, screenshot: Path, metrics: DeterministicMetrics) -> PenaltyCritique:
    penalties = []
    asked = read_prompt(prompt).wants_dark()
    if asked is not None and is_dark(median_colour(screenshot)) != asked:
        given, wanted = ("light", "dark") if asked else ("dark", "light")
        penalties.append(
            Penalty(
                issue=f"the prompt asks for a {wanted} page; the page is {given}",
                penalty=WHOLE_PAGE_STYLE,
                fix=f"use a {wanted} background with matching text colours",
            )
        )
    penalties += [
        Penalty(
            issue=f"the prompt's colour {colour} is not on the page",
            penalty=OFF_STYLE_FAMILY,
            fix=f"use {colour} where the prompt asks for it",
        )
        for colour in metrics.details.get("palette_recall", [])
    ]
    return PenaltyCritique(penalties=penalties)


# --- aesthetics ---------------------------------------------------------------------------------


def grade(signal: float) -> float:
    """A signal in [0, 1] as the nearest aesthetic grade (0.2 … 1.0)."""
    return round(min(1.0, max(0.2, signal)) * 5) / 5


def aesthetics_critique(evidence: PageEvidence, metrics: DeterministicMetrics) -> AestheticsCritique:
    spacing_faults = sum(px > 0 for px in evidence.overflow_px.values()) + len(evidence.overlapping_text)
    low_contrast = len(evidence.low_contrast) / evidence.text_blocks if evidence.text_blocks else 0.0
    signals = {
        "balance": 1.0 - 0.2 * spacing_faults,
        "typography": 1.0 - 2.0 * low_contrast,
        "colour": metrics.palette_recall,
        "clarity": metrics.render_health,
    }
    return AestheticsCritique(
        **{aspect: grade(signal) for aspect, signal in signals.items()},
        finish=grade(fmean(signals.values())),
        notes=(
            f"static proxy: {spacing_faults} overflow/overlap faults, {len(evidence.low_contrast)} of "
            f"{evidence.text_blocks} text blocks under AA contrast, palette recall {metrics.palette_recall:.2f}, "
            f"render health {metrics.render_health:.2f}"
        ),
    )


# --- elements -----------------------------------------------------------------------------------


def judge_element(evidence_folder: Path, match: Match) -> ElementCritique:
    if match.evidence is None:
        return missing_element(match)
    if not match.evidence.rendered:
        return unrendered_element(match)
    if match.required.kind == "image":
        issues = display_issues(match.evidence)
        return element_critique(match, issue_score(issues), issues)
    if match.required.kind == "video":
        return video_critique(evidence_folder, match)
    issues = chart_issues(match.evidence, match.required.dataset)
    return element_critique(match, issue_score(issues), issues)


def outside_page(box: dict[str, float]) -> bool:
    x, width, height = box.get("x", 0.0), box.get("width", 0.0), box.get("height", 0.0)
    return width < 1 or height < 1 or x < -1 or x + width > PAGE_WIDTH + 1


def display_issues(element: ElementEvidence) -> list[ElementIssue]:
    """How an image or video is shown: distortion, low resolution for its box, cut off by the page edge."""
    issues = []
    if element.distortion > DISTORTION_LIMIT:
        issues.append(
            ElementIssue(
                issue=f"stretched or squashed by {element.distortion:.0%}",
                level="container",
                fix="object-fit: cover (or contain) to keep its aspect",
            )
        )
    width, height = element.box.get("width", 0.0), element.box.get("height", 0.0)
    if element.natural_size and (element.natural_size[0] < width / 2 or element.natural_size[1] < height / 2):
        issues.append(
            ElementIssue(
                issue=f"{element.natural_size[0]}×{element.natural_size[1]} px shown in a {width:.0f}×{height:.0f} px box",
                level="element",
                fix="generate it at the size of its box",
            )
        )
    if outside_page(element.box):
        issues.append(
            ElementIssue(
                issue="cut off by the page edge or shown at no size",
                level="container",
                fix="keep its box inside the page",
            )
        )
    return issues


def video_critique(evidence_folder: Path, match: Match) -> ElementCritique:
    element = match.evidence
    frames = [evidence_folder / frame for frame in element.frames if (evidence_folder / frame).is_file()]
    shown = display_issues(element)
    if len(frames) >= 2 and frames_move(frames):
        return element_critique(match, clip_score(1.0 - ISSUE_PENALTY * len(shown)), shown)
    still = ElementIssue(
        issue="no motion between the sampled frames", level="element", fix="regenerate the video with visible motion"
    )
    return element_critique(match, clip_score(STILL_VIDEO_GRADE - ISSUE_PENALTY * len(shown)), [still, *shown])


def chart_issues(element: ElementEvidence, dataset: Dataset | None) -> list[ElementIssue]:
    issues = []
    undrawn = undrawn_values(element.chart_option, dataset) if element.chart_option and dataset else []
    if undrawn:
        shown = ", ".join(f"{value:g}" for value in undrawn[:6]) + (" …" if len(undrawn) > 6 else "")
        issues.append(
            ElementIssue(
                issue=f"data values not as given: the chart does not draw {shown}",
                level="element",
                fix="draw every value of the prompt's data, exactly",
            )
        )
    if outside_page(element.box):
        issues.append(
            ElementIssue(
                issue="the chart overflows the page", level="container", fix="keep the chart's box inside the page"
            )
        )
    if element.box.get("width", 0.0) < MIN_CHART_BOX[0] or element.box.get("height", 0.0) < MIN_CHART_BOX[1]:
        issues.append(
            ElementIssue(
                issue="too small to read at its embedded size",
                level="container",
                fix=f"give the chart at least {MIN_CHART_BOX[0]}×{MIN_CHART_BOX[1]} px",
            )
        )
    return issues


def undrawn_values(option: dict, dataset: Dataset) -> list[float]:
    """The dataset's numbers no series of ``option`` draws; a pie, funnel or gauge needs one whole column."""
    series = [s for s in option.get("series") or [] if isinstance(s, dict)]
    drawn = option_numbers(option)
    columns = [[v for v in values if v is not None] for values in numeric_columns(dataset).values()]
    undrawn = [[v for v in column if not any(math.isclose(v, d, rel_tol=1e-6) for d in drawn)] for column in columns]
    if series and {s.get("type") for s in series} <= SINGLE_MEASURE_SERIES:
        return [] if any(not column for column in undrawn) else min(undrawn, key=len, default=[])
    return [value for column in undrawn for value in column]
