"""The `webagent` command: a thin layer of argument parsing and printing over the library."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from webagent.build import Progress as BuildProgress
from webagent.build import build
from webagent.config import Settings
from webagent.doctor import run_checks
from webagent.errors import BadPromptError, WebAgentError

ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="settings file (TOML); default: ./webagent.toml")]

app = typer.Typer(add_completion=False, no_args_is_help=True, help="mm-webagent: a design prompt in, a multimodal web page out.")
console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str) -> None:
    """Print one line for the user and exit non-zero."""
    errors.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(1)


def read_prompt(prompt: str | None, prompt_file: Path | None) -> str:
    """The prompt from the argument or the file (exactly one of them)."""
    if prompt is not None and prompt_file is not None:
        raise BadPromptError("give the prompt as an argument or with --prompt-file, not both")
    if prompt_file is None:
        if prompt is None:
            raise BadPromptError("no prompt given: webagent build \"a landing page for a bakery\"")
        return prompt
    try:
        data = prompt_file.read_bytes()
    except OSError as exc:
        raise BadPromptError(f"cannot read {prompt_file}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadPromptError(f"{prompt_file} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def default_out_dir(prompt: str) -> Path:
    """out/<time>-<first words of the prompt>."""
    words = re.findall(r"[a-z0-9]+", prompt.lower())[:6]
    slug = "-".join(words)[:48] or "page"
    return Path("out") / f"{time.strftime('%Y%m%d-%H%M%S')}-{slug}"


@app.command("build")
def build_command(
    prompt: Annotated[Optional[str], typer.Argument(help="the design prompt")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="output folder (default: out/<time>-<words>)")] = None,
    prompt_file: Annotated[Optional[Path], typer.Option("--prompt-file", help="read the prompt from a UTF-8 file")] = None,
    seed: Annotated[Optional[int], typer.Option(help="seed for generated media")] = None,
    browser: Annotated[Optional[str], typer.Option(help="path to a Chromium binary")] = None,
    config: ConfigOption = None,
    planner: Annotated[Optional[str], typer.Option(help="auto, offline or llm")] = None,
    coder: Annotated[Optional[str], typer.Option(help="section writer: auto, offline or llm")] = None,
    image_backend: Annotated[Optional[str], typer.Option("--image", help="image backend: offline, openai or diffusers")] = None,
    video_backend: Annotated[Optional[str], typer.Option("--video", help="video backend: offline, openai or diffusers")] = None,
    chart_backend: Annotated[Optional[str], typer.Option("--chart", help="chart backend: auto, offline or llm")] = None,
    model: Annotated[Optional[str], typer.Option(help="chat model for planner, coder and judge")] = None,
    base_url: Annotated[Optional[str], typer.Option(help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1")] = None,
) -> None:
    """Build a page from a design prompt and print where it is."""
    try:
        settings = Settings.load(config, seed=seed, browser=browser, planner=planner, coder=coder,
                                 image_backend=image_backend, video_backend=video_backend, chart_backend=chart_backend,
                                 model=model, base_url=base_url)
        text = read_prompt(prompt, prompt_file)
        out_dir = out or default_out_dir(text)
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description:<16}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            TextColumn("[dim]{task.fields[detail]}"),
            console=console,
            transient=not console.is_terminal,
        ) as bar:
            task = bar.add_task("planning", total=None, detail="")

            def show(step: BuildProgress) -> None:
                bar.update(task, description=step.node, completed=step.done, total=step.total, detail=step.detail[:60])

            result = build(text, out_dir, settings, on_progress=show)
    except WebAgentError as exc:
        fail(str(exc))
        return
    except Exception as exc:
        if os.environ.get("WEBAGENT_DEBUG"):
            raise
        fail(f"internal error, please report it: {type(exc).__name__}: {exc} (WEBAGENT_DEBUG=1 shows the traceback)")
        return
    record = result.record
    console.print(f"[bold green]page:[/] {result.page}")
    console.print("backends: " + ", ".join(f"{role}={name}" for role, name in record.backends.items()))
    if record.models:
        console.print("models: " + ", ".join(f"{role}={where}" for role, where in record.models.items()))
        calls = record.model_calls
        console.print(f"model calls: {len(calls)} ({sum(c.input_tokens for c in calls)} tokens in, "
                      f"{sum(c.output_tokens for c in calls)} out)")
    colour = "green" if record.health.ok else "yellow"
    console.print(f"render health: [{colour}]{record.health.summary()}[/]")
    for warning in record.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    console.print(f"built in {record.total_seconds:.1f} s")


@app.command("doctor")
def doctor_command(config: ConfigOption = None) -> None:
    """Check Python, the browser, the chart runtime, ffmpeg, the backends and the model endpoints."""
    try:
        settings = Settings.load(config)
    except WebAgentError as exc:
        fail(str(exc))
        return
    failed = False
    for check in run_checks(settings):
        mark = {"ok": "[green]ok  [/]", "warn": "[yellow]warn[/]", "fail": "[red]FAIL[/]"}[check.status]
        console.print(f"{mark} {check.name:<14} {check.detail}")
        failed |= check.status == "fail"
    if failed:
        raise typer.Exit(1)
