"""Cross-talk checks of a bench folder: every case's files stay in its own folder and belong to its own prompt."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from webagent.core.ownership import MARK_FILE
from webagent.webbench.bench.dataset import BenchCase

REPORT_FILES = {"results.jsonl", "summary.md", "summary.csv", "report.html", MARK_FILE}
REFERENCE_ATTRIBUTES = ("src", "href", "poster", "data-src", "data-option")


def local_references(index: Path) -> set[str]:
    """Every path the page's HTML points at (links within the page aside)."""
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    found = set()
    for tag in soup.find_all(True):
        for name in REFERENCE_ATTRIBUTES:
            value = tag.get(name)
            if isinstance(value, str) and value and not value.startswith(("#", "data:", "blob:")):
                found.add(value.split("#")[0].split("?")[0])
    return found


def case_problems(bench: Path, case: BenchCase) -> list[str]:
    """What in ``case``'s folder came from another case or lies outside it."""
    folder = bench / "cases" / case.file_id
    page = folder / "page"
    problems = []
    if (page / "prompt.txt").read_text(encoding="utf-8") != case.prompt.strip():
        problems.append(f"{case.file_id}: prompt.txt holds another case's prompt")
    title = json.loads((page / "source.json").read_text(encoding="utf-8"))["plan"]["title"]
    if json.loads((page / "run.json").read_text(encoding="utf-8"))["title"] != title:
        problems.append(f"{case.file_id}: run.json and source.json name different pages")
    for reference in sorted(local_references(page / "index.html")):
        target = (page / reference).resolve()
        if not target.is_relative_to(page.resolve()) or not target.is_file():
            problems.append(f"{case.file_id}: index.html points at {reference}, not a file of its own folder")
    evidence = json.loads((folder / "evaluation" / "evidence.json").read_text(encoding="utf-8"))
    if Path(evidence["folder"]).resolve() != page.resolve():
        problems.append(f"{case.file_id}: its evaluation looked at {evidence['folder']}")
    return problems


def bench_problems(bench: Path, cases: list[BenchCase]) -> list[str]:
    """Cross-talk anywhere in a finished bench folder: stray files, leftovers, cases mixing their files."""
    ids = {case.file_id for case in cases}
    problems = [
        f"stray file {path.relative_to(bench)}"
        for path in bench.rglob("*")
        if path.is_file()
        and not (path.parent == bench and path.name in REPORT_FILES)
        and not (path.relative_to(bench).parts[0] == "cases" and path.relative_to(bench).parts[1] in ids)
    ]
    problems += [f"leftover {path.relative_to(bench)}" for path in bench.rglob(".*") if path.name != MARK_FILE]
    for case in cases:
        problems += case_problems(bench, case)
    return problems
