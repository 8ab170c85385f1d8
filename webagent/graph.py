"""The build as a LangGraph StateGraph.

plan_global → plan_sections (one task per section) + design_system → generate_assets (one task
per element) + write_sections (one task per section, at the same time: sections hold empty
element slots) → assemble → render → evaluate → reflect? → assemble … → finish.

Every node is a plain function of (state, runtime) → update. Fan-out uses ``Send``; fan-in goes
through reducers on the state. The run context (output folder, settings, browser, model clients)
travels in the runtime context, not in the state, so the state stays serialisable.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from generators import generate_asset
from webagent.context import GenerationContext
from generators.section import write_design_system, write_section
from planners import plan_page, plan_section
from reflection.policy import broken_elements, should_reflect
from webagent.assemble import PageParts, write_page
from webagent.browser import BrowserSession
from webagent.config import Settings
from webagent.errors import MissingExtraError, ModelAccessError, WebAgentError
from webagent.llm import ModelHub
from webagent.render import render_page
from webagent.state import AssetSpec, BuildState, DesignSystem, DesignTokens, NodeTiming, PagePlan, SectionPlan


@dataclass
class BuildContext:
    """What every node may use but the state does not carry."""

    out_dir: Path
    settings: Settings
    browser: BrowserSession
    models: ModelHub

    def tools(self, seed_offset: int = 0) -> GenerationContext:
        return GenerationContext(self.out_dir, self.settings.seed + seed_offset, self.settings, self.models)


class SectionTask(TypedDict):
    prompt: str
    section: SectionPlan
    assets: list[AssetSpec]
    tokens: DesignTokens


class DesignTask(TypedDict):
    plan: PagePlan


class AssetTask(TypedDict):
    spec: AssetSpec
    tokens: DesignTokens


class WriteTask(TypedDict):
    section: SectionPlan
    position: int
    plan: PagePlan
    design: DesignSystem


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
            "sections": [state.get("sections", {}).get(s.id, s) for s in plan.sections],
            "assets": [state.get("asset_specs", {}).get(a.id, a) for a in plan.assets],
        }
    )


def generate_one(spec: AssetSpec, tokens: DesignTokens, ctx: BuildContext, seed_offset: int) -> dict:
    """State update for one generated element, or a warning when it could not be made at all."""
    try:
        made = generate_asset(spec, tokens, ctx.tools(seed_offset))
    except (ModelAccessError, MissingExtraError):
        raise  # a wrong key or a missing package: every element would fail, so the build stops
    except WebAgentError as exc:
        return {"warnings": [f"{spec.kind} {spec.id} was left out: {exc}"]}
    except Exception as exc:  # a generator bug must cost one element, not the page
        return {"warnings": [f"{spec.kind} {spec.id} was left out: generator failed ({type(exc).__name__}: {exc})"]}
    return {"assets": {spec.id: made}, "warnings": made.warnings}


# --- nodes -------------------------------------------------------------------------------------


@timed("plan_global")
def plan_global(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Plan the whole page: sections, design tokens, and every multimodal element."""
    plan, warnings = plan_page(state["prompt"], runtime.context.tools())
    return {"plan": plan, "warnings": warnings}


@timed("plan_sections")
def plan_sections(task: SectionTask, runtime: Runtime[BuildContext]) -> dict:
    """Plan one section locally: its layout and each element's slot, context and attributes."""
    (section, specs), warnings = plan_section(task["section"], task["assets"], task["tokens"], task["prompt"],
                                              runtime.context.tools())
    return {"sections": {section.id: section}, "asset_specs": {spec.id: spec for spec in specs}, "warnings": warnings}


@timed("design_system")
def design_system(task: DesignTask, runtime: Runtime[BuildContext]) -> dict:
    """Write the page's design system once, for every section to use."""
    design, warnings = write_design_system(task["plan"], runtime.context.tools())
    return {"design": design, "warnings": warnings}


