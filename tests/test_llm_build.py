"""The model path end to end: `webagent build` against a scripted OpenAI-compatible server on 127.0.0.1.

Every request goes through the real `openai` client over HTTP. The scripted designer answers each
step validly unless a test scripts a fault for it; each fault must end in a finished page (repair
or offline fallback, with the warning in run.json) or one clear error line — never a traceback
and never a half-written page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from tests.model_server import Reply, ScriptedServer, chat_reply, error_reply
from tests.scripted_model import IMAGE_RGB, TITLE_PREFIX, VIDEO_RGB, ScriptedDesigner, section_marker
from tests.test_build import assert_page_works
from webagent.core.config import Settings
from webagent.core.contracts import PagePlan
from webagent.core.errors import ModelAccessError
from webagent.core.records import RunRecord
from webagent.engine.build import build

pytestmark = pytest.mark.browser

PROMPT = (Path(__file__).parent.parent / "examples" / "demo-prompt.txt").read_text()
SECRET = "sk-test-secret-never-logged-0123456789"


def model_settings(server: ScriptedServer, **overrides) -> Settings:
    values = dict(
        base_url=server.url,
        api_key=SECRET,
        image_backend="openai",
        video_backend="openai",
        model_backoff_s=0.01,
        model_timeout_s=5,
        video_poll_interval_s=0.01,
        model_retries=2,
    )
    return Settings(**{**values, **overrides})


def run_record(folder: Path) -> RunRecord:
    return RunRecord.model_validate_json((folder / "run.json").read_text())


def mean_rgb(pixels: np.ndarray) -> np.ndarray:
    return pixels.reshape(-1, 3).mean(axis=0)


def first_frame(path: Path) -> np.ndarray:
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    frame = np.frombuffer(next(reader), dtype=np.uint8).reshape(meta["size"][1], meta["size"][0], 3)
    reader.close()
    return frame


@pytest.fixture
def designer() -> ScriptedDesigner:
    return ScriptedDesigner(delay_s=0.2)


@pytest.fixture
def server(designer):
    with ScriptedServer(designer) as running:
        yield running


def test_model_build_makes_the_page_the_server_described(tmp_path, server, browser_session):
    result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
    folder = result.out_dir
    plan, media = assert_page_works(folder, browser_session)
    record = run_record(folder)

    assert record.backends == {
        "planner": "llm",
        "coder": "llm",
        "image": "openai",
        "video": "openai",
        "chart": "llm",
        "critic": "static",
    }
    assert record.warnings == []
    assert plan.planner == "llm" and plan.title.startswith(TITLE_PREFIX)
    html = (folder / "index.html").read_text()
    assert f"<title>{plan.title.replace('&', '&amp;')}</title>" in html
    for section in plan.sections:
        assert section_marker(section.id) in html
    assert ".scripted-note" in (folder / "assets" / "page.css").read_text()

    image = next(a for a in plan.assets if a.kind == "image")
    with Image.open(folder / image.path) as picture:
        assert np.allclose(mean_rgb(np.asarray(picture.convert("RGB"))), IMAGE_RGB, atol=6)
        assert abs(picture.width / picture.height - 640 / 400) < 0.02  # the slot the section plan gave
    video = next(a for a in plan.assets if a.kind == "video")
    assert np.allclose(mean_rgb(first_frame(folder / video.path)), VIDEO_RGB, atol=12)
    chart = next(c for c in media["charts"] if c["id"] == next(a.id for a in plan.assets if a.kind == "chart"))
    assert chart["series"] == [[420, 380, 260, 190]]


def test_requests_carry_the_schema_and_the_element_context(tmp_path, server, browser_session):
    result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
    plan = PagePlan.model_validate_json((result.out_dir / "plan.json").read_text())

    page_request = server.seen("/chat/completions", step="PagePlan")[0].body
    schema = page_request["response_format"]["json_schema"]
    assert schema["name"] == "PagePlan" and schema["schema"] == PagePlan.model_json_schema()
    assert "Baked Before Sunrise, Loved All Day" in page_request["messages"][-1]["content"]

    image = next(a for a in plan.assets if a.kind == "image")
    image_request = server.seen("/images/generations")[0].body
    assert image_request["prompt"] == image.generation_prompt()
    assert f"of the {image.context.section} section" in image_request["prompt"]
    assert image_request["size"] == "1536x1024"
    video_request = server.seen("/videos")[0].body
    assert "Attributes:" in video_request["prompt"]


@pytest.mark.parametrize("designer", [ScriptedDesigner(delay_s=1.0)])  # a margin for a busy machine
def test_sections_are_written_concurrently(tmp_path, server, browser_session):
    build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
    writes = server.seen("/chat/completions", step="SectionCode")
    assert len(writes) >= 4
    assert max(w.started for w in writes) < min(w.finished for w in writes), "a section waited for another"
    making = writes + server.seen("/images/") + server.seen("/chat/completions", step="ChartDraft")
    assert max(r.started for r in making) < min(r.finished for r in making), "media waited for the sections"


def test_run_json_records_every_call_and_never_the_key(tmp_path, server, browser_session):
    result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
    record = run_record(result.out_dir)
    assert len(record.model_calls) == len(server.requests)
    chat = [c for c in record.model_calls if c.role in ("planner", "coder")]
    assert all(c.outcome == "ok" and c.input_tokens > 0 and c.output_tokens > 0 for c in chat)
    assert {c.role for c in record.model_calls} == {"planner", "coder", "image", "video"}
    assert record.models["planner"] == f"gpt-5.5 at {server.url}"
    for path in result.out_dir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


# --- faults ------------------------------------------------------------------------------------


def test_invalid_json_is_repaired_with_the_error(tmp_path, browser_session):
    designer = ScriptedDesigner(faults={"PagePlan": [chat_reply('{"title": "Crumb", "sections": [')]})
    with ScriptedServer(designer) as server:
        result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
        repair = server.seen(step="PagePlan")[1].body["messages"]
    record = run_record(result.out_dir)
    assert [c.outcome for c in record.model_calls if c.step == "page plan"] == ["invalid", "repaired"]
    assert "not valid JSON" in repair[-1]["content"] and repair[-2]["role"] == "assistant"
    assert record.warnings == [] and result.plan.planner == "llm"


def test_answer_without_choices_is_repaired(tmp_path, browser_session):
    empty = Reply(
        {"id": "chatcmpl-empty", "object": "chat.completion", "created": 0, "model": "scripted", "choices": []}
    )
    designer = ScriptedDesigner(faults={"PagePlan": [empty]})
    with ScriptedServer(designer) as server:
        result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
        repair = server.seen(step="PagePlan")[1].body["messages"][-1]["content"]
    assert "the answer was empty" in repair
    assert [c.outcome for c in run_record(result.out_dir).model_calls if c.step == "page plan"] == [
        "invalid",
        "repaired",
    ]


def test_section_missing_its_copy_and_slots_is_asked_again_with_what_is_missing(tmp_path, browser_session):
    bare = chat_reply(json.dumps({"html": "<section><p>Nothing here</p></section>", "css": ""}))
    designer = ScriptedDesigner(faults={"SectionCode": [bare]})
    with ScriptedServer(designer) as server:
        result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
        repairs = [r for r in server.seen(step="SectionCode") if len(r.body["messages"]) == 4]
    assert len(repairs) == 1
    asked_again = repairs[0].body["messages"][-1]["content"]
    assert "missing copy, show it verbatim:" in asked_again
    assert run_record(result.out_dir).warnings == []
    html = (result.out_dir / "index.html").read_text()
    assert "Nothing here" not in html and all(section_marker(s.id) in html for s in result.plan.sections)


class DropsAQuote(ScriptedDesigner):
    """A planner model that leaves one quoted string of the prompt out of its plan."""

    def page_plan(self, text: str) -> dict:
        answer = super().page_plan(text)
        for section in answer["sections"]:
            section["content"] = [item for item in section["content"] if item["text"] != "Order Ahead"]
        self.plan = PagePlan.model_validate(answer)
        return answer


def test_quoted_text_the_planner_model_dropped_is_put_back(tmp_path, browser_session):
    with ScriptedServer(DropsAQuote()) as server:
        result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
    header = result.plan.sections[0]
    assert header.role == "header" and "Order Ahead" in [item.text for item in header.content]
    assert "Order Ahead" in (result.out_dir / "index.html").read_text()


def test_truncated_answer_asks_for_a_shorter_one(tmp_path, browser_session):
    designer = ScriptedDesigner(
        faults={"DesignSystem": [chat_reply('{"css": ".a { color: red', finish_reason="length")]}
    )
    with ScriptedServer(designer) as server:
        result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
        repair = server.seen(step="DesignSystem")[1].body["messages"][-1]["content"]
    assert "cut off" in repair
    assert run_record(result.out_dir).warnings == []


def test_schema_violation_twice_falls_back_to_the_offline_planner(tmp_path, browser_session):
    wrong = chat_reply(json.dumps({"title": "Crumb", "sections": "none", "colour": "blue"}))
    designer = ScriptedDesigner(faults={"PagePlan": [wrong, wrong]})
    with ScriptedServer(designer) as server:
        result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
    assert_page_works(result.out_dir, browser_session)
    record = run_record(result.out_dir)
    assert result.plan.planner == "offline" and result.plan.title == "Crumb & Co."
    assert any(
        w.startswith("page plan: planner model's page plan answer was unusable after one repair")
        and "planned offline instead" in w
        for w in record.warnings
    )


def test_rate_limit_then_success_is_retried(tmp_path, browser_session):
    designer = ScriptedDesigner(faults={"PagePlan": [error_reply(429, "slow down", headers={"retry-after": "0"})]})
    with ScriptedServer(designer) as server:
        result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
    record = run_record(result.out_dir)
    assert [c.outcome for c in record.model_calls if c.step == "page plan"] == ["retry (429)", "ok"]
    assert record.warnings == [] and result.plan.planner == "llm"


def test_server_errors_until_retries_end_fall_back_and_stop_calling(tmp_path, browser_session):
    down = [error_reply(500, "internal error")] * 3
    designer = ScriptedDesigner(faults={"PagePlan": down, "SectionDetail": down * 4})
    with ScriptedServer(designer) as server:
        result = build(PROMPT, tmp_path / "page", model_settings(server, model_retries=2), browser=browser_session)
        planner_requests = len(server.seen(step="PagePlan")) + len(server.seen(step="SectionDetail"))
    assert_page_works(result.out_dir, browser_session)
    record = run_record(result.out_dir)
    assert planner_requests == 3, "after the retries ran out the planner endpoint is not called again"
    assert result.plan.planner == "offline"
    assert any("kept failing (failed (500) after 3 attempts)" in w for w in record.warnings)


def test_hanging_response_times_out_and_falls_back(tmp_path, browser_session):
    hang = Reply(delay_s=3.0, body={})
    designer = ScriptedDesigner(faults={"DesignSystem": [hang, hang]})
    with ScriptedServer(designer) as server:
        result = build(
            PROMPT,
            tmp_path / "page",
            model_settings(server, model_timeout_s=0.5, model_retries=1),
            browser=browser_session,
        )
    record = run_record(result.out_dir)
    assert [c.outcome for c in record.model_calls if c.step == "design system"] == ["timeout", "timeout"]
    assert any(w.startswith("design system:") and "built-in stylesheet" in w for w in record.warnings)
    assert_page_works(result.out_dir, browser_session)


def test_unsupported_json_schema_mode_steps_down_to_json_mode(tmp_path, browser_session):
    refuse_schema = error_reply(400, "response_format json_schema is not supported")
    designer = ScriptedDesigner(faults={"PagePlan": [refuse_schema]})
    with ScriptedServer(designer) as server:
        build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
        first, second = server.seen(step="PagePlan")[:2]
        later = server.seen(step="SectionCode")[0]
    assert first.body["response_format"]["type"] == "json_schema"
    assert second.body["response_format"] == {"type": "json_object"}
    assert '"title":' in second.body["messages"][0]["content"]  # the schema travels in the prompt
    assert later.body["response_format"] == {"type": "json_object"}


def test_refused_key_stops_the_build_with_one_line_and_no_folder(tmp_path, browser_session):
    designer = ScriptedDesigner(faults={"PagePlan": [error_reply(401, "Incorrect API key provided: sk-test***")]})
    with ScriptedServer(designer) as server:
        with pytest.raises(ModelAccessError) as caught:
            build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
    assert str(caught.value) == (
        f"planner model gpt-5.5 at {server.url} refused the API key (401): "
        "check WEBAGENT_PLANNER_API_KEY / OPENAI_API_KEY"
    )
    assert not (tmp_path / "page").exists() and list(tmp_path.iterdir()) == []


def test_cli_build_names_the_models_and_counts_the_calls(tmp_path):
    with ScriptedServer(ScriptedDesigner()) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": SECRET}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "webagent",
                "build",
                "--prompt-file",
                "examples/demo-prompt.txt",
                "--image",
                "openai",
                "-o",
                str(tmp_path / "out"),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            cwd=Path(__file__).parent.parent,
        )
        requests = len(server.requests)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "backends: planner=llm, coder=llm, image=openai, video=offline, chart=llm, critic=static" in out
    assert (
        f"models: planner=gpt-5.5 at {server.url}, coder=gpt-5.5 at {server.url}, image=gpt-image-2 at {server.url}"
        in out
    )
    assert f"model calls: {requests} (" in out and SECRET not in out + result.stderr
    assert (tmp_path / "out" / "index.html").is_file()


def test_cli_reports_a_refused_key_in_one_line(tmp_path):
    designer = ScriptedDesigner(faults={"PagePlan": [error_reply(401, "bad key")]})
    with ScriptedServer(designer) as server:
        env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": SECRET}
        result = subprocess.run(
            [sys.executable, "-m", "webagent", "build", PROMPT, "-o", str(tmp_path / "out")],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith("error: planner model gpt-5.5 at") and "refused the API key (401)" in lines[0]
    assert SECRET not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()
