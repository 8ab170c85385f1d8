"""Run records: rounds, history, timings and ``run.json``."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import Field

from webagent.core.contracts import Contract
from webagent.core.edits import Fix, FixLevel
from webagent.core.health import RenderHealth
from webagent.core.source import ModelCall

RoundOrigin = Literal["build", "check", "reflection", "edit", "regenerate"]


class RoundRecord(Contract):
    """One checkpoint of the page under ``rounds/``: what changed, why, and the scores before and after."""

    number: int
    origin: RoundOrigin
    level: FixLevel | None = Field(None, description="the reflection level of the round; None for the build and edits")
    fixes: list[Fix] = Field(default_factory=list)
    score_before: float | None = None
    score_after: float
    scores_before: dict[str, float] = Field(default_factory=dict)
    scores_after: dict[str, float] = Field(default_factory=dict)
    kept: bool = True
    note: str = Field("", description="why it was rolled back, what was reverted, …")
    seconds: float = 0.0


class History(Contract):
    """rounds/history.json: every checkpoint of the page and which one the folder shows."""

    rounds: list[RoundRecord] = Field(default_factory=list)
    current: int = 0


class NodeTiming(Contract):
    node: str
    seconds: float
    calls: int = 1


ShortfallKind = Literal[
    "illustrative_data",
    "unreadable_cell",
    "truncated_data",
    "element_not_made",
    "media",
    "chart_data",
    "text",
    "layout",
]


class Shortfall(Contract):
    """One thing the prompt asked for that the page does not do as asked (the build report)."""

    kind: ShortfallKind
    detail: str


class StepMaker(Contract):
    """Which backend made one step's result: a plan, a section's code, an element."""

    role: str = Field(description="planner, coder, image, video or chart")
    backend: str


class RunRecord(Contract):
    """run.json: what happened during a build. Never holds a key or a secret."""

    prompt_chars: int
    title: str
    backends: dict[str, str]
    timings: list[NodeTiming]
    health: RenderHealth
    warnings: list[str] = Field(default_factory=list)
    made_by: dict[str, StepMaker] = Field(
        default_factory=dict, description="step ('page plan', 'section hero', 'image hero-photo') → its maker"
    )
    shortfalls: list[Shortfall] = Field(
        default_factory=list, description="what was not done as asked; empty when everything asked was done"
    )
    models: dict[str, str] = Field(default_factory=dict, description="role → 'model at host'")
    model_calls: list[ModelCall] = Field(default_factory=list)
    rounds: list[RoundRecord] = Field(default_factory=list, description="the build's evaluation and reflection rounds")
    total_seconds: float = 0.0
    resumed: int = Field(default=0, description="times the build was interrupted and resumed (--resume)")

    def backend_summary(self) -> str:
        """Each role's configured backend, and what made its steps when that differs: 'planner=llm (fell back:
        offline)' when every step fell back, 'coder=llm (2 of 9 steps offline)' when some did."""
        parts = []
        for role, configured in self.backends.items():
            made = Counter(step.backend for step in self.made_by.values() if step.role == role)
            others = {backend: count for backend, count in made.items() if backend != configured}
            if not others:
                parts.append(f"{role}={configured}")
            elif sum(others.values()) == made.total() and len(others) == 1:
                parts.append(f"{role}={configured} (fell back: {next(iter(others))})")
            else:
                steps = ", ".join(f"{count} of {made.total()} steps {backend}" for backend, count in others.items())
                parts.append(f"{role}={configured} ({steps})")
        return ", ".join(parts)


class BuildJournal(Contract):
    """What a staged build has spent so far, saved after every step so that ``--resume`` keeps counting."""

    model_calls: list[ModelCall] = Field(default_factory=list)
    seconds: float = 0.0
    resumed: int = 0
