"""A scripted OpenAI-compatible server on 127.0.0.1 for tests and benchmarks.

It speaks the HTTP of the chat-completions, images and videos APIs; what it answers is decided by
a ``responder`` function given each request, so a test scripts valid plans, broken JSON, 429s,
500s, or a response that hangs, drips one byte at a time or drops the connection halfway. Every
request is recorded with its arrival and finish times (and how much of its reply left), so a test
can check what was sent and what ran concurrently.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, a dict of multipart fields, or None
    started: float = 0.0
    finished: float = 0.0
    sent_bytes: int = 0  # of the reply's body, before the client stopped reading

    @property
    def step(self) -> str:
        """The X-Webagent-Step header our client sends with JSON steps ('' when absent)."""
        return self.headers.get("x-webagent-step", "")

    def text(self) -> str:
        """Everything the request said to the model, as one string (messages and prompt)."""
        if not isinstance(self.body, dict):
            return ""
        parts = [str(m.get("content", "")) for m in self.body.get("messages", [])]
        return "\n".join([*parts, str(self.body.get("prompt", ""))])


@dataclass
class Reply:
    """What the server sends back: JSON (dict), raw bytes, or text, ``delay_s`` after the request arrived."""

    body: Any = None
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    drip_s: float = 0.0  # > 0: the body goes out one byte at a time, this many seconds apart
    cut_after: int | None = None  # the connection drops after this many bytes of the body
    send_length: bool = True  # False: no Content-Length; the body ends when the connection closes


Responder = Callable[[Seen], Reply]


def chat_reply(
    content: str | None,
    finish_reason: str = "stop",
    prompt_tokens: int = 100,
    completion_tokens: int = 50,
    delay_s: float = 0.0,
) -> Reply:
    """A chat completion whose one choice says ``content``."""
    return Reply(
        {
            "id": "chatcmpl-scripted",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "scripted",
            "choices": [
                {"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
        delay_s=delay_s,
    )


def error_reply(
    status: int, message: str, code: str | None = None, delay_s: float = 0.0, headers: dict[str, str] | None = None
) -> Reply:
    """An OpenAI-style error body."""
    return Reply(
        {"error": {"message": message, "type": "scripted_error", "code": code}},
        status=status,
        delay_s=delay_s,
        headers=headers or {},
    )


def image_reply(png: bytes, delay_s: float = 0.0) -> Reply:
    """An images.generate answer holding one base64 image."""
    return Reply({"created": int(time.time()), "data": [{"b64_json": base64.b64encode(png).decode()}]}, delay_s=delay_s)


def video_job(
    video_id: str, status: str = "completed", seconds: str = "4", size: str = "1280x720", model: str = "sora-2"
) -> dict:
    """A videos API job object."""
    return {
        "id": video_id,
        "object": "video",
        "created_at": int(time.time()),
        "model": model,
        "progress": 100 if status == "completed" else 10,
        "seconds": seconds,
        "size": size,
        "status": status,
    }


class Listener(ThreadingHTTPServer):
    """A threading HTTP server whose listen queue holds a whole fan-out of parallel requests.

    With the standard queue of 5, the sixth simultaneous connection waits for a SYN retry (1 s).
    """

    request_queue_size = 128
    daemon_threads = True


class ScriptedServer:
    """``with ScriptedServer(responder) as server:`` — point OPENAI_BASE_URL at ``server.url``."""

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.requests: list[Seen] = []
        self.stopping = threading.Event()  # set on exit: replies still dripping stop
        self._lock = threading.Lock()
        self._httpd = Listener(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def seen(self, path_part: str = "", step: str = "") -> list[Seen]:
        """Requests whose path contains ``path_part`` and (when given) whose step is ``step``."""
        with self._lock:
            return [r for r in self.requests if path_part in r.path and (not step or r.step == step)]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave together, not 40 ms apart

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                seen = Seen(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    parse_body(raw, self.headers.get("content-type", "")),
                    started=time.perf_counter(),
                )
                with server._lock:
                    server.requests.append(seen)
                try:
                    reply = server.responder(seen)
                except Exception as exc:  # a bug in a test's script shows up as a readable 500
                    reply = error_reply(500, f"the scripted responder failed: {type(exc).__name__}: {exc}")
                time.sleep(max(0.0, seen.started + reply.delay_s - time.perf_counter()))  # delay counts from arrival
                if isinstance(reply.body, (dict, list)):
                    payload = json.dumps(reply.body).encode()
                elif isinstance(reply.body, str):
                    payload = reply.body.encode()
                else:
                    payload = reply.body or b""
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    if reply.send_length:
                        self.send_header("Content-Length", str(len(payload)))
                    else:
                        self.send_header("Connection", "close")
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self._send_body(payload, reply, seen)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)
                if reply.cut_after is not None or not reply.send_length:
                    self.close_connection = True
                seen.finished = time.perf_counter()

            def _send_body(self, payload: bytes, reply: Reply, seen: Seen) -> None:
                """The body in pieces (one byte per ``drip_s``, else 1 MB at a time), counting what left."""
                body = payload if reply.cut_after is None else payload[: reply.cut_after]
                piece = 1 if reply.drip_s > 0 else 1 << 20
                for start in range(0, len(body), piece):
                    if server.stopping.is_set():
                        return
                    part = body[start : start + piece]
                    self.wfile.write(part)
                    seen.sent_bytes += len(part)
                    if reply.drip_s > 0:
                        time.sleep(reply.drip_s)

        return Handler


def parse_body(raw: bytes, content_type: str) -> Any:
    """JSON bodies as data, multipart forms as {name: text or bytes}, anything else as None."""
    if not raw:
        return None
    if content_type.startswith("application/json"):
        return json.loads(raw)
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + raw
        )
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            fields[name] = payload.decode() if part.get_filename() is None else payload
        return fields
    return None
