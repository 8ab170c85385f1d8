"""The `webagent` command: a thin layer of argument parsing and printing over the library."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from webagent.core.browser import BrowserSession
from webagent.core.errors import BadPromptError, MissingExtraError, ResumeError, WebAgentError

# Start-up: the engine and the bench runner load langgraph, openai and Playwright (about 2 s) and the settings
# load pydantic; each command imports what it runs, so that --help answers at once and doctor and history load
# no engine (tests/test_startup.py keeps it so).
if TYPE_CHECKING:
    from webagent.core.config import Settings
    from webagent.core.edits import Fix
    from webagent.core.records import RunRecord
    from webagent.doctor import RoleStatus
    from webagent.engine.build import Progress as BuildProgress
    from webagent.engine.edit import PageChange
    from webagent.webbench.bench.runner import BenchProgress
    from webagent.webbench.evaluation.contracts import PageEvaluation

ConfigOption = Annotated[
    Optional[Path], typer.Option("--config", help="settings file (TOML); default: ./webagent.toml")
]
JudgeOption = Annotated[str, typer.Option(help="static (deterministic metrics, no model) or a judge model name")]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="neither reuse nor store generated media (media cache)")
]

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="mm-webagent: a design prompt in, a multimodal web page out."
)
console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)
INTERRUPTED = 130  # the exit status of a command stopped with Ctrl-C
UI_OUT = "out/ui"  # where the app builds when no --out is given


def fail(message: str) -> None:
    """Print one line for the user and exit non-zero."""
    errors.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(1)


@contextmanager
def stop_at_once_on_ctrl_c(message: str) -> Iterator[None]:
    """Within the block, Ctrl-C ends the process at once with ``message``, as a kill would.

    Unwinding would close files and the checkpoint database under worker threads still inside native
    code; every write is atomic and every step checkpointed, so stopping dead loses nothing.
    """

    def stop(signum: int, frame: object) -> None:
        os.write(2, f"error: {message}\n".encode())
        os._exit(INTERRUPTED)

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)  # callers in the same process (tests, scripts) get theirs back


@contextmanager
def reported_errors() -> Iterator[None]:
    """A WebAgentError becomes one `error:` line; anything else an 'internal error' line (traceback with WEBAGENT_DEBUG=1)."""
    try:
        yield
    except typer.Exit:
        raise
    except WebAgentError as exc:
        fail(str(exc))
    except Exception as exc:
        if os.environ.get("WEBAGENT_DEBUG"):
            raise
        fail(f"internal error, please report it: {type(exc).__name__}: {exc} (WEBAGENT_DEBUG=1 shows the traceback)")


def build_progress_shown_on(bar: Progress, task: TaskID) -> Callable[[BuildProgress], None]:
    """A build's progress callback that shows each step on ``bar``, in words ("Writing section ‘Pricing’")."""

    def show(step: BuildProgress) -> None:
        bar.update(
            task, description=step.words or step.node, completed=step.done, total=step.total, detail=step.detail[:60]
        )

    return show


def progress_bar() -> Progress:
    """The progress display of long commands: step, bar, done/total, elapsed time, detail."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description:<16}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.fields[detail]}"),
        console=console,
        transient=not console.is_terminal,
    )


def load_settings(config: Path | None, **overrides: object) -> Settings:
    """The settings of a command: the file, the environment, then the flags (``Settings.load``)."""
    from webagent.core.config import Settings

    return Settings.load(config, None, **overrides)  # None: the process's environment


def cache_setting(no_cache: bool) -> bool | None:
    """--no-cache as a settings override: False turns the media cache off, None leaves the setting as it is."""
    return False if no_cache else None


def read_prompt(prompt: str | None, prompt_file: Path | None) -> str:
    """The prompt from the argument or the file (exactly one of them)."""
    if prompt is not None and prompt_file is not None:
        raise BadPromptError("give the prompt as an argument or with --prompt-file, not both")
    if prompt_file is None:
        if prompt is None:
            raise BadPromptError('no prompt given: webagent build "a landing page for a bakery"')
        return prompt
    try:
        data = prompt_file.read_bytes()
    except OSError as exc:
        raise BadPromptError(f"cannot read {prompt_file}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadPromptError(
            f"{prompt_file} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def default_out_dir(prompt: str) -> Path:
    """out/<time>-<first words of the prompt>."""
    words = re.findall(r"[a-z0-9]+", prompt.lower())[:6]
    slug = "-".join(words)[:48] or "page"
    return Path("out") / f"{time.strftime('%Y%m%d-%H%M%S')}-{slug}"


def reflection_summary(record: RunRecord) -> str:
    """One line: the critic's score of the first render and of the kept page, and the rounds between."""
    if not record.rounds:
        return "reflection: no rounds"
    first, kept = record.rounds[0], [r for r in record.rounds if r.kept][-1]
    fixes = sum(len(r.fixes) for r in record.rounds)
    rolled_back = sum(not r.kept for r in record.rounds)
    return (
        f"reflection: score {first.score_after:.3f} → {kept.score_after:.3f} in {len(record.rounds) - 1} rounds "
        f"({fixes} fixes, {rolled_back} rolled back; critic={record.backends.get('critic', 'static')})"
    )


