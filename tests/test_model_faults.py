"""Model faults end well: hostile or broken answers for one model step, through the real client over HTTP.

For the planner, section-writer and chart steps the scripted server answers with garbage bytes, an
empty body, 50 MB bodies, a body dripped one byte at a time, HTML pages, a connection dropped
halfway and chat completions of the wrong shape. Every build must end in a finished page whose
run.json names the step that went offline and records each attempt's outcome, within a time the
settings bound (each attempt at most ``model_timeout_s``), never with a traceback.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.model_server import Reply, ScriptedServer, Seen
from tests.scripted_model import ScriptedDesigner
from webagent.core.answers import DesignSystem
from webagent.core.config import Settings
from webagent.core.contracts import PagePlan
from webagent.core.errors import ModelUnavailableError
from webagent.core.llm import ModelHub
from webagent.core.records import RunRecord
from webagent.engine.build import build
from webagent.planners.offline import compile_prompt

# a small page (header, one chart section, footer) keeps each of the file's builds short
PROMPT = (
    'Page title: "Crumb". One section: a bar chart "Loaves sold" with Mon 120, Tue 135, Wed 98. '
    "Nothing else: no images, no video, no footer."
)
MB = 1 << 20
TIMEOUT_S = 2.0
RETRIES = 1
ATTEMPT_MARGIN_S = 1.0  # one drip interval and a busy machine on top of model_timeout_s
BUILD_ALLOWANCE_S = 60.0  # the rest of a build on a shared machine; a fault that is not bounded costs far more
DRIP_S = 0.5
DRIP_BODY = 4000  # bytes: dripped at DRIP_S a byte, the answer would take over half an hour


def completion(content: object) -> dict:
    """A chat completion body whose one message has ``content`` (any JSON value)."""
    return {
        "id": "chatcmpl-fault",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
    }


def padded_completion(size: int) -> bytes:
    """A valid chat completion of about ``size`` bytes (whitespace padding before its end)."""
    body = json.dumps(completion('{"css": ""}'))
    return (body[:-1] + " " * max(0, size - len(body)) + "}").encode()


@dataclass(frozen=True)
class Fault:
    """One way an answer goes wrong, and what run.json must record for each attempt it hits."""

    make: Callable[[], Reply]  # made when a test runs, so the 50 MB bodies exist only then
    outcome: str


PROXY_LOGIN = "<!doctype html><html><head><title>Sign in</title></head><body><form>Proxy login</form></body></html>"
BAD_GATEWAY = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"

FAULTS: dict[str, Fault] = {
    "garbage bytes": Fault(lambda: Reply(bytes(range(256)) * 64), "not JSON"),
    "empty body": Fault(lambda: Reply(b""), "not JSON"),
    "50 MB answer": Fault(lambda: Reply(json.dumps(completion("x" * 50 * MB)).encode()), "too large"),
    "50 MB of junk without a length": Fault(lambda: Reply(b"{[" * 25 * MB, send_length=False), "too large"),
    "slow drip": Fault(lambda: Reply(padded_completion(DRIP_BODY), drip_s=DRIP_S), "timeout"),
    "HTML login page": Fault(lambda: Reply(PROXY_LOGIN, content_type="text/html"), "not a chat completion"),
    "HTML 502 page": Fault(lambda: Reply(BAD_GATEWAY, status=502, content_type="text/html"), "failed (502)"),
    "connection closed mid-body": Fault(lambda: Reply(padded_completion(2000), cut_after=700), "connection failed"),
    "no choices": Fault(lambda: Reply({**completion(None), "choices": []}), "invalid"),
    "an error object with status 200": Fault(
        lambda: Reply({"error": {"message": "model is loading", "type": "server_error"}}),
        "error answer (model is loading)",
    ),
    "null content": Fault(lambda: Reply(completion(None)), "invalid"),
    "content a list without text": Fault(lambda: Reply(completion([{"type": "refusal", "refusal": "no"}])), "invalid"),
    "content an object": Fault(lambda: Reply(completion({"css": ""})), "invalid"),
}

# each step: its request header, the role and name of its calls in run.json, and its fallback's warning
STEPS = {
    "planner": ("PagePlan", "planner", "page plan", "page plan: ", "planned offline instead"),
    "section": ("SectionCode", "coder", "section ", "section ", "written from the offline template instead"),
    "chart": ("ChartDraft", "coder", "chart ", "chart ", "made offline instead"),
}
CHART_FAULTS = ["garbage bytes", "slow drip", "HTML login page", "no choices"]


def fault_settings(server: ScriptedServer, **overrides) -> Settings:
    """The model for planner, coder and charts; offline media; short timeouts and one retry."""
    values = dict(
        base_url=server.url,
        api_key="sk-test-fault",
        model_timeout_s=TIMEOUT_S,
        model_retries=RETRIES,
        model_backoff_s=0.01,
        reflection_rounds=0,
    )
    return Settings(**{**values, **overrides})


def faulty_designer(fault: Reply, *steps: str) -> ScriptedDesigner:
    """A designer whose ``steps`` always answer ``fault``; it knows the page plan even when the planner fails."""
    designer = ScriptedDesigner(faults={STEPS[step][0]: [fault] * 500 for step in steps})
    designer.plan = compile_prompt(PROMPT)
    return designer


def build_with(designer: ScriptedDesigner, folder: Path, browser_session) -> tuple[RunRecord, float, ScriptedServer]:
    """Build the page against ``designer``: its run record, the build's wall time and the server."""
    with ScriptedServer(designer) as server:
        started = time.perf_counter()
        result = build(PROMPT, folder, fault_settings(server), browser=browser_session)
        seconds = time.perf_counter() - started
    assert_page_finished(result.out_dir)
    return run_record(result.out_dir), seconds, server


