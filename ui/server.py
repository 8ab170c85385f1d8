"""`webagent ui`: the Streamlit server as a child in a process group of its own, whatever the terminal.

Streamlit always runs headless (never its first-run "Email:" question, which waits on a terminal or exits
without one); webagent opens the browser itself once the app answers. SIGINT and SIGTERM stop the whole group,
so no server is left on the port.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
POLL_S = 0.25


class Stopped(Exception):
    """SIGINT or SIGTERM reached `webagent ui`."""


def streamlit_command(python: str, app_file: str, port: int) -> list[str]:
    """The Streamlit server of the app on 127.0.0.1:``port``, headless, without usage statistics."""
    return [
        python,
        "-m",
        "streamlit",
        "run",
        app_file,
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.showErrorDetails",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]


def answers(url: str) -> bool:
    """Whether the app's health check answers."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until_serving(url: str, server: subprocess.Popen) -> bool:
    """True once the app answers; False when the server ended or did not answer in ``START_TIMEOUT_S``."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while server.poll() is None and time.monotonic() < deadline:
        if answers(url):
            return True
        time.sleep(POLL_S)
    return False


def stop_group(server: subprocess.Popen) -> None:
    """SIGTERM to the server's process group, SIGKILL to what is left after ``STOP_TIMEOUT_S``."""
    for stop, wait in ((signal.SIGTERM, STOP_TIMEOUT_S), (signal.SIGKILL, STOP_TIMEOUT_S)):
        try:
            os.killpg(server.pid, stop)
        except ProcessLookupError:
            return
        try:
            server.wait(wait)
            os.killpg(server.pid, 0)  # the server is gone; a child it left may not be
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            return


@contextmanager
def stopped_by_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``Stopped`` inside the block; the previous handlers come back after it."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Stopped(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve(command: list[str], env: dict[str, str], url: str, open_browser: bool) -> int:
    """Run the app's server until it ends or a signal stops it; open ``url`` in a browser once it answers.
    The exit status: the server's own, or 0 when a signal stopped it."""
    with stopped_by_signals():
        server = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            if open_browser and wait_until_serving(url, server):
                webbrowser.open(url)
            return server.wait()
        except Stopped:
            return 0
        finally:
            stop_group(server)