@app.command("build")
def build_command(
    prompt: Annotated[Optional[str], typer.Argument(help="the design prompt")] = None,
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="output folder (default: out/<time>-<words>)")
    ] = None,
    prompt_file: Annotated[
        Optional[Path], typer.Option("--prompt-file", help="read the prompt from a UTF-8 file")
    ] = None,
    seed: Annotated[Optional[int], typer.Option(help="seed for generated media")] = None,
    browser: Annotated[Optional[str], typer.Option(help="path to a Chromium binary")] = None,
    config: ConfigOption = None,
    planner: Annotated[Optional[str], typer.Option(help="auto, offline or llm")] = None,
    coder: Annotated[Optional[str], typer.Option(help="section writer: auto, offline or llm")] = None,
    image_backend: Annotated[
        Optional[str], typer.Option("--image", help="image backend: offline, openai or diffusers")
    ] = None,
    video_backend: Annotated[
        Optional[str], typer.Option("--video", help="video backend: offline, openai or diffusers")
    ] = None,
    chart_backend: Annotated[Optional[str], typer.Option("--chart", help="chart backend: auto, offline or llm")] = None,
    model: Annotated[Optional[str], typer.Option(help="chat model for planner, coder and judge")] = None,
    base_url: Annotated[
        Optional[str], typer.Option(help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="continue the interrupted build of --out (the prompt may be left out)")
    ] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Build a page from a design prompt and print where it is."""
    from webagent.engine.build import build

    with reported_errors():
        settings = load_settings(
            config,
            seed=seed,
            browser=browser,
            planner=planner,
            coder=coder,
            image_backend=image_backend,
            video_backend=video_backend,
            chart_backend=chart_backend,
            model=model,
            base_url=base_url,
            media_cache=cache_setting(no_cache),
        )
        if resume and out is None:
            raise ResumeError("--resume needs the --out folder of the interrupted build")
        text = "" if resume and prompt is None and prompt_file is None else read_prompt(prompt, prompt_file)
        out_dir = out or default_out_dir(text)
        with progress_bar() as bar:
            task = bar.add_task("planning", total=None, detail="")

            show = build_progress_shown_on(bar, task)
            with stop_at_once_on_ctrl_c(
                f"interrupted: `webagent build --resume --out {out_dir}` continues from the last finished step"
            ):
                result = build(text, out_dir, settings, on_progress=show, resume=resume)
    record = result.record
    console.print(f"[bold green]page:[/] {result.page}")
    console.print(f"backends: {escape(record.backend_summary())}")
    if record.models:
        console.print("models: " + ", ".join(f"{role}={where}" for role, where in record.models.items()))
        calls = record.model_calls
        console.print(
            f"model calls: {len(calls)} ({sum(c.input_tokens for c in calls)} tokens in, "
            f"{sum(c.output_tokens for c in calls)} out)"
        )
    colour = "green" if record.health.ok else "yellow"
    console.print(f"render health: [{colour}]{escape(record.health.summary())}[/]")
    console.print(reflection_summary(record))
    for warning in record.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    for shortfall in record.shortfalls:
        console.print(f"[yellow]not as asked:[/] {escape(shortfall.detail)}")
    resumed = f" (resumed {record.resumed} time{'s' * (record.resumed > 1)})" if record.resumed else ""
    console.print(f"built in {record.total_seconds:.1f} s{resumed}")


@app.command("doctor")
def doctor_command(config: ConfigOption = None) -> None:
    """Check Python, the browser, the chart runtime, ffmpeg, the backends and the model endpoints."""
    from webagent.doctor import role_backends, run_checks

    try:
        settings = load_settings(config)
    except WebAgentError as exc:
        fail(str(exc))
        return
    failed = False
    for check in run_checks(settings):
        mark = {"ok": "[green]ok  [/]", "warn": "[yellow]warn[/]", "fail": "[red]FAIL[/]"}[check.status]
        console.print(f"{mark} {check.name:<14} {check.detail}")
        failed |= check.status == "fail"
    console.print(backends_table(role_backends(settings)))
    if failed:
        raise typer.Exit(1)


def backends_table(roles: list[RoleStatus]) -> Table:
    """One row per backend of each role: * marks the one in use; what a backend that cannot run here needs."""
    table = Table(
        title="\nbackends on this install (* in use)",
        title_justify="left",
        caption="a role's own model server: WEBAGENT_<ROLE>_BASE_URL or WEBAGENT_<ROLE>_API_KEY (chart: the coder's)",
        caption_justify="left",
        box=None,
        pad_edge=False,
    )
    for header in ("role", "backend", "here", "detail"):
        table.add_column(header, no_wrap=header != "detail", overflow="fold")
    for role in roles:
        for index, backend in enumerate(role.backends):
            in_use = backend.name == role.in_use
            here = "[green]yes[/]" if backend.ready else "[red]no[/]" if in_use else "[yellow]no[/]"
            table.add_row(
                role.role if index == 0 else "",
                f"{backend.name} *" if in_use else backend.name,
                here,
                escape(backend.detail),
            )
    return table


def score_table(title: str, scores: dict) -> Table:
    """The six protocol scores and their average beside the deterministic metrics ('—': not asked for)."""
    from webagent.webbench.bench.report import METRICS, SCORES, cell

    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    for header, justify in (("score", "left"), ("", "right"), ("   deterministic", "left"), ("", "right")):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for score, metric in zip_longest(SCORES, METRICS, fillvalue=""):
        table.add_row(score, cell(score, scores.get(score)) or "—", f"   {metric}", cell(metric, scores.get(metric)))
    return table


@app.command("bench")
def bench_command(
    dataset: Annotated[Path, typer.Option("--dataset", help="JSON lines with file_id and input (or instruction)")],
    limit: Annotated[Optional[int], typer.Option(min=1, help="only the first N cases (after --ids)")] = None,
    ids: Annotated[Optional[str], typer.Option(help="only these file_ids, comma-separated: 001,007")] = None,
    jobs: Annotated[int, typer.Option(min=1, max=32, help="cases built and scored at once")] = 1,
    judge: JudgeOption = "static",
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="bench folder (default: out/bench-<dataset name>)")
    ] = None,
    pages: Annotated[
        Optional[Path], typer.Option(help="score DIR/<file_id>/index.html made elsewhere instead of building")
    ] = None,
    executor: Annotated[
        Optional[str],
        typer.Option(help="where cases run: local (threads, the default) or ray (Ray workers; the 'ray' extra)"),
    ] = None,
    ray_address: Annotated[
        Optional[str],
        typer.Option(help="Ray cluster for --executor ray (host:6379, ray://host:10001); default: a local Ray"),
    ] = None,
    config: ConfigOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Build and score every case of a dataset; resume where an interrupted run stopped."""
    from webagent.webbench.bench.dataset import load_dataset, select_cases
    from webagent.webbench.bench.report import cell, page_average, write_reports
    from webagent.webbench.bench.runner import PageFolderError, run_bench

    with reported_errors():
        settings = load_settings(
            config, media_cache=cache_setting(no_cache), executor=executor, ray_address=ray_address
        )
        wanted = [i.strip() for i in ids.split(",") if i.strip()] if ids else None
        cases = select_cases(load_dataset(dataset), ids=wanted, limit=limit)
        if pages is not None and not pages.is_dir():
            raise PageFolderError(f"--pages {pages} is not a folder")
        out_dir = out or Path("out") / f"bench-{dataset.stem}"
        with progress_bar() as bar:
            task = bar.add_task("bench", total=len(cases), detail="")

            def show(step: BenchProgress) -> None:
                if step.result is None:
                    detail = f"{step.done} already scored" if step.done else ""
                elif step.result.evaluation is None:
                    detail = f"{step.result.file_id} failed"
                else:
                    detail = f"{step.result.file_id} average {page_average(step.result.evaluation):.2f}"
                bar.update(task, completed=step.done, detail=detail)

            try:
                summary = run_bench(cases, out_dir, judge, settings, jobs=jobs, on_progress=show, pages_dir=pages)
            except KeyboardInterrupt:
                errors.print(
                    f"[bold red]error:[/] bench interrupted; the cases scored so far are in {escape(str(out_dir))}: "
                    "run the same command again to go on"
                )
                raise typer.Exit(INTERRUPTED) from None
        report = write_reports(out_dir)
    scored_now = len(summary.results) - summary.skipped
    console.print(
        f"[bold green]results:[/] {summary.results_path} ({scored_now} run now, "
        f"{summary.skipped} skipped: already scored"
        + (f"; {summary.dropped_lines} incomplete line dropped" if summary.dropped_lines else "")
        + ")"
    )
    console.print(f"summary: {report.summary_md}, {report.summary_csv}")
    console.print(f"report: {report.report_html}")
    console.print(f"judge: {', '.join(report.judges) or 'none'}; cases: {report.overall['status']}")
    console.print(score_table("benchmark (overall)", report.overall))
    console.print(
        f"seconds per page: build {cell('build_s', report.overall['build_s']) or '—'} "
        f"(p95 {cell('build_s', report.overall['build_s_p95']) or '—'}), "
        f"evaluation {cell('evaluation_s', report.overall['evaluation_s']) or '—'} "
        f"(p95 {cell('evaluation_s', report.overall['evaluation_s_p95']) or '—'}); "
        f"model calls per page {cell('model_calls', report.overall['model_calls']) or '—'}"
    )
    for result in summary.failed:
        console.print(f"[yellow]failed:[/] {result.file_id}: {escape(result.reason)}")
    for result in summary.results:
        if result.attempts > 1:
            console.print(f"[yellow]retried:[/] {result.file_id}: {result.attempts} runs (a Ray worker died under it)")


