"""The library entry point: ``build(prompt, out_dir)`` runs the graph and writes one output folder."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.contracts import PagePlan
from webagent.core.errors import BadPromptError, ResumeError
from webagent.core.files import atomic_write_json, atomic_write_text
from webagent.core.llm import CallLog, ModelHub
from webagent.core.ownership import claim_output, remove_file
from webagent.core.prompt_text import clean_prompt_text, read_part, unread_part
from webagent.core.records import BuildJournal, NodeTiming, RunRecord
from webagent.core.store import trim_cache
from webagent.core.workdir import PROMPT_FILE, folder_lock, interrupted_prompt, staged_output_dir
from webagent.engine.checkpoints import THREAD, open_checkpoints, remove_checkpoints
from webagent.engine.graph import BuildContext, build_graph
from webagent.engine.report import build_shortfalls, unread_shortfalls
from webagent.generators import check_backends

JOURNAL_FILE = ".journal.json"


@dataclass
class Progress:
    """One step of the build that started or finished, for progress displays (``done`` counts finished steps)."""

    node: str
    done: int
    total: int
    detail: str = ""
    started: bool = False
    words: str = ""  # what the step does, as a person would say it: "Writing section ‘Pricing’"


@dataclass
class BuildResult:
    out_dir: Path
    plan: PagePlan
    record: RunRecord

    @property
    def page(self) -> Path:
        return self.out_dir / "index.html"


def check_prompt(prompt: str, settings: Settings) -> str:
    """The prompt, cleaned of control characters and stripped, or a BadPromptError saying what is wrong with it."""
    text = clean_prompt_text(prompt)[0].strip()
    if not text:
        raise BadPromptError('the prompt is empty: describe the page you want, e.g. "a landing page for a bakery"')
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


# What each step does, in words; a parallel task names the section or element it works on.
NODE_WORDS = {
    "plan_global": "Planning the page",
    "plan_sections": "Planning the sections",
    "design_system": "Designing the look",
    "generate_assets": "Making the media",
    "write_sections": "Writing the sections",
    "collect": "Collecting sections and media",
    "assemble": "Assembling the page",
    "render": "Rendering the page in Chromium",
    "evaluate": "Judging the page",
    "reflect": "Revising what the judge found",
    "finish": "Saving the page",
}
MEDIA_VERBS = {"chart": "Drawing chart", "image": "Making image", "video": "Making video"}


def in_words(node: str, task_input: object = None) -> str:
    """The step as a person would say it: 'Planning the page', "Writing section ‘Pricing’", "Drawing chart
    ‘Sales by month’"; an unknown step keeps its name."""
    if isinstance(task_input, dict):
        spec, section = task_input.get("spec"), task_input.get("section")
        if node == "generate_assets" and spec is not None:
            return f"{MEDIA_VERBS.get(spec.kind, 'Making')} ‘{spec.title or spec.id}’"
        if section is not None and node in ("plan_sections", "write_sections"):
            verb = "Planning" if node == "plan_sections" else "Writing"
            return f"{verb} section ‘{getattr(section, 'title', '') or section.id}’"
    return NODE_WORDS.get(node, node)


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


def run_graph(
    graph: Any,
    state: dict | None,
    context: BuildContext,
    on_progress: Callable[[Progress], None] | None = None,
    thread: dict | None = None,
    after_step: Callable[[], object] | None = None,
) -> dict:
    """Stream ``graph`` from ``state`` (None: on from ``thread``'s last checkpoint) and return its final
    state, reporting every task as it starts and every step as it finishes (the total is known once
    the page plan is; until then, one more); ``after_step`` runs after each finished step."""
    config = {**(thread or {}), "max_concurrency": context.settings.max_parallel}
    final, done, total = dict(state) if state is not None else dict(graph.get_state(config).values), 0, 0

    def expected(last: bool = False) -> int:
        return total if total and total >= done else done + (not last)

    saving = {"durability": "sync"} if thread else {}  # checkpointed: each step is saved before the next starts
    stream = graph.stream(state, context=context, stream_mode=["updates", "values", "tasks"], config=config, **saving)
    for mode, chunk in stream:
        if mode == "values":
            final = chunk
        elif mode == "tasks":
            if on_progress and "input" in chunk and chunk["name"] != "plan_done":
                name, task_input = chunk["name"], chunk["input"]
                words = in_words(name, task_input)
                on_progress(Progress(name, done, expected(), task_label(task_input), started=True, words=words))
        else:
            for node, update in chunk.items():
                if node == "plan_global":
                    total = total_steps(update["plan"], context.settings)
                if node != "plan_done":
                    done += 1
                    if on_progress:
                        detail = describe(node, update or {})
                        on_progress(Progress(node, done, expected(node == "finish"), detail, words=in_words(node)))
            if after_step:
                after_step()
    return final


