"""One model client for every role, over the ``openai`` package and any OpenAI-compatible server.

``ModelHub`` hands out one ``RoleClient`` per role (planner, coder, judge, image, video). A role
client retries 429, 5xx, timeouts, dropped connections and unreadable answers (not JSON, not a
chat completion, too large) with backoff; stops the build at once on 401/403/404; records every
HTTP attempt in a ``CallLog`` (role, model, seconds, tokens, outcome); and asks for JSON with the
endpoint's best structured-output mode, validating the answer against a pydantic contract and
sending one repair request before giving up.

httpx's read timeout restarts with every byte that arrives, so a server dripping its answer one
byte at a time would never time out. Chat roles therefore read through ``AnswerLimits``: each
request must be answered within ``model_timeout_s`` in total, and a body over ``max_response_mb``
is refused (unread when its Content-Length says so), so a hostile or broken server costs bounded
time and memory.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import httpx
import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from webagent.core.chat_request import RequestShape, request_bytes
from webagent.core.config import ChatRole, Endpoint, ModelRole, Settings
from webagent.core.errors import ModelAccessError, ModelOutputError, ModelStepError, ModelUnavailableError
from webagent.core.json_answers import coerced, json_candidates
from webagent.core.prompt_book import PromptBook
from webagent.core.source import ModelCall

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
Check = Callable[[Any], list[str]]

PROMPTS = PromptBook(Path(__file__).with_name("prompts"))
log = logging.getLogger(__name__)
MAX_RETRY_AFTER_S = 30.0
MAX_ERRORS_SHOWN = 12
NO_KEY = "not-needed"  # local servers need no key, but the client insists on one
CHAT_ROLES: tuple[ChatRole, ...] = ("planner", "coder", "judge")
DEADLINE = "webagent.deadline"  # the request extension holding the answer's deadline (monotonic seconds)
MB = 1 << 20
NOT_JSON = (json.JSONDecodeError, UnicodeDecodeError)  # what the openai package raises decoding a bad body


class UnreadableResponse(Exception):
    """An HTTP answer that cannot be a model's answer; its message is the outcome run.json records.

    Raised inside a request and always handled by ``RoleClient.call``, which retries it like a 5xx.
    """


class BoundedBody(httpx.SyncByteStream):
    """A response body read against a deadline and a size cap."""

    def __init__(self, inner: httpx.SyncByteStream, deadline: float, max_bytes: int) -> None:
        self.inner = inner
        self.deadline = deadline
        self.max_bytes = max_bytes

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self.inner:
            received += len(chunk)
            if received > self.max_bytes:
                raise UnreadableResponse("too large")
            if time.monotonic() > self.deadline:
                raise httpx.ReadTimeout("the answer did not arrive in time")
            yield chunk

    def close(self) -> None:
        self.inner.close()


class AnswerLimits:
    """httpx event hooks bounding every answer of one client: ``seconds`` in total, ``max_bytes`` of body."""

    def __init__(self, seconds: float, max_bytes: int) -> None:
        self.seconds = seconds
        self.max_bytes = max_bytes

    def hooks(self) -> dict[str, list[Callable]]:
        return {"request": [self.start], "response": [self.bound]}

    def start(self, request: httpx.Request) -> None:
        """The answer's deadline: the request's own timeout (a step's), else the client's."""
        seconds = request.extensions.get("timeout", {}).get("read") or self.seconds
        request.extensions[DEADLINE] = time.monotonic() + seconds

    def bound(self, response: httpx.Response) -> None:
        """Refuse an answer declared too large or already late; read the rest of it within both limits."""
        deadline = response.request.extensions[DEADLINE]
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise UnreadableResponse("too large")
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the answer did not arrive in time")
        response.stream = BoundedBody(cast(httpx.SyncByteStream, response.stream), deadline, self.max_bytes)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The certificates every model client verifies with, loaded once per process (about 20 ms per client otherwise,
    on the critical path of each role's first request)."""
    return httpx.create_ssl_context()


def http_client(settings: Settings, chat: bool) -> httpx.Client:
    """The HTTP client of a role: the openai package's defaults (redirects, pool size) and the process's TLS
    context; a chat role's also enforces the answer limits (image and video downloads can be large and slow)."""
    hooks = AnswerLimits(settings.model_timeout_s, int(settings.max_response_mb * MB)).hooks() if chat else {}
    return httpx.Client(
        timeout=settings.model_timeout_s,
        follow_redirects=True,
        event_hooks=hooks,
        verify=tls_context(),
        limits=httpx.Limits(max_connections=1000, max_keepalive_connections=100),
    )


class CallLog:
    """Every model request of one build, safe to add to from parallel tasks."""

    def __init__(self) -> None:
        self._calls: list[ModelCall] = []
        self._lock = threading.Lock()

    def add(self, call: ModelCall) -> None:
        with self._lock:
            self._calls.append(call)

    def relabel(self, role: str, step: str, outcome: str) -> None:
        """Change the outcome of the latest successful request of ``role`` for ``step``."""
        with self._lock:
            for call in reversed(self._calls):
                if call.role == role and call.step == step and call.outcome == "ok":
                    call.outcome = outcome
                    return

    @property
    def calls(self) -> list[ModelCall]:
        with self._lock:
            return list(self._calls)


def validation_errors(exc: ValidationError) -> list[str]:
    """Pydantic's errors as short 'where: what' lines."""
    lines = []
    for error in exc.errors()[:MAX_ERRORS_SHOWN]:
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"{where}: {error['msg']}")
    return lines


