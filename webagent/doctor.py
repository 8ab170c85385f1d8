"""`webagent doctor`: what this machine can do, checked for real (the browser is started)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from typing import Literal

from webagent.browser import BrowserSession
from webagent.config import Settings
from webagent.errors import WebAgentError
from webagent.runtime import echarts_version, find_echarts

MODEL_ENV_VARS = ("OPENAI_BASE_URL", "WEBAGENT_PLANNER_BASE_URL", "WEBAGENT_JUDGE_BASE_URL")


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


def check_models(settings: Settings) -> Check:
    endpoints = [f"{name}={os.environ[name]}" for name in MODEL_ENV_VARS if os.environ.get(name)]
    has_key = bool(os.environ.get("OPENAI_API_KEY"))
    if settings.planner == "offline" and not endpoints:
        return Check("models", "ok", "none configured: offline planner, procedural media, deterministic judge")
    key_note = "an API key is set" if has_key else "no API key set"
    return Check("models", "ok", f"planner={settings.planner}; {', '.join(endpoints) or 'default endpoint'}; {key_note}")


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order the doctor prints them."""
    return [check_python(), check_browser(settings), check_chart_runtime(settings), check_ffmpeg(), check_models(settings)]
