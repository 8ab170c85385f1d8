"""When to reflect, and on what: the loop policy shared by every reflection level."""

from __future__ import annotations

from webagent.state import AssetSpec, PagePlan, RenderHealth


def broken_elements(plan: PagePlan, health: RenderHealth) -> list[AssetSpec]:
    """The planned elements that did not render (missing, not loaded, not playing, blank)."""
    rendered_ok = {e.id for e in health.elements if e.ok}
    return [spec for spec in plan.assets if spec.id not in rendered_ok]


def should_reflect(plan: PagePlan, health: RenderHealth, rounds_done: int, max_rounds: int) -> bool:
    """Reflect while rounds remain and something the critic can fix is broken."""
    return rounds_done < max_rounds and bool(broken_elements(plan, health))
