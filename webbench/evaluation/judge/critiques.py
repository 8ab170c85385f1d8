"""What a judge returns, the protocol's element arithmetic, and a page's six numbers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from statistics import fmean
from typing import Protocol

from webagent.core.source import ModelCall
from webagent.webbench.evaluation.contracts import (
    AestheticsCritique,
    DeterministicMetrics,
    ElementCritique,
    ElementIssue,
    PageEvidence,
    PageScores,
    PenaltyCritique,
    RequiredElement,
    clip_score,
)
from webagent.webbench.evaluation.judge.matching import Match

ISSUE_PENALTY = 0.2  # images and charts: start at 1.0, subtract 0.2 per distinct issue


@dataclass
class Critiques:
    """A judge's verdicts on one page: the three global critiques and one critique per required element."""

    layout: PenaltyCritique
    style: PenaltyCritique
    aesthetics: AestheticsCritique
    elements: list[ElementCritique]
    gate: float = 1.0  # every score is multiplied by it: the static judge's relevance grade, 1.0 for a model judge


class Judge(Protocol):
    """A model judge or the static judge."""

    name: str  # 'static' or 'model at host'

    def required_elements(self, prompt: str) -> list[RequiredElement]:
        """The images, videos and charts the prompt asks for, in prompt order."""

    def critique(
        self,
        prompt: str,
        evidence: PageEvidence,
        evidence_folder: Path,
        matches: list[Match],
        metrics: DeterministicMetrics,
    ) -> Critiques:
        """The page's critiques; ``matches`` pairs every required element with the page's element."""

    def calls(self) -> list[ModelCall]:
        """The model requests made so far (none for the static judge)."""


def distinct_issues(issues: list[ElementIssue]) -> list[ElementIssue]:
    """``issues`` without repeats: the same problem said twice (case and spacing aside) counts once."""
    seen: dict[str, ElementIssue] = {}
    for issue in issues:
        seen.setdefault(" ".join(issue.issue.casefold().split()), issue)
    return list(seen.values())


def issue_score(issues: list[ElementIssue]) -> float:
    """clip(1 − 0.2 × distinct issues): the protocol's image and chart score."""
    return clip_score(1.0 - ISSUE_PENALTY * len(distinct_issues(issues)))


def element_critique(match: Match, score: float, issues: list[ElementIssue]) -> ElementCritique:
    """The critique of a required element the page contains."""
    assert match.evidence is not None
    return ElementCritique(
        kind=match.required.kind,
        index=match.index,
        asset_id=match.evidence.asset_id,
        present=True,
        score=score,
        issues=distinct_issues(issues),
    )


def missing_element(match: Match) -> ElementCritique:
    """A required element the page does not contain: a critical failure, score 0."""
    issue = ElementIssue(
        issue=f"the page has no {match.required.kind} for: {match.required.description}",
        level="element",
        fix=f"add the {match.required.kind} the prompt asks for",
    )
    return ElementCritique(kind=match.required.kind, index=match.index, present=False, score=0.0, issues=[issue])


def kind_mean(elements: list[ElementCritique], kind: str) -> float | None:
    """Mean score of the page's required elements of ``kind``; None when the prompt asks for none."""
    scores = [e.score for e in elements if e.kind == kind]
    return clip_score(fmean(scores)) if scores else None


def page_scores(critiques: Critiques) -> PageScores:
    """The protocol's six numbers of one page, each multiplied by the critiques' ``gate``."""

    def gated(score: float | None) -> float | None:
        return None if score is None else clip_score(score * critiques.gate)

    return PageScores(
        layout=gated(critiques.layout.score),
        style=gated(critiques.style.score),
        aesthetics=gated(critiques.aesthetics.score),
        image=gated(kind_mean(critiques.elements, "image")),
        video=gated(kind_mean(critiques.elements, "video")),
        chart=gated(kind_mean(critiques.elements, "chart")),
    )


def unrendered_element(match: Match) -> ElementCritique:
    """A required element the page has but the browser did not draw (not loaded, not playable, blank): score 0."""
    what = {"image": "did not load", "video": "is not playable", "chart": "is blank or failed to draw"}
    issue = ElementIssue(
        issue=f"the {match.required.kind} {what[match.required.kind]}",
        level="element",
        fix=f"regenerate the {match.required.kind} and check the page loads it",
    )
    return element_critique(match, 0.0, [issue])