def assert_page_finished(folder: Path) -> None:
    """index.html holds every planned section and every planned element's file was written."""
    plan = PagePlan.model_validate_json((folder / "plan.json").read_text())
    html = (folder / "index.html").read_text()
    assert html.rstrip().endswith("</html>")
    for section in plan.sections:
        assert f'id="{section.id}"' in html, section.id
    for asset in plan.assets:
        assert (folder / asset.path).is_file(), asset.path


def run_record(folder: Path) -> RunRecord:
    return RunRecord.model_validate_json((folder / "run.json").read_text())


def assert_step_went_offline(record: RunRecord, step: str, outcome: str) -> float:
    """The step left a one-line warning and every request it made recorded ``outcome``, each within the
    step's timeout (the page plan's is twice MODEL_TIMEOUT_S: its answer is the longest); the longest those
    requests may take together."""
    _, role, call_name, warning_start, instead = STEPS[step]
    assert any(w.startswith(warning_start) and w.endswith(instead) for w in record.warnings), record.warnings
    calls = [c for c in record.model_calls if c.role == role and c.step.startswith(call_name)]
    assert calls and {c.outcome for c in calls} == {outcome}, [(c.step, c.outcome) for c in calls]
    limit = TIMEOUT_S * (2 if step == "planner" else 1) + ATTEMPT_MARGIN_S
    assert all(c.seconds <= limit for c in calls), [c.seconds for c in calls]
    return len(calls) * limit


def assert_bounded(seconds: float, requests_s: float) -> None:
    """The build took no longer than its own work plus every failed request at the longest it may take."""
    assert seconds < BUILD_ALLOWANCE_S + requests_s, (seconds, requests_s)


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(FAULTS))
def test_fault_in_the_planner_and_section_steps_ends_in_a_finished_page(tmp_path, browser_session, kind):
    fault = FAULTS[kind]
    record, seconds, _ = build_with(
        faulty_designer(fault.make(), "planner", "section"), tmp_path / "page", browser_session
    )
    requests_s = assert_step_went_offline(record, "planner", fault.outcome)
    requests_s += assert_step_went_offline(record, "section", fault.outcome)
    assert all("\n" not in w and "Traceback" not in w for w in record.warnings)
    assert_bounded(seconds, requests_s)


