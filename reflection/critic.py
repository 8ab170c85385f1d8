"""The critic of each round: one load of the page in Chromium (which also gives the build its render
health and screenshots), the deterministic metrics, and the static judge or the judge model
(``settings.critic_backend()``), saved under the round's folder."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from statistics import fmean

from pydantic import BaseModel

from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.errors import ModelStepError
from webagent.core.files import safe_join
from webagent.core.ownership import remove_tree
from webagent.reflection.rounds import RoundError, round_dir
from webagent.webbench.evaluation.contracts import (
    DeterministicMetrics,
    ElementCritique,
    PageEvaluation,
    PageEvidence,
    RequiredElement,
)
from webagent.webbench.evaluation.evaluate import STATIC, evaluate_page
from webagent.webbench.evaluation.evidence import EVIDENCE_JSON, collect_evidence
from webagent.webbench.evaluation.evidence_cache import evidence_root, remembered_evidence

log = logging.getLogger(__name__)

EVALUATION_FILE = "evaluation.json"
SCREENSHOT_DIR = "screenshots"
METRICS = DeterministicMetrics.names()


class Critique(BaseModel):
    """What the critic found on one round's page; paths in ``evidence`` are relative to ``folder``."""

    evaluation: PageEvaluation
    evidence: PageEvidence
    folder: Path
    warning: str = ""  # set when the judge model failed and the static critic scored the round

    @property
    def scores(self) -> dict[str, float]:
        return round_scores(self.evaluation)

    @property
    def score(self) -> float:
        return page_score(self.evaluation)

    def element(self, asset_id: str) -> ElementCritique | None:
        """The judge's verdict on the page element ``asset_id``, if a required element was matched to it."""
        return next((e for e in self.evaluation.elements if e.present and e.asset_id == asset_id), None)


def round_scores(evaluation: PageEvaluation) -> dict[str, float]:
    """The six deterministic metrics and the judge's protocol scores the page has (None ones left out)."""
    scores = {name: getattr(evaluation.metrics, name) for name in METRICS}
    scores.update({name: value for name, value in evaluation.scores.model_dump().items() if value is not None})
    return scores


def page_score(evaluation: PageEvaluation) -> float:
    """The one number reflection keeps the best of: the mean of ``round_scores``."""
    return round(fmean(round_scores(evaluation).values()), 4)


def judge_name(settings: Settings) -> str:
    """``static``, or the judge model's name when the critic is the judge model."""
    return settings.endpoint("judge").model if settings.critic_backend() == "llm" else STATIC


def look_at_page(out_dir: Path, number: int, settings: Settings, browser: BrowserSession) -> PageEvidence:
    """Load ``out_dir``'s page once in Chromium; keep the evidence (screenshots, crops, frames,
    evidence.json) in round ``number``'s folder. A page already rendered byte for byte comes from the render cache."""
    folder = round_dir(out_dir, number)
    return remembered_evidence(
        out_dir,
        folder,
        evidence_root(settings) if settings.media_cache else None,
        lambda: collect_evidence(browser, out_dir, folder, settings.render_timeout_s),
    )


def score_page(
    out_dir: Path,
    prompt: str,
    number: int,
    evidence: PageEvidence,
    settings: Settings,
    required: list[RequiredElement] | None = None,
) -> Critique:
    """Score round ``number``'s evidence with the metrics and the critic's judge (evaluation.json beside it).

    A judge model whose answer stays unusable after its repair does not end the build: that round is scored by
    the static critic, and the critique carries a warning saying so."""
    folder = round_dir(out_dir, number)
    judge = judge_name(settings)
    try:
        evaluation = evaluate_page(prompt, out_dir.name, evidence, folder, judge, settings, required)
    except ModelStepError as exc:
        if judge == STATIC:
            raise
        warning = f"round {number} was scored by the static critic: the judge model failed ({exc})"
        log.warning(warning)
        evaluation = evaluate_page(prompt, out_dir.name, evidence, folder, STATIC, settings, required)
        return Critique(evaluation=evaluation, evidence=evidence, folder=folder, warning=warning)
    return Critique(evaluation=evaluation, evidence=evidence, folder=folder)


def critique_page(
    out_dir: Path,
    prompt: str,
    number: int,
    settings: Settings,
    browser: BrowserSession,
    required: list[RequiredElement] | None = None,
) -> Critique:
    """``look_at_page`` then ``score_page``."""
    evidence = look_at_page(out_dir, number, settings, browser)
    return score_page(out_dir, prompt, number, evidence, settings, required)


def publish_screenshots(out_dir: Path, critique: Critique) -> None:
    """Copy the kept round's screenshots to ``screenshots/``: the page at both widths and a crop per
    element named by its asset id."""
    shots = out_dir / SCREENSHOT_DIR
    remove_tree(shots)
    shots.mkdir()
    for name in (critique.evidence.screenshot, critique.evidence.mobile_screenshot):
        if name and (critique.folder / name).is_file():
            shutil.copyfile(critique.folder / name, shots / Path(name).name)
    for element in critique.evidence.elements:
        if element.asset_id and element.crop and (critique.folder / element.crop).is_file():
            shutil.copyfile(critique.folder / element.crop, safe_join(shots, f"{element.asset_id}.png"))


def load_critique(out_dir: Path, number: int) -> Critique:
    """The critique saved with round ``number`` (its evidence.json and evaluation.json)."""
    folder = round_dir(out_dir, number)
    try:
        evidence = PageEvidence.model_validate_json((folder / EVIDENCE_JSON).read_text(encoding="utf-8"))
        evaluation = PageEvaluation.model_validate_json((folder / EVALUATION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RoundError(f"round {number} of {out_dir} has no readable critique ({str(exc).splitlines()[0]})") from None
    return Critique(evaluation=evaluation, evidence=evidence, folder=folder)
