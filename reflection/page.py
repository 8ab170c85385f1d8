"""Global reflection: layout and style problems fixed by patching the sections concerned, not by
rewriting the page (unless ``page_reflection = "whole_page"``, kept to measure against). Deterministic rules (``page_rules``) always run; with the judge model as critic
and a coder model, the judge's layout/style penalties are also patched by the coder (``page_model``)."""

from __future__ import annotations

from webagent.core.context import GenerationContext
from webagent.core.edits import Fix
from webagent.core.source import PageSource
from webagent.reflection import page_model, page_rules
from webagent.reflection.critic import Critique

RULE_ACTIONS = {"section_css", "restore_text"}
MODEL_ACTIONS = {"patch_section", "restyle_page"}


def plan_page_fixes(critique: Critique, source: PageSource, prompt: str, ctx: GenerationContext) -> list[Fix]:
    """Section fixes for what the critique found page-wide."""
    fixes = page_rules.plan_rule_fixes(critique, source, prompt)
    if ctx.settings.critic_backend() == "llm" and ctx.settings.coder_backend() == "llm":
        fixes += page_model.plan_model_fixes(critique, source, prompt, ctx)
    return fixes


def apply_page_fixes(
    fixes: list[Fix], source: PageSource, prompt: str, ctx: GenerationContext
) -> tuple[PageSource, list[str]]:
    """The source with each concerned section patched: rule fixes first, then model patches."""
    source = page_rules.apply_rule_fixes([f for f in fixes if f.action in RULE_ACTIONS], source)
    patches = [f for f in fixes if f.action in MODEL_ACTIONS]
    return page_model.apply_model_fixes(patches, source, prompt, ctx) if patches else (source, [])
