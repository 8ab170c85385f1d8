"""Offline reflection over the MM-WebGEN-Bench dev prompts: the deterministic metrics before and after.

    .venv/bin/python benchmarks/reflection_dev.py [--dataset ../shared/bench/mm-webgen-bench-dev.jsonl] [--limit N]

Each prompt is built once, offline, with reflection on (the default settings, caches off: every build is cold),
in one process with one Chromium. Its run.json rounds hold both ends: round 0 (the build's own critique) is the page without
reflection, the round the folder shows is the page after it. Reflection's cost is the seconds of the
rounds after 0. Prints a table and writes benchmarks/results/reflection_dev.json. Not a test: it measures.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from dev_set import dev_rows, save_figures

from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.records import RoundRecord
from webagent.engine.build import build
from webagent.reflection.critic import METRICS
from webagent.reflection.rounds import load_history

SCORE = "score"  # the page score reflection keeps the best of (mean of metrics and judge scores)


def page_result(file_id: str, rounds: list[RoundRecord], current: int, seconds: float) -> dict:
    """Before (round 0) and after (the round kept) scores of one page, its rounds and what they fixed."""
    before = next(r for r in rounds if r.number == 0)
    after = next(r for r in rounds if r.number == current)
    reflection = [r for r in rounds if r.number > 0]
    return {
        "id": file_id,
        "before": {**{m: before.scores_after[m] for m in METRICS}, SCORE: before.score_after},
        "after": {**{m: after.scores_after[m] for m in METRICS}, SCORE: after.score_after},
        "changed": current != 0,
        "rounds": len(reflection),
        "rolled_back": sum(not r.kept for r in reflection),
        "fixes": dict(Counter(f"{f.level}:{f.action}" for r in reflection for f in r.fixes)),
        "reflection_seconds": round(sum(r.seconds for r in reflection), 3),
        "build_seconds": round(seconds, 3),
    }


def summarise(results: list[dict]) -> dict:
    def mean(values: list[float]) -> float:
        return round(statistics.fmean(values), 4)

    added = [r["reflection_seconds"] for r in results]
    return {
        "pages": len(results),
        "before": {m: mean([r["before"][m] for r in results]) for m in (*METRICS, SCORE)},
        "after": {m: mean([r["after"][m] for r in results]) for m in (*METRICS, SCORE)},
        "pages_changed": sum(r["changed"] for r in results),
        "rounds_per_page": mean([r["rounds"] for r in results]),
        "rounds_rolled_back": sum(r["rolled_back"] for r in results),
        "fixes": dict(sum((Counter(r["fixes"]) for r in results), Counter())),
        "reflection_seconds_mean": mean(added),
        "reflection_seconds_median": round(statistics.median(added), 3),
        "build_seconds_median": round(statistics.median(r["build_seconds"] for r in results), 3),
    }


def print_summary(summary: dict) -> None:
    print(f"\n{'metric':>16}  {'before':>7}  {'after':>7}  {'change':>7}")
    for name in (*METRICS, SCORE):
        before, after = summary["before"][name], summary["after"][name]
        print(f"{name:>16}  {before:7.4f}  {after:7.4f}  {after - before:+7.4f}")
    print(
        f"\n{summary['pages_changed']} of {summary['pages']} pages changed; {summary['rounds_per_page']:.2f} "
        f"reflection rounds per page ({summary['rounds_rolled_back']} rolled back)"
    )
    print("fixes: " + (", ".join(f"{name} {n}" for name, n in sorted(summary["fixes"].items())) or "none"))
    print(
        f"reflection added {summary['reflection_seconds_mean']:.2f} s per page on average "
        f"(median {summary['reflection_seconds_median']:.2f} s; build median {summary['build_seconds_median']:.2f} s)"
    )


def main() -> None:
    args, rows = dev_rows(__doc__.splitlines()[0], "reflection_dev.json")

    results = []
    with BrowserSession() as session, tempfile.TemporaryDirectory() as tmp:
        for row in rows:
            started = time.perf_counter()
            built = build(row["input"], Path(tmp) / row["file_id"], Settings(media_cache=False), browser=session)
            history = load_history(built.out_dir)
            result = page_result(row["file_id"], built.record.rounds, history.current, time.perf_counter() - started)
            results.append(result)
            fixed = ", ".join(f"{name} {n}" for name, n in result["fixes"].items()) or "-"
            print(
                f"{row['file_id']:>5}  score {result['before'][SCORE]:.3f} → {result['after'][SCORE]:.3f}  "
                f"{result['rounds']} rounds  +{result['reflection_seconds']:5.2f} s  {fixed}",
                flush=True,
            )

    summary = summarise(results)
    print_summary(summary)
    save_figures(args.out, {"summary": summary, "pages": results})


if __name__ == "__main__":
    main()
