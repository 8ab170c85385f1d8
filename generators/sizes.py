"""Model output sizes: of the "WxH" sizes a model supports, the one nearest a slot's aspect."""

from __future__ import annotations

import math
from collections.abc import Mapping

Sizes = tuple[str, ...]


def dimensions(size: str) -> tuple[int, int]:
    """(width, height) of a "WxH" size."""
    width, height = size.split("x")
    return int(width), int(height)


def nearest_size(aspect: float, model: str, sizes_by_model: Mapping[str, Sizes], default: Sizes) -> str:
    """The size of ``model`` whose aspect is nearest ``aspect``, the larger one on a tie.

    ``sizes_by_model`` is keyed by model-name prefix (the longest matching prefix wins); models
    it does not know get ``default``. Aspects are compared as ratios, so wide and tall slots
    count alike.
    """
    name = model.lower()
    prefixes = [prefix for prefix in sizes_by_model if name.startswith(prefix)]
    sizes = sizes_by_model[max(prefixes, key=len)] if prefixes else default

    def distance(size: str) -> tuple[float, int]:
        width, height = dimensions(size)
        return abs(math.log(width / height / aspect)), -width * height

    return min(sizes, key=distance)
