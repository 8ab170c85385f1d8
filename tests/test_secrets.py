"""API keys: they come from the environment, a private settings file or the app's session only, they
reach the model server, and they appear in nothing we print, log or write.

The main test runs the commands a person runs with keys (a build with model media and a model judge
reflecting, an edit, a bench with the model judge, doctor) as subprocesses against a scripted server
that fails with 401, 404, 500s and timeouts and echoes the key back in its error bodies, then
searches every byte those commands left (files, stdout, stderr with ``OPENAI_LOG=debug``) for each
key in plain, base64 and URL-encoded form.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
import threading
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from tests.model_server import Reply, ScriptedServer, Seen, chat_reply, error_reply
from tests.scripted_model import TITLE_PREFIX, ScriptedDesigner
from tests.test_ui import app_server, preview_frame  # noqa: F401  (app_server is a fixture)
from webagent.cli import app
from webagent.core.config import Settings
from webagent.core.errors import ModelAccessError
from webagent.core.records import RunRecord
from webagent.engine.build import build

PROMPT = (Path(__file__).parent.parent / "examples" / "demo-prompt.txt").read_text()
WEBAGENT = [str(Path(sys.executable).with_name("webagent"))]
REVOKED_MODEL = "no-such-model"
SLOW_MODEL = "slow-model"
CLOSED_PORT_URL = "http://127.0.0.1:9/v1"


def new_key() -> str:
    return f"sk-test-{uuid.uuid4().hex}"


def encodings(secret: str) -> list[bytes]:
    """``secret`` as it could be written: plain, URL-encoded, its random part alone, and base64 at every
    alignment inside a longer base64 text (the characters that depend on neighbours are dropped)."""
    raw = secret.encode()
    forms = [
        raw,
        urllib.parse.quote(secret, safe="").encode(),
        urllib.parse.quote_plus(secret).encode(),
        raw.rpartition(b"-")[2],
    ]
    for offset in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            forms.append(encode(b"\0" * offset + raw)[4:-4])
    return forms


def leaks(data: bytes, secrets: list[str]) -> list[str]:
    """The secrets (by their first characters) some form of which is in ``data``."""
    return [secret[:12] + "…" for secret in secrets if any(form in data for form in encodings(secret))]


@dataclass
class Ran:
    """One command's outcome, with the bytes it printed."""

    args: list[str]
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.decode().splitlines() if line.startswith("error:")]


class KeyCheckingServer:
    """The scripted designer behind a door: a revoked key gets 401, an unknown model 404, a slow model
    hangs; the first request of some steps gets a 500. Every error body echoes the Authorization header
    back, as a careless proxy would."""

    def __init__(self, revoked: str, fail_once: tuple[str, ...]) -> None:
        self.designer = ScriptedDesigner()
        self.revoked = revoked
        self.fail_once = set(fail_once)
        self.failed: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, seen: Seen) -> Reply:
        auth = seen.headers.get("authorization", "")
        model = seen.body.get("model") if isinstance(seen.body, dict) else None
        if self.revoked in auth:
            return error_reply(401, f"Incorrect API key provided: {auth}", code="invalid_api_key")
        if model == REVOKED_MODEL:
            return error_reply(404, f"The model {model} does not exist for {auth}", code="model_not_found")
        if model == SLOW_MODEL:
            return chat_reply("{}", delay_s=3.0)
        step = seen.step or ("images" if "/images/" in seen.path else "")
        with self._lock:
            first = step in self.fail_once
            self.fail_once.discard(step)
        if first:
            self.failed.append(step)
            return error_reply(500, f"upstream failed for {auth}")
        return self.designer(seen)


