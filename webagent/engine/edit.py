"""Changing a built page: reflect on it again, edit it, regenerate one element, list and restore rounds.

Every change runs the page loop of the build graph (``webagent.engine.graph.page_loop_graph``) from the
round the folder shows: only the sections or elements a fix names are changed, the page is
reassembled, rendered and critiqued, and the result is checkpointed as a new round, so the
previous version can always be restored (``restore_page``). A change that fails half-way puts the
folder back to the round it showed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from webagent.core.assemble import SOURCE_FILE
from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.edits import Fix
from webagent.core.errors import WebAgentError
from webagent.core.files import atomic_write_json
from webagent.core.llm import ModelHub
from webagent.core.ownership import require_ours
from webagent.core.prompt_text import read_part
from webagent.core.records import History, RoundOrigin, RoundRecord, RunRecord
from webagent.core.source import ModelCall, PageSource
from webagent.core.store import trim_cache
from webagent.core.workdir import PROMPT_FILE, folder_lock
from webagent.engine.build import Progress, run_graph
from webagent.engine.graph import BuildContext, page_loop_graph
from webagent.engine.pages import page_history
from webagent.reflection.critic import load_critique, publish_screenshots
from webagent.reflection.edits import plan_edit
from webagent.reflection.loop import Checkpoint, load_checkpoint
from webagent.reflection.policy import LEVELS
from webagent.reflection.rounds import next_round, restore
from webagent.reflection.structure import EditError

RUN_FILE = "run.json"


@dataclass
class BuiltPage:
    """A page folder made by ``webagent build``: its prompt and the round it shows."""

    out_dir: Path
    prompt: str
    history: History
    current: Checkpoint
    source: PageSource


def open_page(out_dir: Path) -> BuiltPage:
    """The built page in ``out_dir``, or one line saying why it cannot be changed."""
    history = page_history(out_dir)  # checks the folder first
    out_dir = out_dir.resolve()
    prompt_path = out_dir / PROMPT_FILE
    try:
        source = PageSource.model_validate_json((out_dir / SOURCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WebAgentError(f"{out_dir / SOURCE_FILE} cannot be read ({str(exc).splitlines()[0]})") from None
    return BuiltPage(
        out_dir,
        read_part(prompt_path.read_text(encoding="utf-8")),
        history,
        load_checkpoint(out_dir, history.current),
        source,
    )


def append_to_run_record(
    out_dir: Path, rounds: list[RoundRecord], warnings: list[str], calls: list[ModelCall] | None = None
) -> None:
    """Add the new rounds (and their warnings and model calls) to run.json."""
    path = out_dir / RUN_FILE
    if not path.is_file():
        return
    record = RunRecord.model_validate_json(path.read_text(encoding="utf-8"))
    record.rounds += rounds
    record.warnings += warnings
    record.model_calls += calls or []
    atomic_write_json(path, record)


@dataclass
class PageChange:
    """What an edit, a regeneration or a reflection did: the new rounds and any warnings."""

    rounds: list[RoundRecord]
    warnings: list[str]


FixPlanner = Callable[[BuiltPage, GenerationContext], tuple[list[Fix], list[str]]]


def change_page(
    out_dir: Path,
    plan_fixes: FixPlanner,
    origin: RoundOrigin,
    settings: Settings,
    reflect: bool,
    browser: BrowserSession | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> PageChange:
    """Plan fixes for the round the folder shows (``plan_fixes``; none: critique the page as its
    source.json makes it), apply them and settle the rounds that follow; with ``reflect`` False only
    the planned fixes are made."""
    folder = require_ours(out_dir)  # webagent changes only page folders it wrote
    with folder_lock(folder):  # one writer at a time: a build or another edit is refused
        page = open_page(folder)
        own_browser = browser is None
        session = browser or BrowserSession(settings.browser)
        models = ModelHub(settings)
        final: dict = {}
        try:
            context = BuildContext(out_dir=page.out_dir, settings=settings, browser=session, models=models)
            fixes, warnings = plan_fixes(page, context.tools())  # nothing is written before the fixes are known
            state = {
                "prompt": page.prompt,
                "source": page.source,
                "best": page.current,
                "round": next_round(page.out_dir),
                "origin": origin,
                "pending_level": None,
                "pending_fixes": fixes,
                "warnings": warnings,
                "rounds_used": {} if reflect else {name: settings.reflection_rounds for name in LEVELS},
                "required": page.current.critique.evaluation.required,
            }
            try:
                final = run_graph(page_loop_graph(), state, context, on_progress)
            except BaseException:
                restore(page.out_dir, page.history.current)
                raise
        finally:
            models.close()
            if own_browser:
                session.close()
        change = PageChange(final.get("rounds", []), final.get("warnings", []))
        append_to_run_record(page.out_dir, change.rounds, change.warnings, models.log.calls)
    trim_cache(settings)
    return change


def reflect_page(out_dir: Path, settings: Settings, **options) -> PageChange:
    """Critique the page as its source.json makes it (a ``check`` round), then run the reflection loop."""
    return change_page(out_dir, lambda page, ctx: ([], []), "check", settings, reflect=True, **options)


def edit_page(out_dir: Path, instruction: str, settings: Settings, **options) -> PageChange:
    """Carry out a user's edit ("make the hero darker and the chart a line chart") as one new round:
    only the sections and elements it names change."""
    text = instruction.strip()
    if not text:
        raise EditError('the edit is empty: say what to change, e.g. webagent edit DIR "make the hero darker"')
    return change_page(
        out_dir,
        lambda page, ctx: plan_edit(text, page.current.source, page.prompt, ctx),
        "edit",
        settings,
        reflect=False,
        **options,
    )


def regenerate_element(out_dir: Path, element_id: str, prompt: str | None, settings: Settings, **options) -> PageChange:
    """Make one element again as a new round: from ``prompt`` (replacing its own) when given, else
    from its own prompt with a new seed."""
    if prompt is not None and not prompt.strip():
        raise EditError("the new prompt is empty: leave out --prompt to regenerate with a new seed")

    def fixes(page: BuiltPage, ctx: GenerationContext) -> tuple[list[Fix], list[str]]:
        known = [a.id for a in page.current.source.plan.assets]
        if element_id not in known:
            raise EditError(f"{page.out_dir} has no element {element_id!r} (elements: {', '.join(known) or 'none'})")
        if prompt is None:
            return [
                Fix(level="element", action="regenerate", target=element_id, reason="regenerate with a new seed")
            ], []
        return [
            Fix(
                level="element",
                action="element_prompt",
                target=element_id,
                reason="a new prompt",
                instruction=prompt.strip(),
            ),
            Fix(level="element", action="regenerate", target=element_id, reason="regenerate from the new prompt"),
        ], []

    return change_page(out_dir, fixes, "regenerate", settings, reflect=False, **options)


def restore_page(out_dir: Path, number: int) -> RoundRecord:
    """Make the folder show round ``number`` again, byte for byte (and screenshots/ that round's
    screenshots); return that round's record."""
    page = open_page(require_ours(out_dir))
    record = next((r for r in page.history.rounds if r.number == number), None)
    if record is None:
        known = ", ".join(str(r.number) for r in page.history.rounds)
        raise WebAgentError(f"{page.out_dir} has no round {number} (rounds: {known})")
    with folder_lock(page.out_dir):
        restore(page.out_dir, number)
        publish_screenshots(page.out_dir, load_critique(page.out_dir, number))
    return record
