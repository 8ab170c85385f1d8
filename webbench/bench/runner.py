"""The benchmark runner: for every case, build (or take) its page, load it once in Chromium, score it,
and append one line to ``results.jsonl``.

A bench folder::

    <out>/results.jsonl                      one complete line per scored case (appended, synced)
    <out>/cases/<file_id>/page/              the page we built (absent with ``pages_dir``)
    <out>/cases/<file_id>/evaluation/        screenshots, crops, frames, evaluation.json

An interrupted run resumes: finished cases are skipped, a cut-off last line is dropped, and
failed cases are tried again.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.contracts import Contract
from webagent.core.errors import (
    BrowserMissingError,
    ChartRuntimeMissingError,
    MissingExtraError,
    ModelAccessError,
    OutputDirError,
    SettingsError,
    WebAgentError,
)
from webagent.core.files import atomic_write_text
from webagent.core.ownership import prepare_output
from webagent.core.records import RunRecord
from webagent.engine.build import build
from webagent.webbench.bench.dataset import BenchCase
from webagent.webbench.evaluation.contracts import PageEvaluation, PageEvidence
from webagent.webbench.evaluation.evaluate import evaluate_page, open_judge
from webagent.webbench.evaluation.evidence import collect_evidence

RESULTS = "results.jsonl"
# Errors that would fail every case the same way: they stop the run instead of being logged per case.
FATAL_ERRORS = (BrowserMissingError, ChartRuntimeMissingError, MissingExtraError, ModelAccessError, SettingsError)


class PageFolderError(WebAgentError):
    """A page folder to score has no page, or a run record that cannot be read."""


class BenchFolderError(WebAgentError):
    """The bench folder holds results that cannot be continued with these options."""


class BenchResult(Contract):
    """One line of results.jsonl: how one case went and, when it was scored, its evaluation."""

    file_id: str
    status: Literal["done", "failed"]
    reason: str = ""
    judge: str
    page: str
    screenshot: str = ""
    build_seconds: float | None = None
    build_model_calls: int | None = None
    evaluation_seconds: float = 0.0
    evaluation: PageEvaluation | None = None
    attempts: int = Field(1, ge=1, description="runs of this case: more than one when a Ray worker died under it")

    @property
    def model_calls(self) -> int | None:
        """Model calls for this page: the build's (when we built it) plus the judge's."""
        if self.evaluation is None:
            return self.build_model_calls
        return (self.build_model_calls or 0) + len(self.evaluation.model_calls)


@dataclass
class SavedResults:
    """What results.jsonl holds: the last complete line of each case (in file order) and the rest."""

    results: dict[str, BenchResult]
    lines: int
    unreadable: int


@dataclass
class BenchProgress:
    """The run so far: ``result`` is the case that just finished (None for the first report)."""

    done: int
    total: int
    result: BenchResult | None = None


@dataclass
class BenchSummary:
    """One run: every selected case's result in dataset order, and what the resume skipped."""

    results: list[BenchResult]
    skipped: int
    dropped_lines: int
    results_path: Path

    @property
    def failed(self) -> list[BenchResult]:
        return [r for r in self.results if r.status == "failed"]


def read_results(path: Path) -> SavedResults:
    """The complete lines of ``path``; a line that is cut off or unreadable is counted, not kept."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return SavedResults({}, 0, 0)
    except OSError as exc:
        raise OutputDirError(f"cannot read {path}: {exc.strerror or exc}") from None
    *complete, tail = text.split("\n")  # not splitlines(): U+2028 and friends may sit inside a JSON string
    results: dict[str, BenchResult] = {}
    lines, unreadable = 0, int(bool(tail.strip()))  # a last line without its newline was cut off
    for line in complete:
        if not line.strip():
            continue
        try:
            result = BenchResult.model_validate_json(line)
        except ValueError:  # pydantic's ValidationError is one too
            unreadable += 1
            continue
        lines += 1
        results.pop(result.file_id, None)
        results[result.file_id] = result
    return SavedResults(results, lines, unreadable)


class ResultsLog:
    """results.jsonl: appended one whole line at a time, under a lock, flushed and synced to disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, result: BenchResult) -> None:
        line = (result.model_dump_json() + "\n").encode("utf-8")
        with self._lock, open(self.path, "ab") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def resume(self, cases: list[BenchCase], judge: str) -> tuple[dict[str, BenchResult], int]:
        """The finished results of ``cases`` and how many unreadable lines were dropped.

        The file is rewritten (atomically) without unreadable lines and without the failed
        results of ``cases``, which this run tries again; other cases' lines are kept.
        """
        saved = read_results(self.path)
        other = sorted({r.judge for r in saved.results.values()} - {judge})
        if other:
            raise BenchFolderError(
                f"{self.path} holds results of judge {other[0]!r}, not {judge!r}: "
                f"run with --judge {other[0]} or use another --out folder"
            )
        selected = {case.file_id for case in cases}
        keep = [r for r in saved.results.values() if r.status == "done" or r.file_id not in selected]
        if saved.unreadable or len(keep) != saved.lines:
            atomic_write_text(self.path, "".join(r.model_dump_json() + "\n" for r in keep))
        finished = {r.file_id: r for r in keep if r.status == "done" and r.file_id in selected}
        return finished, saved.unreadable


