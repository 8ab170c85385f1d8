"""`webagent doctor`: what this machine can do, checked for real (the browser is started)."""

from __future__ import annotations

import platform
import subprocess
import sys
from dataclasses import dataclass
from typing import Literal

from webagent.browser import BrowserSession
from generators import check_backends as ensure_backends
from generators.cache import media_root
from webagent.store import cache_root, usage
from webbench.evidence_cache import evidence_root
from webagent.config import ModelRole, Settings
from webagent.errors import WebAgentError
from webagent.llm import ModelHub
from webagent.runtime import echarts_version, find_echarts



@dataclass
class Check:
    name: str
    status: Literal["ok", "warn", "fail"]
    detail: str


def check_python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("python", "ok" if ok else "fail", f"{platform.python_version()} at {sys.executable}")


def check_browser(settings: Settings) -> Check:
    try:
        with BrowserSession(settings.browser) as session:
            version = session.call(lambda browser: browser.version)
            return Check("browser", "ok", f"Chromium {version} ({session.description})")
    except WebAgentError as exc:
        return Check("browser", "fail", str(exc))


def check_chart_runtime(settings: Settings) -> Check:
    try:
        path = find_echarts(settings.echarts)
    except WebAgentError as exc:
        return Check("chart runtime", "fail", str(exc))
    return Check("chart runtime", "ok", f"ECharts {echarts_version(path)} at {path}")


def check_ffmpeg() -> Check:
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
        first = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=20).stdout.splitlines()[0]
    except Exception as exc:  # any failure here means videos cannot be encoded
        return Check("ffmpeg", "fail", f"imageio-ffmpeg has no working ffmpeg: {exc}")
    return Check("ffmpeg", "ok", f"{' '.join(first.split()[:3])} ({exe})")


def check_backends(settings: Settings) -> Check:
    """Which backend each step uses, and whether the optional packages they need are installed."""
    summary = ", ".join(f"{role}={name}" for role, name in settings.backends().items())
    try:
        ensure_backends(settings)
    except WebAgentError as exc:
        return Check("backends", "fail", f"{summary}; {exc}")
    return Check("backends", "ok", summary)


def check_media_cache(settings: Settings) -> Check:
    """Where generated media and page renders are cached and how much the cache holds."""
    if not settings.media_cache:
        return Check("media cache", "ok", "off (WEBAGENT_MEDIA_CACHE=false): every element is generated, every page rendered")
    try:
        (entries, size), (renders, render_size) = usage(media_root(settings)), usage(evidence_root(settings))
    except OSError as exc:
        return Check("media cache", "warn", f"{cache_root(settings)}: cannot be read ({exc.strerror or exc})")
    return Check("media cache", "ok", f"{cache_root(settings)}: {entries} elements, {size / 1e6:.1f} MB; "
                                      f"{renders} page renders, {render_size / 1e6:.1f} MB; "
                                      f"limit {settings.cache_max_mb:g} MB")


def check_endpoint(settings: Settings, role: ModelRole) -> Check:
    """Ask the role's server for its model list: proves the address, the key and the model name."""
    endpoint = settings.endpoint(role)
    quick = settings.model_copy(update={"model_timeout_s": min(settings.model_timeout_s, 10.0), "model_retries": 0})
    hub = ModelHub(quick)
    try:
        listed = hub.client(role).call("doctor", lambda api: [m.id for m in api.models.list()])
    except WebAgentError as exc:
        return Check(f"{role} model", "fail", str(exc))
    finally:
        hub.close()
    note = "listed by the server" if endpoint.model in listed else f"not in the server's list of {len(listed)} models"
    return Check(f"{role} model", "ok" if endpoint.model in listed else "warn", f"{endpoint.describe()}: {note}")


def check_models(settings: Settings) -> list[Check]:
    """One check per role that calls a model; a note when none does."""
    roles = list(settings.models_in_use())
    if not roles:
        return [Check("models", "ok", "none configured: everything runs offline (set OPENAI_API_KEY or WEBAGENT_BASE_URL to use models)")]
    return [check_endpoint(settings, role) for role in roles]


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order the doctor prints them."""
    return [check_python(), check_browser(settings), check_chart_runtime(settings), check_ffmpeg(),
            check_backends(settings), check_media_cache(settings), *check_models(settings)]
