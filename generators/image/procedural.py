"""Offline image backend: editorial-style procedural art drawn from the page palette.

A motif (landscape, city, ocean, portrait, product, food, geometric or abstract) is chosen from
the element's ``words`` and drawn (``motifs``) in the page's colours (``scheme``) on a ``canvas``:
shapes are rasterised at twice the size and reduced for smooth edges; soft shadows, haze and a
light grain give depth and a printed finish. Pictures never contain text.
"""

from __future__ import annotations

import time
import zlib

import numpy as np
from PIL import Image

from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, DesignTokens, GeneratedAsset
from webagent.core.files import atomic_write_bytes, safe_join
from webagent.generators.image.canvas import Canvas, encode, finish, fit_size
from webagent.generators.image.motifs import MOTIFS, Scene
from webagent.generators.image.scheme import Scheme
from webagent.generators.image.words import choose_motif, element_words, tones_of

BACKEND = "offline"
LONGEST_SIDE_PX = 1600


def paint(
    spec: AssetSpec, tokens: DesignTokens, size: tuple[int, int], seed: int = 0, grain: bool = True
) -> Image.Image:
    """The picture for ``spec`` at ``size`` pixels; the same inputs always give the same picture."""
    rng = np.random.default_rng([seed, zlib.crc32(f"{spec.id}\n{spec.prompt}".encode())])
    scene = Scene(
        canvas=Canvas(*size),
        scheme=Scheme.from_palette(tokens.palette, tones_of(spec)),
        rng=rng,
        words=" ".join(element_words(spec)),
        composition=getattr(spec.attributes, "composition", "").lower(),
    )
    MOTIFS[choose_motif(spec)](scene)
    return finish(scene.canvas.image, rng, grain=grain)


def generate(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """Draw the element at its slot size (longer side at most 1600 px) and write it to ``spec.path``."""
    started = time.perf_counter()
    target = safe_join(ctx.out_dir, spec.path)
    image = paint(spec, tokens, fit_size(spec.size.width, spec.size.height, LONGEST_SIDE_PX), ctx.seed)
    atomic_write_bytes(target, encode(image, target.suffix))
    return GeneratedAsset(
        id=spec.id, kind="image", path=spec.path, backend=BACKEND, seconds=round(time.perf_counter() - started, 3)
    )
