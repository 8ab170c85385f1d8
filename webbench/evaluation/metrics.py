"""Deterministic page metrics: pure functions of a page's evidence and its prompt, no model.

Each score is in [0, 1]; the docstring of each metric function is its definition (the README
quotes them). Text is compared as a reader would (``normalise``): case, quote marks, dash kinds,
spacing and trailing punctuation do not matter.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from itertools import pairwise
from statistics import fmean

from webagent.core.colour import delta_e
from webagent.core.contracts import Dataset, PagePlan
from webagent.core.datasets import numeric_columns, parse_number
from webagent.webbench.evaluation.contracts import (
    DeterministicMetrics,
    ElementEvidence,
    PageEvidence,
    RequiredElement,
    clip_score,
)
from webagent.webbench.evaluation.relevance import relevance

QUOTED = re.compile(r"“+([^“”\n]+)”+|\"([^\"\n]+)\"")
HEX = re.compile(r"(?<![\w&])#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-zA-Z])")
COLOUR_TOLERANCE = 3.0
VALUE_TOLERANCE = 1e-6
CONSOLE_PENALTY = 0.25
REQUEST_PENALTY = 0.25
OVERFLOW_PENALTY = 0.1
OVERLAP_PENALTY, OVERLAP_CAP = 0.05, 0.2
DISTORTION_LIMIT, DISTORTION_PENALTY, DISTORTION_CAP = 0.02, 0.1, 0.2
CONTRAST_WEIGHT = 0.3

Result = tuple[float, list[str]]


def quoted_strings(prompt: str) -> list[str]:
    """Every non-empty span between a pair of double quotes (curly or straight), in order."""
    found = []
    for match in QUOTED.finditer(prompt):
        text = (match.group(1) or match.group(2)).strip()
        if re.search(r"\w", text):
            found.append(text)
    return found


def hex_colours(prompt: str) -> list[str]:
    """The prompt's hex colours as #RRGGBB, upper case, first mention order, no repeats."""
    seen: dict[str, None] = {}
    for match in HEX.finditer(prompt):
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        seen["#" + digits.upper()] = None
    return list(seen)


def normalise(text: str) -> str:
    """Compare text as a reader would: case, quote marks, dash kinds and spacing do not matter."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[‐‑‒–—―]", "-", text)
    return re.sub(r"\s+", " ", text).strip().strip(" .,;:!?\"'…")


def planned_colours(plan: PagePlan) -> set[str]:
    """Every colour a plan puts on the page: its palette, section accents and section backgrounds."""
    used = set(plan.tokens.palette.model_dump().values())
    for section in plan.sections:
        used.update(section.accents)
        if section.background:
            used.add(section.background)
    return used


def text_recall(quotes: list[str], visible_text: str) -> Result:
    """Share of the prompt's quoted strings contained in the page's visible text (rendered text plus
    placeholders of visible form fields, compared normalised); 1.0 when the prompt quotes nothing.
    Missed: the strings not found."""
    haystack = normalise(visible_text)
    missing = [q for q in quotes if normalise(q) not in haystack]
    return (1.0 - len(missing) / len(quotes) if quotes else 1.0), missing


def colour_recall(colours: list[str], computed: set[str]) -> Result:
    """Share of the prompt's hex colours within ΔE76 ≤ 3 of a computed colour of a visible element
    (text, backgrounds, gradients, shadows, drawn borders and outlines); 1.0 when the prompt gives
    none. Missed: the colours not found."""
    missing = [c for c in colours if not any(delta_e(c, seen) <= COLOUR_TOLERANCE for seen in computed)]
    return (1.0 - len(missing) / len(colours) if colours else 1.0), missing


def media_coverage(required: list[RequiredElement], elements: list[ElementEvidence]) -> Result:
    """Σ over kinds of min(required elements of that kind, rendered page elements of that kind) / Σ
    required, where rendered means an image loaded and drawn, a video playing, a chart canvas inked;
    1.0 when the prompt requires nothing. Missed: per kind, how many required ones did not render."""
    wanted = Counter(r.kind for r in required)
    rendered = Counter(e.kind for e in elements if e.rendered)
    if not wanted:
        return 1.0, []
    missed = [
        f"{kind}: {n - rendered[kind]} of {n} required not rendered" for kind, n in wanted.items() if rendered[kind] < n
    ]
    return sum(min(n, rendered[kind]) for kind, n in wanted.items()) / sum(wanted.values()), missed


def option_numbers(option: dict) -> list[float]:
    """Numbers of an ECharts option's series data (a data item's ``value`` when it is an object) and
    of its dataset component's source; numeric strings count."""
    found: list[float] = []

    def walk(value: object, items: bool) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, (int, float)):
            found.append(float(value))
        elif isinstance(value, str):
            number = parse_number(value)
            if number is not None:
                found.append(number)
        elif isinstance(value, list):
            for item in value:
                walk(item, items)
        elif isinstance(value, dict):
            for item in [value.get("value")] if items else value.values():
                walk(item, items)

    def listed(part: object) -> list[dict]:
        return [p for p in (part if isinstance(part, list) else [part]) if isinstance(p, dict)]

    for series in listed(option.get("series")):
        walk(series.get("data"), items=True)
    for dataset in listed(option.get("dataset")):
        walk(dataset.get("source"), items=False)
    return found


def dataset_numbers(dataset: Dataset | None) -> list[float]:
    """Every number of a dataset's numeric columns (``numeric_columns``), row by row per column."""
    if dataset is None:
        return []
    return [v for column in numeric_columns(dataset).values() for v in column if v is not None]


