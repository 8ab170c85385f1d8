"""What the static judge reads from pictures: a page's dominant colour, and whether video frames move."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

from webagent.core.colour import rgb_to_hex

SAMPLE_PX = 64  # pictures are compared at this width: enough for a page's dominant colour or a frame's motion
STILL_DIFFERENCE = 2.0  # mean absolute channel difference (0–255) under which two frames count as the same


def sample(path: Path) -> Image.Image:
    with Image.open(path) as picture:
        rgb = picture.convert("RGB")
    height = max(1, round(rgb.height * SAMPLE_PX / rgb.width))
    return rgb.resize((SAMPLE_PX, height), Image.Resampling.BOX)


def median_colour(path: Path) -> str:
    """The per-channel median colour of a picture, as #RRGGBB: the page background for a full screenshot."""
    return rgb_to_hex(tuple(ImageStat.Stat(sample(path)).median))


def frames_move(paths: list[Path]) -> bool:
    """Whether any two consecutive frames differ by more than compression noise."""
    samples = [sample(path) for path in paths]
    return any(
        a.size != b.size or max(ImageStat.Stat(ImageChops.difference(a, b)).mean) >= STILL_DIFFERENCE
        for a, b in pairwise(samples)
    )
