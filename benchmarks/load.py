"""Load: `webagent bench --jobs N` over the dev prompts, offline: pages per minute, peak memory, cross-talk.

    .venv/bin/python benchmarks/load.py [--jobs 4] [--executor local ray] [--limit N] [--dataset ...]

Runs the real command in a child process with ``--no-cache`` (every page generated and rendered, as
in a first run), samples the memory of its whole process tree (Python, Playwright's driver and every
Chromium process) every 0.2 s, then checks that every case's files stayed in its own folder
(tests/isolation.py). With ``--executor local ray`` the same cases run both ways (the Ray run starts its own
local Ray, which its time includes), and the per-page build and evaluation times give a paper estimate of
pages per minute with N Ray workers of this machine's speed (N / seconds per page; the model API, the shared
storage and the driver are assumed not to be the limit). Prints a table and writes benchmarks/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from dev_set import ROOT, dev_rows, save_figures

sys.path.insert(0, str(ROOT))

from tests.isolation import bench_problems  # noqa: E402
from webagent.webbench.bench.dataset import load_dataset  # noqa: E402

MB = 1024 * 1024


class MemoryPeak:
    """The largest resident memory of a process and of its whole tree, sampled in the background."""

    def __init__(self, pid: int, every_s: float = 0.2) -> None:
        self.root = psutil.Process(pid)
        self.every_s, self.process_mb, self.tree_mb = every_s, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
                sizes = []
                for process in tree:
                    try:
                        sizes.append(process.memory_info().rss)
                    except psutil.NoSuchProcess:
                        pass
                self.process_mb = max(self.process_mb, sizes[0] / MB)
                self.tree_mb = max(self.tree_mb, sum(sizes) / MB)
            except psutil.NoSuchProcess:
                return
            self._stop.wait(self.every_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class MeasuredRun:
    """A child process run to its end: wall time, exit, the tail of its stderr on failure, peak memory."""

    wall_s: float
    exit_code: int
    error: str
    python_mb: float
    tree_mb: float


def measured_run(command: list[str]) -> MeasuredRun:
    """Run ``command``, timing it and sampling the memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = MemoryPeak(process.pid)
    _, stderr = process.communicate()
    peak.stop()
    return MeasuredRun(
        wall_s=time.perf_counter() - started,
        exit_code=process.returncode,
        error=stderr.strip()[-300:] if process.returncode else "",
        python_mb=peak.process_mb,
        tree_mb=peak.tree_mb,
    )


WORKERS_ESTIMATED = (4, 16, 64)


def run_bench(dataset: Path, bench: Path, jobs: int, executor: str) -> dict:
    """One `webagent bench` run: its figures and the cross-talk found."""
    run = measured_run(
        [
            str(ROOT / ".venv" / "bin" / "webagent"),
            "bench",
            "--dataset",
            str(dataset),
            "--out",
            str(bench),
            "--jobs",
            str(jobs),
            "--executor",
            executor,
            "--no-cache",
        ]
    )
    lines = [json.loads(line) for line in (bench / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    cases = load_dataset(dataset)
    done = [line for line in lines if line["status"] == "done"]
    page_s = sum(line["build_seconds"] + line["evaluation_seconds"] for line in done) / max(1, len(done))
    return {
        "executor": executor,
        "jobs": jobs,
        "seconds_per_page": round(page_s, 1),
        "estimated_pages_per_min": {n: round(n * 60 / page_s, 1) for n in WORKERS_ESTIMATED} if done else {},
        "cases": len(cases),
        "done": len(done),
        "failed": len(lines) - len(done),
        "exit_code": run.exit_code,
        "error": run.error,
        "wall_s": round(run.wall_s, 1),
        "pages_per_min": round(len(done) / run.wall_s * 60, 1),
        "peak_tree_rss_mb": round(run.tree_mb),
        "peak_python_rss_mb": round(run.python_mb),
        "cross_talk": bench_problems(bench, [c for c in cases if c.file_id in {d["file_id"] for d in done}]),
    }


def main() -> None:
    args, rows = dev_rows(
        __doc__.splitlines()[0],
        "load.json",
        more_arguments,
    )
    figures = []
    with tempfile.TemporaryDirectory(prefix="webagent-load-") as work:
        dataset = Path(work) / "dataset.jsonl"
        dataset.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        for executor in args.executor:
            for jobs in args.jobs:
                figures.append(run_bench(dataset, Path(work) / f"bench-{executor}-{jobs}", jobs, executor))
                report(figures[-1])
    save_figures(args.out, figures)


def more_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=int, nargs="+", default=[4])
    parser.add_argument("--executor", nargs="+", choices=("local", "ray"), default=["local"])


def report(row: dict) -> None:
    estimates = ", ".join(f"{n} workers {rate}" for n, rate in row["estimated_pages_per_min"].items())
    print(
        f"--executor {row['executor']} --jobs {row['jobs']}: {row['done']}/{row['cases']} pages in {row['wall_s']} s = "
        f"{row['pages_per_min']} pages/min ({row['seconds_per_page']} s of build and evaluation per page; "
        f"estimated pages/min with {estimates}); "
        f"peak RSS {row['peak_tree_rss_mb']} MB for the process tree ({row['peak_python_rss_mb']} MB Python); "
        f"cross-talk: {len(row['cross_talk'])} problems"
        + (f"; exit {row['exit_code']}: {row['error']}" if row["exit_code"] else ""),
        flush=True,
    )


if __name__ == "__main__":
    main()
