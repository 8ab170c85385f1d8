"""Scoring a page from the app: deterministic metrics always, the judge model when one is configured."""

from __future__ import annotations

from pathlib import Path

from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.engine.build import check_prompt
from webagent.webbench.bench.runner import check_judge, score_page
from webagent.webbench.evaluation.contracts import PageEvaluation


def judge_for(settings: Settings) -> str:
    """The judge model's name when one is configured with an endpoint, else 'static' (deterministic only)."""
    return settings.judge_model if settings.judge_model and settings.endpoint("judge").configured else "static"


def score_folder(folder: Path, settings: Settings) -> PageEvaluation:
    """Score the page in ``folder`` against its prompt.txt; evidence goes to ``folder/evaluation/``."""
    judge = judge_for(settings)
    check_judge(judge, settings)
    prompt = check_prompt((folder / "prompt.txt").read_text(encoding="utf-8"), settings)
    with BrowserSession(settings.browser) as session:
        _, evaluation = score_page(
            prompt, folder.resolve().name, folder, folder / "evaluation", judge, settings, session
        )
    return evaluation


def score_rows(evaluation: PageEvaluation) -> dict[str, float]:
    """Page scores (from the judge, static or model) and deterministic metrics by name, for the chart (missing kinds left out)."""
    scores = {f"score: {k}": v for k, v in evaluation.scores.model_dump().items() if v is not None}
    metrics = {k: v for k, v in evaluation.metrics.model_dump().items() if isinstance(v, (int, float))}
    return {**scores, **metrics}
