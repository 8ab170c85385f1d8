"""Cold build versus warm rerun of the same prompts: how much of a build the media and render caches save.

    .venv/bin/python benchmarks/rerun.py [--dataset ../shared/bench/mm-webgen-bench-dev.jsonl] [--limit N]

Offline builds in one process with one Chromium (one BrowserSession). Each prompt is built twice into
separate folders with the same settings and a cache that starts empty: the first build is cold (every
element generated, every page rendered, both stored), the second warm (every image and video copied from
the media cache, every page that comes out byte for byte the same taken from the render cache). Planning,
section writing, assembly, evaluation and reflection run in both. Prints both times per prompt, where the
warm build spends its time, p50 of each and the warm ÷ cold ratio (target ≤ 0.20), and writes
benchmarks/results/rerun.json. Not a test: it measures.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from dev_set import dev_rows, save_figures

from webagent.core.assemble import SOURCE_FILE
from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.source import PageSource
from webagent.engine.build import BuildResult, build

TARGET_RATIO = 0.20


def timed_build(prompt: str, out_dir: Path, settings: Settings, browser: BrowserSession) -> tuple[BuildResult, float]:
    started = time.perf_counter()
    result = build(prompt, out_dir, settings, browser=browser)
    return result, time.perf_counter() - started


def media_summary(result: BuildResult) -> dict[str, float]:
    """Elements, how many came from the cache, and their summed seconds (generation or copy)."""
    source = PageSource.model_validate_json((result.out_dir / SOURCE_FILE).read_text(encoding="utf-8"))
    media = [a for a in source.assets.values() if a.kind != "chart"]
    return {
        "media": len(media),
        "cached": sum(a.cached for a in media),
        "media_seconds": round(sum(a.seconds for a in media), 4),
    }


def node_seconds(result: BuildResult) -> dict[str, float]:
    """Task seconds per graph node (parallel tasks summed), reflection rounds after the first as one entry."""
    nodes: dict[str, float] = {}
    for timing in result.record.timings:
        nodes[timing.node] = round(nodes.get(timing.node, 0.0) + timing.seconds, 4)
    nodes["reflect_rounds"] = round(sum(r.seconds for r in result.record.rounds if r.number > 0), 4)
    return nodes


def measure(rows: list[dict], work: Path, settings: Settings) -> list[dict]:
    """Cold and warm builds of every row, printed as they finish."""
    measured = []
    with BrowserSession() as browser:
        for row in rows:
            cold, cold_s = timed_build(row["input"], work / row["file_id"] / "cold", settings, browser)
            warm, warm_s = timed_build(row["input"], work / row["file_id"] / "warm", settings, browser)
            entry = {
                "file_id": row["file_id"],
                "cold_s": round(cold_s, 3),
                "warm_s": round(warm_s, 3),
                "ratio": round(warm_s / cold_s, 3),
                "cold": media_summary(cold),
                "warm": media_summary(warm),
                "warm_nodes": node_seconds(warm),
                "cold_nodes": node_seconds(cold),
            }
            measured.append(entry)
            print(
                f"{row['file_id']:>6}  cold {cold_s:6.2f} s  warm {warm_s:6.2f} s  ratio {entry['ratio']:.2f}  "
                f"media {entry['warm']['cached']}/{entry['warm']['media']} cached "
                f"({entry['cold']['media_seconds']:.2f} s → {entry['warm']['media_seconds']:.2f} s)",
                flush=True,
            )
    return measured


def summary(measured: list[dict]) -> dict:
    """p50 of cold and warm builds, their ratio, and the warm build's heaviest nodes (p50 seconds)."""
    cold = statistics.median(m["cold_s"] for m in measured)
    warm = statistics.median(m["warm_s"] for m in measured)
    nodes = sorted({node for m in measured for node in m["warm_nodes"]})
    warm_nodes = {node: round(statistics.median(m["warm_nodes"].get(node, 0.0) for m in measured), 3) for node in nodes}
    return {
        "prompts": len(measured),
        "cold_p50_s": round(cold, 3),
        "warm_p50_s": round(warm, 3),
        "ratio_p50": round(warm / cold, 3),
        "target_ratio": TARGET_RATIO,
        "media_seconds_saved_p50": round(
            statistics.median(m["cold"]["media_seconds"] - m["warm"]["media_seconds"] for m in measured), 3
        ),
        "warm_nodes_p50_s": dict(sorted(warm_nodes.items(), key=lambda item: -item[1])),
    }


def main() -> None:
    args, rows = dev_rows(
        "Cold build versus warm rerun with the media and render caches",
        "rerun.json",
        more=lambda parser: parser.add_argument(
            "--rounds", type=int, default=None, help="reflection rounds (default: the setting's)"
        ),
    )
    with tempfile.TemporaryDirectory(prefix="rerun-") as folder:
        work = Path(folder)
        settings = Settings.load(cache_dir=work / "cache", media_cache=True, reflection_rounds=args.rounds)
        measured = measure(rows, work / "pages", settings)
    result = summary(measured)
    print(
        f"\ncold p50 {result['cold_p50_s']:.2f} s, warm p50 {result['warm_p50_s']:.2f} s, "
        f"ratio {result['ratio_p50']:.2f} (target ≤ {TARGET_RATIO:.2f}); "
        f"media seconds saved p50 {result['media_seconds_saved_p50']:.2f} s"
    )
    print(
        "warm build, task seconds per node (p50): "
        + ", ".join(f"{node} {seconds:.2f}" for node, seconds in result["warm_nodes_p50_s"].items() if seconds)
    )
    save_figures(args.out, {"summary": result, "prompts": measured})


if __name__ == "__main__":
    main()
