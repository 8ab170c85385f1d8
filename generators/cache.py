"""Content-addressed cache of generated media: an unchanged element is never generated twice.

An element's key is the sha256 of everything that decides its bytes: kind, backend, model, the
generation prompt and the request as the backend sends it, the slot size, the seed, the palette
(offline media draw with it), the settings that change the output (diffusers steps, guidance and
model; video encoding) and ``CACHE_VERSION``. An entry is one folder named by the key holding the
element's files and a manifest with each file's sha256. Entries are written to a temporary folder
and renamed into place, and checked on every read: a torn or corrupt entry is a miss, and the
element is generated again and the entry replaced.

Offline charts are not cached: their option is built from the dataset in milliseconds, less
than reading an entry costs. Charts written by the coder model cost a model call and are cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ValidationError

from webagent.config import Settings
from webagent.context import GenerationContext
from webagent.files import atomic_write_bytes, safe_join
from webagent.state import AssetSpec, DesignTokens, GeneratedAsset

CACHE_VERSION = 1  # raise when a backend's output changes for the same inputs
MANIFEST = "manifest.json"
PROMPTS_DIR = Path(__file__).parent / "chart" / "prompts"


class CachedFile(BaseModel):
    """One file of an entry: its name's ending after the element's path stem, and its sha256."""

    tail: str
    sha256: str


class CacheManifest(BaseModel):
    """What an entry holds: its files (stored as 0, 1, … in this order) and the asset without paths."""

    key: str
    files: list[CachedFile]
    path_tail: str
    poster_tail: str | None = None
    source_tails: list[str] = []
    backend: str
    chart_option: dict | None = None


def cache_root(settings: Settings) -> Path:
    """The cache folder: the setting, else $WEBAGENT_CACHE_DIR, else $XDG_CACHE_HOME/webagent/media,
    else ~/.cache/webagent/media (read when used, so the environment can move it)."""
    if settings.cache_dir is not None:
        return settings.cache_dir.expanduser()
    if os.environ.get("WEBAGENT_CACHE_DIR"):
        return Path(os.environ["WEBAGENT_CACHE_DIR"]).expanduser()
    base = Path(os.environ["XDG_CACHE_HOME"]) if os.environ.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "webagent" / "media"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encoding_inputs() -> dict[str, object]:
    """The video encoding settings every video backend shares (ffmpeg's arguments, frame rate, size)."""
    from generators.video import encoding

    command = encoding.ffmpeg_command((0, 0), encoding.FPS, Path("clip.mp4"), Path("clip.webm"))
    return {"ffmpeg": command[1:], "fps": encoding.FPS, "longest_px": encoding.LONGEST_SIDE_PX}


def diffusers_inputs(settings: Settings) -> dict[str, object]:
    """The diffusers settings that change a picture or a clip."""
    return {"image_model": settings.diffusers_image_model, "steps": settings.diffusers_steps,
            "guidance": settings.diffusers_guidance, "max_side_px": settings.diffusers_max_side_px,
            "device": settings.diffusers_device}


def backend_inputs(spec: AssetSpec, backend: str, tokens: DesignTokens, settings: Settings) -> dict[str, object] | None:
    """What besides the element and the seed the backend reads; None for elements not worth caching."""
    palette = tokens.palette.model_dump(mode="json")
    match spec.kind, backend:
        case "image", "offline":
            from generators.image import procedural
            return {"palette": palette, "longest_px": procedural.LONGEST_SIDE_PX}
        case "video", "offline":
            from generators.video import procedural as video_procedural
            return {"palette": palette, "max_seconds": video_procedural.MAX_SECONDS, **encoding_inputs()}
        case "image", "openai":
            from generators.image import openai as image_openai
            return {"request": image_openai.image_request(spec, settings.endpoint("image").model)}
        case "video", "openai":
            return {"model": settings.endpoint("video").model, **encoding_inputs()}
        case "image", "diffusers":
            return diffusers_inputs(settings)
        case "video", "diffusers":
            return {"video_model": settings.diffusers_video_model, **diffusers_inputs(settings), **encoding_inputs()}
        case "chart", "llm":
            template = (PROMPTS_DIR / "chart_option.md.j2").read_text(encoding="utf-8")
            return {"model": settings.endpoint("coder").model, "tokens": tokens.model_dump(mode="json"),
                    "template": sha256(template.encode())}
    return None


def media_key(spec: AssetSpec, backend: str, tokens: DesignTokens, ctx: GenerationContext) -> str | None:
    """The element's cache key, or None when it is not cached (offline charts, unknown backends)."""
    inputs = backend_inputs(spec, backend, tokens, ctx.settings)
    if inputs is None:
        return None
    described = {"version": CACHE_VERSION, "kind": spec.kind, "backend": backend, "seed": ctx.seed,
                 "suffix": PurePosixPath(spec.path).suffix, "prompt": spec.generation_prompt(),
                 "spec": spec.model_dump(mode="json", exclude={"path", "section_id"}), **inputs}
    return sha256(json.dumps(described, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def path_stem(spec: AssetSpec) -> str:
    """The element's path without its suffix: every file it makes is named this stem plus a tail."""
    return str(PurePosixPath(spec.path).with_suffix(""))


def tail_of(path: str, stem: str) -> str | None:
    """``path`` after ``stem``, or None when it is not named after the element."""
    return path[len(stem):] if path.startswith(stem) and len(path) > len(stem) else None


def remembered(spec: AssetSpec, backend: str, tokens: DesignTokens, ctx: GenerationContext,
               make: Callable[[], GeneratedAsset]) -> GeneratedAsset:
    """The element from the cache when an intact entry has it, else ``make()``'s, stored for next time."""
    key = media_key(spec, backend, tokens, ctx) if ctx.settings.media_cache else None
    if key is None:
        return make()
    root = cache_root(ctx.settings)
    found = read_entry(root / key, key, spec, ctx.out_dir)
    if found is not None:
        return found
    made = make()
    write_entry(root, key, made, spec, ctx.out_dir)
    return made


def load_entry(folder: Path, key: str) -> tuple[CacheManifest, list[bytes]] | None:
    """An entry's manifest and file contents, or None when it is missing, torn or corrupt."""
    try:
        manifest = CacheManifest.model_validate_json((folder / MANIFEST).read_bytes())
        contents = [(folder / str(index)).read_bytes() for index in range(len(manifest.files))]
    except (OSError, ValidationError):
        return None
    if manifest.key != key or any(sha256(data) != file.sha256 for data, file in zip(contents, manifest.files)):
        return None
    return manifest, contents


def read_entry(folder: Path, key: str, spec: AssetSpec, out_dir: Path) -> GeneratedAsset | None:
    """The cached element written to this spec's paths, or None when the entry is missing or not intact."""
    started = time.perf_counter()
    entry = load_entry(folder, key)
    if entry is None:
        return None
    manifest, contents = entry
    stem = path_stem(spec)
    for data, file in zip(contents, manifest.files):
        atomic_write_bytes(safe_join(out_dir, stem + file.tail), data)
    return GeneratedAsset(
        id=spec.id, kind=spec.kind, path=stem + manifest.path_tail, backend=manifest.backend,
        poster=stem + manifest.poster_tail if manifest.poster_tail is not None else None,
        sources=[stem + tail for tail in manifest.source_tails], chart_option=manifest.chart_option,
        seconds=round(time.perf_counter() - started, 3), cached=True)


def write_entry(root: Path, key: str, made: GeneratedAsset, spec: AssetSpec, out_dir: Path) -> None:
    """Store ``made``'s files under ``key``: built in a temporary folder, then renamed into place.

    An intact entry already there (a concurrent build finished first) is kept; a broken one is
    replaced. The cache only saves time: a folder that cannot be written leaves the build as it is.
    """
    stem = path_stem(spec)
    paths = [made.path, *([made.poster] if made.poster else []), *made.sources]
    tails = [tail_of(path, stem) for path in paths]
    if any(tail is None for tail in tails):
        return
    poster_tail = tails[1] if made.poster else None
    source_tails = tails[2:] if made.poster else tails[1:]
    staging = root / f".{key}.{uuid.uuid4().hex}.part"
    try:
        staging.mkdir(parents=True)
        files = []
        for index, (path, tail) in enumerate(zip(paths, tails)):
            data = safe_join(out_dir, path).read_bytes()
            (staging / str(index)).write_bytes(data)
            files.append(CachedFile(tail=tail, sha256=sha256(data)))
        manifest = CacheManifest(key=key, files=files, path_tail=tails[0], poster_tail=poster_tail,
                                 source_tails=source_tails, backend=made.backend, chart_option=made.chart_option)
        (staging / MANIFEST).write_text(manifest.model_dump_json(), encoding="utf-8")
        publish(staging, root / key, key)
    except OSError:
        pass  # a full or read-only cache costs the next build time, never this one its page
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, entry: Path, key: str) -> None:
    """Rename ``staging`` to ``entry``; a broken entry in the way is moved aside and removed first."""
    try:
        staging.rename(entry)
        return
    except OSError:
        if load_entry(entry, key) is not None:
            return
    aside = entry.with_name(f".{entry.name}.{uuid.uuid4().hex}.old")
    try:
        entry.rename(aside)
    except FileNotFoundError:
        pass  # another build moved it first
    try:
        staging.rename(entry)
    except OSError:
        pass  # another build published its copy in between: that one stands
    shutil.rmtree(aside, ignore_errors=True)


def cache_usage(root: Path) -> tuple[int, int]:
    """How many entries the cache folder holds and their size in bytes (0, 0 when it does not exist)."""
    entries = [folder for folder in root.glob("*") if folder.is_dir() and not folder.name.startswith(".")]
    size = sum(file.stat().st_size for folder in entries for file in folder.iterdir() if file.is_file())
    return len(entries), size
