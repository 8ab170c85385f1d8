"""Section code: the page's design system (once) and each section's HTML/CSS (in parallel).

Two backends share this interface: ``offline`` (Jinja2 section templates over the page
stylesheet) and ``llm`` (the coder model writes a design system, then each section from its plan,
the design system and its element slots). A failed model step falls back to the offline writer
for that step only, with a warning.
"""

from __future__ import annotations

from webagent.core.answers import DesignSystem, SectionCode
from webagent.core.context import GenerationContext, Made, model_or_offline
from webagent.core.contracts import AssetSpec, PagePlan, SectionPlan
from webagent.generators.section import llm, offline


def write_design_system(plan: PagePlan, prompt: str, ctx: GenerationContext) -> Made[DesignSystem]:
    """The page's design system."""
    return model_or_offline(
        ctx.settings.coder_backend() == "llm",
        lambda: llm.design_system(plan, prompt, ctx.model("coder")),
        offline.design_system,
        "design system",
        "used the built-in stylesheet only",
    )


def write_section(
    section: SectionPlan,
    assets: list[AssetSpec],
    plan: PagePlan,
    design: DesignSystem,
    position: int,
    prompt: str,
    ctx: GenerationContext,
) -> Made[SectionCode]:
    """One section's code."""
    return model_or_offline(
        ctx.settings.coder_backend() == "llm",
        lambda: llm.section_code(section, assets, plan, design, position, prompt, ctx.model("coder")),
        lambda: offline.section_code(section, assets, plan, position),
        f"section {section.id}",
        "written from the offline template instead",
    )
