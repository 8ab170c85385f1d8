"""The loop policy: which level reflects next and on what.

Levels run in order — element, then container, then page — each for at most
``settings.reflection_rounds`` rounds; the first level with something under threshold gets the next
round. A fix that was already tried is not planned again (a rolled-back or useless fix would
otherwise repeat until the rounds run out). No fix left anywhere ends the loop.
"""

from __future__ import annotations

from webagent.core.context import GenerationContext
from webagent.core.edits import Fix, FixLevel
from webagent.core.source import PageSource
from webagent.reflection.container import plan_container_fixes
from webagent.reflection.critic import Critique
from webagent.reflection.element import plan_element_fixes
from webagent.reflection.page import plan_page_fixes

LEVELS: tuple[FixLevel, ...] = ("element", "container", "page")


PLANNERS = {"element": plan_element_fixes, "container": plan_container_fixes, "page": plan_page_fixes}


def choose_fixes(
    critique: Critique,
    source: PageSource,
    prompt: str,
    ctx: GenerationContext,
    rounds_used: dict[str, int],
    tried: list[Fix],
) -> tuple[FixLevel | None, list[Fix]]:
    """The next level to reflect at and its fixes, or (None, []) when the loop should stop."""
    for level in LEVELS:
        if rounds_used.get(level, 0) >= ctx.settings.reflection_rounds:
            continue
        fixes = [fix for fix in PLANNERS[level](critique, source, prompt, ctx) if fix not in tried]
        if fixes:
            return level, fixes
    return None, []
