"""Where an element's file goes: always ``assets/<id>.<ext>``, whatever a model proposed."""

from __future__ import annotations

from webagent.core.contracts import AssetSpec
from webagent.core.files import relative_parts

EXTENSIONS = {"image": "webp", "video": "mp4", "chart": "json"}


def with_our_path(spec: AssetSpec) -> AssetSpec:
    """``spec`` with the model's path replaced by ours, checked by the same rules as ``safe_join``."""
    path = f"assets/{spec.id}.{EXTENSIONS[spec.kind]}"
    relative_parts(path)
    return spec.model_copy(update={"path": path})
