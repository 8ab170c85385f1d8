"""Offline builds over the MM-WebGEN-Bench dev prompts: quoted-text recall, palette recall, media coverage, time.

    .venv/bin/python benchmarks/offline_dev.py [--dataset ../shared/bench/mm-webgen-bench-dev.jsonl] [--limit N]

Prints a table and writes benchmarks/results/offline_dev.json. Not a test: it measures.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from webagent.browser import BrowserSession
from webagent.build import build
from webagent.config import Settings
from webagent.render import serve_folder
from webbench.page_metrics import page_metrics, read_page

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = ROOT.parent / "shared" / "bench" / "mm-webgen-bench-dev.jsonl"


def measure_folder(session: BrowserSession, folder: Path) -> tuple[str, set[str]]:
    def read(browser):
        with serve_folder(folder) as origin:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort())
            page = context.new_page()
            page.goto(f"{origin}/index.html", wait_until="load")
            try:
                return read_page(page)
            finally:
                context.close()

    return session.call(read)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "offline_dev.json")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit] if args.limit else rows

    results = []
    with BrowserSession() as session, tempfile.TemporaryDirectory() as tmp:
        for row in rows:
            started = time.perf_counter()
            result = build(row["input"], Path(tmp) / row["file_id"], Settings(), browser=session)
            seconds = time.perf_counter() - started
            text, colours = measure_folder(session, result.out_dir)
            metrics = page_metrics(row["input"], text, colours, len(result.plan.assets), result.record.health)
            stages = {t.node: t.seconds for t in result.record.timings}
            results.append({"id": row["file_id"], "seconds": round(seconds, 3), "stages": stages, **metrics.model_dump()})
            print(
                f"{row['file_id']:>5}  text {metrics.quoted_text_recall:5.2f}  colours {metrics.palette_recall:5.2f}  "
                f"media {metrics.media_coverage:4.2f}  {len(result.plan.assets):2d} media  {seconds:5.2f} s",
                flush=True,
            )

    def mean(key: str) -> float:
        return statistics.fmean(r[key] for r in results)

    times = [r["seconds"] for r in results]
    stage_names = sorted({s for r in results for s in r["stages"]})
    summary = {
        "pages": len(results),
        "quoted_text_recall": round(mean("quoted_text_recall"), 4),
        "palette_recall": round(mean("palette_recall"), 4),
        "media_coverage": round(mean("media_coverage"), 4),
        "seconds_p50": round(percentile(times, 0.5), 3),
        "seconds_p95": round(percentile(times, 0.95), 3),
        "stage_seconds_p50": {s: round(percentile([r["stages"].get(s, 0.0) for r in results], 0.5), 3) for s in stage_names},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"summary": summary, "pages": results}, indent=2, ensure_ascii=False))
    print()
    for key, value in summary.items():
        print(f"{key:>20}: {value}")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
