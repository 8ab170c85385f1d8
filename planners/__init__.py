"""Planners: the global layout planner and the section/element planners, one module per backend.

A planner module exposes ``compile_prompt(prompt) -> PagePlan`` and
``plan_section(section, assets, tokens) -> (SectionPlan, list[AssetSpec])``.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from webagent.errors import WebAgentError

PLANNERS = {"offline": "planners.offline"}


def get_planner(name: str) -> ModuleType:
    """The planner module configured by name."""
    if name not in PLANNERS:
        raise WebAgentError(f"unknown planner {name!r}; available: {', '.join(sorted(PLANNERS))}")
    return import_module(PLANNERS[name])
