"""The build as a LangGraph StateGraph: plan → plan sections → generate → write → assemble → render → evaluate.

Every node is a plain function of (state, runtime) → update. Fan-out uses ``Send``; fan-in goes
through reducers on the state. The run context (output folder, settings, browser) travels in the
runtime context, not in the state, so the state stays serialisable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from generators import generate_asset
from planners import get_planner
from reflection.policy import broken_elements, should_reflect
from webagent.assemble import render_section, write_page
from webagent.browser import BrowserSession
from webagent.config import Settings
from webagent.errors import WebAgentError
from webagent.render import render_page
from webagent.state import AssetSpec, BuildState, DesignTokens, GeneratedAsset, NodeTiming, PagePlan, SectionPlan


@dataclass
class BuildContext:
    """What every node may use but the state does not carry."""

    out_dir: Path
    settings: Settings
    browser: BrowserSession


class SectionTask(TypedDict):
    section: SectionPlan
    assets: list[AssetSpec]
    tokens: DesignTokens


class AssetTask(TypedDict):
    spec: AssetSpec
    tokens: DesignTokens


class WriteTask(TypedDict):
    section: SectionPlan
    position: int
    plan: PagePlan
    assets: list[AssetSpec]
    generated: dict[str, GeneratedAsset]


def timed(name: str) -> Callable[[Callable[..., dict]], Callable[..., dict]]:
    """Add the node's wall time to the update it returns."""

    def wrap(node: Callable[..., dict]) -> Callable[..., dict]:
        def run(state: Any, runtime: Runtime[BuildContext]) -> dict:
            started = time.perf_counter()
            update = node(state, runtime)
            update.setdefault("timings", []).append(NodeTiming(node=name, seconds=time.perf_counter() - started))
            return update

        run.__name__ = node.__name__
        run.__doc__ = node.__doc__
        return run

    return wrap


def final_plan(state: BuildState) -> PagePlan:
    """The global plan with every section and element replaced by its locally planned version."""
    plan = state["plan"]
    return plan.model_copy(
        update={
            "sections": [state["sections"].get(s.id, s) for s in plan.sections],
            "assets": [state["asset_specs"].get(a.id, a) for a in plan.assets],
        }
    )


def generate_one(spec: AssetSpec, tokens: DesignTokens, ctx: BuildContext, seed_offset: int) -> dict:
    """State update for one generated element, or a warning when its generator failed."""
    settings = ctx.settings
    backend = {"image": settings.image_backend, "video": settings.video_backend, "chart": settings.chart_backend}[spec.kind]
    try:
        made = generate_asset(spec, tokens, ctx.out_dir, backend, seed=settings.seed + seed_offset)
    except WebAgentError as exc:
        return {"warnings": [f"{spec.kind} {spec.id} was left out: {exc}"]}
    except Exception as exc:  # a generator bug must cost one element, not the page
        return {"warnings": [f"{spec.kind} {spec.id} was left out: {backend} backend failed ({type(exc).__name__}: {exc})"]}
    return {"assets": {spec.id: made}, "warnings": made.warnings}


# --- nodes -------------------------------------------------------------------------------------