def prompt_to_build(given: str, out_dir: Path, resume: bool) -> tuple[str, bool]:
    """(the prompt to build, whether an interrupted build is continued), from the checked prompt given.

    With ``resume`` an interrupted build waiting beside ``out_dir`` is continued: with no prompt
    given, or the same one; another prompt is refused rather than mixed into it.
    """
    earlier = interrupted_prompt(out_dir) if resume else None
    if earlier is None:
        if not given:
            raise ResumeError(
                f"nothing to resume for {out_dir}: no interrupted build was found there; give a prompt to start one"
            )
        return given, False
    if given and given != earlier:
        raise ResumeError(
            f"the interrupted build of {out_dir} was started with another prompt: "
            "give no prompt to resume it, or drop --resume to start over"
        )
    return earlier, True


def read_journal(staging: Path) -> BuildJournal:
    """What the interrupted build in ``staging`` had spent (nothing for a new build)."""
    path = staging / JOURNAL_FILE
    return BuildJournal.model_validate_json(path.read_bytes()) if path.is_file() else BuildJournal()


def build(
    prompt: str,
    out_dir: Path,
    settings: Settings | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    browser: BrowserSession | None = None,
    resume: bool = False,
) -> BuildResult:
    """Build one page for ``prompt`` into ``out_dir`` (replaced only when the build succeeds).

    ``out_dir`` must be missing, empty or a page folder webagent wrote (``claim_output``). The build holds the folder's lock and checkpoints every step in its staging folder; with
    ``resume`` an interrupted build of ``out_dir`` continues from its last checkpoint (``prompt``
    may then be empty, meaning that build's own).
    """
    settings = settings or Settings.from_env()
    given = check_prompt(prompt, settings) if prompt.strip() or not resume else ""
    notes = [note for note in (clean_prompt_text(prompt)[1], unread_part(given)[0]) if note] if given else []
    check_backends(settings)
    out_dir = claim_output(out_dir, "page")
    started = time.perf_counter()
    own_browser = browser is None
    session = browser or BrowserSession(settings.browser)
    try:
        with folder_lock(out_dir):
            text, continuing = prompt_to_build(given, out_dir, resume)
            session.warm_up()
            with staged_output_dir(out_dir, keep_interrupted=continuing) as staging:
                plan, record = run_staged(text, staging, continuing, settings, session, on_progress, started, notes)
        trim_cache(settings)
    finally:
        if own_browser:
            session.close()
    return BuildResult(out_dir=out_dir, plan=plan, record=record)


def run_staged(
    text: str,
    staging: Path,
    continuing: bool,
    settings: Settings,
    session: BrowserSession,
    on_progress: Callable[[Progress], None] | None,
    started: float,
    notes: list[str] | None = None,
) -> tuple[PagePlan, RunRecord]:
    """Run (or continue) the build graph in ``staging`` and write its prompt.txt and run.json; ``notes`` are
    warnings from before the build (a cleaned prompt, a prompt read in part)."""
    earlier = read_journal(staging) if continuing else BuildJournal()
    log = CallLog()
    for call in earlier.model_calls:
        log.add(call)
    models = ModelHub(settings, log)

    def spent() -> BuildJournal:
        return BuildJournal(
            model_calls=log.calls,
            seconds=earlier.seconds + time.perf_counter() - started,
            resumed=earlier.resumed + continuing,
        )

    try:
        atomic_write_text(staging / PROMPT_FILE, text)
        with open_checkpoints(staging) as saver:
            graph = build_graph(saver)
            fresh = not graph.get_state(THREAD).values
            context = BuildContext(out_dir=staging, settings=settings, browser=session, models=models)
            state = run_graph(
                graph,
                {"prompt": read_part(text), "warnings": notes or []} if fresh else None,
                context,
                on_progress,
                THREAD,
                lambda: atomic_write_json(staging / JOURNAL_FILE, spent()),
            )
    finally:
        models.close()
    total = spent()
    plan = state["best"].source.plan
    record = RunRecord(
        prompt_chars=len(text),
        title=plan.title,
        backends=settings.backends(),
        timings=summarise_timings(state.get("timings", [])),
        health=state["health"],
        rounds=state["rounds"],
        warnings=state.get("warnings", []),
        made_by=state.get("made_by", {}),
        shortfalls=unread_shortfalls(text) + build_shortfalls(state["best"].source, state["best"].critique.evaluation),
        models=settings.models_in_use(),
        model_calls=total.model_calls,
        total_seconds=round(total.seconds, 3),
        resumed=total.resumed,
    )
    atomic_write_json(staging / "run.json", record)
    remove_checkpoints(staging)
    remove_file(staging / JOURNAL_FILE)
    return plan, record
