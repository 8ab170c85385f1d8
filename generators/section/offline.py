"""Offline section writer: the Jinja2 template of the section's role over the built-in stylesheet."""

from __future__ import annotations

from webagent.core.answers import DesignSystem, SectionCode
from webagent.core.assemble import render_section
from webagent.core.contracts import AssetSpec, PagePlan, SectionPlan


def design_system() -> DesignSystem:
    """Nothing beyond the built-in stylesheet (page.css), which the templates are written for."""
    return DesignSystem(css="")


def section_code(section: SectionPlan, assets: list[AssetSpec], plan: PagePlan, position: int) -> SectionCode:
    return SectionCode(html=render_section(section, assets, plan, position))
