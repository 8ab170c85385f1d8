"""What the app keeps between reruns: settings typed in the session, and long jobs run in a background thread."""

from __future__ import annotations

import re
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import SecretStr

from webagent.core.config import Settings
from webagent.core.errors import WebAgentError
from webagent.core.ownership import owns, prepare_output
from webagent.engine.build import Progress

KEY_ROLES = ("api_key", "judge_api_key", "image_api_key", "video_api_key")
JobStatus = Literal["running", "done", "cancelled", "failed"]


class JobCancelled(Exception):
    """Raised inside a job's progress callback once the person has pressed Cancel."""


def user_message(exc: BaseException) -> str:
    """One line a person can act on, never a stack trace."""
    if isinstance(exc, JobCancelled):
        return "cancelled: nothing was written"
    if isinstance(exc, WebAgentError):
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"unexpected error ({type(exc).__name__}): {first}" if first else f"unexpected error ({type(exc).__name__})"


@dataclass
class Step:
    """One step of a job that started or finished, as the progress display shows it."""

    node: str
    done: int
    total: int
    detail: str
    seconds: float
    started: bool = False
    words: str = ""  # "Writing section ‘Pricing’"


@dataclass
class Job:
    """A build, edit, regeneration or scoring running in a background thread; the app polls it."""

    label: str
    out_dir: Path
    steps: list[Step] = field(default_factory=list)
    status: JobStatus = "running"
    error: str = ""
    result: Any = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    cancel_requested: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def on_progress(self, progress: Progress) -> None:
        """The library's progress callback: record the step, or stop the job when cancelled."""
        if self.cancel_requested.is_set():
            raise JobCancelled()
        self.steps.append(
            Step(
                progress.node,
                progress.done,
                progress.total,
                progress.detail,
                round(time.monotonic() - self.started, 2),
                progress.started,
                progress.words or progress.node,
            )
        )

    @property
    def doing(self) -> str:
        """What the job is doing now, in words: the last step that started, else the last that finished."""
        current = next((step for step in reversed(self.steps) if step.started), None) or (self.steps or [None])[-1]
        return current.words if current else "Starting"

    @property
    def fraction(self) -> float:
        if self.status == "done":
            return 1.0
        if not self.steps:
            return 0.0
        last = self.steps[-1]
        return min(0.99, last.done / max(last.total, 1))

    @property
    def seconds(self) -> float:
        """Seconds the job ran (so far, while it runs)."""
        return (self.finished or time.monotonic()) - self.started

    def cancel(self) -> None:
        self.cancel_requested.set()


def start_job(label: str, out_dir: Path, work: Callable[[Job], Any]) -> Job:
    """Run ``work(job)`` in a daemon thread; its outcome lands in ``job.status``, ``result`` and ``error``."""
    job = Job(label=label, out_dir=out_dir)

    def run() -> None:
        try:
            job.result = work(job)
            job.status = "cancelled" if job.cancel_requested.is_set() and job.result is None else "done"
        except JobCancelled as exc:
            job.status, job.error = "cancelled", user_message(exc)
        except Exception as exc:  # shown to the person as one line; the trace goes to the server log only
            job.status, job.error = "failed", user_message(exc)
            traceback.print_exc()
        finally:
            job.finished = time.monotonic()

    job.thread = threading.Thread(target=run, name=f"webagent-ui-{label}", daemon=True)
    job.thread.start()
    return job


def make_settings(choices: dict[str, Any], keys: dict[str, str]) -> Settings:
    """Settings from the config file and environment, with the app's choices and session keys on top."""
    overrides = {name: value for name, value in choices.items() if value not in (None, "")}
    overrides.update({role: SecretStr(value) for role, value in keys.items() if value})
    return Settings.load(None, **overrides)


def build_folder(root: Path, prompt: str) -> Path:
    """A folder no build has used yet under the app's folder ``root`` (made and marked now; refused when it
    is a folder webagent did not write): a slug of the prompt's first words and the time."""
    root = prepare_output(root, "app")
    slug = "-".join(re.findall(r"[a-z0-9]+", prompt.lower())[:6])[:48] or "page"
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-{slug}"
    taken = {entry.name for entry in root.iterdir()}
    return root / next(
        f"{name}{suffix}"
        for suffix in ("", *(f"-{n}" for n in range(2, len(taken) + 3)))
        if not ({f"{name}{suffix}", f".{name}{suffix}.building"} & taken)
    )


def earlier_builds(root: Path) -> list[Path]:
    """Finished page folders webagent wrote under ``root``, newest first."""
    if not root.is_dir():
        return []
    found = [
        p for p in root.iterdir() if not p.name.startswith(".") and owns(p, "page") and (p / "index.html").is_file()
    ]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
