"""The build as a LangGraph StateGraph.

plan_global → plan_sections (one task per section) + design_system → generate_assets (one task
per element) + write_sections (one task per section, at the same time: sections hold empty
element slots) → collect → assemble → render → evaluate → reflect? → assemble … → finish.

``evaluate`` critiques every render and settles the round (kept, or rolled back to the best one;
checkpointed under rounds/); ``reflect`` applies the next level's fixes to the page source.

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

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Send

from webagent.core.answers import DesignSystem
from webagent.core.assemble import write_page
from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.context import GenerationContext, Made
from webagent.core.contracts import AssetSpec, DesignTokens, PagePlan, SectionPlan
from webagent.core.errors import MissingExtraError, ModelAccessError, WebAgentError
from webagent.core.llm import ModelHub
from webagent.core.records import NodeTiming, StepMaker
from webagent.core.source import PageSource
from webagent.engine.state import BuildState
from webagent.generators import generate_asset
from webagent.generators.section import write_design_system, write_section
from webagent.planners import plan_page, plan_section
from webagent.reflection.apply import apply_fixes
from webagent.reflection.critic import look_at_page, publish_screenshots, score_page
from webagent.reflection.loop import RoundInput, settle_round
from webagent.reflection.policy import choose_fixes
from webagent.webbench.evaluation.evidence import health_of


@dataclass
class BuildContext:
    """What every node may use but the state does not carry."""

    out_dir: Path
    settings: Settings
    browser: BrowserSession
    models: ModelHub

    def tools(self, seed_offset: int = 0) -> GenerationContext:
        return GenerationContext(self.out_dir, self.settings.seed + seed_offset, self.settings, self.models)


BuildGraph = StateGraph[BuildState, BuildContext, BuildState, BuildState]


class SectionTask(TypedDict):
    prompt: str
    section: SectionPlan
    assets: list[AssetSpec]
    tokens: DesignTokens


class DesignTask(TypedDict):
    prompt: str
    plan: PagePlan


class AssetTask(TypedDict):
    spec: AssetSpec
    tokens: DesignTokens


class WriteTask(TypedDict):
    prompt: str
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
    return {
        "assets": {spec.id: made},
        "warnings": made.warnings,
        "made_by": {f"{spec.kind} {spec.id}": StepMaker(role=spec.kind, backend=made.backend)},
    }


def step_update(step: str, role: str, made: Made) -> dict:
    """The state update every planning and writing step shares: its warnings and who made its result."""
    return {"warnings": made.warnings, "made_by": {step: StepMaker(role=role, backend=made.backend)}}


# --- nodes -------------------------------------------------------------------------------------


@timed("plan_global")
def plan_global(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Plan the whole page: sections, design tokens, and every multimodal element."""
    made = plan_page(state["prompt"], runtime.context.tools())
    return {"plan": made.value, **step_update("page plan", "planner", made)}


@timed("plan_sections")
def plan_sections(task: SectionTask, runtime: Runtime[BuildContext]) -> dict:
    """Plan one section locally: its layout and each element's slot, context and attributes."""
    made = plan_section(task["section"], task["assets"], task["tokens"], task["prompt"], runtime.context.tools())
    section, specs = made.value
    update = {"sections": {section.id: section}, "asset_specs": {spec.id: spec for spec in specs}}
    if not task["assets"]:  # a section without media keeps its global plan: no step was made by anyone
        return {**update, "warnings": made.warnings}
    return {**update, **step_update(f"section {section.id} plan", "planner", made)}


@timed("design_system")
def design_system(task: DesignTask, runtime: Runtime[BuildContext]) -> dict:
    """Write the page's design system once, for every section to use."""
    made = write_design_system(task["plan"], task["prompt"], runtime.context.tools())
    return {"design": made.value, **step_update("design system", "coder", made)}


