"""Carry out a round's fixes on the page source, whatever level or edit they come from."""

from __future__ import annotations

from webagent.core.context import GenerationContext
from webagent.core.edits import Fix
from webagent.core.source import PageSource
from webagent.reflection.container import apply_container_fixes
from webagent.reflection.critic import Critique
from webagent.reflection.edits import STRUCTURE_ACTIONS, apply_structure_fixes
from webagent.reflection.element import apply_element_fixes
from webagent.reflection.page import apply_page_fixes

ELEMENT_ACTIONS = {"regenerate", "chart_type"}
CONTAINER_ACTIONS = {"element_style"}


def apply_fixes(
    fixes: list[Fix], source: PageSource, prompt: str, critique: Critique | None, ctx: GenerationContext, version: int
) -> tuple[PageSource, list[str]]:
    """The source after ``fixes``: structural edits, section patches, embedding styles, then new element versions."""
    source = apply_structure_fixes([f for f in fixes if f.action in STRUCTURE_ACTIONS], source)
    page = [f for f in fixes if f.action not in ELEMENT_ACTIONS | CONTAINER_ACTIONS | STRUCTURE_ACTIONS]
    source, warnings = apply_page_fixes(page, source, prompt, ctx) if page else (source, [])
    source = apply_container_fixes([f for f in fixes if f.action in CONTAINER_ACTIONS], source)
    element = [f for f in fixes if f.action in ELEMENT_ACTIONS]
    if element:
        source, notes = apply_element_fixes(element, source, critique, ctx, version)
        warnings += notes
    return source, warnings