def read_answer(
    answer: str | None, schema: type[T], check: Check | None, notes: list[str] | None = None
) -> tuple[T | None, list[str]]:
    """The validated contract in ``answer``, or the reasons it cannot be used.

    Of the JSON objects the answer holds (json_answers.json_candidates: reasoning blocks, prefaces and other
    fences set aside), the first that validates after the harmless coercions wins; ``notes`` gets those
    coercions. Otherwise the reasons are those of the longest object that is JSON at all."""
    if not answer or not answer.strip():
        return None, ["the answer was empty"]
    candidates = json_candidates(answer)
    if not candidates:
        return None, ["no JSON object in the answer" + (" (only a reasoning block)" if "<" in answer else "")]
    reasons: list[str] = []
    reasons_from = -1  # the length of the candidate the reasons are about; JSON errors count for nothing
    for text in candidates:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if reasons_from < 0 and not reasons:
                reasons = [f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"]
            continue
        made: list[str] = []
        try:
            value = schema.model_validate(coerced(data, schema, made))
        except ValidationError as exc:
            problems = validation_errors(exc)
        else:
            problems = (check(value) if check else [])[:MAX_ERRORS_SHOWN]
            if not problems:
                if notes is not None:
                    notes.extend(made)
                return value, []
        if len(text) > reasons_from:
            reasons, reasons_from = problems, len(text)
    return None, reasons


def http_label(exc: Exception) -> str:
    """How a failed attempt is recorded: 'timeout', 'retry (429)', 'failed (502)', …"""
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, UnreadableResponse):
        return str(exc)
    if isinstance(exc, NOT_JSON):
        return "not JSON"
    if isinstance(exc, openai.APIConnectionError):
        return "connection failed"
    status = getattr(exc, "status_code", None)
    return f"retry ({status})" if status == 429 else f"failed ({status})"


