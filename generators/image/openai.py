"""OpenAI image backend: the Images API (OpenAI's or any compatible server's) paints the element.

The request carries the element's generation prompt and the model's supported size nearest the
slot's aspect. The answer — base64 data, or a URL some servers send instead — is decoded,
centre-cropped and scaled to the slot, and written to ``spec.path``.
"""

from __future__ import annotations

import base64
import binascii
import io
import time

import httpx
from openai.types import ImagesResponse
from PIL import Image, ImageOps

from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, DesignTokens, GeneratedAsset
from webagent.core.errors import GenerationError
from webagent.core.files import atomic_write_bytes, safe_join
from webagent.generators.image.canvas import encode, fit_size
from webagent.generators.image.procedural import LONGEST_SIDE_PX
from webagent.generators.sizes import Sizes, nearest_size

BACKEND = "openai"
GPT_IMAGE_SIZES: Sizes = ("1024x1024", "1536x1024", "1024x1536")
SIZES: dict[str, Sizes] = {
    "gpt-image": GPT_IMAGE_SIZES,
    "chatgpt-image": GPT_IMAGE_SIZES,
    "dall-e-3": ("1024x1024", "1792x1024", "1024x1792"),
    "dall-e-2": ("256x256", "512x512", "1024x1024"),
}


def image_request(spec: AssetSpec, model: str) -> dict[str, object]:
    """The images.generate arguments for ``spec``; DALL·E models are asked for base64 explicitly."""
    request: dict[str, object] = {
        "model": model,
        "prompt": spec.generation_prompt(),
        "n": 1,
        "size": nearest_size(spec.size.aspect, model, SIZES, GPT_IMAGE_SIZES),
    }
    if model.lower().startswith("dall-e"):
        request["response_format"] = "b64_json"
    return request


def image_bytes(response: ImagesResponse, asset_id: str, timeout_s: float) -> bytes:
    """The picture in an Images API answer: its base64 data, else the file at its URL."""
    first = response.data[0] if response.data else None
    if first is not None and first.b64_json:
        try:
            return base64.b64decode(first.b64_json, validate=True)
        except binascii.Error:
            raise GenerationError(f"image {asset_id}: the image model's answer is not valid base64") from None
    if first is not None and first.url:
        return download(first.url, asset_id, timeout_s)
    raise GenerationError(f"image {asset_id}: the image model answered without an image")


def download(url: str, asset_id: str, timeout_s: float) -> bytes:
    """The file at ``url`` (no API key is sent: it may live on another host)."""
    try:
        response = httpx.get(url, timeout=timeout_s, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        raise GenerationError(
            f"image {asset_id}: cannot download the generated image (HTTP {exc.response.status_code})"
        ) from None
    except httpx.HTTPError as exc:
        raise GenerationError(
            f"image {asset_id}: cannot download the generated image ({str(exc) or type(exc).__name__})"
        ) from None
    return response.content


def decode_image(data: bytes, asset_id: str) -> Image.Image:
    """The picture in ``data`` as RGB (RGBA when it has transparency)."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            return picture.convert("RGBA" if picture.has_transparency_data else "RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        raise GenerationError(
            f"image {asset_id}: the image model's answer is not a readable image ({len(data)} bytes)"
        ) from None


def generate(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """Ask the image model for the element and write it, cropped to the slot's aspect, to ``spec.path``."""
    started = time.perf_counter()
    target = safe_join(ctx.out_dir, spec.path)  # a bad path fails before a paid request
    client = ctx.model("image")
    request = image_request(spec, client.endpoint.model)
    response = client.call(f"image {spec.id}", lambda api: api.images.generate(**request))
    picture = decode_image(image_bytes(response, spec.id, ctx.settings.model_timeout_s), spec.id)
    size = fit_size(spec.size.width, spec.size.height, LONGEST_SIDE_PX)
    atomic_write_bytes(target, encode(ImageOps.fit(picture, size, Image.Resampling.LANCZOS), target.suffix))
    return GeneratedAsset(
        id=spec.id, kind="image", path=spec.path, backend=BACKEND, seconds=round(time.perf_counter() - started, 3)
    )