def base_env(**values: str) -> dict[str, str]:
    """The test's environment (no developer keys: conftest removes them) plus fast retries and SDK debug logs."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("WEBAGENT_", "OPENAI_"))}
    env.update(
        WEBAGENT_CACHE_DIR=os.environ["WEBAGENT_CACHE_DIR"],  # the test's own media cache, grepped too
        WEBAGENT_CONFIG=os.devnull,
        OPENAI_LOG="debug",
        WEBAGENT_MODEL_BACKOFF_S="0.01",
        WEBAGENT_VIDEO_POLL_INTERVAL_S="0.01",
        WEBAGENT_REFLECTION_ROUNDS="1",
    )
    env.update(values)
    return env


def webagent(cwd: Path, env: dict[str, str], *args: str) -> Ran:
    done = subprocess.run([*WEBAGENT, *args], capture_output=True, env=env, cwd=cwd, timeout=240)
    return Ran(list(args), done.returncode, done.stdout, done.stderr)


def write_settings(path: Path, text: str, mode: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def every_command(tmp_path: Path, server: ScriptedServer, keys: dict[str, str]) -> list[Ran]:
    """Build (reflecting with the judge), edit, bench and doctor with keys, on the good path and every error path.

    The error paths never reach the scripted designer (whose plan is per build), so they run beside the others."""
    work = tmp_path / "work"
    work.mkdir()
    model_env = base_env(OPENAI_API_KEY=keys["env"], OPENAI_BASE_URL=server.url)
    quick_env = dict(model_env, WEBAGENT_REFLECTION_ROUNDS="0")
    full = dict(
        model_env, WEBAGENT_IMAGE_BACKEND="openai", WEBAGENT_VIDEO_BACKEND="openai", WEBAGENT_JUDGE_MODEL="judge-x"
    )
    page = str(work / "page")
    dataset = work / "cases.jsonl"
    dataset.write_text(
        "".join(
            json.dumps({"file_id": name, "input": f"A page called {name} with a photo."}) + "\n"
            for name in ("bakery", "yoga")
        )
    )
    file_key = write_settings(
        tmp_path / "private" / "webagent.toml", f'api_key = "{keys["file"]}"\nbase_url = "{server.url}"\n', 0o600
    )
    in_url = CLOSED_PORT_URL.replace("//", f"//user:{keys['in_url']}@")
    good_paths = [
        (full, "build", PROMPT, "-o", page),
        (full, "edit", page, "make the hero darker"),
        (quick_env, "bench", "--dataset", str(dataset), "--judge", "judge-x", "-o", str(work / "bench")),
    ]
    error_paths = [
        (dict(model_env, WEBAGENT_PLANNER_API_KEY=keys["revoked"]), "build", PROMPT, "-o", str(work / "r401")),
        (
            dict(base_env(), WEBAGENT_MODEL=REVOKED_MODEL),
            "build",
            PROMPT,
            "--config",
            str(file_key),
            "-o",
            str(work / "r404"),
        ),
        (
            dict(quick_env, WEBAGENT_MODEL=SLOW_MODEL, WEBAGENT_MODEL_TIMEOUT_S="0.5", WEBAGENT_MODEL_RETRIES="0"),
            "build",
            PROMPT,
            "-o",
            str(work / "timeout"),
        ),
        (
            base_env(OPENAI_API_KEY=keys["env"], WEBAGENT_MODEL_RETRIES="0", WEBAGENT_REFLECTION_ROUNDS="0"),
            "build",
            PROMPT,
            "--base-url",
            in_url,
            "-o",
            str(work / "closed"),
        ),
        (dict(model_env, OPENAI_API_KEY=keys["revoked"]), "doctor"),
    ]
    with ThreadPoolExecutor(2) as pool:
        chains = [
            pool.submit(lambda calls=calls: [webagent(work, env, *args) for env, *args in calls])
            for calls in (good_paths, error_paths)
        ]
        return [run for chain in chains for run in chain.result()]


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_no_key_is_in_any_output_of_any_command(tmp_path):
    keys = {"env": new_key(), "revoked": new_key(), "file": new_key(), "in_url": new_key()}
    responder = KeyCheckingServer(keys["revoked"], fail_once=("PagePlan", "SectionCode", "images"))
    with ScriptedServer(responder) as server:
        runs = every_command(tmp_path, server, keys)
        sent = {r.headers.get("authorization", "") for r in server.requests}
    build_run, edit_run, bench_run, refused, unknown_model, slow, closed, doctor = runs

    for run in (build_run, edit_run, bench_run, slow, closed):
        assert run.returncode == 0 and not run.errors, (run.args, run.stderr.decode()[-2000:])
    assert sorted(responder.failed) == ["PagePlan", "SectionCode", "images"]  # the 500s were served and retried
    assert b"openai._base_client" in build_run.stderr  # the SDK's debug log was on
    assert refused.errors == [
        f"error: planner model gpt-5.5 at {server.url} refused the API key (401): "
        "check WEBAGENT_PLANNER_API_KEY / OPENAI_API_KEY"
    ]
    assert unknown_model.errors[0].startswith(
        f"error: planner model {REVOKED_MODEL} at {server.url} was not found (404)"
    )
    assert b"timeout" in slow.stdout and b"warning:" in slow.stdout
    assert f"gpt-5.5 at {CLOSED_PORT_URL}".encode() in closed.stdout  # the address, without user:password@
    assert doctor.returncode == 1 and b"refused the API key (401)" in doctor.stdout
    assert b"(2 run now, 0 skipped" in bench_run.stdout and b"failed:" not in bench_run.stdout
    assert (tmp_path / "work" / "bench" / "report.html").is_file()
    assert {f"Bearer {keys[name]}" for name in ("env", "revoked", "file")} <= sent  # every key did reach the server

    secrets = list(keys.values())
    found = {
        f"{number} {run.args[0]} {stream}": leaks(data, secrets)
        for number, run in enumerate(runs)
        for stream, data in (("stdout", run.stdout), ("stderr", run.stderr))
    }
    cache = Path(os.environ["WEBAGENT_CACHE_DIR"])
    files = [p for p in [*tmp_path.rglob("*"), *cache.rglob("*")] if p.is_file() and p.parent.name != "private"]
    found.update({str(p): leaks(p.read_bytes(), secrets) for p in files})
    assert len(files) > 150 and any(p.name == "run.json" for p in files) and any(p.suffix == ".jsonl" for p in files)
    assert {where: hits for where, hits in found.items() if hits} == {}


def test_debug_logs_of_a_failing_build_never_hold_the_key(tmp_path, caplog):
    """Every logger at DEBUG (httpx and httpcore too) through 500s and a 401, with a pasted key's line end."""
    key, revoked = new_key(), new_key()
    caplog.set_level(logging.DEBUG)
    responder = KeyCheckingServer(revoked, fail_once=("PagePlan",))
    with ScriptedServer(responder) as server:
        settings = Settings.from_env(
            {
                "OPENAI_API_KEY": f" {key}\n",
                "OPENAI_BASE_URL": server.url,
                "WEBAGENT_CODER_API_KEY": revoked,
                "WEBAGENT_MODEL_BACKOFF_S": "0.01",
            }
        )
        with pytest.raises(ModelAccessError) as refused:
            build(PROMPT, tmp_path / "page", settings)
        sent = {r.headers.get("authorization") for r in server.requests}
    assert {f"Bearer {key}", f"Bearer {revoked}"} <= sent and responder.failed == ["PagePlan"]
    assert any(record.name.startswith("httpcore") for record in caplog.records)
    assert leaks((caplog.text + str(refused.value)).encode(), [key, revoked]) == []