class RoleClient:
    """The model of one role: requests with retries, recording and structured JSON answers."""

    def __init__(self, endpoint: Endpoint, settings: Settings, log: CallLog, shape: RequestShape) -> None:
        self.endpoint = endpoint
        self.settings = settings
        self.log = log
        self.shape = shape
        key = endpoint.api_key.get_secret_value() if endpoint.api_key else NO_KEY
        self.api = openai.OpenAI(
            base_url=endpoint.base_url,
            api_key=key,
            timeout=settings.model_timeout_s,
            max_retries=0,
            # openai checks at run time that this is an httpx.Client (the legacy client it still accepts)
            http_client=http_client(settings, endpoint.role in CHAT_ROLES),  # type: ignore[arg-type]
        )
        self.down_reason = ""  # set once the endpoint has exhausted its retries: later steps skip it

    # --- requests ---------------------------------------------------------------------------

    def call(
        self,
        step: str,
        send: Callable[[openai.OpenAI], R],
        tokens: Callable[[R], tuple[int, int]] | None = None,
        size: int = 0,
    ) -> R:
        """``send(api)`` with retries and a ModelCall recorded per attempt (``size``: the request's bytes).

        A request that ran out of time is tried once more at most: a model too slow for it once is
        likely to be again, and each try costs the whole timeout."""
        if self.down_reason:
            raise ModelUnavailableError(self.down_reason)
        retries = self.settings.model_retries
        timeouts = 0
        for attempt in range(retries + 1):
            started = time.perf_counter()
            record = functools.partial(self._record, step, started, size=size)
            try:
                result = send(self.api)
            except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError) as exc:
                record(f"refused ({exc.status_code})")
                raise ModelAccessError(self._access_message(exc)) from None
            except (
                openai.RateLimitError,
                openai.InternalServerError,
                openai.APITimeoutError,
                openai.APIConnectionError,
                UnreadableResponse,
                *NOT_JSON,
            ) as exc:
                record(http_label(exc))
                if getattr(exc, "code", None) == "insufficient_quota":
                    raise ModelAccessError(f"{self._who()} says the account has no quota left (429)") from None
                timeouts += isinstance(exc, openai.APITimeoutError)
                if attempt == retries or timeouts == 2:
                    self.down_reason = f"{self._who()} kept failing ({http_label(exc)} after {attempt + 1} attempts)"
                    raise ModelUnavailableError(self.down_reason) from None
                time.sleep(self._backoff(attempt, exc))
            except openai.APIStatusError as exc:
                record(f"failed ({exc.status_code})")
                raise ModelStepError(
                    f"{self._who()} rejected the {step} request ({exc.status_code}: {self._server_text(exc.message)})"
                ) from exc
            else:
                record("ok", tokens(result) if tokens else (0, 0))
                return result
        raise AssertionError("unreachable: the loop returns or raises")

    def complete_json(
        self, step: str, messages: list[dict[str, Any]], schema: type[T], check: Check | None = None
    ) -> T:
        """The model's answer to ``messages`` as a validated ``schema``; one repair request if needed.

        Raises ModelOutputError when the repaired answer is still unusable.
        """
        conversation = [*messages]
        last_errors: list[str] = []
        for round_number in (1, 2):
            response = self._structured_request(step, conversation, schema)
            answer, finish_reason = first_choice(response)
            notes: list[str] = []
            value, errors = read_answer(answer, schema, check, notes)
            if value is not None:
                if notes:
                    log.info(
                        "%s model's %s answer read with %d coercion(s): %s",
                        self.endpoint.role,
                        step,
                        len(notes),
                        "; ".join(notes[:MAX_ERRORS_SHOWN]),
                    )
                if round_number == 2:
                    self._relabel_last(step, "repaired")
                return value
            self._relabel_last(step, "invalid")
            last_errors = errors
            repair = PROMPTS.text("repair.md.j2", errors=errors, truncated=finish_reason == "length")
            conversation = [
                *messages,
                {"role": "assistant", "content": (answer or "")[:20_000]},
                {"role": "user", "content": repair},
            ]
        raise ModelOutputError(
            f"{self.endpoint.role} model's {step} answer was unusable after one repair ({'; '.join(last_errors[:3])})"
        )

    def _structured_request(self, step: str, messages: list[dict[str, Any]], schema: type[T]) -> Any:
        """One chat request shaped as the server accepts (RequestShape), reshaped after a 400 that names a part."""
        schema_text = json.dumps(schema.model_json_schema(), separators=(",", ":"))

        def instruction(with_schema: bool) -> str:
            return PROMPTS.text("json_answer.md.j2", with_schema=with_schema, schema=schema_text)

        while True:
            request = self.shape.request(self.endpoint.model, messages, schema, self.settings, instruction)
            try:
                return self.call(step, functools.partial(send_chat, request), usage_of, request_bytes(request))
            except ModelStepError as exc:
                refused = exc.__cause__
                if not isinstance(refused, openai.BadRequestError) or not self.shape.adapt(refused, request):
                    raise

    # --- bookkeeping ------------------------------------------------------------------------

    def _record(self, step: str, started: float, outcome: str, tokens: tuple[int, int] = (0, 0), size: int = 0) -> None:
        self.log.add(
            ModelCall(
                role=self.endpoint.role,
                step=step,
                model=self.endpoint.model,
                seconds=round(time.perf_counter() - started, 3),
                input_tokens=tokens[0],
                output_tokens=tokens[1],
                request_bytes=size,
                outcome=outcome,
            )
        )

    def _relabel_last(self, step: str, outcome: str) -> None:
        self.log.relabel(self.endpoint.role, step, outcome)

    def _backoff(self, attempt: int, exc: Exception) -> float:
        response = getattr(exc, "response", None)
        retry_after = response.headers.get("retry-after") if response is not None else None
        try:
            wanted = float(retry_after) if retry_after else 0.0
        except ValueError:
            wanted = 0.0
        delay = self.settings.model_backoff_s * 2**attempt * random.uniform(0.8, 1.2)
        return min(max(delay, wanted), MAX_RETRY_AFTER_S)

    def _server_text(self, text: str) -> str:
        """A server's error text, shortened, with our key blanked out (a proxy may echo the header back)."""
        key = self.endpoint.api_key.get_secret_value() if self.endpoint.api_key else ""
        return short(text.replace(key, "[key]") if key else text)

    def _who(self) -> str:
        return f"{self.endpoint.role} model {self.endpoint.describe()}"

    def _access_message(self, exc: openai.APIStatusError) -> str:
        role = self.endpoint.role.upper()
        if exc.status_code == 404:
            return f"{self._who()} was not found (404): check WEBAGENT_{role}_MODEL / WEBAGENT_MODEL and the base URL"
        what = "refused the API key (401)" if exc.status_code == 401 else "denied access (403)"
        return f"{self._who()} {what}: check WEBAGENT_{role}_API_KEY / OPENAI_API_KEY"


