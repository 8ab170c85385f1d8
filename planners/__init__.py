"""Planners: the global page planner and the section/element planner, offline or by model.

`plan_page` and `plan_section` use the configured planner; when the planner model fails a step
(unusable answer after one repair, endpoint down) that step is planned offline, with a warning.
A refused key or unknown model (ModelAccessError) stops the build instead.
"""

from __future__ import annotations

from webagent.context import GenerationContext
from planners import llm, offline
from webagent.errors import ModelStepError
from webagent.state import AssetSpec, DesignTokens, PagePlan, SectionPlan


def plan_page(prompt: str, ctx: GenerationContext) -> tuple[PagePlan, list[str]]:
    """The global plan and any warnings."""
    if ctx.settings.planner_backend() != "llm":
        return offline.compile_prompt(prompt), []
    try:
        return llm.plan_page(prompt, ctx.model("planner")), []
    except ModelStepError as exc:
        return offline.compile_prompt(prompt), [f"page plan: {exc}; planned offline instead"]


def plan_section(section: SectionPlan, assets: list[AssetSpec], tokens: DesignTokens, prompt: str,
                 ctx: GenerationContext) -> tuple[SectionPlan, list[AssetSpec], list[str]]:
    """One section's local plan and any warnings."""
    if ctx.settings.planner_backend() == "llm":
        try:
            return *llm.plan_section(section, assets, tokens, prompt, ctx.model("planner")), []
        except ModelStepError as exc:
            warning = f"section {section.id} plan: {exc}; planned offline instead"
            return *offline.plan_section(section, assets, tokens), [warning]
    return *offline.plan_section(section, assets, tokens), []
