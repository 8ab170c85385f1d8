"""The benchmark runner: results.jsonl survives SIGKILL, resumes, and the reports follow the protocol."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from statistics import mean

import pytest
from PIL import Image
from typer.testing import CliRunner

from tests.test_cli import WEBAGENT, assert_one_line_error, run
from webagent.cli import app
from webagent.webbench.bench.dataset import BenchCase
from webagent.webbench.bench.report import COLUMNS, METRICS, SCORES, percentile_95, write_reports
from webagent.webbench.bench.runner import RESULTS, BenchFolderError, BenchResult, ResultsLog, read_results
from webagent.webbench.evaluation.contracts import (
    AestheticsCritique,
    DeterministicMetrics,
    PageEvaluation,
    PageScores,
    Penalty,
    PenaltyCritique,
)

SIX = SCORES[:-1]
PROMPTS = {
    "bakery": "A landing page for a bakery called Crumb & Co. with a photo of fresh bread.",
    "sales": "A sales dashboard with a bar chart of revenue: Q1 12, Q2 19, Q3 15, Q4 22.",
    "yoga": "A yoga studio page called Still Point with a calm hero video.",
    "cafe": "A cafe menu page called Bean There with a picture of latte art.",
}


# --- helpers --------------------------------------------------------------------------------------


def evaluation(file_id: str, layout: float = 1.0, image: float | None = None, issue: str = "") -> PageEvaluation:
    """A hand-made evaluation: only the numbers the reports read."""
    return PageEvaluation(
        file_id=file_id,
        judge="static",
        scores=PageScores(layout=layout, style=0.8, aesthetics=0.6, image=image),
        metrics=DeterministicMetrics(
            text_recall=1.0,
            palette_recall=0.5,
            media_coverage=1.0,
            chart_fidelity=1.0,
            render_health=0.9,
            section_order=1.0,
        ),
        layout=PenaltyCritique(penalties=[Penalty(issue=issue, penalty=0.1)] if issue else []),
        style=PenaltyCritique(),
        aesthetics=AestheticsCritique(balance=0.6, typography=0.6, colour=0.6, clarity=0.6, finish=0.6),
    )


def result(file_id: str, status: str = "done", judge: str = "static", **scores) -> BenchResult:
    done = status == "done"
    return BenchResult(
        file_id=file_id,
        status=status,
        judge=judge,
        page=f"cases/{file_id}/page",
        reason="" if done else "build: it broke",
        build_seconds=2.0,
        build_model_calls=0,
        evaluation_seconds=1.0 if done else 0.0,
        evaluation=evaluation(file_id, **scores) if done else None,
    )


def write_results(path: Path, *results: BenchResult, tail: str = "") -> None:
    path.write_text("".join(r.model_dump_json() + "\n" for r in results) + tail, encoding="utf-8")


def write_dataset(folder: Path, ids: list[str]) -> Path:
    path = folder / "dataset.jsonl"
    prompts = {**PROMPTS, **{name: f"A page called {name} with a photo." for name in ids if name not in PROMPTS}}
    path.write_text("".join(json.dumps({"file_id": i, "input": prompts[i]}) + "\n" for i in ids), encoding="utf-8")
    return path


def result_lines(bench: Path) -> list[dict]:
    return [json.loads(line) for line in (bench / RESULTS).read_text(encoding="utf-8").splitlines()]


def hand_made_page(folder: Path, title: str) -> Path:
    """A page another system might have made: one heading, one paragraph, one image."""
    (folder / "img").mkdir(parents=True)
    Image.new("RGB", (320, 200), (200, 120, 60)).save(folder / "img" / "photo.png")
    (folder / "index.html").write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body style='font-family:sans-serif;background:#FAF7F2;color:#222'><h1>{title}</h1>"
        "<p>Fresh bread every morning.</p><img src='img/photo.png' alt='bread' width='320' height='200'></body></html>",
        encoding="utf-8",
    )
    (folder / "prompt.txt").write_text(f"A landing page called “{title}” with a photo of bread.", encoding="utf-8")
    return folder


def stop_at_the_next_result(
    args: list[str], bench: Path, seconds: float, signum: int = signal.SIGKILL
) -> tuple[int, str]:
    """Run `webagent ARGS` in a process group of its own and send ``signum`` to the whole group (Chromium, a local
    Ray; a terminal's Ctrl-C does the same) once ``bench`` holds one more complete result line than before.
    Returns the exit status and stderr."""
    path = bench / RESULTS
    lines_before = path.read_bytes().count(b"\n") if path.exists() else 0
    process = subprocess.Popen(
        [*WEBAGENT, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + seconds
        while not (path.exists() and path.read_bytes().count(b"\n") > lines_before):
            assert process.poll() is None and time.monotonic() < deadline, "no result line appeared"
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return process.returncode, stderr


def protocol_means(evaluations: list[dict]) -> dict[str, float]:
    """The protocol's benchmark numbers, recomputed here from the raw scores."""
    means = {}
    for name in SIX:
        values = [e["scores"][name] for e in evaluations if e["scores"][name] is not None]
        if values:
            means[name] = mean(values)
    means["average"] = mean(means.values())
    return means


# --- results.jsonl --------------------------------------------------------------------------------


def test_cut_off_last_line_is_not_a_result(tmp_path):
    path = tmp_path / RESULTS
    write_results(path, result("a"), result("b"), tail=result("c").model_dump_json()[:80])
    saved = read_results(path)
    assert list(saved.results) == ["a", "b"] and saved.lines == 2 and saved.unreadable == 1


def test_resume_drops_the_cut_line_and_retries_failed_cases(tmp_path):
    path = tmp_path / RESULTS
    write_results(
        path,
        result("a"),
        result("b", status="failed"),
        result("z", status="failed"),
        tail=result("c").model_dump_json()[:80],
    )
    cases = [BenchCase(file_id=i, prompt="a page") for i in "abc"]
    finished, dropped = ResultsLog(path).resume(cases, "static")
    assert list(finished) == ["a"] and dropped == 1
    # b is tried again; z is not part of this run and keeps its line
    assert [json.loads(line)["file_id"] for line in path.read_text().splitlines()] == ["a", "z"]
    assert path.read_text().endswith("\n")


def test_appended_lines_are_whole(tmp_path):
    log = ResultsLog(tmp_path / RESULTS)
    log.append(result("a"))
    log.append(result("b", status="failed"))
    assert [r.status for r in read_results(log.path).results.values()] == ["done", "failed"]
    assert read_results(log.path).unreadable == 0


def test_line_separators_inside_text_do_not_split_a_result(tmp_path):
    log = ResultsLog(tmp_path / RESULTS)
    odd = result("a")
    odd.evaluation.metrics.details["text_recall"] = ["first\u2028second\x85third\x1cfourth"]
    log.append(odd)
    saved = read_results(log.path)
    assert saved.unreadable == 0 and saved.results["a"] == odd


def test_results_of_another_judge_are_not_mixed(tmp_path):
    path = tmp_path / RESULTS
    write_results(path, result("a", judge="static"))
    with pytest.raises(BenchFolderError, match="holds results of judge 'static', not 'gpt-5.5'"):
        ResultsLog(path).resume([BenchCase(file_id="a", prompt="x")], "gpt-5.5")


# --- reports --------------------------------------------------------------------------------------


def test_p95_is_the_nearest_rank():
    assert percentile_95([]) is None
    assert percentile_95([3.0]) == 3.0
    assert percentile_95([float(i) for i in range(1, 101)]) == 95.0
    assert percentile_95([1.0, 9.0, 2.0]) == 9.0


def test_overall_row_leaves_failed_cases_out_and_means_images_over_pages_with_images(tmp_path):
    write_results(
        tmp_path / RESULTS, result("a", layout=0.5, image=0.4), result("b", layout=1.0), result("c", status="failed")
    )
    overall = write_reports(tmp_path).overall
    assert overall["status"] == "2 scored, 1 failed"
    assert overall["layout"] == pytest.approx(0.75) and overall["image"] == pytest.approx(0.4)
    assert overall["video"] is None and overall["chart"] is None
    assert overall["average"] == pytest.approx(mean([0.75, 0.8, 0.6, 0.4]))
    assert overall["render_health"] == pytest.approx(0.9)
    rows = list(csv.DictReader((tmp_path / "summary.csv").open()))
    assert [r["file_id"] for r in rows] == ["a", "b", "c", "overall"]
    assert rows[2]["status"] == "failed: build: it broke" and rows[2]["layout"] == ""


def test_report_html_escapes_judge_text_and_loads_nothing_remote(tmp_path):
    write_results(
        tmp_path / RESULTS,
        result("a", layout=0.9, issue="<script>alert(1)</script> hero missing"),
        result("b", layout=0.2),
    )
    html = (write_reports(tmp_path).report_html).read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; hero missing" in html
    assert "http://" not in html and "https://" not in html
    assert html.index('id="case-b"') < html.index('id="case-a"')  # worst first
    assert "Judge: <strong>static</strong>" in html


# --- the command ----------------------------------------------------------------------------------


def invoke(*args: str) -> subprocess.CompletedProcess:
    """The command run in this process (no start-up cost), for input errors caught before any browser."""
    outcome = CliRunner().invoke(app, list(args))
    return subprocess.CompletedProcess(args, outcome.exit_code, outcome.stdout, outcome.stderr)


def test_bad_dataset_line_is_one_error_line(tmp_path):
    dataset = tmp_path / "dataset.jsonl"
    dataset.write_text(
        json.dumps({"file_id": "a", "input": "x"}) + "\n" + json.dumps({"file_id": "a", "input": "y"}) + "\n"
    )
    assert_one_line_error(
        invoke("bench", "--dataset", str(dataset), "--out", str(tmp_path / "b")),
        f"{dataset} line 2: file_id 'a' is used again (first on line 1)",
    )
    assert_one_line_error(
        invoke("bench", "--dataset", str(write_dataset(tmp_path, ["bakery"])), "--ids", "nope"),
        "no case with file_id 'nope' in the dataset",
    )
    assert not (tmp_path / "b").exists()


def test_judge_model_without_a_server_is_refused_before_anything_is_built(tmp_path):
    dataset = write_dataset(tmp_path, ["bakery"])
    assert_one_line_error(
        invoke("bench", "--dataset", str(dataset), "--judge", "gpt-5.5", "--out", str(tmp_path / "b")),
        "the judge model 'gpt-5.5' needs a server",
    )
    assert not (tmp_path / "b").exists()


def test_eval_without_a_prompt_or_a_page_says_what_is_missing(tmp_path):
    page = hand_made_page(tmp_path / "site", "Crumb")
    (page / "prompt.txt").unlink()
    assert_one_line_error(invoke("eval", str(page)), f"no prompt for {page}: give --prompt TEXT or --prompt-file FILE")
    assert_one_line_error(invoke("eval", str(tmp_path), "--prompt", "a page"), f"{tmp_path} has no index.html")
    assert_one_line_error(
        invoke("eval", str(page), "--prompt", "a", "--prompt-file", str(tmp_path / "p.txt")),
        "give --prompt or --prompt-file, not both",
    )


@pytest.mark.browser
def test_bench_scores_every_case_and_reports_the_protocol_means(tmp_path):
    bench = tmp_path / "bench"
    dataset = write_dataset(tmp_path, ["bakery", "sales", "yoga"])
    done = run("bench", "--dataset", str(dataset), "--judge", "static", "--jobs", "2", "--out", str(bench))
    assert done.returncode == 0, done.stderr
    assert f"results: {bench / RESULTS} (3 run now, 0 skipped" in done.stdout.replace("\n", "")
    assert str(bench / "report.html") in done.stdout.replace("\n", "")

    lines = result_lines(bench)
    assert sorted(line["file_id"] for line in lines) == ["bakery", "sales", "yoga"]
    assert all(line["status"] == "done" and line["build_seconds"] > 0 for line in lines)
    evaluations = [line["evaluation"] for line in lines]
    present = {name: sum(e["scores"][name] is not None for e in evaluations) for name in ("image", "video", "chart")}
    assert 0 < min(n for n in present.values() if n) < 3, f"no modality on only some pages: {present}"

    rows = {row["file_id"]: row for row in csv.DictReader((bench / "summary.csv").open())}
    assert tuple(next(csv.reader((bench / "summary.csv").open()))) == COLUMNS
    overall = rows["overall"]
    for name, value in protocol_means(evaluations).items():
        assert float(overall[name]) == pytest.approx(value, abs=6e-4), name
    for name in METRICS:
        assert float(overall[name]) == pytest.approx(mean(e["metrics"][name] for e in evaluations), abs=6e-4), name
    assert float(overall["build_s"]) == pytest.approx(mean(line["build_seconds"] for line in lines), abs=0.06)
    markdown = (bench / "summary.md").read_text()
    assert "| file_id | status | layout | style | aesthetics | image | video | chart | average |" in markdown
    assert f"| overall | 3 scored | {overall['layout']} |" in markdown

    html = (bench / "report.html").read_text()
    shots = [src for src in html.split('src="')[1:]]
    shots = [src[: src.index('"')] for src in shots]
    assert len(shots) == 3 and all((bench / src).is_file() for src in shots), shots
    assert all(src.startswith("cases/") and src.endswith("page-1440.png") for src in shots)


@pytest.mark.browser
def test_sigkill_then_rerun_finishes_only_the_unfinished_cases(tmp_path):
    bench = tmp_path / "bench"
    ids = ["bakery", "sales", "yoga", "cafe"]
    args = ["bench", "--dataset", str(write_dataset(tmp_path, ids)), "--out", str(bench)]
    stop_at_the_next_result([*args, "--jobs", "1"], bench, 120)
    text = (bench / RESULTS).read_text(encoding="utf-8")
    complete = [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]
    assert 1 <= len(complete) < len(ids)
    finished = {line["file_id"] for line in complete}
    run_records = {i: (bench / "cases" / i / "page" / "run.json") for i in finished}
    before = {i: (p.stat().st_mtime_ns, p.read_bytes()) for i, p in run_records.items()}

    rerun = run(*args, "--jobs", "2")  # the rest two at a time
    assert rerun.returncode == 0, rerun.stderr
    assert f"({len(ids) - len(finished)} run now, {len(finished)} skipped: already scored" in rerun.stdout
    assert sorted(line["file_id"] for line in result_lines(bench)) == sorted(ids)
    assert {i: (p.stat().st_mtime_ns, p.read_bytes()) for i, p in run_records.items()} == before  # not rebuilt
    assert not list(bench.glob("cases/*/.page.building*"))

    # a cut-off last line is dropped and that case scored again (its finished page is reused)
    text = (bench / RESULTS).read_text(encoding="utf-8")
    last = json.loads(text.splitlines()[-1])["file_id"]
    (bench / RESULTS).write_text(text[: text.rindex("\n", 0, len(text) - 1) + 40], encoding="utf-8")
    page_record = (bench / "cases" / last / "page" / "run.json").stat().st_mtime_ns
    evaluation_file = bench / "cases" / last / "evaluation" / "evaluation.json"
    evaluated = evaluation_file.stat().st_mtime_ns
    again = run(*args)
    assert again.returncode == 0, again.stderr
    assert "(1 run now, 3 skipped: already scored; 1 incomplete line dropped)" in again.stdout
    lines = result_lines(bench)
    assert sorted(line["file_id"] for line in lines) == sorted(ids) and lines[-1]["file_id"] == last
    assert (bench / "cases" / last / "page" / "run.json").stat().st_mtime_ns == page_record
    assert evaluation_file.stat().st_mtime_ns > evaluated


@pytest.mark.browser
def test_eval_scores_a_folder_made_elsewhere(tmp_path):
    page = hand_made_page(tmp_path / "crumb-site", "Crumb")
    done = run("eval", str(page), "--judge", "static")
    assert done.returncode == 0, done.stderr
    for name in (*SIX, *METRICS):
        assert name in done.stdout, name
    saved = PageEvaluation.model_validate_json((page / "evaluation" / "evaluation.json").read_text())
    assert saved.file_id == "crumb-site" and saved.judge == "static"
    assert saved.metrics.text_recall == 1.0 and saved.scores.image is not None


@pytest.mark.browser
def test_pages_option_scores_foreign_pages_without_building_and_retries_failures(tmp_path):
    pages = tmp_path / "baseline"
    for name in ("north", "south"):
        hand_made_page(pages / name, name.title())
    bench = tmp_path / "bench"
    args = [
        "bench",
        "--dataset",
        str(write_dataset(tmp_path, ["north", "south", "west"])),
        "--pages",
        str(pages),
        "--out",
        str(bench),
    ]
    done = run(*args)
    assert done.returncode == 0, done.stderr
    assert f"failed: west: evaluation: {pages / 'west'} has no index.html" in done.stdout.replace("\n", "")
    lines = result_lines(bench)
    assert {line["file_id"]: line["status"] for line in lines} == {"north": "done", "south": "done", "west": "failed"}
    assert all(line["build_seconds"] is None and line["page"] == f"../baseline/{line['file_id']}" for line in lines)
    assert not list(bench.glob("cases/*/page"))
    assert all((bench / line["screenshot"]).is_file() for line in lines if line["status"] == "done")

    hand_made_page(pages / "west", "West")
    again = run(*args)
    assert again.returncode == 0, again.stderr
    assert "(1 run now, 2 skipped: already scored)" in again.stdout
    assert {line["file_id"]: line["status"] for line in result_lines(bench)} == {
        "north": "done",
        "south": "done",
        "west": "done",
    }
