"""Offline video backend: a slow camera move over a procedural still, with drifting light.

The still comes from the image backend's ``paint``; ``encoding`` turns the frames into the MP4,
WebM and poster the page plays.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageChops

from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, DesignTokens, GeneratedAsset, VideoAttributes
from webagent.generators.image.canvas import Glow, glow_field
from webagent.generators.image.procedural import paint
from webagent.generators.image.scheme import Scheme
from webagent.generators.image.words import has_word, tones_of
from webagent.generators.video.encoding import FPS, slot_size, write_video

BACKEND = "offline"
MAX_SECONDS = 6.0

# motion intensity → (zoom change per second, pan travel per second as a fraction of the still,
# light-layer brightness): longer clips travel further at the same calm speed
MOTION = {"low": (0.018, 0.01, 0.2), "medium": (0.03, 0.018, 0.28), "high": (0.045, 0.028, 0.36)}

ZOOM_OUT_WORDS = ("pull", "zoom out", "dolly out", "zoom-out", "pull-back", "reveal")
ZOOM_IN_WORDS = ("push", "zoom in", "zoom-in", "dolly in", "close in")
PAN_WORDS = ("pan", "truck", "track", "slide", "tilt", "crane", "drift")
DIRECTIONS = {"left": (-1.0, 0.0), "right": (1.0, 0.0), "up": (0.0, -1.0), "rise": (0.0, -1.0), "down": (0.0, 1.0)}


@dataclass(frozen=True)
class CameraMove:
    """Zoom at the start and at the far end of the move, and the pan direction and travel."""

    zoom_start: float
    zoom_end: float
    direction: tuple[float, float]
    travel: float

    @property
    def widest_zoom(self) -> float:
        return max(self.zoom_start, self.zoom_end)


def plan_camera(attributes: VideoAttributes, seconds: float) -> CameraMove:
    """Read the camera cue ("slow push-in", "pan left", "pull back", "static") into a move."""
    words = attributes.camera.lower()
    zoom_speed, travel_speed, _ = MOTION[attributes.motion_intensity]
    zoom_change, travel = zoom_speed * seconds, travel_speed * seconds
    if has_word(words, ("static", "locked")):
        return CameraMove(1.0, 1.0, (0.0, 0.0), 0.0)
    direction = next((d for word, d in DIRECTIONS.items() if has_word(words, (word,))), None)
    zooms = any(w in words for w in ZOOM_IN_WORDS + ZOOM_OUT_WORDS)
    pans = direction is not None or any(w in words for w in PAN_WORDS)
    if pans and not zooms:
        zoom_change = 0.0
    if not pans:
        direction, travel = (0.6, -0.35), travel * 0.5
    base = 1.0 / (1.0 - travel)  # zoomed in just enough that the pan never shows an edge
    zoom_in = not any(w in words for w in ZOOM_OUT_WORDS)
    start, end = (base, base + zoom_change) if zoom_in else (base + zoom_change, base)
    return CameraMove(start, end, direction or (1.0, 0.0), travel)


def progress(index: int, count: int, loop: bool) -> float:
    """Eased position along the move: out and back for loops, there once otherwise."""
    if loop:
        return (1.0 - math.cos(2.0 * math.pi * index / count)) / 2.0
    return (1.0 - math.cos(math.pi * index / max(count - 1, 1))) / 2.0


def camera_frames(
    still: Image.Image, light: Image.Image, move: CameraMove, size: tuple[int, int], count: int, loop: bool
) -> Iterator[Image.Image]:
    """The frames: a window onto ``still`` that moves and zooms, with ``light`` drifting over it."""
    width, height = size
    still_w, still_h = still.size
    light_room = ((light.width - width) / 2, (light.height - height) / 2)
    for index in range(count):
        p = progress(index, count, loop)
        zoom = move.zoom_start + (move.zoom_end - move.zoom_start) * p
        view_w, view_h = still_w / zoom, still_h / zoom
        shift = move.travel * (p - 0.5)
        left = min(max((still_w - view_w) / 2 + move.direction[0] * shift * still_w, 0.0), still_w - view_w)
        top = min(max((still_h - view_h) / 2 + move.direction[1] * shift * still_h, 0.0), still_h - view_h)
        frame = still.resize(size, Image.BILINEAR, box=(left, top, left + view_w, top + view_h))
        angle = 2.0 * math.pi * index / count
        lx = round(light_room[0] * (1 + 0.9 * math.cos(angle)))
        ly = round(light_room[1] * (1 + 0.9 * math.sin(angle)))
        drift = light.crop((lx, ly, lx + width, ly + height))  # whole pixels: too soft to show steps
        yield ImageChops.add(frame, drift)


def light_layer(scheme: Scheme, size: tuple[int, int], brightness: float) -> Image.Image:
    """Two soft coloured lights on black, a little larger than the frame so they can drift."""
    width, height = round(size[0] * 1.3), round(size[1] * 1.3)
    unit = min(width, height)
    glows = [
        Glow(width * 0.3, height * 0.3, unit * 0.28, tuple(c * brightness for c in scheme.accent), 1.0),
        Glow(width * 0.72, height * 0.68, unit * 0.32, tuple(c * brightness for c in scheme.secondary), 1.0),
    ]
    return glow_field((width, height), glows, (0.0, 0.0, 0.0))


def generate(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """Render a few seconds of camera motion over the element's still and encode MP4 + WebM + poster."""
    started = time.perf_counter()
    attributes = spec.attributes if isinstance(spec.attributes, VideoAttributes) else VideoAttributes()
    size = slot_size(spec)
    seconds = min(attributes.seconds, MAX_SECONDS)
    move = plan_camera(attributes, seconds)
    still_size = (math.ceil(size[0] * move.widest_zoom), math.ceil(size[1] * move.widest_zoom))
    still = paint(spec, tokens, still_size, ctx.seed, grain=False)
    scheme = Scheme.from_palette(tokens.palette, tones_of(spec))
    light = light_layer(scheme, size, MOTION[attributes.motion_intensity][2])
    count = max(2, round(seconds * FPS))
    frames = camera_frames(still, light, move, size, count, attributes.loopable)
    return write_video(spec, ctx.out_dir, frames, size, BACKEND, started)