def chart_fidelity(required: list[RequiredElement], elements: list[ElementEvidence]) -> Result:
    """Required charts are matched in order to the page's charts (document order). For each required
    chart with numbers in its dataset (``numeric_columns``): the share of those numbers found (1e-6
    relative) among ``option_numbers`` of the matched chart's ECharts option; a missing or blank
    (not rendered) chart, or one without an ECharts option, scores 0. Mean over the required charts
    with numbers; 1.0 when there are none. Missed: per chart, why it scored 0 or the values not found."""
    charts = [e for e in elements if e.kind == "chart"]
    scores, missed = [], []
    for position, wanted in enumerate(r for r in required if r.kind == "chart"):
        values = dataset_numbers(wanted.dataset)
        if not values:
            continue
        label = f"chart {position + 1} ({wanted.description[:60]})"
        chart = charts[position] if position < len(charts) else None
        if chart is None or not chart.rendered:
            scores.append(0.0)
            missed.append(f"{label}: {'no chart on the page' if chart is None else 'blank chart'}")
            continue
        shown = option_numbers(chart.chart_option or {})
        absent = [v for v in values if not any(math.isclose(v, s, rel_tol=VALUE_TOLERANCE) for s in shown)]
        scores.append(1.0 - len(absent) / len(values))
        if absent:
            missed.append(f"{label}: values not in the chart: {', '.join(f'{v:g}' for v in absent)}")
    return (fmean(scores) if scores else 1.0), missed


def render_health(evidence: PageEvidence) -> Result:
    """1.0 minus: 0.25 if any console error; 0.25 if any failed request or request leaving the folder;
    0.1 per viewport (1440, 390) with horizontal overflow; 0.05 per overlapping text pair (at most
    0.2); 0.1 per image distorted by over 2 % (at most 0.2); 0.3 × the share of text blocks under
    WCAG AA contrast. Clipped to [0, 1]. Missed: each problem with its penalty."""
    distorted = [e for e in evidence.elements if e.kind == "image" and e.distortion > DISTORTION_LIMIT]
    requests = evidence.failed_requests + evidence.outside_requests
    penalties = []
    if evidence.console_errors:
        penalties.append(
            (
                CONSOLE_PENALTY,
                f"{len(evidence.console_errors)} console errors: " + "; ".join(evidence.console_errors[:3]),
            )
        )
    if requests:
        penalties.append((REQUEST_PENALTY, f"{len(requests)} failed or outside requests: " + "; ".join(requests[:3])))
    penalties += [
        (OVERFLOW_PENALTY, f"{px} px horizontal overflow at {width} px")
        for width, px in evidence.overflow_px.items()
        if px > 0
    ]
    if evidence.overlapping_text:
        penalties.append(
            (
                min(OVERLAP_CAP, OVERLAP_PENALTY * len(evidence.overlapping_text)),
                "overlapping text: " + "; ".join(evidence.overlapping_text),
            )
        )
    if distorted:
        penalties.append(
            (
                min(DISTORTION_CAP, DISTORTION_PENALTY * len(distorted)),
                "distorted images: " + "; ".join(f"image {e.index} by {e.distortion:.0%}" for e in distorted),
            )
        )
    if evidence.low_contrast:
        share = len(evidence.low_contrast) / max(evidence.text_blocks, len(evidence.low_contrast))
        penalties.append(
            (
                CONTRAST_WEIGHT * share,
                f"{len(evidence.low_contrast)} of {evidence.text_blocks} text blocks "
                "under AA contrast: " + "; ".join(evidence.low_contrast),
            )
        )
    return 1.0 - sum(amount for amount, _ in penalties), [f"−{amount:.4g}: {problem}" for amount, problem in penalties]


def section_order(quotes: list[str], visible_text: str) -> Result:
    """Of the prompt's distinct quoted strings (first mention) found in the visible text, the share
    of adjacent pairs, in prompt order, whose first occurrences in the visible text keep that order;
    1.0 when fewer than two are found. Missed: the pairs out of order."""
    haystack = normalise(visible_text)
    first: dict[str, tuple[str, int]] = {}
    for quote in quotes:
        needle = normalise(quote)
        if needle not in first and needle in haystack:
            first[needle] = (quote, haystack.find(needle))
    pairs = list(pairwise(first.values()))
    if not pairs:
        return 1.0, []
    wrong = [f"“{b}” comes before “{a}”" for (a, at_a), (b, at_b) in pairs if at_b < at_a]
    return 1.0 - len(wrong) / len(pairs), wrong


def deterministic_metrics(evidence: PageEvidence, prompt: str, required: list[RequiredElement]) -> DeterministicMetrics:
    """All seven deterministic metrics of one page, each clipped to [0, 1], with what each missed."""
    quotes = quoted_strings(prompt)
    results = {
        "text_recall": text_recall(quotes, evidence.visible_text),
        "palette_recall": colour_recall(hex_colours(prompt), set(evidence.colours)),
        "media_coverage": media_coverage(required, evidence.elements),
        "chart_fidelity": chart_fidelity(required, evidence.elements),
        "render_health": render_health(evidence),
        "section_order": section_order(quotes, evidence.visible_text),
        "relevance": relevance(prompt, evidence.visible_text, evidence.elements),
    }
    return DeterministicMetrics(
        **{name: clip_score(score) for name, (score, _) in results.items()},
        details={name: missed for name, (_, missed) in results.items()},
    )
