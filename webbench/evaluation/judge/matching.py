"""Required elements ↔ page elements: the i-th required element of a kind is the i-th page element of that kind."""

from __future__ import annotations

from dataclasses import dataclass

from webagent.webbench.evaluation.contracts import ElementEvidence, RequiredElement


@dataclass(frozen=True)
class Match:
    """One required element, its position among the required elements of its kind, and what the page has there."""

    required: RequiredElement
    index: int
    evidence: ElementEvidence | None  # None: the page has fewer elements of this kind (a missing element)


def match_elements(required: list[RequiredElement], elements: list[ElementEvidence]) -> list[Match]:
    """One Match per required element, in the order of ``required``; page elements are taken in document order."""
    by_kind: dict[str, list[ElementEvidence]] = {}
    for element in sorted(elements, key=lambda e: e.index):
        by_kind.setdefault(element.kind, []).append(element)
    counts: dict[str, int] = {}
    matches = []
    for wanted in required:
        index = counts.get(wanted.kind, 0)
        counts[wanted.kind] = index + 1
        page = by_kind.get(wanted.kind, [])
        matches.append(Match(wanted, index, page[index] if index < len(page) else None))
    return matches
