"""Print per-prompt statistics of the offline planner over the development prompts.

    .venv/bin/python benchmarks/planner_report.py [path/to/mm-webgen-bench-dev.jsonl] [file_id …]

Columns: quoted-string recall, hex-colour coverage, number of sections, images / videos /
charts, charts with a dataset, milliseconds to compile. Not a test: a tool for iterating.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from webagent.planners.offline import compile_prompt
from webagent.webbench.evaluation.metrics import hex_colours, normalise, planned_colours, quoted_strings

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "shared" / "bench" / "mm-webgen-bench-dev.jsonl"


def plan_stats(prompt: str) -> dict:
    started = time.perf_counter()
    plan = compile_prompt(prompt)
    elapsed = (time.perf_counter() - started) * 1000
    visible = " \n ".join(normalise(item.text) for s in plan.sections for item in s.content)
    quotes = [normalise(q) for q in quoted_strings(prompt)]
    found = sum(1 for q in quotes if q in visible)
    hexes = set(hex_colours(prompt))
    used = planned_colours(plan)
    kinds = {"image": 0, "video": 0, "chart": 0}
    for asset in plan.assets:
        kinds[asset.kind] += 1
    return {
        "plan": plan,
        "quotes": len(quotes),
        "recall": found / len(quotes) if quotes else 1.0,
        "missing": [q for q in quotes if q not in visible],
        "hexes": len(hexes),
        "hex_cover": len(hexes & used) / len(hexes) if hexes else 1.0,
        "sections": len(plan.sections),
        "kinds": kinds,
        "charts_with_data": sum(1 for a in plan.assets if a.kind == "chart" and a.dataset is not None),
        "ms": elapsed,
    }


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv and argv[0].endswith(".jsonl") else DEFAULT_PATH
    wanted = {a for a in argv if not a.endswith(".jsonl")}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    totals = {
        "quotes": 0,
        "found": 0,
        "hexes": 0,
        "covered": 0,
        "sections": 0,
        "ms": 0.0,
        "image": 0,
        "video": 0,
        "chart": 0,
    }
    print(
        f"{'id':>4} {'recall':>7} {'hex':>6} {'sec':>4} {'img':>4} {'vid':>4} {'cht':>4} {'data':>5} {'ms':>6}  roles"
    )
    for row in rows:
        if wanted and row["file_id"] not in wanted:
            continue
        stats = plan_stats(row["input"])
        plan = stats["plan"]
        k = stats["kinds"]
        roles = " ".join(s.role for s in plan.sections)
        print(
            f"{row['file_id']:>4} {stats['recall']:7.1%} {stats['hex_cover']:6.0%} {stats['sections']:4d} {k['image']:4d} "
            f"{k['video']:4d} {k['chart']:4d} {stats['charts_with_data']:5d} {stats['ms']:6.0f}  {roles}"
        )
        if wanted:
            for missing in stats["missing"]:
                print("      missing:", missing[:100])
        totals["quotes"] += stats["quotes"]
        totals["found"] += round(stats["recall"] * stats["quotes"])
        totals["hexes"] += stats["hexes"]
        totals["covered"] += round(stats["hex_cover"] * stats["hexes"])
        totals["sections"] += stats["sections"]
        totals["ms"] += stats["ms"]
        for kind in ("image", "video", "chart"):
            totals[kind] += k[kind]
    n = len(wanted) if wanted else len(rows)
    n = max(1, n)
    print(
        f"\nquote recall {totals['found'] / max(1, totals['quotes']):.1%} ({totals['found']}/{totals['quotes']}), "
        f"hex coverage {totals['covered'] / max(1, totals['hexes']):.1%} ({totals['covered']}/{totals['hexes']}), "
        f"sections/page {totals['sections'] / n:.1f}, images {totals['image']}, videos {totals['video']}, charts {totals['chart']}, "
        f"mean {totals['ms'] / n:.0f} ms/prompt"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