def eval_prompt(folder: Path, prompt: str | None, prompt_file: Path | None) -> str:
    """The prompt a page was made for: --prompt, --prompt-file, else the folder's prompt.txt."""
    if prompt is not None and prompt_file is not None:
        raise BadPromptError("give --prompt or --prompt-file, not both")
    if prompt is None and prompt_file is None:
        prompt_file = folder / "prompt.txt"
        if not prompt_file.is_file():
            raise BadPromptError(
                f"no prompt for {folder}: give --prompt TEXT or --prompt-file FILE, or write it to {prompt_file}"
            )
    return read_prompt(prompt, prompt_file)


def print_evaluation(evaluation: PageEvaluation) -> None:
    from webagent.webbench.bench.report import page_average

    scores = {**evaluation.scores.model_dump(), "average": page_average(evaluation), **evaluation.metrics.model_dump()}
    console.print(score_table(f"scores (judge: {evaluation.judge})", scores))
    for metric, missed in evaluation.metrics.details.items():
        if missed:
            console.print(f"[dim]{metric} missed: {escape('; '.join(missed))[:300]}[/]")


@app.command("eval")
def eval_command(
    folder: Annotated[Path, typer.Argument(help="a page folder with index.html (ours or another system's)")],
    prompt: Annotated[Optional[str], typer.Option(help="the design prompt the page was made for")] = None,
    prompt_file: Annotated[
        Optional[Path], typer.Option("--prompt-file", help="read the prompt from a UTF-8 file")
    ] = None,
    judge: JudgeOption = "static",
    config: ConfigOption = None,
) -> None:
    """Score one page folder; the evidence and evaluation.json go into FOLDER/evaluation/."""
    from webagent.engine.build import check_prompt
    from webagent.webbench.bench.runner import check_judge, check_page_folder, score_page

    with reported_errors():
        settings = load_settings(config)
        check_page_folder(folder)
        check_judge(judge, settings)
        text = check_prompt(eval_prompt(folder, prompt, prompt_file), settings)
        with BrowserSession(settings.browser) as session:
            _, evaluation = score_page(
                text, folder.resolve().name, folder, folder / "evaluation", judge, settings, session
            )
    print_evaluation(evaluation)
    console.print(f"[bold green]evaluation:[/] {folder / 'evaluation' / 'evaluation.json'}")


