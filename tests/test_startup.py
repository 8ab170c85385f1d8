"""Start-up: `webagent --help`, `history` and the CLI module load none of the engine's heavy packages.

langgraph, openai, Playwright, torch and the rest cost seconds to import; only the commands that run them may load
them. No timing is asserted here (benchmarks/startup.py measures): the modules loaded are, which do not vary.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from webagent.core.records import History, RoundRecord

HEAVY = (
    "langgraph",
    "langchain",
    "langchain_core",
    "langsmith",
    "playwright",
    "torch",
    "diffusers",
    "transformers",
    "streamlit",
    "openai",
    "httpx",
)
COMMANDS = ("build", "doctor", "bench", "eval", "edit", "regenerate", "reflect", "history", "restore", "ui")
MODULES_MARK = "--- modules loaded ---"
# Runs `webagent ARGS…` as the console script does, then prints every module loaded (at exit, after typer's
# SystemExit) to stderr.
AS_WEBAGENT = f"""
import atexit, runpy, sys
atexit.register(lambda: print({MODULES_MARK!r}, *sorted(sys.modules), sep="\\n", file=sys.stderr))
sys.argv = ["webagent", *sys.argv[1:]]
runpy.run_module("webagent", run_name="__main__", alter_sys=True)
"""


def python(*args: str) -> subprocess.CompletedProcess:
    """The project's Python in a child process, with the test's HOME and environment."""
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"}, timeout=120
    )


def heavy_in(modules: list[str]) -> list[str]:
    return sorted({name for name in modules if name.split(".")[0] in HEAVY})


def webagent(*args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run the CLI; return the result and the modules it had loaded when it exited."""
    result = python("-c", AS_WEBAGENT, *args)
    assert MODULES_MARK in result.stderr, result.stderr
    errors, _, modules = result.stderr.partition(MODULES_MARK)
    result.stderr = errors
    return result, modules.split()


def test_importing_the_cli_loads_no_heavy_package():
    result = python("-c", "import sys, webagent.cli; print(*sorted(sys.modules), sep='\\n')")
    assert result.returncode == 0, result.stderr
    assert "webagent.cli" in result.stdout.split()
    assert heavy_in(result.stdout.split()) == []


def test_help_lists_every_command_without_loading_the_engine():
    result, modules = webagent("--help")
    assert result.returncode == 0, result.stderr
    listed = {line.strip("│ ").split(" ")[0] for line in result.stdout.splitlines()}
    assert set(COMMANDS) <= listed, result.stdout
    assert heavy_in(modules) == []
    assert not [name for name in modules if name.startswith(("webagent.engine.build", "webagent.webbench.bench"))]


def page_with_rounds(folder: Path) -> Path:
    """The files `webagent history` reads from a built page: index.html, prompt.txt and rounds/history.json."""
    (folder / "rounds").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>page</title>", encoding="utf-8")
    (folder / "prompt.txt").write_text("a landing page for a bakery", encoding="utf-8")
    history = History(
        rounds=[
            RoundRecord(number=0, origin="build", score_after=0.91),
            RoundRecord(number=1, origin="edit", score_before=0.91, score_after=0.95),
        ],
        current=1,
    )
    (folder / "rounds" / "history.json").write_text(history.model_dump_json(), encoding="utf-8")
    return folder


def test_history_loads_no_engine(tmp_path):
    result, modules = webagent("history", str(page_with_rounds(tmp_path / "page")))
    assert result.returncode == 0, result.stderr
    assert "0.910 → 0.950" in result.stdout
    assert "the folder shows round 1" in result.stdout
    assert heavy_in(modules) == []
    assert "webagent.engine.edit" not in modules


def test_history_of_a_folder_that_is_no_page_is_one_line(tmp_path):
    result, modules = webagent("history", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {tmp_path} has no index.html: give the folder `webagent build` wrote"
    assert heavy_in(modules) == []
