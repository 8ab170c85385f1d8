"""The model judge: the protocol's judge calls, sent to any OpenAI-compatible vision model.

One call each for layout, style and aesthetics (design prompt, shortened HTML, full screenshot),
one per required image (screenshot, crop, asset file), video (sampled frames in order) and chart
(screenshot, crop, option JSON, container size), all at once on a thread pool; a required element
the page lacks, or one the browser did not draw, scores 0 without a call. Answers are the
contracts of ``webagent.webbench.evaluation.contracts``; an answer that stays invalid after one repair request raises
``ModelOutputError`` naming the call, and the page's evaluation fails.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from webagent.core.errors import UnsafePathError, WebAgentError
from webagent.core.files import safe_join
from webagent.core.llm import Check, ModelHub
from webagent.core.source import ModelCall
from webagent.webbench.evaluation.contracts import (
    AestheticsCritique,
    ChartVerdict,
    DeterministicMetrics,
    ElementCritique,
    ImageVerdict,
    PageEvidence,
    PenaltyCritique,
    RequiredElement,
    VideoVerdict,
)
from webagent.webbench.evaluation.judge.critiques import (
    Critiques,
    element_critique,
    issue_score,
    missing_element,
    unrendered_element,
)
from webagent.webbench.evaluation.judge.extract import required_from_model
from webagent.webbench.evaluation.judge.matching import Match
from webagent.webbench.evaluation.judge.messages import PROMPTS, image_part, page_html, with_images

LAYOUT_PENALTIES = (1.0, 0.5, 0.3, 0.2, 0.1)
STYLE_PENALTIES = (0.5, 0.2, 0.1)
OPTION_CHARS = 12_000
T = TypeVar("T", bound=BaseModel)


def penalty_check(allowed: tuple[float, ...]) -> Check:
    """A check refusing penalties the protocol does not give."""

    def check(answer: PenaltyCritique) -> list[str]:
        return [
            f"penalties[{number}].penalty is {item.penalty}: use one of {', '.join(map(str, allowed))}"
            for number, item in enumerate(answer.penalties)
            if round(item.penalty, 2) not in allowed
        ]

    return check


@dataclass(frozen=True)
class PageInputs:
    """What every judge call of one page may show: the prompt, the evidence and the full screenshot."""

    prompt: str
    evidence: PageEvidence
    evidence_folder: Path
    screenshot: dict

    def picture(self, relative: str) -> dict | None:
        """The image part of an evidence file, or None when there is none."""
        return image_part(self.evidence_folder / relative) if relative else None

    def asset(self, source: str) -> dict | None:
        """The image part of an asset file of the page, or None when it is not a picture inside the page folder."""
        try:
            return image_part(safe_join(Path(self.evidence.folder), source)) if source else None
        except UnsafePathError:
            return None


class ModelJudge:
    """The judge role's model, asked the protocol's questions."""

    def __init__(self, hub: ModelHub) -> None:
        self.hub = hub
        self.client = hub.client("judge")
        self.name = self.client.endpoint.describe()

    def required_elements(self, prompt: str) -> list[RequiredElement]:
        return required_from_model(self.client, prompt)

    def calls(self) -> list[ModelCall]:
        return self.hub.log.calls

    def critique(
        self,
        prompt: str,
        evidence: PageEvidence,
        evidence_folder: Path,
        matches: list[Match],
        metrics: DeterministicMetrics,
    ) -> Critiques:
        """Every judge call of the page at once; the first failure cancels the calls not yet started."""
        screenshot = image_part(evidence_folder / evidence.screenshot)
        if screenshot is None:
            raise WebAgentError(f"cannot judge {evidence.folder}: the screenshot {evidence.screenshot!r} is missing")
        page = PageInputs(prompt, evidence, evidence_folder, screenshot)
        with ThreadPoolExecutor(max_workers=self.client.settings.max_parallel) as pool:
            try:
                layout = pool.submit(self.penalties, "layout", page, LAYOUT_PENALTIES)
                style = pool.submit(self.penalties, "style", page, STYLE_PENALTIES)
                aesthetics = pool.submit(self.ask, "aesthetics", "aesthetics.md.j2", AestheticsCritique, [screenshot])
                elements = [pool.submit(self.element, page, match) for match in matches]
                return Critiques(
                    layout.result(), style.result(), aesthetics.result(), [future.result() for future in elements]
                )
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def ask(
        self, step: str, template: str, schema: type[T], parts: list[dict], check: Check | None = None, **values: object
    ) -> T:
        """One judge call: ``template`` rendered with ``values``, the image ``parts`` after its text."""
        messages = with_images(PROMPTS.messages(template, **values), parts)
        return self.client.complete_json(step, messages, schema, check)

    def penalties(self, aspect: str, page: PageInputs, allowed: tuple[float, ...]) -> PenaltyCritique:
        return self.ask(
            aspect,
            f"{aspect}.md.j2",
            PenaltyCritique,
            [page.screenshot],
            penalty_check(allowed),
            prompt=page.prompt,
            html=page_html(page.evidence.html),
        )

    def element(self, page: PageInputs, match: Match) -> ElementCritique:
        if match.evidence is None:
            return missing_element(match)
        if not match.evidence.rendered:
            return unrendered_element(match)
        review = {"image": self.image, "video": self.video, "chart": self.chart}[match.required.kind]
        return review(page, match, f"{match.required.kind} {match.index + 1}")

    def image(self, page: PageInputs, match: Match, step: str) -> ElementCritique:
        element = match.evidence
        crop, asset = page.picture(element.crop), page.asset(element.source)
        verdict = self.ask(
            step,
            "image.md.j2",
            ImageVerdict,
            [page.screenshot, *(p for p in (crop, asset) if p)],
            prompt=page.prompt,
            description=match.required.description,
            html=element.html,
            with_crop=crop is not None,
            with_asset=asset is not None,
        )
        return element_critique(match, issue_score(verdict.issues), verdict.issues)

    def video(self, page: PageInputs, match: Match, step: str) -> ElementCritique:
        element = match.evidence
        shown = [part for part in map(page.picture, element.frames or [element.crop]) if part]
        if not shown:
            return unrendered_element(match)
        verdict = self.ask(
            step,
            "video.md.j2",
            VideoVerdict,
            shown,
            prompt=page.prompt,
            description=match.required.description,
            html=element.html,
            frames=len(shown),
        )
        return element_critique(match, verdict.grade, verdict.issues)

    def chart(self, page: PageInputs, match: Match, step: str) -> ElementCritique:
        element = match.evidence
        crop = page.picture(element.crop)
        option = json.dumps(element.chart_option, ensure_ascii=False, indent=1) if element.chart_option else ""
        dataset = match.required.dataset.model_dump_json(indent=1) if match.required.dataset else ""
        verdict = self.ask(
            step,
            "chart.md.j2",
            ChartVerdict,
            [page.screenshot, *([crop] if crop else [])],
            prompt=page.prompt,
            description=match.required.description,
            html=element.html,
            option=option[:OPTION_CHARS],
            dataset=dataset,
            with_crop=crop is not None,
            width=round(element.box.get("width", 0)),
            height=round(element.box.get("height", 0)),
        )
        return element_critique(match, 0.0 if verdict.blank else issue_score(verdict.issues), verdict.issues)
