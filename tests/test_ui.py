"""The Streamlit app: export is unit-tested; one browser test drives the running app end to end.

Set UI_SCREENSHOTS=docs/ui to refresh the README's screenshots from the browser test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from tests.model_server import ScriptedServer, error_reply
from webagent.core.browser import find_chromium
from webagent.core.config import Settings
from webagent.core.errors import BadPromptError
from webagent.engine.build import Progress, build
from webagent.ui.export import page_zip, relative_references, single_file_html
from webagent.ui.inspector import backends_line
from webagent.ui.state import Job, make_settings, start_job, user_message

ROOT = Path(__file__).resolve().parent.parent
PROMPT = (
    "A landing page for a bakery called Crumb and Co with a hero photo of fresh bread, a short video of the "
    "oven, a bar chart of weekly loaves sold: Mon 40, Tue 55, Wed 61, and a pie chart of orders by channel."
)


@pytest.fixture(scope="module")
def built_page(tmp_path_factory, browser_session):
    folder = tmp_path_factory.mktemp("ui") / "page"
    build(PROMPT, folder, Settings(reflection_rounds=0), browser=browser_session)
    return folder


# --- export --------------------------------------------------------------------------------------


@pytest.mark.browser
def test_zip_holds_the_page_and_its_assets_but_not_the_rounds(built_page):
    names = set(zipfile.ZipFile(BytesIO(page_zip(built_page))).namelist())
    assets = {p.relative_to(built_page).as_posix() for p in (built_page / "assets").rglob("*") if p.is_file()}
    assert {"index.html", "plan.json", "run.json", "prompt.txt"} <= names
    assert assets and assets <= names
    assert not any(name.startswith(("rounds/", "screenshots/")) for name in names)


@pytest.mark.browser
def test_single_file_html_has_no_relative_references_and_renders(built_page, tmp_path, browser_session):
    html = single_file_html(built_page)
    assert relative_references(html) == []
    assert "echarts" in html and "data:image/" in html
    alone = tmp_path / "alone" / "page.html"  # nothing beside it: every asset must come from the file
    alone.parent.mkdir()
    alone.write_text(html, encoding="utf-8")

    def look(browser):
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(alone.as_uri())
        page.wait_for_function("() => window.webagentReady && window.webagentReady()", timeout=20_000)
        seen = page.evaluate("""() => ({
            title: document.title,
            images: Array.from(document.images).every(i => i.complete && i.naturalWidth > 0),
            charts: Array.from(document.querySelectorAll('[data-asset-kind="chart"] canvas')).length,
        })""")
        page.close()
        return seen, failed

    seen, failed = browser_session.call(look)
    assert seen["title"] and seen["images"] and seen["charts"] >= 1
    assert failed == []


def test_a_missing_page_is_a_message_not_a_crash(tmp_path):
    with pytest.raises(Exception, match="has no index.html"):
        page_zip(tmp_path)


# --- jobs and messages ---------------------------------------------------------------------------


def test_errors_a_person_causes_are_one_line():
    assert user_message(BadPromptError("the prompt is empty: describe it")) == "the prompt is empty: describe it"
    assert "\n" not in user_message(RuntimeError("boom\n  File x.py, line 3"))


def test_a_bad_setting_is_a_message(monkeypatch):
    with pytest.raises(Exception) as caught:
        make_settings({"reflection_rounds": 99}, {})
    assert "Traceback" not in user_message(caught.value) and "reflection_rounds" in user_message(caught.value)


def run_build_job(folder: Path, settings: Settings) -> Job:
    job = start_job("build", folder, lambda j: build(PROMPT, j.out_dir, settings, on_progress=j.on_progress))
    job.thread.join(120)
    return job


@pytest.mark.browser
def test_progress_names_every_step_in_words(tmp_path):
    job = run_build_job(tmp_path / "page", make_settings({"reflection_rounds": 0}, {}))
    assert job.status == "done", job.error
    plan = job.result.plan
    said = {step.words for step in job.steps}
    assert {"Planning the page", "Assembling the page", "Rendering the page in Chromium", "Saving the page"} <= said
    for section in plan.sections:
        assert f"Writing section ‘{section.title or section.id}’" in said, said
    verbs = {"chart": "Drawing chart", "image": "Making image", "video": "Making video"}
    for asset in plan.assets:
        assert f"{verbs[asset.kind]} ‘{asset.title or asset.id}’" in said, said
    assert not [words for words in said if "_" in words], "a step shown by its internal name"


@pytest.mark.browser
def test_the_edits_a_failed_edit_suggests_work_offline(built_page, tmp_path):
    from webagent.engine.edit import edit_page
    from webagent.ui.actions import OFFLINE_EDITS

    examples = re.findall(r"\*([^*]+)\*", OFFLINE_EDITS)
    assert len(examples) == 4
    folder = tmp_path / "page"
    shutil.copytree(built_page, folder)
    for example in examples:
        change = edit_page(folder, example, Settings(reflection_rounds=0, coder="offline"))
        assert change.rounds and not change.warnings, (example, change.warnings)


def test_before_a_build_the_app_says_which_backends_will_run():
    from webagent.ui.inspector import planned_backends

    offline = planned_backends(make_settings({}, {}))
    assert offline.startswith("This build runs offline, on this machine, with no model: planner=offline, coder=offline")
    remote = planned_backends(make_settings({"base_url": "http://127.0.0.1:9/v1"}, {}))
    assert (
        remote.startswith("This build uses planner=llm, coder=llm")
        and "planner: gpt-5.5 at http://127.0.0.1:9/v1" in remote
    )


@pytest.mark.browser
def test_an_unreachable_endpoint_becomes_warnings_the_app_shows(tmp_path):
    settings = make_settings(
        {"planner": "llm", "base_url": "http://127.0.0.1:9/v1", "model_retries": 0, "model_timeout_s": 5},
        {"api_key": "sk-unreachable"},
    )
    job = run_build_job(tmp_path / "page", settings)
    assert job.status == "done", job.error
    warnings = job.result.record.warnings
    assert any(w.startswith("page plan:") and "planned offline instead" in w for w in warnings)
    assert not any("sk-unreachable" in w or "Traceback" in w for w in warnings)
    run = json.loads((job.out_dir / "run.json").read_text())
    assert backends_line(run).startswith("planner=llm (fell back: offline), coder=llm (fell back: offline)")


def test_a_bad_key_is_one_line_and_writes_nothing(tmp_path):
    refused = error_reply(401, "Incorrect API key provided", code="invalid_api_key")
    with ScriptedServer(lambda seen: refused) as server:
        settings = make_settings(
            {"planner": "llm", "base_url": server.url, "model_retries": 0}, {"api_key": "sk-wrong"}
        )
        job = run_build_job(tmp_path / "page", settings)
    assert job.status == "failed"
    assert "\n" not in job.error and "sk-wrong" not in job.error and "planner" in job.error and "401" in job.error
    assert not (tmp_path / "page").exists()


@pytest.mark.browser
def test_cancel_stops_a_real_build_at_the_next_step_and_leaves_nothing(tmp_path):
    settings = make_settings({}, {})

    def work(job: Job) -> None:
        def cancel_after_the_plan(progress: Progress) -> None:
            job.on_progress(progress)
            if progress.node == "plan_global" and not progress.started:
                job.cancel()

        build(PROMPT, job.out_dir, settings, on_progress=cancel_after_the_plan)

    job = start_job("build", tmp_path / "page", work)
    job.thread.join(60)
    assert job.status == "cancelled"
    assert [s.node for s in job.steps if not s.started] == ["plan_global"]
    assert not (tmp_path / "page").exists() and not list(tmp_path.iterdir())


def test_webagent_ui_is_a_command():
    from typer.testing import CliRunner

    from webagent.cli import app

    result = CliRunner().invoke(app, ["ui", "--help"])
    assert result.exit_code == 0 and "Streamlit app" in result.output


# --- the app in a browser ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_server(tmp_path):
    """`webagent ui --no-open` on 127.0.0.1, building into tmp_path/out; stopped by SIGTERM."""
    port = free_port()
    env = {
        **os.environ,
        "WEBAGENT_UI_OUT": str(tmp_path / "out"),
        "WEBAGENT_REFLECTION_ROUNDS": "0",
        "WEBAGENT_CONFIG": os.devnull,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "webagent", "ui", "--port", str(port), "--no-open", "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {server.stdout.read().decode()[-2000:]}") from exc
                time.sleep(0.3)
        yield url, tmp_path / "out"
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait(5)


def preview_frame(page, contains: str, timeout: float = 30, absent: str | None = None):
    """The preview iframe (the page served from the output folder) once its body shows ``contains``
    (and not ``absent``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "/index.html?v=" in frame.url:
                try:
                    text = frame.evaluate("() => document.title + '\\n' + document.body.innerText")
                    if contains in text and (absent is None or absent not in text):
                        return frame
                except Exception:  # the frame navigated away while we read it
                    pass
        page.wait_for_timeout(300)
    raise AssertionError(f"no preview frame shows {contains!r}; frames: {[f.url for f in page.frames]}")


def device_frame(page, width: int, timeout: float = 20):
    """The preview iframe once it lays the page out on a viewport ``width`` CSS px wide."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "/index.html?v=" in frame.url:
                try:
                    if frame.evaluate("() => window.innerWidth") == width:
                        return frame
                except Exception:  # the frame navigated away while we read it
                    pass
        page.wait_for_timeout(300)
    seen = []
    for frame in page.frames:
        try:
            seen.append((frame.url[:80], frame.evaluate("() => window.innerWidth")))
        except Exception as exc:  # noqa: BLE001
            seen.append((frame.url[:80], str(exc)[:60]))
    raise AssertionError(f"no preview frame {width} px wide: {seen}")


def screenshot(page, path: Path, tab: str | None = None) -> None:
    """The app as a person sees it, scrolled so the open tab is at the top."""
    if tab:
        page.get_by_role("tab", name=tab).evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(400)
    page.screenshot(path=path)


@pytest.mark.browser
@pytest.mark.timeout(150)
def test_the_app_builds_previews_inspects_edits_and_downloads(app_server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url, out_root = app_server
    shots = Path(os.environ["UI_SCREENSHOTS"]) if os.environ.get("UI_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    executable, _ = find_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 1400}, accept_downloads=True)
        page.goto(url)
        build_button = page.get_by_role("button", name="Build page")
        expect(build_button).to_be_visible(timeout=30_000)
        expect(page.get_by_text("This build runs offline, on this machine, with no model")).to_be_visible()

        build_button.click()  # an empty prompt is a message, not a stack trace
        expect(page.get_by_text("the prompt is empty")).to_be_visible(timeout=15_000)
        assert page.get_by_text("Traceback").count() == 0

        page.get_by_label("Describe the page").fill(PROMPT)
        page.get_by_label("Describe the page").press("Control+Enter")
        screenshot(page, shots / "1-prompt.png")
        build_button.click()
        page.wait_for_timeout(700)
        screenshot(page, shots / "2-progress.png")
        expect(page.get_by_text(re.compile(r"build: done"))).to_be_visible(timeout=60_000)
        folder = next(p for p in out_root.iterdir() if (p / "index.html").is_file())
        from webagent.ui.inspector import read_plan

        plan = read_plan(folder)
        shortfalls = json.loads((folder / "run.json").read_text())["shortfalls"]
        assert any("illustrative data" in item["detail"] for item in shortfalls)  # the pie chart has no data
        expect(page.get_by_text("Not as asked")).to_be_visible()
        for item in shortfalls[:3]:
            expect(page.get_by_text(item["detail"], exact=False).first).to_be_visible()
        preview_frame(page, plan.title)
        page.wait_for_timeout(800)
        screenshot(page, shots / "3-preview.png", "Preview")
        for device, width in (("Phone · 390", 390), ("Tablet · 768", 768), ("Desktop · 1440", 1440)):
            page.get_by_text(device, exact=True).click()
            shown = device_frame(page, width)
            box = shown.parent_frame.evaluate(
                "() => [document.getElementById('box').getBoundingClientRect().right, document.documentElement.clientWidth]"
            )
            assert 0 < box[0] <= box[1] + 1, f"{device}: the preview is cropped ({box})"

        page.get_by_role("tab", name="Inspect").click()
        for asset in plan.assets:
            expect(page.get_by_text(f"{asset.id} · {asset.kind}")).to_be_visible()
        page.get_by_text(f"{plan.assets[0].id} · {plan.assets[0].kind}").click()
        page.wait_for_timeout(500)
        screenshot(page, shots / "4-inspect.png", "Inspect")

        page.get_by_role("tab", name="Code").click()
        source = json.loads((folder / "source.json").read_text())
        section = next(s for s in plan.sections if source["section_html"].get(s.id))
        page.get_by_text(f"#{section.id}", exact=False).first.click()
        with page.expect_download() as download:
            page.get_by_role("button", name=f"Download {section.id}.html").click()
        assert Path(download.value.path()).read_text(encoding="utf-8") == source["section_html"][section.id]
        screenshot(page, shots / "8-code.png", "Code")

        page.get_by_role("tab", name="Edit").click()
        edit_box = page.get_by_label("What should change?")
        edit_box.fill('add a section "Baking classes" with text "Sourdough every Sunday morning"')
        page.get_by_role("button", name="Apply edit").click()
        expect(page.get_by_text(re.compile(r"edit: done"))).to_be_visible(timeout=60_000)
        preview_frame(page, "Sourdough every Sunday morning")
        page.get_by_role("tab", name="Edit").click()
        screenshot(page, shots / "5-edit.png", "Edit")
        page.get_by_label("What should change?").fill("sprinkle some magic on it")  # no model: not understood
        page.get_by_role("button", name="Apply edit").click()
        expect(page.get_by_text(re.compile(r"edit: failed"))).to_be_visible(timeout=60_000)
        page.get_by_role("tab", name="Edit").click()
        bubble = page.get_by_test_id("stChatMessage").last
        expect(bubble).to_contain_text("Could not do that:", timeout=15_000)
        expect(bubble).to_contain_text("make the hero darker")

        page.get_by_role("tab", name="Score").click()
        page.get_by_role("button", name="Score page").click()
        expect(page.get_by_text(re.compile(r"score: done"))).to_be_visible(timeout=60_000)
        page.get_by_role("tab", name="Score").click()
        expect(page.get_by_text(re.compile(r"scored by static"))).to_be_visible(timeout=15_000)
        screenshot(page, shots / "6-score.png", "Score")

        page.get_by_role("tab", name="Download").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the page as a zip").click()
        names = set(zipfile.ZipFile(download.value.path()).namelist())
        assert "index.html" in names and any(n.startswith("assets/") for n in names)
        with zipfile.ZipFile(download.value.path()) as archive:
            assert "Sourdough every Sunday morning" in archive.read("index.html").decode("utf-8")
        screenshot(page, shots / "7-download.png", "Download")

        page.get_by_role("tab", name="Edit").click()
        page.get_by_role("button", name="Restore").click()  # back to the build's round: the edit is gone
        preview_frame(page, plan.title, absent="Sourdough every Sunday morning")
        assert page.get_by_text("Traceback").count() == 0
        browser.close()


@pytest.mark.browser
def test_webagent_ui_as_typed_serves_without_a_terminal_opens_the_browser_and_sigterm_frees_the_port(tmp_path):
    """No --no-open, stdin from /dev/null, no terminal: the app answers, the browser is asked to open it, and
    SIGTERM stops every process webagent started (the port refuses connections afterwards)."""
    port, opened = free_port(), tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    browser.chmod(0o755)
    env = {**os.environ, "HOME": str(tmp_path), "BROWSER": str(browser), "WEBAGENT_CONFIG": os.devnull}
    ui = subprocess.Popen(
        [sys.executable, "-m", "webagent", "ui", "--port", str(port), "--out", str(tmp_path / "out")],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # no controlling terminal, as under a service manager
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not opened.is_file() and time.monotonic() < deadline and ui.poll() is None:
            time.sleep(0.3)
        assert opened.read_text().split() == [url], ui.stdout.read1().decode() if ui.poll() is not None else ""
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
            assert response.status == 200
        ui.send_signal(signal.SIGTERM)
        assert ui.wait(20) == 0
    finally:
        if ui.poll() is None:
            os.killpg(ui.pid, signal.SIGKILL)
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    output = ui.stdout.read().decode()
    assert "Email" not in output and "Traceback" not in output, output
