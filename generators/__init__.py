"""Element generators: one registry per modality, one small module per backend.

A backend module exposes ``BACKEND`` (its name) and
``generate(spec, tokens, out_dir, seed) -> GeneratedAsset``. Adding a backend is adding a module
and one line here.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from webagent.errors import WebAgentError
from webagent.state import AssetKind, AssetSpec, DesignTokens, GeneratedAsset

BACKENDS: dict[AssetKind, dict[str, str]] = {
    "image": {"procedural": "generators.image.procedural"},
    "video": {"procedural": "generators.video.procedural"},
    "chart": {"offline": "generators.chart.offline"},
}


def check_backend(kind: AssetKind, name: str) -> str:
    """The module path of backend ``name`` for ``kind``, or a clear error listing the choices."""
    choices = BACKENDS[kind]
    if name not in choices:
        raise WebAgentError(f"unknown {kind} backend {name!r}; available: {', '.join(sorted(choices))}")
    return choices[name]


def generate_asset(spec: AssetSpec, tokens: DesignTokens, out_dir: Path, backend: str, seed: int = 0) -> GeneratedAsset:
    """Generate one element with the named backend of its modality."""
    return import_module(check_backend(spec.kind, backend)).generate(spec, tokens, out_dir, seed=seed)
