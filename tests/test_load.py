"""Load: `webagent bench --jobs 4` runs cases side by side without any case's files reaching another's."""

from __future__ import annotations

import json

import pytest

from tests.isolation import bench_problems
from tests.test_bench import PROMPTS
from tests.test_cli import run
from webagent.webbench.bench.dataset import load_dataset

pytestmark = pytest.mark.browser


def test_four_jobs_at_once_keep_every_case_to_its_own_folder(tmp_path):
    dataset = tmp_path / "dataset.jsonl"
    dataset.write_text(
        "".join(json.dumps({"file_id": i, "input": p}) + "\n" for i, p in PROMPTS.items()), encoding="utf-8"
    )
    bench = tmp_path / "bench"
    result = run("bench", "--dataset", str(dataset), "--out", str(bench), "--jobs", "4")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in (bench / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(line["file_id"] for line in lines) == sorted(PROMPTS) and {line["status"] for line in lines} == {
        "done"
    }
    cases = load_dataset(dataset)
    assert bench_problems(bench, cases) == []

    # the check itself sees cross-talk: one case's page pointing at another's image
    index = bench / "cases" / "bakery" / "page" / "index.html"
    other = next((bench / "cases" / "cafe" / "page" / "assets").glob("*.webp"))
    index.write_text(
        index.read_text(encoding="utf-8").replace("</body>", f'<img src="../../cafe/page/assets/{other.name}"></body>'),
        encoding="utf-8",
    )
    assert bench_problems(bench, cases) == [
        f"bakery: index.html points at ../../cafe/page/assets/{other.name}, not a file of its own folder"
    ]
