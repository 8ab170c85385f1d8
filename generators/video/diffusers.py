"""Diffusers video backend: a text-to-video or image-to-video model makes a short clip per element.

Text-to-video pipelines (ModelScope's TextToVideoSDPipeline, …) get the element's prompt.
Image-to-video pipelines (class name with "ImageToVideo", Stable Video Diffusion) first get a
still from the diffusers image backend, then animate it. The clip has ``FPS`` frames a second
for the element's length, at most ``MAX_FRAMES``; ``encoding`` fits the frames to the slot and
writes the MP4, WebM and poster the page plays.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, DesignTokens, GeneratedAsset, VideoAttributes
from webagent.generators import diffusion
from webagent.generators.image import diffusers as image_backend
from webagent.generators.video import encoding

BACKEND = "diffusers"
FPS = 8
MAX_FRAMES = 16
LONGEST_SIDE_PX = 512  # video models are trained at 256–720 px; larger frames cost memory, not detail


def check_ready(settings: Settings) -> None:
    """MissingExtraError when torch or diffusers is not installed."""
    diffusion.check_ready(settings, "video")


def load_video_pipeline(model: str, dtype: Any) -> Any:
    """The model as whichever video pipeline its model_index.json names."""
    from diffusers import DiffusionPipeline

    return DiffusionPipeline.from_pretrained(model, dtype=dtype)


def animates_a_still(pipe: Any) -> bool:
    """True for image-to-video pipelines, which start from a picture instead of a prompt."""
    name = type(pipe).__name__
    return "ImageToVideo" in name or name.startswith("StableVideoDiffusion")


def frame_count(attributes: VideoAttributes) -> int:
    """``FPS`` frames a second of the element's length, at most ``MAX_FRAMES``."""
    return min(MAX_FRAMES, round(attributes.seconds * FPS))


def as_picture(frame: Any) -> Image.Image:
    """A pipeline's frame (PIL image, or an H×W×3 array of values in [0, 1]) as a picture."""
    if isinstance(frame, Image.Image):
        return frame
    return Image.fromarray((np.clip(np.asarray(frame, dtype=np.float32), 0.0, 1.0) * 255).round().astype(np.uint8))


def make_frames(spec: AssetSpec, settings: Settings, seed: int) -> list[Any]:
    """The model's frames for ``spec``, in the slot's aspect."""
    loaded = diffusion.pipeline("video", settings, load_video_pipeline)
    longest = min(settings.diffusers_max_side_px, LONGEST_SIDE_PX)
    width, height = diffusion.generation_size(loaded, spec.size.width, spec.size.height, longest)
    inputs = {
        "prompt": spec.generation_prompt(),
        "width": width,
        "height": height,
        "num_frames": frame_count(spec.attributes),
        **diffusion.sampling_inputs(settings, seed, spec.id),
    }
    if animates_a_still(loaded.pipe):
        inputs["image"] = ImageOps.fit(image_backend.paint(spec, settings, seed, longest), (width, height))
    return diffusion.run(loaded, **inputs).frames[0]


def generate(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """Make the element's clip with the configured model and write its MP4, WebM and poster."""
    started = time.perf_counter()
    frames = make_frames(spec, ctx.settings, ctx.seed)
    size = encoding.slot_size(spec)
    return encoding.write_video(
        spec, ctx.out_dir, encoding.fitted(map(as_picture, frames), size), size, BACKEND, started, fps=FPS
    )
