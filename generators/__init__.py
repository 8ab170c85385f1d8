"""Element generators: one registry per modality, one small module per backend.

A backend is the module ``generators.<kind>.<backend>`` exposing ``BACKEND`` (its name) and
``generate(spec, tokens, out_dir, seed) -> GeneratedAsset``. Adding a backend is adding a module.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from webagent.state import AssetSpec, DesignTokens, GeneratedAsset


def generate_asset(spec: AssetSpec, tokens: DesignTokens, out_dir: Path, backend: str, seed: int = 0) -> GeneratedAsset:
    """Generate one element with the named backend of its modality."""
    module = import_module(f"generators.{spec.kind}.{backend}")
    return module.generate(spec, tokens, out_dir, seed=seed)
