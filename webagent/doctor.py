"""`webagent doctor`: what this machine can do, checked for real (the browser is started), and which backend of
each role can run on this install.

The module imports nothing heavy: which optional packages are installed is read with ``importlib.util.find_spec``
(torch is never imported to find out), and the model client and the generators are imported by the checks that
use them.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Literal

from webagent.core.browser import BrowserSession
from webagent.core.config import ENV_PREFIX, OPENAI_ENV, ModelRole, Settings
from webagent.core.errors import WebAgentError
from webagent.core.runtime import echarts_version, find_echarts
from webagent.core.store import EVIDENCE, MEDIA, cache_root, usage


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
    from webagent.generators import check_backends as ensure_backends  # imports the configured backends' modules

    summary = ", ".join(f"{role}={name}" for role, name in settings.backends().items())
    try:
        ensure_backends(settings)
    except WebAgentError as exc:
        return Check("backends", "fail", f"{summary}; {exc}")
    return Check("backends", "ok", summary)


def check_media_cache(settings: Settings) -> Check:
    """Where generated media and page renders are cached and how much the cache holds."""
    if not settings.media_cache:
        return Check(
            "media cache", "ok", "off (WEBAGENT_MEDIA_CACHE=false): every element is generated, every page rendered"
        )
    try:
        root = cache_root(settings)  # media_root and evidence_root, without importing the generators and Playwright
        (entries, size), (renders, render_size) = usage(root / MEDIA), usage(root / EVIDENCE)
    except OSError as exc:
        return Check("media cache", "warn", f"{cache_root(settings)}: cannot be read ({exc.strerror or exc})")
    return Check(
        "media cache",
        "ok",
        f"{cache_root(settings)}: {entries} elements, {size / 1e6:.1f} MB; "
        f"{renders} page renders, {render_size / 1e6:.1f} MB; "
        f"limit {settings.cache_max_mb:g} MB",
    )


def check_endpoint(settings: Settings, role: ModelRole) -> Check:
    """Ask the role's server for its model list: proves the address, the key and the model name."""
    from webagent.core.llm import ModelHub  # openai and httpx: only when a model is configured

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
        return [
            Check(
                "models",
                "ok",
                "none configured: everything runs offline (set OPENAI_API_KEY or WEBAGENT_BASE_URL to use models)",
            )
        ]
    return [check_endpoint(settings, role) for role in roles]


def check_executor(settings: Settings) -> Check:
    """Where `webagent bench` runs its cases, and the Ray cluster it would reach (not contacted here)."""
    if settings.executor == "local":
        return Check("executor", "ok", "local: threads in this process (--jobs); --executor ray runs cases on Ray")
    if missing := RAY.missing():
        return Check("executor", "fail", f"ray: missing {', '.join(missing)}: {RAY.install}")
    from webagent.webbench.bench.on_ray import cluster_address

    address = cluster_address(settings)
    where = f"the Ray cluster at {address}" if address else f"a local Ray started for each run ({os.cpu_count()} CPUs)"
    return Check("executor", "ok", f"ray: bench cases run on {where}")


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order the doctor prints them."""
    return [
        check_python(),
        check_browser(settings),
        check_chart_runtime(settings),
        check_ffmpeg(),
        check_backends(settings),
        check_media_cache(settings),
        check_executor(settings),
        *check_models(settings),
    ]


# --- which backend of each role can run on this install ------------------------------------------------------------


@dataclass(frozen=True)
class Packages:
    """The Python packages a backend imports, and the command that installs them."""

    modules: tuple[str, ...]
    install: str

    def missing(self) -> list[str]:
        """The packages that are not installed (found without importing them)."""
        return [name for name in self.modules if importlib.util.find_spec(name) is None]


OPENAI = Packages(("openai",), "pip install openai")
DIFFUSERS = Packages(("torch", "diffusers", "transformers", "accelerate"), "pip install 'mm-webagent[diffusers]'")
RAY = Packages(("ray",), "pip install 'mm-webagent[ray]'")


@dataclass(frozen=True)
class Backend:
    """One backend of a role: the packages it needs and, for a model backend, whose endpoint it calls."""

    name: str
    packages: Packages | None = None
    endpoint: ModelRole | None = None


# The backends each role can have (Settings' choices; for media, webagent.generators.BACKENDS).
ROLES: dict[str, tuple[Backend, ...]] = {
    "planner": (Backend("offline"), Backend("llm", OPENAI, "planner")),
    "coder": (Backend("offline"), Backend("llm", OPENAI, "coder")),
    "chart": (Backend("offline"), Backend("llm", OPENAI, "coder")),
    "judge": (Backend("static"), Backend("llm", OPENAI, "judge")),
    "image": (Backend("offline"), Backend("openai", OPENAI, "image"), Backend("diffusers", DIFFUSERS)),
    "video": (Backend("offline"), Backend("openai", OPENAI, "video"), Backend("diffusers", DIFFUSERS)),
    # where bench cases run: threads in this process, or Ray workers (webbench/bench/on_ray.py)
    "executor": (Backend("local"), Backend("ray", RAY)),
}


@dataclass
class BackendStatus:
    """Whether a backend can run on this install."""

    name: str
    ready: bool
    detail: str  # ready: how it runs ('built in', 'model at host'); else what it lacks and how to get it


@dataclass
class RoleStatus:
    """A role's backends, and the one the settings choose."""

    role: str
    in_use: str
    backends: list[BackendStatus] = field(default_factory=list)


SERVER_SETTINGS = f"{ENV_PREFIX}BASE_URL or {OPENAI_ENV['api_key']}"  # a role's own: WEBAGENT_<ROLE>_BASE_URL, …


def backend_status(backend: Backend, settings: Settings) -> BackendStatus:
    """Whether ``backend`` can run here: its packages are installed and its model endpoint is configured."""
    lacks = []
    if backend.packages and (missing := backend.packages.missing()):
        lacks.append(f"missing {', '.join(missing)}: {backend.packages.install}")
    if backend.endpoint and not settings.endpoint(backend.endpoint).configured:
        lacks.append(f"needs {SERVER_SETTINGS}")
    if lacks:
        return BackendStatus(backend.name, False, "; ".join(lacks))
    if backend.endpoint:
        return BackendStatus(backend.name, True, settings.endpoint(backend.endpoint).describe())
    return BackendStatus(backend.name, True, "installed" if backend.packages else "built in")


def role_backends(settings: Settings) -> list[RoleStatus]:
    """For each role: the backend this install uses and every backend's availability."""
    in_use = {**settings.backends(), "judge": settings.critic_backend(), "executor": settings.executor}
    return [
        RoleStatus(role, in_use[role], [backend_status(backend, settings) for backend in backends])
        for role, backends in ROLES.items()
    ]
