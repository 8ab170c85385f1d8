"""What each chat request carries, and how it adapts to what a server refuses: an answer budget per step
(``max_tokens``, or ``max_completion_tokens`` for a server that wants it, or none when the budget does not fit
the model's context), ``reasoning_effort`` when set, the request's size in the call log, and a timeout that
is tried once more at most. Each 400 names what it refused; only that part of the request changes.
"""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from tests.model_server import Reply, ScriptedServer, Seen, chat_reply, error_reply
from webagent.core.answers import DesignSystem
from webagent.core.config import Settings
from webagent.core.errors import ModelUnavailableError
from webagent.core.llm import ModelHub

OPENAI_LIMIT_REFUSAL = (
    "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."
)
VLLM_CONTEXT_REFUSAL = (
    "This model's maximum context length is 8192 tokens. However, you requested 33000 tokens "
    "(1000 in the messages, 32000 in the completion). Please reduce the length of the messages or completion."
)
MESSAGES = [{"role": "system", "content": "You answer in JSON."}, {"role": "user", "content": "A note, please."}]


class Note(BaseModel):
    text: str


def answer_for(seen: Seen) -> Reply:
    """A valid answer for either schema the tests ask for."""
    if seen.step == "DesignSystem":
        return chat_reply(json.dumps({"css": ".note { color: red; }", "components": {}}))
    return chat_reply(json.dumps({"text": "hello"}))


def refusing(message: str, param: str | None, refused_when: str) -> object:
    """A server that answers 400 with ``message`` while the request body holds ``refused_when``."""

    def respond(seen: Seen) -> Reply:
        if refused_when in seen.body:
            reply = error_reply(400, message)
            reply.body["error"]["param"] = param
            return reply
        return answer_for(seen)

    return respond


def settings_for(server: ScriptedServer, **overrides) -> Settings:
    values = dict(base_url=server.url, model="scripted", model_timeout_s=5, model_retries=3, model_backoff_s=0.01)
    return Settings(**{**values, **overrides})


def ask(settings: Settings, schema: type[BaseModel] = Note, role: str = "coder") -> ModelHub:
    hub = ModelHub(settings)
    try:
        hub.client(role).complete_json("note", MESSAGES, schema)  # type: ignore[arg-type]
    finally:
        hub.close()
    return hub


def test_each_step_sends_its_answer_budget_and_the_log_holds_each_request_size():
    with ScriptedServer(answer_for) as server:
        hub = ask(settings_for(server), DesignSystem)
        ask(settings_for(server), Note)
    design, note = server.seen("/chat/completions")
    assert design.body["max_tokens"] == 16_000 and note.body["max_tokens"] == 8_000
    assert "max_completion_tokens" not in design.body and "reasoning_effort" not in design.body
    (call,) = hub.log.calls
    sent = len(json.dumps(design.body, ensure_ascii=False).encode())
    assert abs(call.request_bytes - sent) < sent * 0.05  # the body as sent, give or take JSON spacing


def test_max_answer_tokens_overrides_every_step_and_zero_sends_no_limit():
    with ScriptedServer(answer_for) as server:
        ask(settings_for(server, max_answer_tokens=1234), DesignSystem)
        ask(settings_for(server, max_answer_tokens=0), DesignSystem)
    capped, unlimited = server.seen("/chat/completions")
    assert capped.body["max_tokens"] == 1234
    assert "max_tokens" not in unlimited.body and "max_completion_tokens" not in unlimited.body


def test_a_server_wanting_max_completion_tokens_gets_it_for_every_later_request_and_keeps_json_schema():
    with ScriptedServer(refusing(OPENAI_LIMIT_REFUSAL, "max_tokens", "max_tokens")) as server:
        hub = ModelHub(settings_for(server))
        try:
            assert hub.client("coder").complete_json("note", MESSAGES, Note).text == "hello"
            hub.client("planner").complete_json("note", MESSAGES, Note)  # same server and model: learnt once
        finally:
            hub.close()
    refused, accepted, later = server.seen("/chat/completions")
    assert "max_tokens" in refused.body
    assert accepted.body["max_completion_tokens"] == 8_000 and "max_tokens" not in accepted.body
    assert accepted.body["response_format"]["type"] == "json_schema"  # the 400 was not about structured output
    assert later.body["max_completion_tokens"] == 8_000
    assert [c.outcome for c in hub.log.calls] == ["failed (400)", "ok", "ok"]


def test_a_budget_larger_than_the_context_is_dropped_not_the_structured_output():
    with ScriptedServer(refusing(VLLM_CONTEXT_REFUSAL, None, "max_tokens")) as server:
        ask(settings_for(server), DesignSystem)
    refused, accepted = server.seen("/chat/completions")
    assert refused.body["max_tokens"] == 16_000
    assert "max_tokens" not in accepted.body and "max_completion_tokens" not in accepted.body
    assert accepted.body["response_format"]["type"] == "json_schema"


def test_reasoning_effort_is_sent_when_set_and_dropped_when_refused():
    with ScriptedServer(answer_for) as server:
        ask(settings_for(server, reasoning_effort="low"))
    assert server.seen("/chat/completions")[0].body["reasoning_effort"] == "low"

    refusal = "Unrecognized request argument supplied: reasoning_effort"
    with ScriptedServer(refusing(refusal, None, "reasoning_effort")) as server:
        ask(settings_for(server, reasoning_effort="high"))
    refused, accepted = server.seen("/chat/completions")
    assert refused.body["reasoning_effort"] == "high" and "reasoning_effort" not in accepted.body
    assert accepted.body["max_tokens"] == 8_000 and accepted.body["response_format"]["type"] == "json_schema"


def test_a_400_naming_nothing_we_can_drop_still_steps_structured_output_down():
    with ScriptedServer(refusing("response_format json_schema is not supported", None, "response_format")) as server:
        ask(settings_for(server))
    modes = [seen.body.get("response_format", {}).get("type", "prompt") for seen in server.seen("/chat/completions")]
    assert modes == ["json_schema", "json_object", "prompt"]


def test_a_request_that_timed_out_is_tried_once_more_not_for_every_retry():
    with ScriptedServer(lambda seen: chat_reply('{"text": "late"}', delay_s=3)) as server:
        hub = ModelHub(settings_for(server, model_timeout_s=0.5, model_retries=3))
        try:
            with pytest.raises(ModelUnavailableError, match=r"timeout after 2 attempts"):
                hub.client("coder").complete_json("note", MESSAGES, Note)
        finally:
            hub.close()
    assert [c.outcome for c in hub.log.calls] == ["timeout", "timeout"]


def test_invalid_reasoning_effort_is_a_settings_error():
    with pytest.raises(ValueError, match="reasoning_effort"):
        Settings(reasoning_effort="extreme")