@timed("generate_assets")
def generate_assets(task: AssetTask, runtime: Runtime[BuildContext]) -> dict:
    """Generate one image, video or chart with the configured backend of its kind."""
    return generate_one(task["spec"], task["tokens"], runtime.context, seed_offset=0)


@timed("write_sections")
def write_sections(task: WriteTask, runtime: Runtime[BuildContext]) -> dict:
    """Write one section's HTML and CSS from its plan, the design system and its element slots."""
    plan, section = task["plan"], task["section"]
    made = write_section(
        section,
        plan.assets_of(section.id),
        plan,
        task["design"],
        task["position"],
        task["prompt"],
        runtime.context.tools(),
    )
    return {
        "section_html": {section.id: made.value.html},
        "section_css": {section.id: made.value.css},
        **step_update(f"section {section.id}", "coder", made),
    }


def join(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Fan-in point: waits for every parallel task of the previous step."""
    return {}


@timed("collect")
def collect(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Gather what generation made into the page source that assembly, reflection and edits work on."""
    return {
        "source": PageSource(
            plan=final_plan(state),
            section_html=state["section_html"],
            section_css=state.get("section_css", {}),
            design_css=state.get("design", DesignSystem(css="")).css,
            assets=state.get("assets", {}),
        )
    }


@timed("assemble")
def assemble(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Put the sections into one page with its stylesheet and runtimes."""
    path = write_page(runtime.context.out_dir, state["source"], runtime.context.settings.echarts)
    return {"page_path": str(path)}


@timed("render")
def render(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Load the page once in Chromium: screenshots, crops, video frames, chart options, text, colours
    and health facts, kept in the round's folder for the critic."""
    ctx = runtime.context
    evidence = look_at_page(ctx.out_dir, state.get("round", 0), ctx.settings, ctx.browser)
    return {"evidence": evidence, "health": health_of(evidence)}


@timed("evaluate")
def evaluate(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Critique the render, keep it or roll back to the best round, and choose the next fixes."""
    ctx, number = runtime.context, state.get("round", 0)
    step = RoundInput(
        number=number,
        origin=state.get("origin", "build"),
        level=state.get("pending_level"),
        fixes=state.get("pending_fixes", []),
        started=state.get("round_started") or time.perf_counter(),
    )
    critique = score_page(ctx.out_dir, state["prompt"], number, state["evidence"], ctx.settings, state.get("required"))
    record, best = settle_round(
        ctx.out_dir,
        state["prompt"],
        step,
        state["source"],
        critique,
        state.get("best"),
        ctx.settings,
        ctx.browser,
        state.get("required"),
    )
    level, fixes = choose_fixes(
        best.critique,
        best.source,
        state["prompt"],
        ctx.tools(),
        state.get("rounds_used", {}),
        [*state.get("tried", []), *step.fixes],
    )
    return {
        "best": best,
        "source": best.source,
        "required": best.critique.evaluation.required,
        "rounds": [record],
        "round": number + 1,
        "pending_level": level,
        "pending_fixes": fixes,
        "tried": step.fixes,
        "origin": "reflection",
        "warnings": [critique.warning] if critique.warning else [],
    }


@timed("reflect")
def reflect(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """Apply the chosen level's fixes to the best page source; assembly and the critic follow."""
    started, best, level = time.perf_counter(), state["best"], state["pending_level"]
    source, warnings = apply_fixes(
        state["pending_fixes"],
        best.source,
        state["prompt"],
        best.critique,
        runtime.context.tools(),
        version=state["round"],
    )
    used = state.get("rounds_used", {})
    if level is not None:  # an edit's fixes are no reflection level's round
        used = {**used, level: used.get(level, 0) + 1}
    return {"source": source, "warnings": warnings, "rounds_used": used, "round_started": started}


@timed("finish")
def finish(state: BuildState, runtime: Runtime[BuildContext]) -> dict:
    """The folder shows the best round: its screenshots go to screenshots/ and its health to run.json."""
    best = state["best"]
    publish_screenshots(runtime.context.out_dir, best.critique)
    health = health_of(best.critique.evidence)
    return {"health": health, "warnings": [] if health.ok else [f"render health: {health.summary()}"]}


# --- routing -----------------------------------------------------------------------------------


def send_planning(state: BuildState, runtime: Runtime[BuildContext]) -> list[Send]:
    """One local-planning task per section, and the design system when a model writes the code."""
    plan = state["plan"]
    sends = [
        Send(
            "plan_sections",
            SectionTask(prompt=state["prompt"], section=s, assets=plan.assets_of(s.id), tokens=plan.tokens),
        )
        for s in plan.sections
    ]
    if runtime.context.settings.coder_backend() == "llm":
        sends.append(Send("design_system", DesignTask(prompt=state["prompt"], plan=plan)))
    return sends


def send_making(state: BuildState) -> list[Send]:
    """Every element to generate and every section to write, all at once."""
    plan = final_plan(state)
    design = state.get("design", DesignSystem(css=""))
    assets = [Send("generate_assets", AssetTask(spec=spec, tokens=plan.tokens)) for spec in plan.assets]
    writes = [
        Send("write_sections", WriteTask(prompt=state["prompt"], section=s, position=i, plan=plan, design=design))
        for i, s in enumerate(plan.sections)
    ]
    return assets + writes


def after_evaluate(state: BuildState) -> str:
    return "reflect" if state.get("pending_fixes") else "finish"


def start_page_loop(state: BuildState) -> str:
    """An edit starts by applying its fixes; a page to critique as it is starts by writing it."""
    return "reflect" if state.get("pending_fixes") else "assemble"


def add_page_loop(graph: BuildGraph) -> None:
    """The nodes and edges shared by builds and edits: assemble → render → evaluate → reflect? → … → finish."""
    for node in (assemble, render, evaluate, reflect, finish):
        graph.add_node(node.__name__, node)
    graph.add_edge("assemble", "render")
    graph.add_edge("render", "evaluate")
    graph.add_conditional_edges("evaluate", after_evaluate, ["reflect", "finish"])
    graph.add_edge("reflect", "assemble")
    graph.add_edge("finish", END)


@functools.cache
def page_loop_graph() -> Any:
    """The critique-and-reflect loop alone, for a page already built (edits, regenerations, reflect).

    Input state: prompt, source, best (the checkpoint the folder shows), round (the next number),
    origin, pending_fixes (an edit's), rounds_used (levels already spent), required."""
    graph = StateGraph(BuildState, context_schema=BuildContext)
    add_page_loop(graph)
    graph.add_conditional_edges(START, start_page_loop, ["reflect", "assemble"])
    return graph.compile()


def build_graph(checkpointer: BaseCheckpointSaver | None = None) -> Any:
    """The build graph, compiled with ``checkpointer`` when the build is to be resumable."""
    return build_graph_definition().compile(checkpointer=checkpointer)


@functools.cache
def build_graph_definition() -> BuildGraph:
    """The build's nodes and edges (made once per process: they hold no run state)."""
    graph = StateGraph(BuildState, context_schema=BuildContext)
    graph.add_node("plan_global", plan_global)
    graph.add_node("plan_sections", plan_sections)
    graph.add_node("design_system", design_system)
    graph.add_node("plan_done", join)
    graph.add_node("generate_assets", generate_assets)
    graph.add_node("write_sections", write_sections)
    graph.add_node("collect", collect)
    add_page_loop(graph)

    graph.add_edge(START, "plan_global")
    graph.add_conditional_edges("plan_global", send_planning, ["plan_sections", "design_system"])
    graph.add_edge("plan_sections", "plan_done")
    graph.add_edge("design_system", "plan_done")
    graph.add_conditional_edges("plan_done", send_making, ["generate_assets", "write_sections"])
    graph.add_edge("generate_assets", "collect")
    graph.add_edge("write_sections", "collect")
    graph.add_edge("collect", "assemble")
    return graph