@timed("generate_assets")
def generate_assets(task: AssetTask, runtime: Runtime[BuildContext]) -> dict:
    """Generate one image, video or chart with the configured backend of its kind."""
    return generate_one(task["spec"], task["tokens"], runtime.context, seed_offset=0)


@timed("write_sections")
def write_sections(task: WriteTask, runtime: Runtime[BuildContext]) -> dict:
    """Write one section's HTML and CSS from its plan, the design system and its element slots."""
    plan, section = task["plan"], task["section"]
    code, warnings = write_section(section, plan.assets_of(section.id), plan, task["design"], task["position"],
                                   runtime.context.tools())
    return {"section_html": {section.id: code.html}, "section_css": {section.id: code.css}, "warnings": warnings}


def join(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Fan-in point: waits for every parallel task of the previous step."""
    return {}


@timed("assemble")
def assemble(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Put the sections into one page with its stylesheet and runtimes."""
    parts = PageParts(plan=final_plan(state), section_html=state["section_html"], generated=state.get("assets", {}),
                      section_css=state.get("section_css", {}), design_css=state.get("design", DesignSystem(css="")).css)
    path = write_page(runtime.context.out_dir, parts, runtime.context.settings.echarts)
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
    """Regenerate the elements that failed to render; assembly puts them into their slots again."""
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


def send_planning(state: BuildState, runtime: Runtime[BuildContext]) -> list[Send]:
    """One local-planning task per section, and the design system when a model writes the code."""
    plan = state["plan"]
    sends = [Send("plan_sections", SectionTask(prompt=state["prompt"], section=s, assets=plan.assets_of(s.id),
                                               tokens=plan.tokens)) for s in plan.sections]
    if runtime.context.settings.coder_backend() == "llm":
        sends.append(Send("design_system", DesignTask(plan=plan)))
    return sends


def send_making(state: BuildState) -> list[Send]:
    """Every element to generate and every section to write, all at once."""
    plan = final_plan(state)
    design = state.get("design", DesignSystem(css=""))
    assets = [Send("generate_assets", AssetTask(spec=spec, tokens=plan.tokens)) for spec in plan.assets]
    writes = [Send("write_sections", WriteTask(section=s, position=i, plan=plan, design=design))
              for i, s in enumerate(plan.sections)]
    return assets + writes


def after_evaluate(state: BuildState, runtime: Runtime[BuildContext]) -> str:
    plan = final_plan(state)
    return "reflect" if should_reflect(plan, state["health"], state.get("rounds_done", 0), runtime.context.settings.reflection_rounds) else "finish"


@functools.cache
def build_graph() -> Any:
    """Compile the build graph (once per process: it holds no run state)."""
    graph = StateGraph(BuildState, context_schema=BuildContext)
    graph.add_node("plan_global", plan_global)
    graph.add_node("plan_sections", plan_sections)
    graph.add_node("design_system", design_system)
    graph.add_node("plan_done", join)
    graph.add_node("generate_assets", generate_assets)
    graph.add_node("write_sections", write_sections)
    graph.add_node("assemble", assemble)
    graph.add_node("render", render)
    graph.add_node("evaluate", evaluate)
    graph.add_node("reflect", reflect)
    graph.add_node("finish", finish)

    graph.add_edge(START, "plan_global")
    graph.add_conditional_edges("plan_global", send_planning, ["plan_sections", "design_system"])
    graph.add_edge("plan_sections", "plan_done")
    graph.add_edge("design_system", "plan_done")
    graph.add_conditional_edges("plan_done", send_making, ["generate_assets", "write_sections"])
    graph.add_edge("generate_assets", "assemble")
    graph.add_edge("write_sections", "assemble")
    graph.add_edge("assemble", "render")
    graph.add_edge("render", "evaluate")
    graph.add_conditional_edges("evaluate", after_evaluate, ["reflect", "finish"])
    graph.add_edge("reflect", "assemble")
    graph.add_edge("finish", END)
    return graph.compile()
