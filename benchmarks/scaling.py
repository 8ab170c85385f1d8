"""Scaling: time and peak memory of one offline build as the page grows (sections, media, prompt size, table rows).

    .venv/bin/python benchmarks/scaling.py [--sections 10 100 1000 10000] [--media 0 5 10 20] [--kb 1 10 100 1000]
                                           [--rows 10 1000 10000 100000] [--missing 100 1000 10000]

Four sweeps over synthetic prompts, one dimension at a time: sections (no media), media elements (images,
videos and charts in turn, on 10 sections), prompt size (5 sections, 5 media, padded with more copy to the
size) and the rows of one markdown table a chart draws. Each point is one cold `webagent build --no-cache` in a
fresh child process, so its peak RSS is its own (Python, and the whole tree with Chromium); the children may
take prompts up to 50 MB (WEBAGENT_MAX_PROMPT_BYTES), so that the large points are built rather than refused.
The offline planner decides what the page holds, so the planned sections and media are read back from plan.json
and printed beside each point, with the seconds of the evaluation (render and critique of the first round) and
the count of table rows the build report says were left out. Prints a table and writes
benchmarks/results/scaling.json. Not a test: it measures.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

from dev_set import RESULTS, ROOT, figures_file, save_figures
from load import measured_run

from tests.synthetic_prompts import synthetic_prompt, table_prompt
from webagent.core.assemble import PLAN_FILE
from webagent.core.contracts import PagePlan
from webagent.core.prompt_text import read_part
from webagent.core.records import RunRecord
from webagent.core.source import PageSource
from webagent.planners.offline import compile_prompt
from webagent.reflection.page_rules import restore_fixes
from webagent.webbench.evaluation.metrics import quoted_strings

MEDIA_BASE_SECTIONS, SIZE_BASE = 10, (5, 5)
CHILD_PROMPT_LIMIT = "50000000"
LEFT_OUT = re.compile(r"([\d,]+) table rows?")  # the build report's "N table rows of the prompt lie past …"


def measure_point(sweep: str, sections: int, media: int, size: int, work: Path) -> dict:
    """One cold offline build of the synthetic prompt in a child process: wall seconds, peak RSS, what was planned.
    ``size`` is the prompt's least size in bytes, or for the rows sweep its table's rows."""
    prompt = table_prompt(size) if sweep == "rows" else synthetic_prompt(sections, media, size)
    name = f"{sweep}-{sections}s-{media}m-{size}"
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
    os.environ["WEBAGENT_MAX_PROMPT_BYTES"] = CHILD_PROMPT_LIMIT
    run = measured_run(command)
    point = {
        "sweep": sweep,
        "asked_sections": sections,
        "asked_media": media,
        "asked_rows": size if sweep == "rows" else 0,
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
            "evaluate_s": round(sum(t.seconds for t in record.timings if t.node in ("render", "evaluate")), 3),
            "rows_left_out": sum(
                int(LEFT_OUT.match(s.detail)[1].replace(",", ""))
                for s in record.shortfalls
                if s.kind == "truncated_data"
            ),
            "charted_rows": max((len(a.dataset.rows) for a in plan.assets if a.dataset), default=0),
        }
    return point


def measure_missing(sections: int) -> dict:
    """Seconds to find a home for every quoted string of an N-section prompt (the part a build reads) when no
    section shows any of them."""
    prompt = read_part(synthetic_prompt(sections, 0))
    plan = compile_prompt(prompt)
    bare = {s.id: f'<section id="{s.id}"><p>…</p></section>' for s in plan.sections}
    source = PageSource(plan=plan, section_html=bare, section_css={}, design_css="", assets={})
    missing = quoted_strings(prompt)
    started = time.perf_counter()
    fixes = restore_fixes(missing, source, prompt)
    return {
        "sweep": "missing",
        "asked_sections": sections,
        "missing": len(missing),
        "fixes": len(fixes),
        "seconds": round(time.perf_counter() - started, 3),
    }


def print_point(point: dict) -> None:
    """One table row: what was asked and planned, the time and the memory."""
    if point["exit_code"]:
        print(
            f"{point['sweep']:>8}  {point['asked_sections']:5d}s {point['asked_media']:3d}m {point['asked_rows']:6d}r "
            f"{point['prompt_kb']:7.1f} KB  failed: {point['error']}",
            flush=True,
        )
        return
    print(
        f"{point['sweep']:>8}  {point['asked_sections']:5d}→{point['planned_sections']:<3d} "
        f"{point['asked_media']:3d}→{point['planned_media']:<3d} "
        f"{point['asked_rows']:6d}→{point['charted_rows']:<6d} {point['rows_left_out']:6d}  {point['prompt_kb']:7.1f}  "
        f"{point['wall_s']:7.2f} {point['evaluate_s']:6.2f} {point['reflect_s']:6.2f}  "
        f"{point['peak_python_rss_mb']:6d} {point['peak_tree_rss_mb']:6d}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sections", type=int, nargs="*", default=[10, 100, 1000, 10000], help="points of the sections sweep"
    )
    parser.add_argument("--media", type=int, nargs="*", default=[0, 5, 10, 20], help="points of the media sweep")
    parser.add_argument(
        "--kb", type=int, nargs="*", default=[1, 10, 100, 1000], help="points of the prompt size sweep (KB)"
    )
    parser.add_argument(
        "--rows", type=int, nargs="*", default=[10, 1000, 10000, 100000], help="points of the table rows sweep"
    )
    parser.add_argument(
        "--missing", type=int, nargs="*", default=[100, 1000, 10000], help="points of the missing-strings sweep"
    )
    parser.add_argument("--out", type=figures_file, default=RESULTS / "scaling.json")
    args = parser.parse_args()

    plan = (
        [("sections", n, 0, 0) for n in args.sections]
        + [("media", MEDIA_BASE_SECTIONS, n, 0) for n in args.media]
        + [("size", *SIZE_BASE, kb * 1024) for kb in args.kb]
        + [("rows", 1, 1, n) for n in args.rows]
    )
    print(
        f"{'sweep':>8}  {'sections':>9} {'media':>7} {'rows→charted':>13} {'unread':>6}  {'KB':>7}  "
        f"{'wall s':>7} {'eval s':>6} {'refl s':>6}  {'py MB':>6} {'treeMB':>6}"
    )
    points = []
    with tempfile.TemporaryDirectory(prefix="webagent-scaling-") as work:
        for sweep, sections, media, size in plan:
            points.append(measure_point(sweep, sections, media, size, Path(work)))
            print_point(points[-1])
    print(
        "(asked→planned, the planner's header and footer included; unread: table rows the build report says were "
        "left out; eval: render and critique of the first round; times are whole builds, reflection included)"
    )
    if args.missing:
        print(f"\n{'sections':>9} {'missing':>8} {'fixes':>6} {'seconds':>8}")
    for sections in args.missing:
        points.append(measure_missing(sections))
        print(
            f"{sections:9d} {points[-1]['missing']:8d} {points[-1]['fixes']:6d} {points[-1]['seconds']:8.3f}",
            flush=True,
        )
    save_figures(args.out, points)


if __name__ == "__main__":
    main()
