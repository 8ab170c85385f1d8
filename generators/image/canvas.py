"""Drawing primitives: float RGB colours, shapes, gradients, glow fields and the anti-aliased canvas.

Shapes are rasterised at ``SUPERSAMPLE`` times the size and reduced for smooth edges; ``finish``
adds the vignette and grain, and ``fit_size`` and ``encode`` size and save a picture.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SUPERSAMPLE = 2

Colour = tuple[float, float, float]
WHITE: Colour = (255.0, 255.0, 255.0)
Random = np.random.Generator


def mix(a: Colour, b: Colour, t: float) -> Colour:
    """The colour ``t`` of the way from ``a`` to ``b``."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


@dataclass(frozen=True)
class Shape:
    """An ellipse (by its box), a rounded rectangle or a polygon (by its points), in pixels.

    ``outline`` > 0 draws only a ring of that width (ellipses and rectangles).
    """

    kind: Literal["ellipse", "rect", "polygon"]
    coords: tuple[float, ...]
    radius: float = 0.0
    outline: float = 0.0

    def bounds(self) -> tuple[float, float, float, float]:
        xs, ys = self.coords[0::2], self.coords[1::2]
        return min(xs), min(ys), max(xs), max(ys)

    def moved(self, dx: float, dy: float) -> Shape:
        shifted = tuple(v + (dx if i % 2 == 0 else dy) for i, v in enumerate(self.coords))
        return replace(self, coords=shifted)

    def draw(self, pen: ImageDraw.ImageDraw, left: int, top: int) -> None:
        """Draw into a supersampled mask whose top-left corner is (``left``, ``top``)."""
        points = [(v - (left if i % 2 == 0 else top)) * SUPERSAMPLE for i, v in enumerate(self.coords)]
        width = round(self.outline * SUPERSAMPLE)
        fill, outline = (None, 255) if width else (255, None)
        if self.kind == "ellipse":
            pen.ellipse(points, fill=fill, outline=outline, width=width)
        elif self.kind == "rect":
            pen.rounded_rectangle(points, radius=self.radius * SUPERSAMPLE, fill=fill, outline=outline, width=width)
        else:
            pen.polygon(list(zip(points[0::2], points[1::2])), fill=255)


def circle(cx: float, cy: float, r: float, outline: float = 0.0) -> Shape:
    return Shape("ellipse", (cx - r, cy - r, cx + r, cy + r), outline=outline)


def ellipse(x0: float, y0: float, x1: float, y1: float) -> Shape:
    return Shape("ellipse", (x0, y0, x1, y1))


def rect(x0: float, y0: float, x1: float, y1: float, radius: float = 0.0) -> Shape:
    return Shape("rect", (x0, y0, x1, y1), radius=min(radius, (x1 - x0) / 2, (y1 - y0) / 2))


def polygon(points: Iterable[tuple[float, float]]) -> Shape:
    return Shape("polygon", tuple(v for point in points for v in point))


def arc_polygon(cx: float, cy: float, r: float, start_deg: float, end_deg: float) -> Shape:
    """A pie slice (half disc, quarter disc, …) as a polygon."""
    angles = np.radians(np.linspace(start_deg, end_deg, 48))
    return polygon([(cx, cy), *zip(cx + r * np.cos(angles), cy + r * np.sin(angles))])


def coarse_grid(size: tuple[int, int], step: float) -> tuple[np.ndarray, np.ndarray]:
    """Pixel coordinates (x, y) of a grid about ``step`` pixels apart spanning ``size``, corners included."""
    width, height = size
    cols, rows = max(2, round(width / step)), max(2, round(height / step))
    return np.meshgrid(np.linspace(0, width, cols), np.linspace(0, height, rows))


@dataclass(frozen=True)
class Gradient:
    """A linear gradient through evenly spaced stops; angle 90 runs top to bottom, 0 left to right."""

    stops: tuple[Colour, ...]
    angle: float = 90.0


def linear_gradient(size: tuple[int, int], gradient: Gradient) -> Image.Image:
    """Render a gradient small and enlarge it: a linear ramp survives bilinear scaling exactly."""
    step = max(size) / 256 if max(size) > 256 else 1.0
    xs, ys = coarse_grid(size, step)
    angle = math.radians(gradient.angle)
    along = xs * math.cos(angle) + ys * math.sin(angle)
    t = (along - along.min()) / max(np.ptp(along), 1e-9)
    positions = np.linspace(0.0, 1.0, len(gradient.stops))
    rgb = np.stack([np.interp(t, positions, [c[i] for c in gradient.stops]) for i in range(3)], axis=-1)
    small = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    return small.resize(size, Image.BILINEAR)


