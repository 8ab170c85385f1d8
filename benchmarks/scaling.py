"""Scaling: time and peak memory of one offline build as the page grows (sections, media elements, prompt size).

    .venv/bin/python benchmarks/scaling.py [--sections 5 10 20 40] [--media 0 5 10 20] [--kb 1 10 100]

Three sweeps over synthetic prompts, one dimension at a time: sections (no media), media elements (images,
videos and charts in turn, on 10 sections) and prompt size (5 sections, 5 media, padded with more copy to the
size). Each point is one cold `webagent build --no-cache` in a fresh child process, so its peak RSS is its own
(Python, and the whole tree with Chromium). The offline planner decides what the page holds, so the planned
sections and media are read back from plan.json and printed beside each point. Prints a table with seconds
per section, per planned element and per KB, and writes benchmarks/results/scaling.json. Not a test: it measures.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from dev_set import RESULTS, ROOT, save_figures
from load import measured_run

from tests.synthetic_prompts import synthetic_prompt
from webagent.core.assemble import PLAN_FILE
from webagent.core.contracts import PagePlan
from webagent.core.records import RunRecord

MEDIA_BASE_SECTIONS, SIZE_BASE = 10, (5, 5)


def measure_point(sweep: str, sections: int, media: int, min_bytes: int, work: Path) -> dict:
    """One cold offline build of the synthetic prompt in a child process: wall seconds, peak RSS, what was planned."""
    prompt = synthetic_prompt(sections, media, min_bytes)
    name = f"{sweep}-{sections}s-{media}m-{min_bytes}b"
    prompt_file, out = work / f"{name}.txt", work / name
    prompt_file.write_text(prompt, encoding="utf-8")
    command = [
        str(ROOT / ".venv" / "bin" / "webagent"),
        "build",
        "--prompt-file",
        str(prompt_file),
        "--out",
        str(out),
        "--planner",
        "offline",
        "--coder",
        "offline",
        "--no-cache",
    ]
    run = measured_run(command)
    point = {
        "sweep": sweep,
        "asked_sections": sections,
        "asked_media": media,
        "prompt_kb": round(len(prompt.encode()) / 1024, 1),
        "wall_s": round(run.wall_s, 3),
        "peak_python_rss_mb": round(run.python_mb),
        "peak_tree_rss_mb": round(run.tree_mb),
        "exit_code": run.exit_code,
        "error": run.error,
    }
    if run.exit_code == 0:
        plan = PagePlan.model_validate_json((out / PLAN_FILE).read_text(encoding="utf-8"))
        record = RunRecord.model_validate_json((out / "run.json").read_text(encoding="utf-8"))
        point |= {
            "planned_sections": len(plan.sections),
            "planned_media": len(plan.assets),
            "reflect_s": round(sum(r.seconds for r in record.rounds if r.number > 0), 3),
        }
    return point


def print_point(point: dict) -> None:
    """One table row: what was asked and planned, the time, the memory and the time per unit of growth."""
    if point["exit_code"]:
        print(
            f"{point['sweep']:>8}  {point['asked_sections']:3d}s {point['asked_media']:3d}m "
            f"{point['prompt_kb']:6.1f} KB  failed: {point['error']}",
            flush=True,
        )
        return

    def per(units: float) -> float:
        return point["wall_s"] / units if units else float("nan")

    print(
        f"{point['sweep']:>8}  {point['asked_sections']:3d}→{point['planned_sections']:<3d} "
        f"{point['asked_media']:3d}→{point['planned_media']:<3d} {point['prompt_kb']:6.1f}  {point['wall_s']:7.2f} "
        f"{point['reflect_s']:6.2f}  {per(point['planned_sections']):7.3f} {per(point['planned_media']):7.3f} "
        f"{per(point['prompt_kb']):7.3f}  {point['peak_python_rss_mb']:6d} {point['peak_tree_rss_mb']:6d}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, nargs="*", default=[5, 10, 20, 40], help="points of the sections sweep")
    parser.add_argument("--media", type=int, nargs="*", default=[0, 5, 10, 20], help="points of the media sweep")
    parser.add_argument("--kb", type=int, nargs="*", default=[1, 10, 100], help="points of the prompt size sweep (KB)")
    parser.add_argument("--out", type=Path, default=RESULTS / "scaling.json")
    args = parser.parse_args()

    plan = (
        [("sections", n, 0, 0) for n in args.sections]
        + [("media", MEDIA_BASE_SECTIONS, n, 0) for n in args.media]
        + [("size", *SIZE_BASE, kb * 1024) for kb in args.kb]
    )
    print(
        f"{'sweep':>8}  {'sections':>7} {'media':>7} {'KB':>6}  {'wall s':>7} {'refl s':>6}  {'s/sect':>7} "
        f"{'s/elem':>7} {'s/KB':>7}  {'py MB':>6} {'treeMB':>6}"
    )
    points = []
    with tempfile.TemporaryDirectory(prefix="webagent-scaling-") as work:
        for sweep, sections, media, min_bytes in plan:
            points.append(measure_point(sweep, sections, media, min_bytes, Path(work)))
            print_point(points[-1])
    print("(asked→planned, the planner's header and footer included; times are whole builds, reflection included)")
    save_figures(args.out, points)


if __name__ == "__main__":
    main()
