"""One page scored by the MM-WebGEN-Bench protocol, and the benchmark's means.

``evaluate_page`` takes a page's evidence (one load in Chromium), asks the judge for the prompt's
required elements, computes the deterministic metrics, matches required and page elements, has
the judge critique the page and writes ``evaluation.json`` beside the evidence. The judge is
"static" (deterministic rules, ``webagent.webbench.evaluation.judge.static``) or a model name for the judge role.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from statistics import fmean

from webagent.core.config import Settings
from webagent.core.errors import SettingsError, WebAgentError
from webagent.core.files import atomic_write_json
from webagent.core.llm import ModelHub
from webagent.core.prompt_text import read_part
from webagent.webbench.evaluation.contracts import PageEvaluation, PageEvidence, RequiredElement, clip_score
from webagent.webbench.evaluation.judge import Judge, ModelJudge, StaticJudge, match_elements
from webagent.webbench.evaluation.judge.critiques import page_scores
from webagent.webbench.evaluation.metrics import deterministic_metrics

STATIC = "static"
PROTOCOL = ("layout", "style", "aesthetics", "image", "video", "chart")


@contextmanager
def open_judge(judge: str, settings: Settings) -> Iterator[Judge]:
    """The static judge, or the model ``judge`` at the judge role's endpoint (closed afterwards)."""
    if judge == STATIC:
        yield StaticJudge()
        return
    judge_settings = settings.model_copy(update={"judge_model": judge})
    if not judge_settings.endpoint("judge").configured:
        raise SettingsError(
            f"the judge model {judge!r} needs a server: set WEBAGENT_JUDGE_BASE_URL or "
            "WEBAGENT_BASE_URL, or an API key (OPENAI_API_KEY), or use --judge static"
        )
    hub = ModelHub(judge_settings)
    try:
        yield ModelJudge(hub)
    finally:
        hub.close()


def evaluate_page(
    prompt: str,
    file_id: str,
    evidence: PageEvidence,
    evidence_folder: Path,
    judge: str,
    settings: Settings,
    required: list[RequiredElement] | None = None,
) -> PageEvaluation:
    """The page's evaluation, also written to ``evidence_folder/evaluation.json``; ``required`` skips asking
    the judge for the prompt's required elements again (reflection rounds reuse the first answer)."""
    started, prompt = time.perf_counter(), read_part(prompt)  # the part of the prompt the build read
    if not (evidence_folder / evidence.screenshot).is_file():
        raise WebAgentError(f"cannot evaluate {file_id}: no screenshot at {evidence_folder / evidence.screenshot}")
    with open_judge(judge, settings) as critic:
        required = critic.required_elements(prompt) if required is None else required
        metrics = deterministic_metrics(evidence, prompt, required)
        matches = match_elements(required, evidence.elements)
        critiques = critic.critique(prompt, evidence, evidence_folder, matches, metrics)
        evaluation = PageEvaluation(
            file_id=file_id,
            judge=critic.name,
            scores=page_scores(critiques),
            metrics=metrics,
            required=required,
            layout=critiques.layout,
            style=critiques.style,
            aesthetics=critiques.aesthetics,
            elements=critiques.elements,
            model_calls=critic.calls(),
            seconds=round(time.perf_counter() - started, 3),
        )
    atomic_write_json(evidence_folder / "evaluation.json", evaluation)
    return evaluation


def benchmark_means(evaluations: list[PageEvaluation]) -> dict[str, float]:
    """The protocol's summary: layout, style and aesthetics over every page; image, video and chart over
    the pages that have that modality; ``average`` = the plain mean of those six. A modality no page
    has is left out (and out of the average); no evaluations give {}."""
    means: dict[str, float] = {}
    for name in PROTOCOL:
        values = [score for e in evaluations if (score := getattr(e.scores, name)) is not None]
        if values:
            means[name] = fmean(values)
    if means:
        means["average"] = fmean(means.values())
    return {name: clip_score(value) for name, value in means.items()}
