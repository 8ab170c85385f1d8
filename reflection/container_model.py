"""Context reflection with the coder model: for an element the judge scored under the threshold with
container-level issues, the coder answers CSS declarations for how the element sits in its box.
Only the properties its kind may take (``webagent.core.assemble.ELEMENT_STYLE_PROPERTIES``) are kept; an
element whose step fails or leaves nothing usable is left to the rules of ``webagent.reflection.container``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from webagent.core.answers import ElementStyle
from webagent.core.assemble import ELEMENT_STYLE_PROPERTIES, css_value
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec
from webagent.core.errors import ModelStepError
from webagent.core.prompt_book import PromptBook
from webagent.core.source import PageSource
from webagent.reflection.critic import Critique
from webagent.webbench.evaluation.contracts import ElementIssue

PROMPTS = PromptBook(Path(__file__).with_name("prompts"))


def allowed_declarations(declarations: dict[str, str], kind: str) -> dict[str, str]:
    """The declarations an element of ``kind`` may take, values made safe; the others dropped."""
    allowed = ELEMENT_STYLE_PROPERTIES.get(kind, set())
    kept = {name.strip().lower(): css_value(value) for name, value in declarations.items()}
    return {name: value for name, value in kept.items() if name in allowed and value}


def written_style(
    spec: AssetSpec, issues: list[ElementIssue], source: PageSource, critique: Critique, ctx: GenerationContext
) -> dict[str, str]:
    """The coder's declarations for one element ({} when the step fails or gives nothing allowed)."""
    seen = next((e for e in critique.evidence.elements if e.asset_id == spec.id), None)
    box = f"{seen.box['width']:.0f}×{seen.box['height']:.0f} px" if seen and seen.box.get("width") else ""
    natural = f"{seen.natural_size[0]}×{seen.natural_size[1]} px" if seen and seen.natural_size else ""
    current = source.element_style.get(spec.id, {})
    messages = PROMPTS.messages(
        "element_style.md.j2",
        kind=spec.kind,
        asset_id=spec.id,
        section=spec.section_id,
        what=spec.title or spec.prompt[:160],
        box=box,
        natural=natural,
        current="; ".join(f"{name}: {value}" for name, value in current.items()),
        issues=[f"{i.issue} (fix: {i.fix})" if i.fix else i.issue for i in issues],
        properties=", ".join(sorted(ELEMENT_STYLE_PROPERTIES.get(spec.kind, set()))),
    )
    try:
        answer = ctx.model("coder").complete_json(f"style {spec.id}", messages, ElementStyle)
    except ModelStepError:
        return {}
    return allowed_declarations(answer.declarations, spec.kind)


def written_styles(
    flagged: dict[str, list[ElementIssue]], source: PageSource, critique: Critique, ctx: GenerationContext
) -> dict[str, dict[str, str]]:
    """Asset id → the coder's declarations, for each flagged element it answered usably (asked concurrently)."""
    specs = {a.id: a for a in source.plan.assets}
    ids = [asset_id for asset_id in flagged if asset_id in specs]
    if not ids:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(len(ids), ctx.settings.max_parallel))) as pool:
        answers = list(pool.map(lambda i: written_style(specs[i], flagged[i], source, critique, ctx), ids))
    return {asset_id: declarations for asset_id, declarations in zip(ids, answers) if declarations}
