"""User edits turned into fixes: with a coder model, the model reads the free-text instruction into
an ``EditPlan``; without one (or when its answer stays unusable) the offline grammar
(``webagent.reflection.edit_grammar``) reads it. Structural fixes are applied by ``webagent.reflection.structure``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from webagent.core.context import GenerationContext
from webagent.core.contracts import ChartType
from webagent.core.edits import EditPlan, Fix
from webagent.core.errors import ModelOutputError, ModelStepError
from webagent.core.llm import RoleClient
from webagent.core.prompt_book import PromptBook
from webagent.core.source import PageSource
from webagent.reflection.edit_grammar import read_instruction
from webagent.reflection.structure import (
    FONT_NAME,
    STRUCTURE_ACTIONS,
    EditError,
    apply_structure_fixes,
    font_stack,
    new_section_fixes,
    reorder_fix,
    tokens_fix,
)

__all__ = ["STRUCTURE_ACTIONS", "apply_structure_fixes", "plan_edit"]

PROMPTS = PromptBook(Path(__file__).with_name("prompts"))
PROMPT_CHARS = 4000
ELEMENT_PROMPT_CHARS = 240


def plan_edit(instruction: str, source: PageSource, prompt: str, ctx: GenerationContext) -> tuple[list[Fix], list[str]]:
    """The fixes that carry out ``instruction`` on the page made from ``source``, and any warnings."""
    if ctx.settings.coder_backend() != "llm":
        return read_instruction(instruction, source), []
    try:
        return model_edit(instruction, source, prompt, ctx.model("coder")), []
    except ModelStepError as exc:
        failure = str(exc)
    try:
        return read_instruction(instruction, source), [
            f"edit plan: {failure}; read with the offline edit grammar instead"
        ]
    except EditError as exc:
        raise EditError(f"{exc} (the coder model could not plan it either: {failure})") from None


def model_edit(instruction: str, source: PageSource, prompt: str, client: RoleClient) -> list[Fix]:
    """The coder model's edit plan for ``instruction``, as fixes."""
    plan = source.plan
    sections = [
        json.dumps(
            {
                "id": s.id,
                "role": s.role,
                "title": s.title,
                "elements": [a.id for a in plan.assets_of(s.id)],
                "background": s.background,
            },
            ensure_ascii=False,
        )
        for s in plan.sections
    ]
    elements = [
        json.dumps(
            {
                "id": a.id,
                "kind": a.kind,
                "section": a.section_id,
                "title": a.title,
                "prompt": a.prompt[:ELEMENT_PROMPT_CHARS],
                **({"chart_type": a.attributes.chart_type} if a.kind == "chart" else {}),
            },
            ensure_ascii=False,
        )
        for a in plan.assets
    ]
    messages = PROMPTS.messages(
        "edit_plan.md.j2",
        title=plan.title,
        prompt=prompt[:PROMPT_CHARS],
        sections=sections,
        elements=elements,
        tokens=plan.tokens.model_dump_json(include={"palette", "fonts"}),
        chart_types=", ".join(get_args(ChartType)),
        instruction=instruction,
    )
    edit = client.complete_json("edit plan", messages, EditPlan, check=lambda answer: plan_problems(answer, source))
    fixes = edit_fixes(edit, source, instruction)
    if not fixes:
        raise ModelOutputError("the coder model's edit plan changes nothing")
    return fixes


def plan_problems(edit: EditPlan, source: PageSource) -> list[str]:
    """What makes an edit plan unusable on this page: unknown ids, a chart type for a non-chart, an
    order that is not the kept sections, a font that is not a family name."""
    section_ids = [s.id for s in source.plan.sections]
    kinds = {a.id: a.kind for a in source.plan.assets}
    problems = [
        f"unknown section id {sid!r}; the sections are {', '.join(section_ids)}"
        for sid in [c.section_id for c in edit.sections] + edit.remove + [n.after for n in edit.add if n.after]
        if sid not in section_ids
    ]
    problems += [
        f"unknown element id {aid!r}; the elements are {', '.join(kinds) or 'none'}"
        for aid in [c.asset_id for c in edit.elements] + [c.asset_id for c in edit.chart_types]
        if aid not in kinds
    ]
    problems += [
        f"{c.asset_id} is {kinds[c.asset_id]}, not a chart"
        for c in edit.chart_types
        if kinds.get(c.asset_id, "chart") != "chart"
    ]
    kept = [sid for sid in section_ids if sid not in edit.remove]
    if edit.order and sorted(edit.order) != sorted(kept):
        problems.append(f"order must list every kept section id once: {' '.join(kept)}")
    problems += [
        f"{family!r} is not a font family name"
        for family in (edit.heading_font, edit.body_font)
        if family.strip() and not FONT_NAME.match(family.strip().strip("'\""))
    ]
    return list(dict.fromkeys(problems))


def edit_fixes(edit: EditPlan, source: PageSource, reason: str) -> list[Fix]:
    """The fixes of an edit plan, in the order they apply: tokens, removals, order, additions, then
    section patches, chart types and regenerated elements."""
    fixes: list[Fix] = []
    tokens: dict = {}
    if palette := edit.palette.model_dump(exclude_none=True):
        tokens["palette"] = palette
    current = source.plan.tokens.fonts
    if fonts := {
        role: font_stack(family, getattr(current, role))
        for role, family in (("heading", edit.heading_font), ("body", edit.body_font))
        if family.strip()
    }:
        tokens["fonts"] = fonts
    if tokens:
        fixes.append(tokens_fix(tokens, reason))
    fixes += [
        Fix(level="page", action="remove_section", target=sid, reason=reason) for sid in dict.fromkeys(edit.remove)
    ]
    if edit.order:
        fixes.append(reorder_fix(edit.order, reason))
    working = apply_structure_fixes(fixes, source)
    for new in edit.add:
        order = [s.id for s in working.plan.sections]
        index = order.index(new.after) + 1 if new.after in order else None
        added = new_section_fixes(new.title, new.text, index, working, reason)
        fixes += added
        working = apply_structure_fixes(added, working)
    sections, elements = {s.id for s in working.plan.sections}, {a.id for a in working.plan.assets}
    fixes += [
        Fix(level="page", action="patch_section", target=c.section_id, reason=reason, instruction=c.instruction)
        for c in edit.sections
        if c.section_id in sections
    ]
    fixes += [
        Fix(level="element", action="chart_type", target=c.asset_id, reason=reason, instruction=c.chart_type)
        for c in edit.chart_types
        if c.asset_id in elements
    ]
    fixes += [
        Fix(level="element", action="regenerate", target=c.asset_id, reason=reason, instruction=c.instruction)
        for c in edit.elements
        if c.asset_id in elements
    ]
    return fixes