@timed("plan_global")
def plan_global(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Plan the whole page: sections, design tokens, and every multimodal element."""
    plan = get_planner(runtime.context.settings.planner).compile_prompt(state["prompt"])
    return {"plan": plan}


@timed("plan_sections")
def plan_sections(task: SectionTask, runtime: Runtime[BuildContext]) -> dict:
    """Plan one section locally: its layout and each element's slot, context and attributes."""
    planner = get_planner(runtime.context.settings.planner)
    section, specs = planner.plan_section(task["section"], task["assets"], task["tokens"])
    return {"sections": {section.id: section}, "asset_specs": {spec.id: spec for spec in specs}}


@timed("generate_assets")
def generate_assets(task: AssetTask, runtime: Runtime[BuildContext]) -> dict:
    """Generate one image, video or chart with the configured backend of its kind."""
    return generate_one(task["spec"], task["tokens"], runtime.context, seed_offset=0)


@timed("write_sections")
def write_sections(task: WriteTask, runtime: Runtime[BuildContext]) -> dict:
    """Write one section's HTML from its plan, the design system and its generated elements."""
    made = task["generated"]
    present = [spec for spec in task["assets"] if spec.id in made]
    html = render_section(task["section"], present, made, task["plan"], task["position"])
    return {"section_html": {task["section"].id: html}}


def join(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Fan-in point: waits for every parallel task of the previous step."""
    return {}


@timed("assemble")
def assemble(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Put the sections into one page with its stylesheet and runtimes."""
    plan = final_plan(state)
    path = write_page(runtime.context.out_dir, plan, state["section_html"], state.get("assets", {}), runtime.context.settings.echarts)
    return {"page_path": str(path)}


@timed("render")
def render(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Open the page in Chromium, take screenshots, and record what rendered."""
    ctx = runtime.context
    return {"health": render_page(ctx.browser, ctx.out_dir, ctx.settings.render_timeout_s)}


@timed("evaluate")
def evaluate(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Score the render: for now its health (broken media, console errors, overflow)."""
    health = state["health"]
    return {} if health.ok else {"warnings": [f"render health: {health.summary()}"]}


@timed("reflect")
def reflect(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Regenerate the elements that failed to render; their sections are then written again."""
    plan = final_plan(state)
    rounds_done = state.get("rounds_done", 0) + 1
    update: dict = {"assets": {}, "warnings": [], "rounds_done": rounds_done}
    for spec in broken_elements(plan, state["health"]):
        remade = generate_one(spec, plan.tokens, runtime.context, seed_offset=rounds_done)
        update["assets"].update(remade.get("assets", {}))
        update["warnings"] += remade.get("warnings", [])
    return update


@timed("finish")
def finish(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Nothing left to do: the build function writes plan.json and run.json from the final state."""
    return {}


# --- routing -----------------------------------------------------------------------------------


def send_sections(state: BuildState) -> list[Send]:
    plan = state["plan"]
    return [Send("plan_sections", SectionTask(section=s, assets=plan.assets_of(s.id), tokens=plan.tokens)) for s in plan.sections]


def send_assets(state: BuildState) -> list[Send]:
    plan = final_plan(state)
    sends = [Send("generate_assets", AssetTask(spec=spec, tokens=plan.tokens)) for spec in plan.assets]
    return sends or send_writes(state)


def send_writes(state: BuildState) -> list[Send]:
    plan = final_plan(state)
    made = state.get("assets", {})
    return [
        Send("write_sections", WriteTask(section=s, position=i, plan=plan, assets=plan.assets_of(s.id), generated=made))
        for i, s in enumerate(plan.sections)
    ]


def after_evaluate(state: BuildState, runtime: Runtime[BuildContext]) -> str:
    plan = final_plan(state)
    return "reflect" if should_reflect(plan, state["health"], state.get("rounds_done", 0), runtime.context.settings.reflection_rounds) else "finish"


def build_graph() -> Any:
    """Compile the build graph."""
    graph = StateGraph(BuildState, context_schema=BuildContext)
    graph.add_node("plan_global", plan_global)
    graph.add_node("plan_sections", plan_sections)
    graph.add_node("plan_done", join)
    graph.add_node("generate_assets", generate_assets)
    graph.add_node("assets_done", join)
    graph.add_node("write_sections", write_sections)
    graph.add_node("assemble", assemble)
    graph.add_node("render", render)
    graph.add_node("evaluate", evaluate)
    graph.add_node("reflect", reflect)
    graph.add_node("finish", finish)

    graph.add_edge(START, "plan_global")
    graph.add_conditional_edges("plan_global", send_sections, ["plan_sections"])
    graph.add_edge("plan_sections", "plan_done")
    graph.add_conditional_edges("plan_done", send_assets, ["generate_assets", "write_sections"])
    graph.add_edge("generate_assets", "assets_done")
    graph.add_conditional_edges("assets_done", send_writes, ["write_sections"])
    graph.add_edge("write_sections", "assemble")
    graph.add_edge("assemble", "render")
    graph.add_edge("render", "evaluate")
    graph.add_conditional_edges("evaluate", after_evaluate, ["reflect", "finish"])
    graph.add_edge("reflect", "assets_done")
    graph.add_edge("finish", END)
    return graph.compile()