@dataclass(frozen=True)
class Glow:
    """A soft round light: centre and radius in pixels, colour, strength."""

    x: float
    y: float
    radius: float
    colour: Colour
    strength: float = 1.0


def glow_field(size: tuple[int, int], glows: Sequence[Glow], base: Colour) -> Image.Image:
    """A smooth field where each glow tints ``base`` around its centre (a mesh gradient)."""
    xs, ys = coarse_grid(size, max(size) / 160)
    total = np.ones((*xs.shape, 1))
    rgb = np.ones((*xs.shape, 3)) * np.array(base)
    for glow in glows:
        weight = glow.strength * np.exp(-((xs - glow.x) ** 2 + (ys - glow.y) ** 2) / (2 * glow.radius**2))
        rgb += weight[..., None] * np.array(glow.colour)
        total += weight[..., None]
    small = Image.fromarray(np.clip(rgb / total, 0, 255).astype(np.uint8))
    return small.resize(size, Image.BICUBIC)


Paint = Colour | Gradient


class Canvas:
    """An RGB picture that shapes are painted onto with anti-aliased, optionally blurred masks."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.unit = min(width, height)
        self.image = Image.new("RGB", (width, height))

    def backdrop(self, paint: Gradient | Image.Image) -> None:
        self.image = paint if isinstance(paint, Image.Image) else linear_gradient(self.image.size, paint)

    def fill(self, shapes: Sequence[Shape], paint: Paint, opacity: float = 1.0, blur: float = 0.0) -> None:
        """Paint the union of ``shapes``; ``blur`` softens the edge by that many pixels."""
        if not shapes:
            return
        pad = math.ceil(blur * 3) + 2
        boxes = [shape.bounds() for shape in shapes]
        left = max(math.floor(min(b[0] for b in boxes)) - pad, -pad)
        top = max(math.floor(min(b[1] for b in boxes)) - pad, -pad)
        right = min(math.ceil(max(b[2] for b in boxes)) + pad, self.width + pad)
        bottom = min(math.ceil(max(b[3] for b in boxes)) + pad, self.height + pad)
        if right <= left or bottom <= top:
            return
        size = (right - left, bottom - top)
        fine = Image.new("L", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE))
        pen = ImageDraw.Draw(fine)
        for shape in shapes:
            shape.draw(pen, left, top)
        mask = fine.reduce(SUPERSAMPLE)
        if blur:
            mask = mask.filter(ImageFilter.GaussianBlur(blur))
        if opacity < 1.0:
            mask = mask.point([round(v * opacity) for v in range(256)])
        box = (left, top, right, bottom)
        if isinstance(paint, Gradient):
            self.image.paste(linear_gradient(size, paint), box, mask)
        else:
            self.image.paste(tuple(round(c) for c in paint), box, mask)

    def shadow(
        self, shapes: Sequence[Shape], colour: Colour, dx: float, dy: float, blur: float, opacity: float = 0.3
    ) -> None:
        self.fill([shape.moved(dx, dy) for shape in shapes], colour, opacity=opacity, blur=blur)

    def sun(self, cx: float, cy: float, r: float, colour: Colour) -> None:
        """A disc with a wide soft halo."""
        self.fill([circle(cx, cy, r * 3.2)], colour, opacity=0.3, blur=r * 1.6)
        self.fill([circle(cx, cy, r * 1.5)], colour, opacity=0.35, blur=r * 0.5)
        self.fill([circle(cx, cy, r)], colour)


def finish(image: Image.Image, rng: Random, grain: bool = True) -> Image.Image:
    """A gentle vignette and, for stills, film grain."""
    width, height = image.size
    pixels = np.asarray(image, dtype=np.float32)
    nx = np.linspace(-1.0, 1.0, width, dtype=np.float32) ** 2
    ny = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, None] ** 2
    pixels = pixels * (1.0 - 0.12 * (nx + ny))[..., None]
    if grain:
        pixels += rng.standard_normal((height, width, 1), dtype=np.float32) * 3.5
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def fit_size(width: int, height: int, longest: int, even: bool = False) -> tuple[int, int]:
    """``width``×``height`` scaled down (never up) so the longer side is at most ``longest``."""
    scale = min(1.0, longest / max(width, height))
    if even:
        return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)
    return max(1, round(width * scale)), max(1, round(height * scale))


def encode(image: Image.Image, suffix: str) -> bytes:
    """PNG for ``.png`` paths, WebP (quality 85) otherwise."""
    buffer = io.BytesIO()
    if suffix.lower() == ".png":
        image.save(buffer, "PNG", optimize=False)
    else:
        image.save(buffer, "WEBP", quality=85, method=4)
    return buffer.getvalue()
