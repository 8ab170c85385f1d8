"""Diffusers image backend: a text-to-image model (hub id or local folder) paints each picture.

The prompt is the element's prompt with its context and attribute sentences. The picture is
made in the slot's aspect at the model's scale (longer side ``diffusers_max_side_px``), then
cropped exactly to the slot's aspect and written to ``spec.path``. The same seed and element
always give the same picture.
"""

from __future__ import annotations

import time
from typing import Any

from PIL import Image, ImageOps

from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, DesignTokens, GeneratedAsset
from webagent.core.files import atomic_write_bytes, safe_join
from webagent.generators import diffusion
from webagent.generators.image.canvas import encode, fit_size

BACKEND = "diffusers"


def check_ready(settings: Settings) -> None:
    """MissingExtraError when torch or diffusers is not installed."""
    diffusion.check_ready(settings, "image")


def load_text_to_image(model: str, dtype: Any) -> Any:
    """The model as AutoPipeline's text-to-image pipeline, else as the class its model_index.json names."""
    from diffusers import AutoPipelineForText2Image, DiffusionPipeline

    try:
        return AutoPipelineForText2Image.from_pretrained(model, dtype=dtype)
    except ValueError:  # "AutoPipeline can't find a pipeline linked to …"
        return DiffusionPipeline.from_pretrained(model, dtype=dtype)


def paint(spec: AssetSpec, settings: Settings, seed: int, longest: int) -> Image.Image:
    """The model's picture for ``spec`` in the slot's aspect, its longer side at most ``longest``."""
    loaded = diffusion.pipeline("image", settings, load_text_to_image)
    width, height = diffusion.generation_size(loaded, spec.size.width, spec.size.height, longest)
    result = diffusion.run(
        loaded,
        prompt=spec.generation_prompt(),
        width=width,
        height=height,
        **diffusion.sampling_inputs(settings, seed, spec.id),
    )
    picture = result.images[0].convert("RGB")
    exact = fit_size(spec.size.width, spec.size.height, max(picture.size))
    return ImageOps.fit(picture, exact, Image.Resampling.LANCZOS)


def generate(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """Paint the element with the configured model and write it to ``spec.path``."""
    started = time.perf_counter()
    target = safe_join(ctx.out_dir, spec.path)
    picture = paint(spec, ctx.settings, ctx.seed, ctx.settings.diffusers_max_side_px)
    atomic_write_bytes(target, encode(picture, target.suffix))
    return GeneratedAsset(
        id=spec.id, kind="image", path=spec.path, backend=BACKEND, seconds=round(time.perf_counter() - started, 3)
    )
