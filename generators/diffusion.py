"""What the diffusers backends share: the optional imports, the device, loaded pipelines and seeds.

torch and diffusers are imported inside functions, so the core package works without them.
A pipeline is loaded once per process for each (model, device), one load at a time, and
kept; the threads that build elements in parallel share it and take turns running it. A model
that cannot be loaded fails once with a one-line reason, and later elements fail at once with
the same reason instead of trying again (an unreachable hub costs its retries once, not once
per element); a long-running process such as the UI tries again after a restart.
"""

from __future__ import annotations

import inspect
import math
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from webagent.core.config import Settings
from webagent.core.errors import GenerationError, MissingExtraError, SettingsError

Kind = Literal["image", "video"]
Loader = Callable[[str, Any], Any]  # (model id or folder, torch dtype) → pipeline


@dataclass
class LoadedPipeline:
    """A pipeline on its device, with the lock that lets one thread at a time run it."""

    pipe: Any
    device: str
    lock: threading.Lock = field(default_factory=threading.Lock)


_pipelines: dict[tuple[str, str], LoadedPipeline | str] = {}  # (model, device) → pipeline or why it failed
_pipelines_lock = threading.Lock()


def import_torch(kind: Kind) -> ModuleType:
    """torch, after checking diffusers imports too; MissingExtraError naming the extra otherwise."""
    try:
        import diffusers  # noqa: F401
        import torch
    except ImportError:
        raise MissingExtraError(
            f"the diffusers {kind} backend needs the 'diffusers' extra: pip install 'mm-webagent[diffusers]'"
        ) from None
    return torch


def check_ready(settings: Settings, kind: Kind) -> None:
    """Fail before any work when the packages or the configured device are missing."""
    choose_device(import_torch(kind), settings)


def choose_device(torch: ModuleType, settings: Settings) -> str:
    """CUDA, then MPS, then CPU for "auto"; the configured device when torch can use it."""
    available = {"cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available(), "cpu": True}
    choice = settings.diffusers_device
    if choice == "auto":
        return next(device for device, ok in available.items() if ok)
    if not available[choice]:
        raise SettingsError(
            f"WEBAGENT_DIFFUSERS_DEVICE is {choice!r}, but torch cannot use it here; set it to 'auto' or 'cpu'"
        )
    return choice


def pipeline(kind: Kind, settings: Settings, load: Loader) -> LoadedPipeline:
    """The pipeline of the configured ``kind`` model on the configured device, loaded once per process."""
    torch = import_torch(kind)
    model = getattr(settings, f"diffusers_{kind}_model")
    device = choose_device(torch, settings)
    with _pipelines_lock:
        key = (model, device)
        if key not in _pipelines:
            _pipelines[key] = load_pipeline(torch, model, device, load)
        loaded = _pipelines[key]
    if isinstance(loaded, str):
        raise GenerationError(
            f"diffusers model {model!r} cannot be loaded: {loaded}; "
            f"set WEBAGENT_DIFFUSERS_{kind.upper()}_MODEL to a local folder or a hub id"
        )
    return loaded


def load_pipeline(torch: ModuleType, model: str, device: str, load: Loader) -> LoadedPipeline | str:
    """``model`` loaded with ``load`` and moved to ``device``, or one line saying why it cannot be."""
    folder = Path(model).expanduser()
    if (folder.is_absolute() or model.startswith(".")) and not folder.is_dir():
        return "there is no such folder"
    dtype = torch.float16 if device == "cuda" else torch.float32
    try:
        pipe = load(str(folder) if folder.is_dir() else model, dtype).to(device)
    except Exception as exc:  # diffusers and the hub raise OSError, ValueError, HTTP and CUDA errors
        return first_line(exc)
    pipe.set_progress_bar_config(disable=True)
    return LoadedPipeline(pipe, device)


def first_line(exc: Exception) -> str:
    """The first line of an exception's message, or its type when it has none."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def run(loaded: LoadedPipeline, **inputs: Any) -> Any:
    """Call the pipeline with those ``inputs`` its ``__call__`` takes, one thread at a time.

    Pipelines differ in what they take (an image-to-video model takes no prompt, a few take no
    size); an input a pipeline does not name is left out rather than failing the call.
    """
    parameters = inspect.signature(loaded.pipe.__call__).parameters.values()
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        names = {p.name for p in parameters}
        inputs = {name: value for name, value in inputs.items() if name in names}
    with loaded.lock:
        return loaded.pipe(**inputs)


def generator(seed: int, element_id: str) -> Any:
    """A CPU torch.Generator seeded from the build seed and the element id (the same on every device).

    Both go into one 32-bit hash: torch's CPU generator keeps only the low 32 bits of a seed.
    """
    import torch

    return torch.Generator(device="cpu").manual_seed(zlib.crc32(f"{seed}/{element_id}".encode()))


def sampling_inputs(settings: Settings, seed: int, element_id: str) -> dict[str, Any]:
    """Steps, guidance and the seeded generator of one element's sampling."""
    return {
        "num_inference_steps": settings.diffusers_steps,
        "guidance_scale": settings.diffusers_guidance,
        "generator": generator(seed, element_id),
    }


def generation_size(loaded: LoadedPipeline, width: int, height: int, longest: int) -> tuple[int, int]:
    """The slot's aspect with the longer side at most ``longest``, both sides multiples the model takes."""
    step = math.lcm(8, int(getattr(loaded.pipe, "vae_scale_factor", 8)))
    scale = longest / max(width, height)
    return max(step, int(width * scale) // step * step), max(step, int(height * scale) // step * step)
