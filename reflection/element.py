"""Local reflection: elements the critic scores under the threshold are made again, with their issues
as instructions (charts rebuilt from their dataset, images and videos regenerated), at a size that
fills the box the browser showed them in, under a new file name so the previous version stays."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath

from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSize, AssetSpec, GeneratedAsset
from webagent.core.edits import Fix
from webagent.core.errors import MissingExtraError, ModelAccessError, WebAgentError
from webagent.core.source import PageSource
from webagent.generators import generate_asset
from webagent.reflection.critic import Critique
from webagent.webbench.evaluation.judge.static import undrawn_values

MAX_SIDE_PX = 1600


def plan_element_fixes(critique: Critique, source: PageSource, prompt: str, ctx: GenerationContext) -> list[Fix]:
    """A regenerate fix for every planned element that did not render, every chart that does not draw
    its dataset, and every element whose element-level issues put it under the reflection threshold;
    one fix per element."""
    threshold = ctx.settings.reflection_threshold
    specs = {a.id: a for a in source.plan.assets}
    planned = set(specs)
    fixes: dict[str, Fix] = {}
    for seen in critique.evidence.elements:
        spec = specs.get(seen.asset_id)
        if spec is not None and not seen.rendered:
            fixes[seen.asset_id] = Fix(
                level="element", action="regenerate", target=seen.asset_id, reason=f"the {seen.kind} did not render"
            )
        elif (
            spec is not None
            and spec.dataset
            and seen.chart_option
            and (undrawn := undrawn_values(seen.chart_option, spec.dataset))
        ):
            fixes[seen.asset_id] = Fix(
                level="element",
                action="regenerate",
                target=seen.asset_id,
                reason=f"the chart does not draw {len(undrawn)} values of its dataset",
                instruction="draw every value of the dataset, exactly",
            )
    for verdict in critique.evaluation.elements:
        issues = [i for i in verdict.issues if i.level == "element"]
        if not (verdict.present and verdict.asset_id in planned and issues and verdict.score < threshold):
            continue
        fixes.setdefault(
            verdict.asset_id,
            Fix(
                level="element",
                action="regenerate",
                target=verdict.asset_id,
                reason="; ".join(i.issue for i in issues),
                instruction="; ".join(f"{i.issue} ({i.fix})" if i.fix else i.issue for i in issues),
            ),
        )
    return list(fixes.values())


def versioned_path(path: str, version: int) -> str:
    """``assets/hero.webp`` → ``assets/hero-v2.webp`` (an earlier version suffix is replaced)."""
    pure = PurePosixPath(path)
    stem = pure.stem.rsplit("-v", 1)[0] if pure.stem.rsplit("-v", 1)[-1].isdigit() else pure.stem
    return str(pure.with_name(f"{stem}-v{version}{pure.suffix}"))


def size_for_box(size: AssetSize, box: dict[str, float] | None) -> AssetSize:
    """The slot size scaled up (aspect kept, longest side at most 1600 px) to cover the box it is shown in."""
    if not box or box.get("width", 0) <= 0 or box.get("height", 0) <= 0:
        return size
    scale = max(1.0, box["width"] / size.width, box["height"] / size.height)
    scale = (
        min(scale, MAX_SIDE_PX / max(size.width, size.height)) if max(size.width, size.height) < MAX_SIDE_PX else 1.0
    )
    return AssetSize(width=max(16, round(size.width * scale)), height=max(16, round(size.height * scale)))


def amended_spec(spec: AssetSpec, fix: Fix, version: int, box: dict[str, float] | None) -> AssetSpec:
    """The element's plan for its next version: the fix's instruction added to its prompt (or a new
    chart type), sized to its box, written to a new path."""
    update: dict = {"path": versioned_path(spec.path, version)}
    if fix.action == "chart_type" and spec.kind == "chart":
        update["attributes"] = spec.attributes.model_copy(update={"chart_type": fix.instruction})
    elif fix.instruction:
        update["prompt"] = f"{spec.prompt.strip()} Fix: {fix.instruction.strip()}"
    if spec.kind != "chart":
        update["size"] = size_for_box(spec.size, box)
    return spec.model_copy(update=update)


def remake(spec: AssetSpec, source: PageSource, ctx: GenerationContext) -> tuple[GeneratedAsset | None, list[str]]:
    """The new version of one element, or None and a warning when it could not be made (the old one stays)."""
    try:
        made = generate_asset(spec, source.plan.tokens, ctx)
    except (ModelAccessError, MissingExtraError):
        raise
    except WebAgentError as exc:
        return None, [f"{spec.kind} {spec.id} kept its previous version: {exc}"]
    return made, made.warnings


def apply_element_fixes(
    fixes: list[Fix], source: PageSource, critique: Critique | None, ctx: GenerationContext, version: int
) -> tuple[PageSource, list[str]]:
    """Make every fixed element again, concurrently; return the source holding the new versions."""
    specs = {a.id: a for a in source.plan.assets}
    boxes = {e.asset_id: e.box for e in critique.evidence.elements} if critique else {}
    amended = [amended_spec(specs[f.target], f, version, boxes.get(f.target)) for f in fixes if f.target in specs]
    tools = ctx.with_seed(ctx.seed + version)
    with ThreadPoolExecutor(max_workers=max(1, min(len(amended), ctx.settings.max_parallel))) as pool:
        results = list(pool.map(lambda spec: remake(spec, source, tools), amended))
    assets, new_specs, warnings = dict(source.assets), dict(specs), []
    for spec, (made, notes) in zip(amended, results):
        warnings += notes
        if made is not None:  # the plan keeps the slot size the markup uses; only the pixels grew
            assets[spec.id] = made
            new_specs[spec.id] = spec.model_copy(update={"size": specs[spec.id].size})
    plan = source.plan.model_copy(update={"assets": [new_specs[a.id] for a in source.plan.assets]})
    return source.model_copy(update={"plan": plan, "assets": assets}), warnings
