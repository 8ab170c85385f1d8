"""The CLI: bad input gives one clear line, a non-zero exit, and leaves nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

WEBAGENT = [sys.executable, "-m", "webagent"]


def run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*WEBAGENT, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=cwd, timeout=300
    )


def assert_one_line_error(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and expected in lines[0], lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_empty_prompt_is_refused(tmp_path):
    assert_one_line_error(run("build", "   ", "-o", str(tmp_path / "out")), "the prompt is empty")
    assert leftovers(tmp_path) == []


def test_two_megabyte_prompt_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("a bakery page " * 150_000)
    assert_one_line_error(run("build", "--prompt-file", str(big), "-o", str(tmp_path / "out")), "the limit is 1.0 MB")
    assert leftovers(tmp_path) == ["big.txt"]


def test_prompt_file_that_is_not_utf8_is_refused(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Café page".encode("latin-1"))
    assert_one_line_error(run("build", "--prompt-file", str(bad), "-o", str(tmp_path / "out")), "is not UTF-8 text")
    assert leftovers(tmp_path) == ["latin1.txt"]


def test_missing_prompt_file_is_refused(tmp_path):
    assert_one_line_error(run("build", "--prompt-file", str(tmp_path / "nope.txt")), "cannot read")


def test_unwritable_output_directory_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert_one_line_error(run("build", "a bakery page", "-o", str(blocker / "out")), "a-file is a file, not a folder")
    assert blocker.read_text() == "not a folder"


def test_missing_browser_is_reported_and_nothing_is_left(tmp_path):
    result = run(
        "build", "a bakery page", "-o", str(tmp_path / "out"), env={"WEBAGENT_BROWSER": str(tmp_path / "no-chromium")}
    )
    assert_one_line_error(result, "the configured browser")
    assert leftovers(tmp_path) == []


@pytest.mark.browser
def test_build_prints_page_backends_and_health(tmp_path):
    result = run("build", "a landing page for a yoga studio called Still Point", "-o", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert f"page: {tmp_path / 'site' / 'index.html'}" in result.stdout.replace("\n", "")
    assert "backends: planner=offline, coder=offline, image=offline, video=offline, chart=offline" in result.stdout
    assert "render health: " in result.stdout and "0 console errors" in result.stdout
    assert "reflection: score " in result.stdout and "critic=static" in result.stdout
    assert sorted(leftovers(tmp_path / "site")) == [
        ".webagent.json",
        "assets",
        "index.html",
        "plan.json",
        "prompt.txt",
        "rounds",
        "run.json",
        "screenshots",
        "source.json",
    ]


@pytest.mark.browser
def test_doctor_reports_every_part():
    result = run("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("python", "browser", "chart runtime", "ffmpeg", "models"):
        assert f"ok   {name}" in result.stdout
