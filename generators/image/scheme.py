"""The colours a picture is painted with: the page palette as float RGB, shifted by the element's tone cues."""

from __future__ import annotations

import colorsys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from webagent.core.colour import hex_to_rgb
from webagent.core.contracts import Palette
from webagent.generators.image.canvas import WHITE, Colour, mix

NIGHT: Colour = (8.0, 10.0, 20.0)


def luma(colour: Colour) -> float:
    """Rec. 709 luma of the gamma-encoded colour (0–1): ranks the roles to find the darkest."""
    return (0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2]) / 255.0


def adjust_hls(
    colour: Colour,
    lightness: Callable[[float], float] = lambda v: v,
    saturation: Callable[[float], float] = lambda v: v,
    hue: float | None = None,
) -> Colour:
    """Reshape a colour in hue/lightness/saturation space."""
    old_hue, old_lightness, old_saturation = colorsys.rgb_to_hls(*(c / 255.0 for c in colour))
    r, g, b = colorsys.hls_to_rgb(
        old_hue if hue is None else hue,
        min(1.0, max(0.0, lightness(old_lightness))),
        min(1.0, max(0.0, saturation(old_saturation))),
    )
    return (r * 255.0, g * 255.0, b * 255.0)


def apply_tone(colour: Colour, tone: str, primary: Colour) -> Colour:
    """Shift one colour toward a tone cue (``primary`` sets the hue of monochrome)."""
    if tone == "warm":
        return mix(colour, (255.0, 158.0, 78.0), 0.16)
    if tone == "cool":
        return mix(colour, (72.0, 132.0, 255.0), 0.16)
    if tone == "dark":
        return adjust_hls(colour, lightness=lambda v: v * 0.5)
    if tone == "pastel":
        return adjust_hls(colour, lightness=lambda v: v + (1.0 - v) * 0.45, saturation=lambda v: v * 0.8)
    if tone == "monochrome":
        hue = colorsys.rgb_to_hls(*(c / 255.0 for c in primary))[0]
        return adjust_hls(colour, saturation=lambda v: v * 0.25, hue=hue)
    if tone == "vivid":
        return adjust_hls(colour, saturation=lambda v: v * 1.35)
    return colour


@dataclass(frozen=True)
class Scheme:
    """The page palette as float colours, shifted by the element's tone cues."""

    background: Colour
    surface: Colour
    primary: Colour
    secondary: Colour
    accent: Colour
    ink: Colour

    @classmethod
    def from_palette(cls, palette: Palette, tones: Sequence[str] = ()) -> Scheme:
        roles = {
            name: tuple(float(c) for c in hex_to_rgb(getattr(palette, name)))
            for name in ("background", "surface", "primary", "secondary", "accent", "text")
        }
        primary = roles["primary"]
        for tone in tones:  # a dark picture keeps its accent bright: lamps, windows, the sun
            roles = {
                name: c if (tone, name) == ("dark", "accent") else apply_tone(c, tone, primary)
                for name, c in roles.items()
            }
        darkest = min(roles.values(), key=luma)
        del roles["text"]
        return cls(**roles, ink=mix(darkest, NIGHT, 0.45))

    def light(self, colour: Colour, t: float) -> Colour:
        return mix(colour, WHITE, t)

    def deep(self, colour: Colour, t: float) -> Colour:
        return mix(colour, self.ink, t)
