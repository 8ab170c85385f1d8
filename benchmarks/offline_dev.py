"""Offline builds over the MM-WebGEN-Bench dev prompts: the deterministic metrics of webbench/metrics.py, time.

    .venv/bin/python benchmarks/offline_dev.py [--dataset ../shared/bench/mm-webgen-bench-dev.jsonl] [--limit N]

Every build is cold (caches off), in one process with one Chromium. Prints a table and writes
benchmarks/results/offline_dev.json. Not a test: it measures.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path

from dev_set import dev_rows, save_figures

from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.contracts import PagePlan
from webagent.engine.build import build
from webagent.webbench.evaluation.contracts import DeterministicMetrics, RequiredElement
from webagent.webbench.evaluation.evidence import collect_evidence
from webagent.webbench.evaluation.metrics import deterministic_metrics

METRICS = DeterministicMetrics.names()


def planned_elements(plan: PagePlan) -> list[RequiredElement]:
    """The plan's images, videos and charts as the elements the page must show."""
    return [RequiredElement(kind=a.kind, description=a.prompt, dataset=a.dataset) for a in plan.assets]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    args, rows = dev_rows(__doc__.splitlines()[0], "offline_dev.json")

    results = []
    with BrowserSession() as session, tempfile.TemporaryDirectory() as tmp:
        for row in rows:
            started = time.perf_counter()
            result = build(row["input"], Path(tmp) / row["file_id"], Settings(media_cache=False), browser=session)
            seconds = time.perf_counter() - started
            evidence = collect_evidence(session, result.out_dir, Path(tmp) / f"{row['file_id']}-evidence")
            metrics = deterministic_metrics(evidence, row["input"], planned_elements(result.plan))
            stages = {t.node: t.seconds for t in result.record.timings}
            results.append(
                {"id": row["file_id"], "seconds": round(seconds, 3), "stages": stages, **metrics.model_dump()}
            )
            scores = "  ".join(f"{name.split('_')[0]} {getattr(metrics, name):4.2f}" for name in METRICS)
            print(f"{row['file_id']:>5}  {scores}  {len(result.plan.assets):2d} media  {seconds:5.2f} s", flush=True)

    def mean(key: str) -> float:
        return statistics.fmean(r[key] for r in results)

    times = [r["seconds"] for r in results]
    stage_names = sorted({s for r in results for s in r["stages"]})
    summary = {
        "pages": len(results),
        **{name: round(mean(name), 4) for name in METRICS},
        "seconds_p50": round(percentile(times, 0.5), 3),
        "seconds_p95": round(percentile(times, 0.95), 3),
        "stage_seconds_p50": {
            s: round(percentile([r["stages"].get(s, 0.0) for r in results], 0.5), 3) for s in stage_names
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print()
    for key, value in summary.items():
        print(f"{key:>20}: {value}")
    save_figures(args.out, {"summary": summary, "pages": results})


if __name__ == "__main__":
    main()
