"""`webagent doctor`'s table of backends: for each role, which backends can run on this install and what the others
need (a package and its install command, or a model server's settings)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from typing import get_args

import pytest

from webagent import doctor
from webagent.core.config import Settings
from webagent.doctor import role_backends
from webagent.generators import BACKENDS

ROLES = {
    "planner": ["offline", "llm"],
    "coder": ["offline", "llm"],
    "chart": ["offline", "llm"],
    "judge": ["static", "llm"],
    "image": ["offline", "openai", "diffusers"],
    "video": ["offline", "openai", "diffusers"],
    "executor": ["local", "ray"],
}
NEEDS_SERVER = "needs WEBAGENT_BASE_URL or OPENAI_API_KEY"


def statuses(settings: Settings) -> dict[str, dict[str, doctor.BackendStatus]]:
    return {role.role: {b.name: b for b in role.backends} for role in role_backends(settings)}


def test_every_role_lists_the_backends_the_settings_and_generators_offer():
    assert {role: list(backends) for role, backends in statuses(Settings()).items()} == ROLES
    for kind in ("image", "video", "chart"):
        assert set(ROLES[kind]) == set(BACKENDS[kind])  # type: ignore[index]
    for role, field in (("planner", "planner"), ("coder", "coder"), ("chart", "chart_backend")):
        assert set(ROLES[role]) == set(get_args(Settings.model_fields[field].annotation)) - {"auto"}
    assert set(get_args(Settings.model_fields["image_backend"].annotation)) == set(ROLES["image"])


def test_offline_install_runs_the_built_in_backends_and_says_what_models_need():
    found = statuses(Settings())
    for role, backends in found.items():
        built_in = backends[ROLES[role][0]]
        assert (built_in.ready, built_in.detail) == (True, "built in"), role
    for role, backend in (("planner", "llm"), ("coder", "llm"), ("judge", "llm"), ("image", "openai")):
        assert (found[role][backend].ready, found[role][backend].detail) == (False, NEEDS_SERVER)
    in_use = {role.role: role.in_use for role in role_backends(Settings())}
    assert in_use == {role: backends[0] for role, backends in ROLES.items()}


def test_a_configured_server_makes_the_model_backends_available():
    settings = Settings(base_url="http://127.0.0.1:9/v1", judge_model="judge-1")
    found = statuses(settings)
    assert found["planner"]["llm"].ready and found["planner"]["llm"].detail == "gpt-5.5 at http://127.0.0.1:9/v1"
    assert found["judge"]["llm"].detail == "judge-1 at http://127.0.0.1:9/v1"
    assert found["video"]["openai"].detail == "sora-2 at http://127.0.0.1:9/v1"
    assert {role.role: role.in_use for role in role_backends(settings)}["judge"] == "llm"


def test_a_missing_package_is_named_with_its_install_command(monkeypatch):
    hidden = {"torch", "openai"}
    real = importlib.util.find_spec
    monkeypatch.setattr(doctor.importlib.util, "find_spec", lambda name: None if name in hidden else real(name))
    found = statuses(Settings(api_key="sk-test"))
    for kind in ("image", "video"):
        assert not found[kind]["diffusers"].ready
        assert found[kind]["diffusers"].detail == "missing torch: pip install 'mm-webagent[diffusers]'"
    assert found["planner"]["llm"].detail == "missing openai: pip install openai"


@pytest.mark.browser
def test_doctor_prints_each_role_with_its_backends():
    result = subprocess.run(
        [sys.executable, "-m", "webagent", "doctor"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},  # one row per line
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    _, _, table = result.stdout.partition("backends on this install (* in use)\n")
    header, *rows, caption = table.splitlines()
    assert header.split() == ["role", "backend", "here", "detail"]
    assert caption.startswith("a role's own model server: WEBAGENT_<ROLE>_BASE_URL")
    listed: dict[str, list[str]] = {}
    for row in rows:  # a role's first row names it, the rows under it leave the role blank
        words = row.split()
        if not row.startswith(" "):
            role, words = words[0], words[1:]
        listed.setdefault(role, []).append(words[0])
    assert listed == ROLES
    assert any(row.split()[:4] == ["planner", "offline", "*", "yes"] for row in rows)
    if importlib.util.find_spec("ray") is None:
        assert any(
            row.split() == ["ray", "no", "missing", "ray:", "pip", "install", "'mm-webagent[ray]'"] for row in rows
        )
    else:
        assert any(row.split()[:3] == ["ray", "yes", "installed"] for row in rows)