@pytest.mark.browser
def test_a_server_echoing_the_key_in_a_rejection_does_not_put_it_in_run_json(tmp_path, browser_session):
    key = new_key()
    rejected = error_reply(422, f"unprocessable request from Bearer {key}")
    with ScriptedServer(ScriptedDesigner(faults={"SectionCode": [rejected] * 40})) as server:
        settings = Settings(base_url=server.url, api_key=key, model_backoff_s=0.01, reflection_rounds=0)
        result = build(PROMPT, tmp_path / "page", settings, browser=browser_session)
    record = RunRecord.model_validate_json((result.out_dir / "run.json").read_text())
    assert any("422" in warning for warning in record.warnings)
    assert leaks((result.out_dir / "run.json").read_bytes(), [key]) == []


# --- where keys may come from ---------------------------------------------------------------------


def test_no_command_takes_a_key_as_a_flag():
    command = typer.main.get_command(app)
    options = {
        f"{name} {option}" for name, sub in command.commands.items() for param in sub.params for option in param.opts
    }
    assert options and not [option for option in options if "key" in option.lower()]
    key = new_key()
    refused = CliRunner().invoke(app, ["build", "a bakery", "--api-key", key])
    assert refused.exit_code == 2 and "No such option: --api-key" in refused.output and key not in refused.output


def test_settings_file_with_a_key_open_to_others_is_refused_in_one_line(tmp_path):
    key = new_key()
    config = write_settings(tmp_path / "webagent.toml", f'api_key = "{key}"\n', 0o644)
    ran = webagent(tmp_path, base_env(), "build", "a bakery", "--config", str(config), "-o", str(tmp_path / "out"))
    assert ran.returncode == 1 and ran.stdout == b""
    assert ran.stderr.decode().splitlines() == [
        f"error: settings file {config} holds an API key but is open to other users (mode 644): run chmod 600 {config}"
    ]
    assert leaks(ran.stderr, [key]) == [] and not (tmp_path / "out").exists()


def test_private_settings_file_with_a_key_is_used(tmp_path):
    key = new_key()
    with ScriptedServer(lambda seen: error_reply(401, "no")) as server:
        config = write_settings(tmp_path / "webagent.toml", f'api_key = "{key}"\nbase_url = "{server.url}"\n', 0o600)
        ran = webagent(tmp_path, base_env(WEBAGENT_MODEL_RETRIES="0"), "doctor", "--config", str(config))
        sent = {r.headers.get("authorization") for r in server.requests}
    assert f"Bearer {key}" in sent
    assert b"refused the API key (401)" in ran.stdout and leaks(ran.stdout + ran.stderr, [key]) == []


# --- the app ----------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.timeout(150)
def test_the_app_never_shows_a_key_after_it_is_typed(app_server):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    from webagent.core.browser import find_chromium

    url, out_root = app_server
    key = new_key()
    with ScriptedServer(ScriptedDesigner()) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium()[0], args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        page.goto(url)
        page.get_by_text("Backends and models").click()
        page.get_by_label("Endpoint (OpenAI-compatible base URL)").fill(server.url)
        page.get_by_label("Endpoint (OpenAI-compatible base URL)").press("Enter")
        field = page.get_by_label("API key (all roles)")
        assert field.get_attribute("type") == "password"
        field.fill(key)
        field.press("Enter")
        expect(field).to_have_attribute("placeholder", "set for this session — type to replace", timeout=15_000)
        assert field.input_value() == ""
        page.get_by_label("Describe the page").fill(PROMPT)
        page.get_by_role("button", name="Build page").click()
        preview_frame(page, TITLE_PREFIX, timeout=90)
        shown = "".join(frame.content() + frame.evaluate("() => document.body.innerText") for frame in page.frames)
        browser.close()
        sent = {r.headers.get("authorization") for r in server.requests}
    assert f"Bearer {key}" in sent
    written = b"".join(p.read_bytes() for p in out_root.rglob("*") if p.is_file())
    assert TITLE_PREFIX in shown and written
    assert leaks(shown.encode() + written, [key]) == []
