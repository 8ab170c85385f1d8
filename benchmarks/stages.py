"""Offline builds over the MM-WebGEN-Bench dev prompts: seconds per stage (p50, p95), peak memory, warm evaluation.

    .venv/bin/python benchmarks/stages.py [--dataset ../shared/bench/mm-webgen-bench-dev.jsonl] [--limit N]

All builds run in one process with one Chromium (one BrowserSession), with the default settings (reflection on)
and the media cache off, so every build is cold.
Per stage, from run.json and source.json: the plan, local planning, each asset kind (GeneratedAsset.seconds),
writing sections, collect + assemble, render, evaluate, reflection (the rounds after 0, as reflection_dev.py
reads them) and finish. run.json sums a node's parallel tasks, so those figures are task time, not wall time;
the build's wall time is measured around ``build``. Then every built page is loaded again with the browser warm
(collect_evidence + deterministic_metrics, as offline_dev.py does) and that pass is split into page load,
page scripts, resize waits, screenshots, crops, video frames and the rest by timing webagent.webbench.evaluation.evidence's steps
from outside.
Prints a table and writes benchmarks/results/stages.json. Not a test: it measures.
"""

from __future__ import annotations

import os
import resource
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
from dev_set import dev_rows, save_figures
from offline_dev import percentile, planned_elements
from playwright.sync_api import Page

import webagent.webbench.evaluation.evidence as evidence_module
from webagent.core.assemble import SOURCE_FILE
from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.source import PageSource
from webagent.engine.build import BuildResult, build
from webagent.webbench.evaluation.evidence import collect_evidence
from webagent.webbench.evaluation.metrics import deterministic_metrics

MB = 1024 * 1024
NODE_STAGES = {
    "plan": ("plan_global",),
    "local_planning": ("plan_sections",),
    "design_system": ("design_system",),
    "assets_task_sum": ("generate_assets",),
    "write_sections": ("write_sections",),
    "collect_assemble": ("collect", "assemble"),
    "render": ("render",),
    "evaluate": ("evaluate",),
    "finish": ("finish",),
}
ASSET_KINDS = ("image", "video", "chart")
EVIDENCE_STEPS = ("page_load", "page_scripts", "resize_waits", "screenshots", "crops", "video_frames")


