"""Context reflection: how an element sits in its box, fixed with CSS scoped to that element
(object-fit, object-position, transform; a chart container's height), never its container's size
or position. Rules map the critic's container issues to declarations; when the judge model critiques
and a coder model is configured, the coder writes them (``container_model``) and the rules are the fallback."""

from __future__ import annotations

import re

from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetKind
from webagent.core.edits import Fix
from webagent.core.source import PageSource
from webagent.reflection import container_model
from webagent.reflection.critic import Critique

DISTORTION_LIMIT = 0.02
CHART_MIN_HEIGHT = "320px"
# (pattern in the issue text, kinds it applies to, declarations that fix it)
ISSUE_RULES: list[tuple[re.Pattern[str], set[str], dict[str, str]]] = [
    (re.compile(r"stretch|squash|distort|aspect", re.I), {"image", "video"}, {"object-fit": "cover"}),
    (re.compile(r"cut off|cropped|clipped|truncat", re.I), {"image", "video"}, {"object-fit": "contain"}),
    (
        re.compile(r"off[- ]cent|subject .*(edge|corner)|not centred|not centered", re.I),
        {"image", "video"},
        {"object-position": "center"},
    ),
    (re.compile(r"too small|under \d+ ?[×x] ?\d+|cramped|squeezed", re.I), {"chart"}, {"min-height": CHART_MIN_HEIGHT}),
]


def style_for_issue(issue: str, kind: AssetKind) -> dict[str, str]:
    """The declarations the rules give for one container issue of an element of ``kind`` ({} when none)."""
    declarations: dict[str, str] = {}
    for pattern, kinds, fix in ISSUE_RULES:
        if kind in kinds and pattern.search(issue):
            declarations.update(fix)
    return declarations


def model_reflects(ctx: GenerationContext) -> bool:
    """Whether the coder model writes the declarations (coder and critic are models); else the rules do."""
    return ctx.settings.coder_backend() == "llm" and ctx.settings.critic_backend() == "llm"


def plan_container_fixes(critique: Critique, source: PageSource, prompt: str, ctx: GenerationContext) -> list[Fix]:
    """An element_style fix for each element with a container issue: images drawn distorted, and judged
    elements under the reflection threshold with container-level issues (declarations written by the
    coder model when it reflects, by the rules otherwise or when its step fails)."""
    threshold = ctx.settings.reflection_threshold
    kinds = {a.id: a.kind for a in source.plan.assets}
    wanted: dict[str, tuple[list[str], dict[str, str]]] = {}
    for seen in critique.evidence.elements:
        if seen.asset_id in kinds and seen.kind == "image" and seen.distortion > DISTORTION_LIMIT:
            wanted[seen.asset_id] = (
                [f"the image is drawn distorted by {seen.distortion:.0%}"],
                {"object-fit": "cover"},
            )
    flagged = {
        v.asset_id: [i for i in v.issues if i.level == "container"]
        for v in critique.evaluation.elements
        if v.present and v.asset_id in kinds and v.score < threshold
    }
    flagged = {asset_id: issues for asset_id, issues in flagged.items() if issues}
    written = container_model.written_styles(flagged, source, critique, ctx) if model_reflects(ctx) else {}
    for asset_id, issues in flagged.items():
        if asset_id in written:
            reasons, merged = wanted.setdefault(asset_id, ([], {}))
            reasons.extend(i.issue for i in issues)
            merged.update(written[asset_id])
            continue
        for issue in issues:
            declarations = style_for_issue(f"{issue.issue} {issue.fix}", kinds[asset_id])
            if declarations:
                reasons, merged = wanted.setdefault(asset_id, ([], {}))
                reasons.append(issue.issue)
                merged.update(declarations)
    return [
        Fix(
            level="container",
            action="element_style",
            target=asset_id,
            reason="; ".join(reasons),
            instruction=format_declarations(declarations),
        )
        for asset_id, (reasons, declarations) in wanted.items()
        if any(source.element_style.get(asset_id, {}).get(k) != v for k, v in declarations.items())
    ]


def format_declarations(declarations: dict[str, str]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in declarations.items())


def parse_declarations(text: str) -> dict[str, str]:
    """``"object-fit: cover; object-position: top"`` → {"object-fit": "cover", "object-position": "top"}."""
    pairs = (part.split(":", 1) for part in text.split(";") if ":" in part)
    return {name.strip().lower(): value.strip() for name, value in pairs if name.strip() and value.strip()}


def apply_container_fixes(fixes: list[Fix], source: PageSource) -> PageSource:
    """The source with each fix's declarations merged into its element's style."""
    styles = {asset_id: dict(declarations) for asset_id, declarations in source.element_style.items()}
    for fix in fixes:
        styles.setdefault(fix.target, {}).update(parse_declarations(fix.instruction))
    return source.model_copy(update={"element_style": styles})
