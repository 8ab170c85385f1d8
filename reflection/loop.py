"""One round, settled: write the page, critique it, keep it or roll back to the best round, checkpoint.

Used by the build graph after every render and by user edits. A reflection round is kept when
the page score does not fall and no element it remade scores lower; when some remade elements
got worse and others better, the worse ones go back to their previous version and the page is
critiqued again. A round that is not kept is still checkpointed (for the history), then the
folder is restored to the best round byte for byte.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from webagent.core.assemble import PAGE_SCRIPT_PATH, PAGE_STYLE_PATH, SOURCE_FILE, write_page
from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.edits import Fix, FixLevel
from webagent.core.ownership import remove_file
from webagent.core.records import RoundOrigin, RoundRecord
from webagent.core.runtime import PAGE_RUNTIME_PATH
from webagent.core.source import PageSource
from webagent.reflection.critic import Critique, critique_page, load_critique
from webagent.reflection.rounds import ROUNDS, STORE, RoundError, manifest_of, record_round, restore, snapshot
from webagent.webbench.evaluation.contracts import RequiredElement

SCORE_TOLERANCE = 1e-4


class Checkpoint(BaseModel):
    """A settled round: its number, what the page was made from, and what the critic said of it."""

    number: int
    source: PageSource
    critique: Critique

    @property
    def score(self) -> float:
        return self.critique.score


def load_checkpoint(out_dir: Path, number: int) -> Checkpoint:
    """Round ``number`` as the folder holds it: its source (from the round's files) and its critique."""
    manifest = manifest_of(out_dir, number)
    digest = manifest.get(SOURCE_FILE)
    if digest is None:
        raise RoundError(f"round {number} of {out_dir} has no {SOURCE_FILE}")
    data = (out_dir / ROUNDS / STORE / digest).read_text(encoding="utf-8")
    return Checkpoint(
        number=number, source=PageSource.model_validate_json(data), critique=load_critique(out_dir, number)
    )


def referenced_files(source: PageSource) -> set[str]:
    """Every file under assets/ the page made from ``source`` uses."""
    used = {PAGE_SCRIPT_PATH, PAGE_STYLE_PATH, PAGE_RUNTIME_PATH}
    for made in source.assets.values():
        used.update([made.path, *made.sources, *([made.poster] if made.poster else [])])
    return used


def prune_assets(out_dir: Path, source: PageSource) -> None:
    """Remove asset files the page no longer uses (earlier versions live on in rounds/store)."""
    used = referenced_files(source)
    for path in (out_dir / "assets").rglob("*"):
        if path.is_file() and path.relative_to(out_dir).as_posix() not in used:
            remove_file(path)


def element_score(critique: Critique, asset_id: str) -> float | None:
    verdict = critique.element(asset_id)
    return verdict.score if verdict else None


def worse_elements(fixes: list[Fix], before: Critique, after: Critique) -> list[str]:
    """The remade elements the critic now scores lower than before."""
    targets = dict.fromkeys(f.target for f in fixes if f.level == "element")
    return [
        t
        for t in targets
        if (old := element_score(before, t)) is not None
        and (new := element_score(after, t)) is not None
        and new < old - SCORE_TOLERANCE
    ]


def revert_elements(source: PageSource, previous: PageSource, asset_ids: list[str]) -> PageSource:
    """``source`` with the given elements (their plan and generated version) taken from ``previous``."""
    old_specs = {a.id: a for a in previous.plan.assets}
    plan = source.plan.model_copy(
        update={"assets": [old_specs[a.id] if a.id in asset_ids else a for a in source.plan.assets]}
    )
    assets = {**source.assets, **{i: previous.assets[i] for i in asset_ids if i in previous.assets}}
    return source.model_copy(update={"plan": plan, "assets": assets})


class RoundInput(BaseModel):
    """What a round changed and where it comes from."""

    number: int
    origin: RoundOrigin
    level: FixLevel | None = None
    fixes: list[Fix] = []
    started: float = 0.0


class ElementCheck(Enum):
    """How the elements an element round remade compare with their version in the best round."""

    NONE_WORSE = "none worse"
    SOME_WORSE = "some worse"  # those go back to their previous version, the others stay
    ALL_WORSE = "all worse"


def check_elements(fixes: list[Fix], before: Critique, after: Critique) -> tuple[ElementCheck, list[str]]:
    """Whether none, some or all of the remade elements now score lower, and which."""
    worse = worse_elements(fixes, before, after)
    if not worse:
        return ElementCheck.NONE_WORSE, worse
    if len(worse) < len({f.target for f in fixes}):
        return ElementCheck.SOME_WORSE, worse
    return ElementCheck.ALL_WORSE, worse


@dataclass(frozen=True)
class RoundOutcome:
    """What settling a round found; whether it is kept and the note its record carries both follow from it."""

    elements: ElementCheck
    worse: tuple[str, ...]  # the remade elements that scored lower
    score: float  # the page's score, after any reverted elements were critiqued again
    best: Checkpoint | None
    judged: bool  # only reflection rounds after a first checkpoint can be rolled back

    @property
    def page_held_up(self) -> bool:
        return self.best is None or self.score >= self.best.score - SCORE_TOLERANCE

    @property
    def kept(self) -> bool:
        return not self.judged or (self.page_held_up and self.elements is not ElementCheck.ALL_WORSE)

    @property
    def note(self) -> str:
        """The reason written to the round's record: what the element check did, or why it was rolled back."""
        if self.kept or self.best is None:
            return self._elements_note()
        reason = (
            self._elements_note() or f"the page scored {self.score:.4f}, under the best round's {self.best.score:.4f}"
        )
        return f"rolled back to round {self.best.number}: {reason}"

    def _elements_note(self) -> str:
        if self.elements is ElementCheck.SOME_WORSE:
            return "kept the previous version of " + ", ".join(self.worse) + " (the new one scored lower)"
        if self.elements is ElementCheck.ALL_WORSE:
            return "every remade element scored lower"
        return ""


def settle_round(
    out_dir: Path,
    prompt: str,
    step: RoundInput,
    source: PageSource,
    critique: Critique,
    best: Checkpoint | None,
    settings: Settings,
    browser: BrowserSession,
    required: list[RequiredElement] | None = None,
) -> tuple[RoundRecord, Checkpoint]:
    """Given the critique of ``source`` (already written to ``out_dir``), decide whether the round is
    kept, checkpoint it, and return its record and the checkpoint the folder now shows."""
    elements, worse = ElementCheck.NONE_WORSE, []
    if best is not None and step.level == "element":
        elements, worse = check_elements(step.fixes, best.critique, critique)
        if elements is ElementCheck.SOME_WORSE:
            source = revert_elements(source, best.source, worse)
            write_page(out_dir, source, settings.echarts)
            critique = critique_page(out_dir, prompt, step.number, settings, browser, required)
    outcome = RoundOutcome(
        elements, tuple(worse), critique.score, best, judged=best is not None and step.origin == "reflection"
    )
    prune_assets(out_dir, source)
    snapshot(out_dir, step.number)
    record = RoundRecord(
        number=step.number,
        origin=step.origin,
        level=step.level,
        fixes=step.fixes,
        score_before=best.score if best else None,
        score_after=critique.score,
        scores_before=best.critique.scores if best else {},
        scores_after=critique.scores,
        kept=outcome.kept,
        note=outcome.note,
        seconds=round(time.perf_counter() - step.started, 3) if step.started else 0.0,
    )
    if outcome.kept:
        record_round(out_dir, record, step.number)
        return record, Checkpoint(number=step.number, source=source, critique=critique)
    record_round(out_dir, record, best.number)
    restore(out_dir, best.number)
    return record, best