def one_line(error: Exception) -> str:
    """The first line of an error's message (its type when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def is_finished_page(folder: Path) -> bool:
    """A page our build completed: the build moves index.html and run.json into place together."""
    return (folder / "index.html").is_file() and (folder / "run.json").is_file()


def read_run_record(folder: Path) -> RunRecord:
    path = folder / "run.json"
    try:
        return RunRecord.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise PageFolderError(f"cannot read {path}: {one_line(exc)}") from None


def check_judge(judge: str, settings: Settings) -> None:
    """Refuse a judge that cannot run (a model without a server) before any page is built."""
    with open_judge(judge, settings):
        pass


def check_page_folder(page: Path) -> None:
    if not (page / "index.html").is_file():
        raise PageFolderError(f"{page} has no index.html")


def score_page(
    prompt: str, file_id: str, page: Path, evidence_dir: Path, judge: str, settings: Settings, session: BrowserSession
) -> tuple[PageEvidence, PageEvaluation]:
    """Load ``page`` in Chromium once and score it; evidence and evaluation.json go into ``evidence_dir``
    (missing, empty or an evaluation folder webagent wrote: ``prepare_output``)."""
    check_page_folder(page)
    evidence_dir = prepare_output(evidence_dir, "evaluation")
    evidence = collect_evidence(session, page, evidence_dir)
    return evidence, evaluate_page(prompt, file_id, evidence, evidence_dir, judge, settings)


@dataclass(frozen=True)
class CaseSetup:
    """What every case of one run shares, wherever it runs: absolute folders, the judge and the settings."""

    bench_dir: Path
    judge: str
    settings: Settings
    pages_dir: Path | None

    def page_folder(self, case: BenchCase) -> Path:
        if self.pages_dir is not None:
            return self.pages_dir / case.file_id
        return self.bench_dir / "cases" / case.file_id / "page"

    def relative(self, path: Path) -> str:
        """``path`` as a link from the bench folder (where the reports are)."""
        return Path(os.path.relpath(path.resolve(), self.bench_dir.resolve())).as_posix()

    def failed(self, case: BenchCase, reason: str, attempts: int = 1) -> BenchResult:
        """The result line of a case that could not be scored."""
        return BenchResult(
            file_id=case.file_id,
            status="failed",
            judge=self.judge,
            page=self.relative(self.page_folder(case)),
            reason=reason,
            attempts=attempts,
        )


@dataclass
class CaseRun:
    """One run's cases in one process: the setup and the browser this process keeps warm."""

    setup: CaseSetup
    session: BrowserSession

    def build_page(self, case: BenchCase, page: Path) -> RunRecord | None:
        """Our page for ``case`` (built now unless a finished one is there) and its run record."""
        if self.setup.pages_dir is not None:
            return None
        if not is_finished_page(page):  # a build a killed run left half-way goes on from its last step
            build(case.prompt, page, self.setup.settings, browser=self.session, resume=True)
        return read_run_record(page)

    def run(self, case: BenchCase) -> BenchResult:
        """Build and score one case; a WebAgentError makes it a failed case (the caller logs either)."""
        setup = self.setup
        page = setup.page_folder(case)
        evidence_dir = setup.bench_dir / "cases" / case.file_id / "evaluation"
        line = setup.failed(case, "")
        stage = "build"
        try:
            record = self.build_page(case, page)
            if record is not None:
                line.build_seconds = record.total_seconds
                line.build_model_calls = len(record.model_calls)
            stage = "evaluation"
            started = time.perf_counter()
            evidence, evaluation = score_page(
                case.prompt, case.file_id, page, evidence_dir, setup.judge, setup.settings, self.session
            )
            line.evaluation_seconds = round(time.perf_counter() - started, 3)
            line.screenshot = setup.relative(evidence_dir / evidence.screenshot)
            line.evaluation = evaluation
            line.status = "done"
        except FATAL_ERRORS:
            raise
        except WebAgentError as exc:
            line.reason = f"{stage}: {one_line(exc)}"
        return line


def run_bench(
    cases: list[BenchCase],
    out_dir: Path,
    judge: str,
    settings: Settings,
    jobs: int = 1,
    on_progress: Callable[[BenchProgress], None] | None = None,
    pages_dir: Path | None = None,
) -> BenchSummary:
    """Score every case into ``out_dir``, ``jobs`` at a time, resuming what an earlier run left.

    With ``pages_dir`` the pages are ``pages_dir/<file_id>/index.html`` made by another system:
    nothing is built, the same instrument scores them. ``settings.executor`` says where cases run: threads
    here, or Ray workers (``on_ray``); either way this process is the only writer of results.jsonl.
    """
    check_judge(judge, settings)
    out_dir = prepare_output(out_dir, "bench")  # a new or empty folder, or a bench folder webagent wrote
    log = ResultsLog(out_dir / RESULTS)
    finished, dropped = log.resume(cases, judge)
    results = dict(finished)
    total = len(cases)
    if on_progress:
        on_progress(BenchProgress(len(results), total))

    def record(result: BenchResult) -> None:
        log.append(result)
        results[result.file_id] = result
        if on_progress:
            on_progress(BenchProgress(len(results), total, result))

    todo = [case for case in cases if case.file_id not in finished]
    if todo:
        setup = CaseSetup(out_dir.resolve(), judge, settings, pages_dir.resolve() if pages_dir else None)
        if settings.executor == "ray":
            from webagent.webbench.bench.on_ray import run_on_ray

            run_on_ray(todo, setup, jobs, record)
        else:
            run_in_threads(todo, setup, jobs, record)
    return BenchSummary(
        results=[results[c.file_id] for c in cases], skipped=len(finished), dropped_lines=dropped, results_path=log.path
    )


def run_in_threads(cases: list[BenchCase], setup: CaseSetup, jobs: int, record: Callable[[BenchResult], None]) -> None:
    """The local executor: ``jobs`` threads sharing one browser; results are recorded by the calling thread."""
    with BrowserSession(setup.settings.browser) as session:
        session.warm_up()
        run = CaseRun(setup, session)
        pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="bench")
        try:
            for future in as_completed([pool.submit(run.run, case) for case in cases]):
                record(future.result())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