class ChildrenPeak:
    """The largest summed resident memory of this process's children (Playwright's driver and Chromium)."""

    def __init__(self, every_s: float = 0.2) -> None:
        self.me, self.every_s, self.peak_mb = psutil.Process(os.getpid()), every_s, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            for child in self.me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            self.peak_mb = max(self.peak_mb, total / MB)
            self._stop.wait(self.every_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def build_stages(result: BuildResult, wall_s: float) -> dict[str, float]:
    """Seconds per stage of one build: node task time from run.json, asset kinds from source.json."""
    nodes = {t.node: t.seconds for t in result.record.timings}
    stages = {name: sum(nodes.get(node, 0.0) for node in group) for name, group in NODE_STAGES.items()}
    source = PageSource.model_validate_json((result.out_dir / SOURCE_FILE).read_text(encoding="utf-8"))
    for kind in ASSET_KINDS:  # only the kinds the page has, so that pages without them do not pull p50 to 0
        made = [a.seconds for a in source.assets.values() if a.kind == kind]
        if made:
            stages[f"asset_{kind}"] = sum(made)
    stages["reflect_rounds"] = sum(r.seconds for r in result.record.rounds if r.number > 0)
    stages["total_task_sum"] = sum(nodes.values())
    stages["total_wall"] = wall_s
    stages["wall_without_reflection"] = wall_s - stages["reflect_rounds"]
    return {name: round(value, 4) for name, value in stages.items()}


@contextmanager
def timed_evidence_steps(spent: dict[str, float]) -> Iterator[None]:
    """Add the seconds of collect_evidence's page load, page scripts, resize waits, screenshots, crops and video
    frames to ``spent`` while
    inside, by wrapping those steps from outside (webagent.webbench.evaluation.evidence's helpers and Playwright's Page.evaluate)."""
    inside: list[str] = []  # only the outermost timed step counts: _settle's own waits belong to page_load

    def timed(step: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            if inside:
                return function(*args, **kwargs)
            inside.append(step)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[step] += time.perf_counter() - started
                inside.pop()

        return run

    targets = [
        (evidence_module, "_load", "page_load"),
        (evidence_module, "_settle", "page_load"),
        (evidence_module, "_full_page_png", "screenshots"),
        (Page, "evaluate", "page_scripts"),
        (evidence_module, "_after_resize", "resize_waits"),
        (evidence_module, "crop_elements", "crops"),
        (evidence_module, "_video_frames", "video_frames"),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in targets]
    for owner, name, step in targets:
        setattr(owner, name, timed(step, getattr(owner, name)))
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def warm_evaluation(session: BrowserSession, built: list[tuple[str, BuildResult]], tmp: Path) -> list[dict[str, float]]:
    """Render + deterministic evaluation of each (prompt, built page) again, the browser warm: seconds, by step."""
    passes = []
    for index, (prompt, result) in enumerate(built):
        spent: dict[str, float] = defaultdict(float)
        with timed_evidence_steps(spent):
            started = time.perf_counter()
            evidence = collect_evidence(session, result.out_dir, tmp / f"evidence-{index}")
            collected = time.perf_counter()
            deterministic_metrics(evidence, prompt, planned_elements(result.plan))
            finished = time.perf_counter()
        row = {
            "total": finished - started,
            "metrics": finished - collected,
            **{step: spent[step] for step in EVIDENCE_STEPS},
        }
        row["rest_of_evidence"] = row["total"] - row["metrics"] - sum(spent[step] for step in EVIDENCE_STEPS)
        passes.append({name: round(value, 4) for name, value in row.items()})
    return passes


def spread(rows: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """p50 and p95 of every key over the rows that have it, and how many do."""
    keys = list(dict.fromkeys(key for row in rows for key in row))
    figures = {}
    for key in keys:
        values = [row[key] for row in rows if key in row]
        figures[key] = {
            "p50": round(percentile(values, 0.5), 3),
            "p95": round(percentile(values, 0.95), 3),
            "n": len(values),
        }
    return figures


def print_spread(title: str, figures: dict[str, dict[str, float]]) -> None:
    print(f"\n{title:<28} {'p50 s':>8} {'p95 s':>8} {'pages':>6}")
    for name, value in figures.items():
        print(f"{name:<28} {value['p50']:8.3f} {value['p95']:8.3f} {value['n']:6d}")


def main() -> None:
    args, rows = dev_rows(__doc__.splitlines()[0], "stages.json")

    pages, built = [], []
    chromium = ChildrenPeak()
    with BrowserSession() as session, tempfile.TemporaryDirectory(prefix="webagent-stages-") as work:
        for row in rows:
            started = time.perf_counter()
            result = build(row["input"], Path(work) / row["file_id"], Settings(media_cache=False), browser=session)
            stages = build_stages(result, time.perf_counter() - started)
            built.append((row["input"], result))
            pages.append(
                {
                    "id": row["file_id"],
                    "sections": len(result.plan.sections),
                    "media": len(result.plan.assets),
                    "stages": stages,
                }
            )
            print(
                f"{row['file_id']:>5}  {len(result.plan.sections):2d} sections  {len(result.plan.assets):2d} media  "
                f"{stages['total_wall']:6.2f} s wall  reflection {stages['reflect_rounds']:5.2f} s",
                flush=True,
            )
        evaluations = warm_evaluation(session, built, Path(work))
    chromium.stop()

    summary = {
        "pages": len(pages),
        "stages": spread([p["stages"] for p in pages]),
        "warm_render_and_evaluation": spread(evaluations),
        "peak_rss_mb_python": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_mb_chromium": round(chromium.peak_mb, 1),
    }
    print_spread("build stage (task-summed)", summary["stages"])
    print_spread("warm render + evaluation", summary["warm_render_and_evaluation"])
    print(
        f"\npeak RSS: {summary['peak_rss_mb_python']} MB Python, {summary['peak_rss_mb_chromium']} MB "
        "Playwright driver + Chromium"
    )
    save_figures(args.out, {"summary": summary, "pages": pages, "warm_evaluations": evaluations})


if __name__ == "__main__":
    main()
