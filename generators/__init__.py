"""Element generators: one registry per modality, one small module per backend.

A backend module exposes ``BACKEND`` (its name), ``generate(spec, tokens, ctx) -> GeneratedAsset``
and, when it needs optional packages, ``check_ready(settings)`` raising MissingExtraError. Adding
a backend is adding a module and one line here. When a model backend fails on one element, the
offline backend of that modality makes it instead and the element carries a warning. Every
element goes through the media cache (``webagent.generators.cache``): one made before is copied, not made.
"""

from __future__ import annotations

import os
import threading
from importlib import import_module
from types import ModuleType

from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetKind, AssetSpec, DesignTokens, GeneratedAsset
from webagent.core.errors import MissingExtraError, ModelAccessError, WebAgentError
from webagent.generators.cache import remembered

OFFLINE = "offline"
# Offline generators compute on this machine: run at most one per core, however many model calls
# are in flight beside them (a parallel build can hold dozens of tasks).
LOCAL_WORK = threading.BoundedSemaphore(os.cpu_count() or 2)
BACKENDS: dict[AssetKind, dict[str, str]] = {
    "image": {
        OFFLINE: "webagent.generators.image.procedural",
        "openai": "webagent.generators.image.openai",
        "diffusers": "webagent.generators.image.diffusers",
    },
    "video": {
        OFFLINE: "webagent.generators.video.procedural",
        "openai": "webagent.generators.video.openai",
        "diffusers": "webagent.generators.video.diffusers",
    },
    "chart": {OFFLINE: "webagent.generators.chart.offline", "llm": "webagent.generators.chart.llm"},
}


def backend_module(kind: AssetKind, name: str) -> ModuleType:
    """The module of backend ``name`` for ``kind``, or a clear error listing the choices."""
    choices = BACKENDS[kind]
    if name not in choices:
        raise WebAgentError(f"unknown {kind} backend {name!r}; available: {', '.join(sorted(choices))}")
    return import_module(choices[name])


def check_backends(settings: Settings) -> None:
    """Fail before any work when a configured backend lacks its optional packages."""
    for kind in BACKENDS:
        module = backend_module(kind, settings.media_backend(kind))
        if hasattr(module, "check_ready"):
            module.check_ready(settings)


def generate_asset(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """Generate one element with the configured backend of its kind, falling back to the offline one."""
    backend = ctx.settings.media_backend(spec.kind)
    if backend == OFFLINE:
        return generate_offline(spec, tokens, ctx)
    try:
        module = backend_module(spec.kind, backend)
        return remembered(spec, backend, tokens, ctx, lambda: module.generate(spec, tokens, ctx))
    except (ModelAccessError, MissingExtraError):
        raise
    except Exception as exc:  # a model backend failing must cost quality, not the element
        reason = str(exc) if isinstance(exc, WebAgentError) else f"{type(exc).__name__}: {exc}"
        made = generate_offline(spec, tokens, ctx)
        made.warnings.append(f"{spec.kind} {spec.id}: the {backend} backend failed ({reason}); made offline instead")
        return made


def generate_offline(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """The element from the offline backend of its kind, one local computation per core at a time."""

    def make() -> GeneratedAsset:
        with LOCAL_WORK:
            return backend_module(spec.kind, OFFLINE).generate(spec, tokens, ctx)

    return remembered(spec, OFFLINE, tokens, ctx, make)