# --- changing a built page: edit, regenerate, reflect, history, restore -----------------------------

FolderArgument = Annotated[Path, typer.Argument(help="a page folder written by `webagent build`")]
CoderOption = Annotated[Optional[str], typer.Option(help="edit planner and section writer: auto, offline or llm")]
ImageOption = Annotated[Optional[str], typer.Option("--image", help="image backend: offline, openai or diffusers")]
VideoOption = Annotated[Optional[str], typer.Option("--video", help="video backend: offline, openai or diffusers")]
ChartOption = Annotated[Optional[str], typer.Option("--chart", help="chart backend: auto, offline or llm")]
ModelOption = Annotated[Optional[str], typer.Option(help="chat model for the coder and judge")]
BaseUrlOption = Annotated[Optional[str], typer.Option(help="OpenAI-compatible endpoint")]
FIXES_SHOWN = 3


def fix_line(fix: Fix, limit: int) -> str:
    """'action target: reason', the reason shortened to ``limit`` characters."""
    reason = " ".join(fix.reason.split())
    return f"{fix.action} {fix.target}: {reason if len(reason) <= limit else reason[: limit - 1] + '…'}"


def score_change(before: float | None, after: float) -> str:
    return f"{'—' if before is None else f'{before:.3f}'} → {after:.3f}"


