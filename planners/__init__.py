"""Planners: the global page planner and the section/element planner, offline or by model.

`plan_page` and `plan_section` use the configured planner; when the planner model fails a step
(unusable answer after one repair, endpoint down) that step is planned offline, with a warning.
A refused key or unknown model (ModelAccessError) stops the build instead.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from webagent.core.context import GenerationContext, Made, model_or_offline
from webagent.core.contracts import AssetSpec, DesignTokens, ImageAttributes, PagePlan, SectionPlan
from webagent.planners import llm, offline


def plan_page(prompt: str, ctx: GenerationContext) -> Made[PagePlan]:
    """The global plan; with ``settings.videos`` off, every video is planned as a still."""
    made = model_or_offline(
        ctx.settings.planner_backend() == "llm",
        lambda: llm.plan_page(prompt, ctx.model("planner")),
        lambda: offline.compile_prompt(prompt),
        "page plan",
        "planned offline instead",
    )
    return made if ctx.settings.videos else made._replace(value=stills_for_videos(made.value))


def stills_for_videos(plan: PagePlan) -> PagePlan:
    """The plan with each video element turned into an image of the same subject, slot and place."""

    def still(spec: AssetSpec) -> AssetSpec:
        if spec.kind != "video":
            return spec
        motion = spec.attributes
        return spec.model_copy(
            update={
                "kind": "image",
                "path": str(PurePosixPath(spec.path).with_suffix(".webp")),
                "attributes": ImageAttributes(visual_style=motion.style, composition=f"a still of: {motion.camera}"),
            }
        )

    return plan.model_copy(update={"assets": [still(spec) for spec in plan.assets]})


def plan_section(
    section: SectionPlan, assets: list[AssetSpec], tokens: DesignTokens, prompt: str, ctx: GenerationContext
) -> Made[tuple[SectionPlan, list[AssetSpec]]]:
    """One section's local plan (the section and its elements)."""
    return model_or_offline(
        ctx.settings.planner_backend() == "llm",
        lambda: llm.plan_section(section, assets, tokens, prompt, ctx.model("planner")),
        lambda: offline.plan_section(section, assets, tokens),
        f"section {section.id} plan",
        "planned offline instead",
    )
