"""The library entry point: ``build(prompt, out_dir)`` runs the graph and writes one output folder."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generators import check_backends
from webagent.browser import BrowserSession
from webagent.config import Settings
from webagent.errors import BadPromptError
from webagent.files import atomic_write_json, atomic_write_text, staged_output_dir
from webagent.graph import BuildContext, build_graph
from webagent.llm import ModelHub
from webagent.state import NodeTiming, PagePlan, RunRecord


@dataclass
class Progress:
    """One step of the build that started or finished, for progress displays (``done`` counts finished steps)."""

    node: str
    done: int
    total: int
    detail: str = ""
    started: bool = False


@dataclass
class BuildResult:
    out_dir: Path
    plan: PagePlan
    record: RunRecord

    @property
    def page(self) -> Path:
        return self.out_dir / "index.html"


def check_prompt(prompt: str, settings: Settings) -> str:
    """The prompt, stripped, or a BadPromptError saying what is wrong with it."""
    text = prompt.strip()
    if not text:
        raise BadPromptError("the prompt is empty: describe the page you want, e.g. \"a landing page for a bakery\"")
    size = len(text.encode("utf-8"))
    if size > settings.max_prompt_bytes:
        raise BadPromptError(
            f"the prompt is {size / 1e6:.1f} MB; the limit is {settings.max_prompt_bytes / 1e6:.1f} MB "
            "(set WEBAGENT_MAX_PROMPT_BYTES to raise it)"
        )
    return text


def total_steps(plan: PagePlan, settings: Settings) -> int:
    """Steps the progress display expects once the global plan is known."""
    design = 1 if settings.coder_backend() == "llm" else 0
    return 1 + 2 * len(plan.sections) + design + len(plan.assets) + 5


def describe(node: str, update: dict) -> str:
    """A few words about what a finished step did."""
    if node == "plan_global":
        plan = update["plan"]
        return f"{len(plan.sections)} sections, {len(plan.assets)} media elements"
    if node == "design_system" and "design" in update:
        return f"{len(update['design'].components)} components"
    for key in ("sections", "assets", "section_html"):
        if update.get(key):
            return ", ".join(update[key])
    if node == "render" and "health" in update:
        return update["health"].summary()
    if node == "evaluate" and update.get("rounds"):
        record = update["rounds"][-1]
        verdict = "" if record.kept else ", rolled back"
        return f"round {record.number}: score {record.score_after:.3f}{verdict}"
    if node == "reflect":
        return f"{len(update.get('rounds_used', {}))} level(s) used"
    return ""


def task_label(task_input: object) -> str:
    """What a starting parallel task works on: its element or section id ('' for whole-page steps)."""
    if isinstance(task_input, dict):
        for key in ("spec", "section"):
            if key in task_input:
                return task_input[key].id
    return ""


def summarise_timings(timings: list[NodeTiming]) -> list[NodeTiming]:
    """Per node: summed seconds over its parallel tasks, and how many ran."""
    seconds: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    for timing in timings:
        seconds[timing.node] += timing.seconds
        calls[timing.node] += timing.calls
    return [NodeTiming(node=n, seconds=round(seconds[n], 4), calls=calls[n]) for n in seconds]


def run_graph(graph: Any, state: dict, context: BuildContext,
              on_progress: Callable[[Progress], None] | None = None) -> dict:
    """Stream ``graph`` from ``state`` and return its final state, reporting every task as it starts
    and every step as it finishes (the total is known once the page plan is; until then, one more)."""
    final, done, total = dict(state), 0, 0

    def expected(last: bool = False) -> int:
        return total if total and total >= done else done + (not last)

    stream = graph.stream(state, context=context, stream_mode=["updates", "values", "tasks"],
                          config={"max_concurrency": context.settings.max_parallel})
    for mode, chunk in stream:
        if mode == "values":
            final = chunk
        elif mode == "tasks":
            if on_progress and "input" in chunk and chunk["name"] != "plan_done":
                on_progress(Progress(chunk["name"], done, expected(), task_label(chunk["input"]), started=True))
        else:
            for node, update in chunk.items():
                if node == "plan_global":
                    total = total_steps(update["plan"], context.settings)
                if node != "plan_done":
                    done += 1
                    if on_progress:
                        on_progress(Progress(node, done, expected(node == "finish"), describe(node, update or {})))
    return final


def build(
    prompt: str,
    out_dir: Path,
    settings: Settings | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    browser: BrowserSession | None = None,
) -> BuildResult:
    """Build one page for ``prompt`` into ``out_dir`` (replaced only when the build succeeds)."""
    settings = settings or Settings.from_env()
    text = check_prompt(prompt, settings)
    check_backends(settings)
    started = time.perf_counter()
    own_browser = browser is None
    session = browser or BrowserSession(settings.browser)
    session.warm_up()
    models = ModelHub(settings)
    try:
        with staged_output_dir(out_dir) as staging:
            context = BuildContext(out_dir=staging, settings=settings, browser=session, models=models)
            state = run_graph(build_graph(), {"prompt": text}, context, on_progress)
            plan = state["best"].source.plan
            record = RunRecord(
                prompt_chars=len(text),
                title=plan.title,
                backends=settings.backends(),
                timings=summarise_timings(state.get("timings", [])),
                health=state["health"],
                rounds=state["rounds"],
                warnings=state.get("warnings", []),
                models=settings.models_in_use(),
                model_calls=models.log.calls,
                total_seconds=round(time.perf_counter() - started, 3),
            )
            atomic_write_text(staging / "prompt.txt", text)
            atomic_write_json(staging / "run.json", record)
    finally:
        models.close()
        if own_browser:
            session.close()
    return BuildResult(out_dir=out_dir.resolve(), plan=plan, record=record)