def run_change(label: str, change: Callable[..., PageChange]) -> PageChange:
    """``change(on_progress=…)`` under the progress display."""
    with progress_bar() as bar:
        task = bar.add_task(label, total=None, detail="")
        return change(on_progress=build_progress_shown_on(bar, task))


def print_change(folder: Path, change: PageChange) -> None:
    """Each new round: what it changed and why, the score before → after; then warnings and where the page is."""
    from webagent.engine.pages import page_history

    for record in change.rounds:
        level = f", {record.level}" if record.level else ""
        verdict = "" if record.kept else " [yellow]rolled back[/]"
        console.print(
            f"round {record.number} ({record.origin}{level}): score "
            f"{score_change(record.score_before, record.score_after)}{verdict}"
        )
        for fix in record.fixes:
            console.print(f"  {escape(fix_line(fix, 120))}")
        if record.note:
            console.print(f"  [dim]{escape(record.note)}[/]")
    for warning in change.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    shown = page_history(folder).current
    console.print(
        f"[bold green]page:[/] {folder.resolve() / 'index.html'} (round {shown}; "
        f"`webagent history {folder}` lists the rounds)"
    )


@app.command("edit")
def edit_command(
    folder: FolderArgument,
    instruction: Annotated[
        str, typer.Argument(help='what to change: "make the hero darker and the chart a line chart"')
    ],
    config: ConfigOption = None,
    coder: CoderOption = None,
    chart_backend: ChartOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Change a built page as asked; only what the instruction names changes (a new round)."""
    from webagent.engine.edit import edit_page

    with reported_errors():
        settings = load_settings(
            config,
            coder=coder,
            chart_backend=chart_backend,
            model=model,
            base_url=base_url,
            media_cache=cache_setting(no_cache),
        )
        change = run_change("edit", lambda **progress: edit_page(folder, instruction, settings, **progress))
    print_change(folder, change)


@app.command("regenerate")
def regenerate_command(
    folder: FolderArgument,
    element: Annotated[
        str, typer.Option("--element", help="the element's id, e.g. hero-photo (a wrong id lists them)")
    ],
    prompt: Annotated[
        Optional[str], typer.Option("--prompt", help="a new prompt for it (default: same prompt, new seed)")
    ] = None,
    config: ConfigOption = None,
    image_backend: ImageOption = None,
    video_backend: VideoOption = None,
    chart_backend: ChartOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Make one image, video or chart of a built page again (a new round)."""
    from webagent.engine.edit import regenerate_element

    with reported_errors():
        settings = load_settings(
            config,
            image_backend=image_backend,
            video_backend=video_backend,
            chart_backend=chart_backend,
            model=model,
            base_url=base_url,
            media_cache=cache_setting(no_cache),
        )
        change = run_change(
            "regenerate", lambda **progress: regenerate_element(folder, element, prompt, settings, **progress)
        )
    print_change(folder, change)


@app.command("reflect")
def reflect_command(
    folder: FolderArgument,
    config: ConfigOption = None,
    coder: CoderOption = None,
    image_backend: ImageOption = None,
    video_backend: VideoOption = None,
    chart_backend: ChartOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Critique a built page again and reflect on it (element, container, page); the best round is kept."""
    from webagent.engine.edit import reflect_page

    with reported_errors():
        settings = load_settings(
            config,
            coder=coder,
            image_backend=image_backend,
            video_backend=video_backend,
            chart_backend=chart_backend,
            model=model,
            base_url=base_url,
            media_cache=cache_setting(no_cache),
        )
        change = run_change("reflect", lambda **progress: reflect_page(folder, settings, **progress))
    print_change(folder, change)


@app.command("history")
def history_command(folder: FolderArgument) -> None:
    """List a built page's rounds: what each changed and why, its scores, whether it was kept."""
    from webagent.engine.pages import page_history

    with reported_errors():
        history = page_history(folder)
    table = Table(box=None, pad_edge=False)
    for header, justify in (
        ("", "left"),
        ("round", "right"),
        ("origin", "left"),
        ("level", "left"),
        ("score", "right"),
        ("", "left"),
        ("fixes", "left"),
    ):
        table.add_column(header, justify=justify, no_wrap=header != "fixes")  # type: ignore[arg-type]
    for record in history.rounds:
        lines = [escape(fix_line(fix, 60)) for fix in record.fixes[:FIXES_SHOWN]]
        if len(record.fixes) > FIXES_SHOWN:
            lines.append(f"[dim]+{len(record.fixes) - FIXES_SHOWN} more[/]")
        table.add_row(
            "*" if record.number == history.current else "",
            str(record.number),
            record.origin,
            record.level or "—",
            score_change(record.score_before, record.score_after),
            "kept" if record.kept else "[yellow]rolled back[/]",
            "\n".join(lines) or "—",
        )
    console.print(table)
    console.print(f"* the folder shows round {history.current}; `webagent restore {folder} N` shows round N again")


@app.command("restore")
def restore_command(
    folder: FolderArgument,
    number: Annotated[int, typer.Argument(metavar="ROUND", help="a round number from `webagent history`")],
) -> None:
    """Make a built page exactly what it was at an earlier round (later rounds stay listed)."""
    from webagent.engine.edit import restore_page

    with reported_errors():
        record = restore_page(folder, number)
    console.print(
        f"[bold green]restored round {record.number}[/] ({record.origin}, score {record.score_after:.3f}): "
        f"{folder.resolve() / 'index.html'}"
    )


@app.command("ui")
def ui_command(
    port: Annotated[int, typer.Option(help="port of the app on 127.0.0.1")] = 8501,
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="folder the app builds into (default out/ui)")
    ] = None,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="open the app in a browser tab")] = True,
) -> None:
    """Open the Streamlit app: prompt, live build progress, preview, inspector, edits, scores, downloads."""
    from webagent.core.ownership import claim_output
    from webagent.ui.server import serve, streamlit_command

    with reported_errors():
        if importlib.util.find_spec("streamlit") is None:
            raise MissingExtraError("the app needs Streamlit: pip install 'mm-webagent[ui]'")
        app_spec = importlib.util.find_spec("webagent.ui.app")
        if app_spec is None or app_spec.origin is None:
            raise WebAgentError("the app is not installed with the package (webagent.ui.app is missing)")
        app_file = app_spec.origin
        root = claim_output(out or Path(os.environ.get("WEBAGENT_UI_OUT") or UI_OUT), "app")  # refused before it starts
        env = {**os.environ, "WEBAGENT_UI_OUT": str(root)}
        command = streamlit_command(sys.executable, app_file, port)
        url = f"http://127.0.0.1:{port}"
        console.print(f"[bold]mm-webagent app:[/] {url} (Ctrl+C stops it)")
    raise typer.Exit(serve(command, env, url, open_browser))
