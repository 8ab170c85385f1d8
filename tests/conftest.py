"""Shared fixtures: a home and a cache of its own for every test, one Chromium for the whole session, and the dev
split when present."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from webagent.core.browser import BrowserSession

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "bench" / "mm-webgen-bench-dev.jsonl"


def dev_prompts() -> dict[str, str]:
    """The development split of MM-WebGEN-Bench by file_id, or {} where it is not beside the repo."""
    if not DEV_SET.exists():
        return {}
    rows = (json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["file_id"]: row["input"] for row in rows}


@pytest.fixture(autouse=True)
def no_model_settings_from_the_environment(monkeypatch):
    """Tests start from the defaults: a developer's own keys, endpoints or settings file never leak in."""
    for name in list(os.environ):
        if name.startswith(("WEBAGENT_", "OPENAI_")) and name != "WEBAGENT_DEBUG":
            monkeypatch.delenv(name)
    monkeypatch.setenv("WEBAGENT_CONFIG", os.devnull)  # not a ./webagent.toml a developer keeps


@pytest.fixture(autouse=True)
def home_of_its_own(monkeypatch, tmp_path_factory):
    """Each test runs with HOME in its own temporary folder (CLI subprocesses inherit it): no command a test
    runs can reach a real home. A browser Playwright keeps under the real home stays reachable."""
    real_browsers = Path.home() / ".cache" / "ms-playwright"
    if real_browsers.is_dir() and not os.environ.get("PLAYWRIGHT_BROWSERS_PATH"):
        monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(real_browsers))
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(autouse=True)
def media_cache_of_its_own(no_model_settings_from_the_environment, monkeypatch, tmp_path_factory):
    """Each test gets an empty cache (CLI subprocesses inherit it): no test reuses another's media or renders."""
    monkeypatch.setenv("WEBAGENT_CACHE_DIR", str(tmp_path_factory.mktemp("media-cache")))


@pytest.fixture(scope="session")
def browser_session():
    with BrowserSession() as session:
        yield session
