"""Content-addressed cache of generated media: an unchanged element is never generated twice.

An element's key is the sha256 of everything that decides its bytes: kind, backend, model, the
generation prompt and the request as the backend sends it, the slot size, the seed, the palette
(offline media draw with it), the settings that change the output (diffusers steps, guidance and
model; video encoding) and ``CACHE_VERSION``. Entries live in the ``media`` folder of the cache
folder, stored by ``webagent.core.store`` (written atomically, verified on every read): a torn or corrupt
entry is a miss, and the element is generated again and the entry replaced.

Offline charts are not cached: their option is built from the dataset in milliseconds, less
than reading an entry costs. Charts written by the coder model cost a model call and are cached.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ValidationError

from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, DesignTokens, GeneratedAsset
from webagent.core.files import atomic_write_bytes, safe_join
from webagent.core.store import MEDIA, cache_root, key_of, load_entry, save_entry, sha256

CACHE_VERSION = 2  # raise when a backend's output changes for the same inputs
PROMPTS_DIR = Path(__file__).parent / "chart" / "prompts"


class CachedMedia(BaseModel):
    """What an entry records beside its files (named by their tails after the element's path stem): the
    asset without its paths."""

    path_tail: str
    poster_tail: str | None = None
    source_tails: list[str] = []
    backend: str
    chart_option: dict | None = None


def media_root(settings: Settings) -> Path:
    """The media cache's folder inside the cache folder."""
    return cache_root(settings) / MEDIA


def encoding_inputs() -> dict[str, object]:
    """The video encoding settings every video backend shares (ffmpeg's arguments, frame rate, size)."""
    from webagent.generators.video import encoding

    command = encoding.ffmpeg_command((0, 0), encoding.FPS, Path("clip.mp4"), Path("clip.webm"))
    return {"ffmpeg": command[1:], "fps": encoding.FPS, "longest_px": encoding.LONGEST_SIDE_PX}


def diffusers_inputs(settings: Settings) -> dict[str, object]:
    """The diffusers settings that change a picture or a clip."""
    return {
        "image_model": settings.diffusers_image_model,
        "steps": settings.diffusers_steps,
        "guidance": settings.diffusers_guidance,
        "max_side_px": settings.diffusers_max_side_px,
        "device": settings.diffusers_device,
    }


def backend_inputs(spec: AssetSpec, backend: str, tokens: DesignTokens, settings: Settings) -> dict[str, object] | None:
    """What besides the element and the seed the backend reads; None for elements not worth caching."""
    palette = tokens.palette.model_dump(mode="json")
    match spec.kind, backend:
        case "image", "offline":
            from webagent.generators.image import procedural

            return {"palette": palette, "longest_px": procedural.LONGEST_SIDE_PX}
        case "video", "offline":
            from webagent.generators.video import procedural as video_procedural

            return {"palette": palette, "max_seconds": video_procedural.MAX_SECONDS, **encoding_inputs()}
        case "image", "openai":
            from webagent.generators.image import openai as image_openai

            return {"request": image_openai.image_request(spec, settings.endpoint("image").model)}
        case "video", "openai":
            return {"model": settings.endpoint("video").model, **encoding_inputs()}
        case "image", "diffusers":
            return diffusers_inputs(settings)
        case "video", "diffusers":
            return {"video_model": settings.diffusers_video_model, **diffusers_inputs(settings), **encoding_inputs()}
        case "chart", "llm":
            template = (PROMPTS_DIR / "chart_option.md.j2").read_text(encoding="utf-8")
            return {
                "model": settings.endpoint("coder").model,
                "tokens": tokens.model_dump(mode="json"),
                "template": sha256(template.encode()),
            }
    return None


def media_key(spec: AssetSpec, backend: str, tokens: DesignTokens, ctx: GenerationContext) -> str | None:
    """The element's cache key, or None when it is not cached (offline charts, unknown backends)."""
    inputs = backend_inputs(spec, backend, tokens, ctx.settings)
    if inputs is None:
        return None
    described = {
        "version": CACHE_VERSION,
        "kind": spec.kind,
        "backend": backend,
        "seed": ctx.seed,
        "suffix": PurePosixPath(spec.path).suffix,
        "prompt": spec.generation_prompt(),
        "spec": spec.model_dump(mode="json", exclude={"path", "section_id"}),
        **inputs,
    }
    return key_of(described)


def path_stem(spec: AssetSpec) -> str:
    """The element's path without its suffix: every file it makes is named this stem plus a tail."""
    return str(PurePosixPath(spec.path).with_suffix(""))


def tail_of(path: str, stem: str) -> str | None:
    """``path`` after ``stem``, or None when it is not named after the element."""
    return path[len(stem) :] if path.startswith(stem) and len(path) > len(stem) else None


def remembered(
    spec: AssetSpec, backend: str, tokens: DesignTokens, ctx: GenerationContext, make: Callable[[], GeneratedAsset]
) -> GeneratedAsset:
    """The element from the cache when an intact entry has it, else ``make()``'s, stored for next time."""
    key = media_key(spec, backend, tokens, ctx) if ctx.settings.media_cache else None
    if key is None:
        return make()
    root = media_root(ctx.settings)
    found = read_entry(root / key, key, spec, ctx.out_dir)
    if found is not None:
        return found
    made = make()
    write_entry(root, key, made, spec, ctx.out_dir)
    return made


def read_entry(folder: Path, key: str, spec: AssetSpec, out_dir: Path) -> GeneratedAsset | None:
    """The cached element written to this spec's paths, or None when the entry is missing or not intact."""
    started = time.perf_counter()
    entry = load_entry(folder, key)
    if entry is None:
        return None
    stored, contents = entry
    try:
        manifest = CachedMedia.model_validate(stored.facts)
    except ValidationError:
        return None
    stem = path_stem(spec)
    for data, file in zip(contents, stored.files):
        atomic_write_bytes(safe_join(out_dir, stem + file.name), data)
    return GeneratedAsset(
        id=spec.id,
        kind=spec.kind,
        path=stem + manifest.path_tail,
        backend=manifest.backend,
        poster=stem + manifest.poster_tail if manifest.poster_tail is not None else None,
        sources=[stem + tail for tail in manifest.source_tails],
        chart_option=manifest.chart_option,
        seconds=round(time.perf_counter() - started, 3),
        cached=True,
    )


def write_entry(root: Path, key: str, made: GeneratedAsset, spec: AssetSpec, out_dir: Path) -> None:
    """Store ``made``'s files under ``key``, each named by its tail after the element's path stem; an
    element whose files are not all named after it, or cannot be read back, is not stored."""
    stem = path_stem(spec)
    paths = [made.path, *([made.poster] if made.poster else []), *made.sources]
    tails = [tail_of(path, stem) for path in paths]
    if any(tail is None for tail in tails):
        return
    poster_tail = tails[1] if made.poster else None
    source_tails = tails[2:] if made.poster else tails[1:]
    try:
        files = [(tail, safe_join(out_dir, path).read_bytes()) for path, tail in zip(paths, tails)]
    except OSError:
        return
    facts = CachedMedia(
        path_tail=tails[0],
        poster_tail=poster_tail,
        source_tails=source_tails,
        backend=made.backend,
        chart_option=made.chart_option,
    )
    save_entry(root, key, files, facts.model_dump(mode="json"))
