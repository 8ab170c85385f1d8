"""How a chat request for a JSON answer is shaped, and what one server turned out to accept.

Servers differ: OpenAI's reasoning models refuse ``max_tokens`` and want ``max_completion_tokens``;
vLLM refuses an answer budget larger than what is left of the model's context; some servers refuse
``reasoning_effort`` or a ``response_format``. ``RequestShape`` starts with the best request and,
for each 400 that names what it refused, drops or renames that one part for every later request to
the same server and model, without giving up on the rest (structured output steps down only when
the 400 names nothing else).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import openai
from pydantic import BaseModel

from webagent.core.config import Settings

log = logging.getLogger(__name__)
STRUCTURED_MODES = ("json_schema", "json_object", "prompt")
# Answer budgets per step (output tokens, reasoning included): room for a reasoning model's thinking.
ANSWER_TOKENS = {"PagePlan": 32_000, "PageRewrite": 32_000, "SectionCode": 16_000, "DesignSystem": 16_000}
DEFAULT_ANSWER_TOKENS = 8_000
# Steps whose answers are long get this many times the request timeout.
SLOW_STEPS = {"PagePlan": 2.0, "PageRewrite": 2.0}
LIMIT_FIELDS = ("max_tokens", "max_completion_tokens")
CONTEXT_WORDS = ("context length", "context window", "maximum context", "too many tokens")


def answer_budget(schema: type[BaseModel], settings: Settings) -> int:
    """The output tokens a step may use: the step's default, or MAX_ANSWER_TOKENS (0 = no limit sent)."""
    if settings.max_answer_tokens is not None:
        return settings.max_answer_tokens
    return ANSWER_TOKENS.get(schema.__name__, DEFAULT_ANSWER_TOKENS)


def step_timeout(schema: type[BaseModel], settings: Settings) -> float:
    """Seconds the step's request may take: MODEL_TIMEOUT_S, more for the steps with long answers."""
    return settings.model_timeout_s * SLOW_STEPS.get(schema.__name__, 1.0)


class RequestShape:
    """What one server and model accepts; shared by every role that uses them, safe across threads."""

    def __init__(self, structured_output: str, reasoning_effort: str) -> None:
        self.fixed_mode = structured_output != "auto"
        self.mode = structured_output if self.fixed_mode else STRUCTURED_MODES[0]
        self.limit_field: str | None = LIMIT_FIELDS[0]
        self.effort = reasoning_effort
        self._lock = threading.Lock()

    def request(
        self,
        model: str,
        messages: list[dict[str, Any]],
        schema: type[BaseModel],
        settings: Settings,
        instruction: Callable[[bool], str],
    ) -> dict:
        """The keyword arguments of ``chat.completions.create`` for a JSON answer of ``schema``;
        ``instruction(with_schema)`` is the JSON instruction added to the system message."""
        system, rest = (
            (messages[0], messages[1:])
            if messages[0]["role"] == "system"
            else ({"role": "system", "content": ""}, messages)
        )
        with self._lock:
            mode, limit_field, effort = self.mode, self.limit_field, self.effort
        guide = instruction(mode != "json_schema")
        request: dict = {
            "model": model,
            "messages": [{"role": "system", "content": f"{system['content']}\n\n{guide}".strip()}, *rest],
            "extra_headers": {"X-Webagent-Step": schema.__name__},
            "timeout": step_timeout(schema, settings),
        }
        budget = answer_budget(schema, settings)
        if limit_field and budget:
            request[limit_field] = budget
        if effort:
            request["reasoning_effort"] = effort
        if mode == "json_schema":
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema(), "strict": False},
            }
        elif mode == "json_object":
            request["response_format"] = {"type": "json_object"}
        return request

    def adapt(self, refused: openai.BadRequestError, request: dict) -> str | None:
        """Change the part of ``request`` the server refused; what changed, or None when nothing is left to try."""
        said = f"{getattr(refused, 'param', '') or ''} {refused.message}".lower()
        with self._lock:
            change = self._change(said, request)
        if change:
            log.info("the server refused a request (400), so %s: %s", change, refused.message[:200])
        return change

    def _change(self, said: str, request: dict) -> str | None:
        sent_limit = next((field for field in LIMIT_FIELDS if field in request), None)
        if sent_limit and any(words in said for words in CONTEXT_WORDS):
            self.limit_field = None
            return f"{sent_limit} is no longer sent (it is more than the model's context has room for)"
        if sent_limit == "max_tokens" and "max_tokens" in said.replace("max_completion_tokens", ""):
            self.limit_field = "max_completion_tokens"
            return "max_completion_tokens is sent instead of max_tokens"
        if sent_limit and sent_limit in said:
            self.limit_field = None
            return f"{sent_limit} is no longer sent"
        if "reasoning_effort" in request and ("reasoning_effort" in said or "reasoning" in said):
            self.effort = ""
            return "reasoning_effort is no longer sent"
        return self._step_down(request)

    def _step_down(self, request: dict) -> str | None:
        """Move past the structured-output mode ``request`` used; None when the mode is fixed or the last one."""
        sent = request.get("response_format", {}).get("type", "prompt")
        if self.fixed_mode:
            return None
        if self.mode != sent:
            return f"JSON is asked for by {self.mode}"  # another task already stepped down
        index = STRUCTURED_MODES.index(sent)
        if index + 1 == len(STRUCTURED_MODES):
            return None
        self.mode = STRUCTURED_MODES[index + 1]
        return f"JSON is asked for by {self.mode}"


def request_bytes(request: dict) -> int:
    """The size of a request's body as sent (messages and parameters), for run.json."""
    body = {key: value for key, value in request.items() if key not in ("extra_headers", "timeout")}
    return len(json.dumps(body, ensure_ascii=False).encode())
