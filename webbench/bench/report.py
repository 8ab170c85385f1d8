"""Reports of a bench folder, from results.jsonl alone: summary.md, summary.csv and report.html.

The overall row uses the protocol's means (``benchmark_means``: the six numbers and their plain
mean; a modality is averaged over the pages that have it); the deterministic metrics, times and
model calls are plain means over the scored pages, with the 95th percentile of the times.
Failed cases are listed but have no scores, so they are left out of every mean.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from webagent.core.files import atomic_write_text
from webagent.webbench.bench.runner import RESULTS, BenchResult, read_results
from webagent.webbench.evaluation.contracts import DeterministicMetrics, PageEvaluation, PageEvidence
from webagent.webbench.evaluation.evaluate import benchmark_means
from webagent.webbench.evaluation.evidence import EVIDENCE_JSON

SCORES = ("layout", "style", "aesthetics", "image", "video", "chart", "average")
METRICS = DeterministicMetrics.names()
TIMES = ("build_s", "build_s_p95", "evaluation_s", "evaluation_s_p95", "model_calls")
COLUMNS = ("file_id", "status", *SCORES, *METRICS, *TIMES)
BLOCKED_SHOWN = 5

Row = dict[str, str | float | None]

_env = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class BenchReport:
    """The written reports and the overall row they end with."""

    summary_md: Path
    summary_csv: Path
    report_html: Path
    overall: Row
    judges: list[str]


def percentile_95(values: list[float]) -> float | None:
    """The nearest-rank 95th percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def mean_or_none(values: list[float]) -> float | None:
    return mean(values) if values else None


def page_average(evaluation: PageEvaluation | None) -> float | None:
    """The protocol's average of one page (None when it was not scored)."""
    return None if evaluation is None else benchmark_means([evaluation]).get("average")


def case_row(result: BenchResult) -> Row:
    """One case's columns: its six scores and average, metrics, seconds and model calls."""
    row: Row = dict.fromkeys(COLUMNS)
    row.update(
        file_id=result.file_id,
        status=result.status if result.status == "done" else f"failed: {result.reason}",
        build_s=result.build_seconds,
        model_calls=result.model_calls,
    )
    if result.evaluation is not None:
        evaluation = result.evaluation
        row.update(
            evaluation.scores.model_dump(), average=page_average(evaluation), evaluation_s=result.evaluation_seconds
        )
        row.update({name: getattr(evaluation.metrics, name) for name in METRICS})
    return row


def overall_row(results: list[BenchResult]) -> Row:
    """The benchmark's row: protocol means, metric means, mean and p95 seconds, mean model calls."""
    scored = [r for r in results if r.evaluation is not None]
    evaluations = [r.evaluation for r in scored if r.evaluation is not None]
    failed = len(results) - len(scored)
    row: Row = dict.fromkeys(COLUMNS)
    row.update(file_id="overall", status=f"{len(scored)} scored" + (f", {failed} failed" if failed else ""))
    if evaluations:
        means = benchmark_means(evaluations)
        row.update({name: means.get(name) for name in SCORES})
        row.update({name: mean(getattr(e.metrics, name) for e in evaluations) for name in METRICS})
    builds = [r.build_seconds for r in scored if r.build_seconds is not None]
    evaluation_seconds = [r.evaluation_seconds for r in scored]
    calls = [r.model_calls for r in scored if r.model_calls is not None]
    row.update(
        build_s=mean_or_none(builds),
        build_s_p95=percentile_95(builds),
        evaluation_s=mean_or_none(evaluation_seconds),
        evaluation_s_p95=percentile_95(evaluation_seconds),
        model_calls=mean_or_none([float(c) for c in calls]),
    )
    return row


def cell(column: str, value: str | float | None) -> str:
    """A value as the reports print it: scores to 3 places, seconds and calls to 1."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if column in SCORES or column in METRICS:
        return f"{value:.3f}"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def summary_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([cell(c, row[c]) for c in COLUMNS] for row in rows)
    return out.getvalue()


def summary_markdown(rows: list[Row], judges: list[str]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    overall = rows[-1]
    return "\n".join(
        [
            "# MM-WebGEN-Bench summary",
            "",
            (
                f"Judge: {', '.join(judges) or 'none'}. Cases: {overall['status']}. "
                "Scores in [0, 1]; image, video and chart are averaged over the pages that have them; "
                "times are seconds per page (mean and 95th percentile)."
            ),
            "",
            line(list(COLUMNS)),
            line(["---"] * len(COLUMNS)),
            *(line([cell(c, row[c]) for c in COLUMNS]) for row in rows),
            "",
        ]
    )


def blocked_requests(result: BenchResult, bench_dir: Path) -> list[str]:
    """What the case's page tried to load from outside its folder, as its evidence.json (beside the
    screenshot) records it; [] when there is none."""
    if not result.screenshot:
        return []
    saved = (bench_dir / result.screenshot).parent / EVIDENCE_JSON
    if not saved.is_file():
        return []
    return PageEvidence.model_validate_json(saved.read_text(encoding="utf-8")).outside_requests


def worst_first(results: list[BenchResult]) -> list[BenchResult]:
    """Failed cases, then scored ones from the lowest page average up."""
    return sorted(results, key=lambda r: (r.evaluation is not None, page_average(r.evaluation) or 0.0, r.file_id))


def report_html(results: list[BenchResult], bench_dir: Path, overall: Row, judges: list[str]) -> str:
    cases = [
        {
            "result": result,
            "row": case_row(result),
            "screenshot": result.screenshot if result.screenshot and (bench_dir / result.screenshot).is_file() else "",
            "blocked": blocked_requests(result, bench_dir),
        }
        for result in worst_first(results)
    ]
    return _env.get_template("report.html.j2").render(
        cases=cases,
        overall=overall,
        judges=judges,
        scores=SCORES,
        metrics=METRICS,
        cell=cell,
        blocked_shown=BLOCKED_SHOWN,
    )


def write_reports(bench_dir: Path) -> BenchReport:
    """Write summary.md, summary.csv and report.html of ``bench_dir`` (atomically) from its results.jsonl."""
    results = list(read_results(bench_dir / RESULTS).results.values())
    results.sort(key=lambda r: r.file_id)
    judges = sorted({r.evaluation.judge for r in results if r.evaluation is not None})
    rows = [case_row(r) for r in results] + [overall_row(results)]
    return BenchReport(
        summary_md=atomic_write_text(bench_dir / "summary.md", summary_markdown(rows, judges)),
        summary_csv=atomic_write_text(bench_dir / "summary.csv", summary_csv(rows)),
        report_html=atomic_write_text(bench_dir / "report.html", report_html(results, bench_dir, rows[-1], judges)),
        overall=rows[-1],
        judges=judges,
    )