@pytest.mark.browser
@pytest.mark.parametrize("kind", CHART_FAULTS)
def test_fault_in_the_chart_step_ends_in_a_finished_page(tmp_path, browser_session, kind):
    fault = FAULTS[kind]
    record, seconds, _ = build_with(faulty_designer(fault.make(), "chart"), tmp_path / "page", browser_session)
    requests_s = assert_step_went_offline(record, "chart", fault.outcome)
    assert [w for w in record.warnings if not w.startswith("chart ")] == []
    assert_bounded(seconds, requests_s)


class AnswersInParts(ScriptedDesigner):
    """A server that sends each chat answer as a list of text parts instead of one string."""

    def __call__(self, seen: Seen) -> Reply:
        reply = super().__call__(seen)
        if "/chat/completions" in seen.path:
            message = reply.body["choices"][0]["message"]
            message["content"] = [
                {"type": "text", "text": message["content"][:40]},
                {"type": "text", "text": message["content"][40:]},
            ]
        return reply


@pytest.mark.browser
def test_answers_given_as_text_parts_are_read(tmp_path, browser_session):
    record, _, _ = build_with(AnswersInParts(), tmp_path / "page", browser_session)
    assert record.warnings == []
    assert {c.outcome for c in record.model_calls} == {"ok"}


# --- memory: a huge answer is refused, not held -------------------------------------------------


def design_system_request(server: ScriptedServer, max_response_mb: float) -> tuple[str, list[str], int]:
    """Ask the coder for a design system: the error, each attempt's outcome, and the peak traced bytes."""
    hub = ModelHub(fault_settings(server, max_response_mb=max_response_mb))
    tracemalloc.start()
    try:
        with pytest.raises(ModelUnavailableError) as caught:
            hub.client("coder").complete_json("design system", [{"role": "user", "content": "a bakery"}], DesignSystem)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        hub.close()
    return str(caught.value), [c.outcome for c in hub.log.calls], peak


def test_a_huge_answer_without_a_length_is_read_only_up_to_the_cap():
    junk = Reply(b"{[" * 25 * MB, send_length=False)  # made before tracing: the server's copy is not counted
    with ScriptedServer(lambda seen: junk) as server:
        error, outcomes, peak = design_system_request(server, max_response_mb=4)
    assert error == f"coder model gpt-5.5 at {server.url} kept failing (too large after {RETRIES + 1} attempts)"
    assert outcomes == ["too large"] * (RETRIES + 1)
    assert peak < 12 * MB, f"{peak / MB:.1f} MB held for a 50 MB answer"


def test_a_huge_answer_with_its_length_declared_is_refused_unread():
    huge = Reply(padded_completion(50 * MB))
    with ScriptedServer(lambda seen: huge) as server:
        error, outcomes, peak = design_system_request(server, max_response_mb=4)
        sent = [r.sent_bytes for r in server.requests]
    assert outcomes == ["too large"] * (RETRIES + 1) and "too large" in error
    assert peak < 4 * MB
    assert all(size < 16 * MB for size in sent), sent  # the client hung up after the headers


@pytest.mark.browser
def test_the_summary_names_the_backend_that_made_each_step(tmp_path, browser_session):
    """Every planner step fails, the design system succeeds and the sections fail: the summary says the planner
    fell back wholly and how many of the coder's steps were written offline."""
    garbage = FAULTS["garbage bytes"].make()
    designer = ScriptedDesigner(faults={step: [garbage] * 500 for step in ("PagePlan", "SectionDetail", "SectionCode")})
    designer.plan = compile_prompt(PROMPT)
    record, _, _ = build_with(designer, tmp_path / "page", browser_session)
    sections = len(PagePlan.model_validate_json((tmp_path / "page" / "plan.json").read_text()).sections)
    summary = record.backend_summary()
    assert "planner=llm (fell back: offline)" in summary, summary
    assert f"coder=llm ({sections} of {sections + 1} steps offline)" in summary, summary
    assert "chart=llm," in summary and "image=offline" in summary, summary
    assert record.made_by["design system"].backend == "llm"
    assert {maker.backend for step, maker in record.made_by.items() if step.startswith("section ")} == {"offline"}