def send_chat(request: dict, api: openai.OpenAI) -> ChatCompletion:
    """One chat request, answered by a chat completion."""
    return chat_completion(api.chat.completions.create(**request))


def chat_completion(response: Any) -> ChatCompletion:
    """``response`` when it is a chat completion; an HTML page or other text a server sent instead is unreadable,
    and so is an error object sent with status 200 ({"error": {"message": "model is loading"}}), as some local
    servers do."""
    if not isinstance(response, ChatCompletion):
        raise UnreadableResponse("not a chat completion")
    error = getattr(response, "error", None)
    if error is not None and not getattr(response, "choices", None):
        message = error.get("message") if isinstance(error, dict) else error
        raise UnreadableResponse(f"error answer ({short(str(message or 'no message'), 60)})")
    return response


def first_choice(response: Any) -> tuple[str | None, str | None]:
    """(text, finish reason) of a chat completion's first choice; (None, None) when a server sent none.

    Content given as a list of parts (as some compatible servers send it) is joined; any other
    kind of content counts as none.
    """
    choices = getattr(response, "choices", None)
    first = choices[0] if isinstance(choices, list) and choices else None
    message = getattr(first, "message", None)
    if message is None:
        return None, None
    return message_text(getattr(message, "content", None)), getattr(first, "finish_reason", None)


def message_text(content: Any) -> str | None:
    """The text of a message's content: a string, or the text parts of a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [part.get("text") for part in content if isinstance(part, dict)]
        return "".join(part for part in parts if isinstance(part, str)) or None
    return None


def usage_of(response: Any) -> tuple[int, int]:
    """(input, output) tokens of a chat completion; servers that omit usage count as zero."""
    usage = getattr(response, "usage", None)
    return (getattr(usage, "prompt_tokens", 0) or 0, getattr(usage, "completion_tokens", 0) or 0) if usage else (0, 0)


def short(text: str, limit: int = 160) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class ModelHub:
    """The role clients of one build, made on first use and closed together."""

    def __init__(self, settings: Settings, log: CallLog | None = None) -> None:
        self.settings = settings
        self.log = log or CallLog()
        self._clients: dict[str, RoleClient] = {}
        self._shapes: dict[tuple[str | None, str], RequestShape] = {}
        self._lock = threading.Lock()

    def client(self, role: ModelRole) -> RoleClient:
        with self._lock:
            if role not in self._clients:
                endpoint = self.settings.endpoint(role)
                shape = self._shapes.setdefault(
                    (endpoint.base_url, endpoint.model),
                    RequestShape(self.settings.structured_output, self.settings.reasoning_effort),
                )
                self._clients[role] = RoleClient(endpoint, self.settings, self.log, shape)
            return self._clients[role]

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.api.close()
            self._clients.clear()
