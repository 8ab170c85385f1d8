"""The LangGraph state of one build."""

from __future__ import annotations

import operator
from typing import Annotated, TypedDict

from webagent.core.answers import DesignSystem
from webagent.core.contracts import AssetSpec, GeneratedAsset, PagePlan, SectionPlan
from webagent.core.edits import Fix
from webagent.core.health import RenderHealth
from webagent.core.records import NodeTiming, RoundOrigin, RoundRecord, StepMaker
from webagent.core.source import PageSource
from webagent.reflection.loop import Checkpoint
from webagent.webbench.evaluation.contracts import PageEvidence, RequiredElement


def merge_dicts(left: dict, right: dict) -> dict:
    """Reducer for fan-in: parallel nodes each add their own keys."""
    return {**left, **right}


class BuildState(TypedDict, total=False):
    """The LangGraph state of one build."""

    prompt: str
    plan: PagePlan
    sections: Annotated[dict[str, SectionPlan], merge_dicts]
    asset_specs: Annotated[dict[str, AssetSpec], merge_dicts]
    assets: Annotated[dict[str, GeneratedAsset], merge_dicts]
    design: DesignSystem
    section_html: Annotated[dict[str, str], merge_dicts]
    section_css: Annotated[dict[str, str], merge_dicts]
    source: PageSource
    page_path: str
    evidence: PageEvidence
    health: RenderHealth
    warnings: Annotated[list[str], operator.add]
    made_by: Annotated[dict[str, StepMaker], merge_dicts]
    timings: Annotated[list[NodeTiming], operator.add]
    # reflection: the best checkpoint so far, rounds settled, the next fixes
    best: Checkpoint
    required: list[RequiredElement]
    round: int
    origin: RoundOrigin
    round_started: float
    rounds: Annotated[list[RoundRecord], operator.add]
    rounds_used: dict[str, int]
    pending_level: str | None
    pending_fixes: list[Fix]
    tried: Annotated[list[Fix], operator.add]
