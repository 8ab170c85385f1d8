"""Where an element's file goes: always ``assets/<id>.<ext>``, whatever a model proposed."""

from __future__ import annotations

from webagent.state import AssetSpec

EXTENSIONS = {"image": "webp", "video": "mp4", "chart": "json"}


def with_our_path(spec: AssetSpec) -> AssetSpec:
    return spec.model_copy(update={"path": f"assets/{spec.id}.{EXTENSIONS[spec.kind]}"})
