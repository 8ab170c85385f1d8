"""Visual style: which named style a prompt asks for, its mood words, and dark or light."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from webagent.core.colour import is_dark
from webagent.core.contracts import DesignTokens, Fonts, Palette
from webagent.planners.offline.colours import PaletteChoice, saturation
from webagent.planners.offline.fonts import class_stack
from webagent.planners.offline.text import words_pattern
from webagent.planners.offline.vocabulary import load

_DARK = re.compile(
    r"\b(dark[- ](?:themed|theme|mode|ui|interface|background|canvas|palette)|dark,|dark and|dark\s+(?:neon|cinematic|moody)|"
    r"black background|night[- ]mode|neon[- ]accented|midnight|pitch[- ]black|deep black|near[- ]black)\b",
    re.I,
)
_LIGHT = re.compile(
    r"\b(light[- ](?:themed|theme|mode|background|interface)|white background|off-white|airy|bright,? light)\b", re.I
)


@dataclass
class Style:
    name: str
    palette: dict[str, str]
    fonts: dict[str, str]
    radius: int
    shadow: str
    mood: str
    want_dark: bool | None


def detect_style(opening: str, whole: str) -> Style:
    """The style preset that best fits the prompt; the opening sentences weigh three times."""
    data = load("styles.json")
    best, best_score = data["default"], 0.0
    opening_l, whole_l = opening.lower(), whole.lower()
    opening_counts = _cue_counts(opening_l)
    first_counts = _cue_counts(opening_l.split(". ")[0])
    whole_counts = _cue_counts(whole_l)
    for name, preset in data["styles"].items():
        score = 0.0
        weight = 0.5 if name in {"minimal", "clean"} else 1.0  # 'minimal' co-occurs with every style
        for cue in preset["cues"]:
            score += weight * (
                3.0 * opening_counts.get(cue, 0)
                + 2.0 * first_counts.get(cue, 0)
                + 0.25 * min(6, whole_counts.get(cue, 0))
            )
        if score > best_score:
            best, best_score = name, score
    preset = data["styles"][best]

    want_dark = _dark_hint(opening, whole, preset)
    palette = dict(preset["palette"])
    if want_dark and not _is_dark_palette(palette):
        palette = dict(preset.get("dark_palette") or {**data["dark_default"], "primary": _brightest(preset)})
    elif want_dark is False and _is_dark_palette(palette):
        palette = dict(data["styles"]["minimal"]["palette"])

    fonts = {
        "heading": class_stack(preset["fonts"]["heading"]),
        "body": class_stack(preset["fonts"]["body"]),
        "mono": class_stack("mono"),
    }
    return Style(
        name=best,
        palette=palette,
        fonts=fonts,
        radius=int(preset["radius"]),
        shadow=preset["shadow"],
        mood=_mood(whole, preset["mood"]),
        want_dark=want_dark,
    )


def design_tokens(style: Style, choice: PaletteChoice, fonts: dict[str, str], radius: int) -> DesignTokens:
    """The page's design tokens: the chosen palette and fonts in the style's shape and mood."""
    return DesignTokens(
        palette=Palette(**choice.palette),
        fonts=Fonts(**fonts),
        radius_px=radius,
        shadow=style.shadow,
        mood=style.mood,
        visual_style=style.name,
        dark=choice.dark,
    )


@cache
def _cue_pattern() -> re.Pattern:
    return words_pattern({c for preset in load("styles.json")["styles"].values() for c in preset["cues"]})


def _cue_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in _cue_pattern().finditer(text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    return counts


def _dark_hint(opening: str, whole: str, preset: dict) -> bool | None:
    if _DARK.search(opening):
        return True
    if _LIGHT.search(opening):
        return False
    if preset.get("dark"):
        return True
    head = whole[:1500]
    if _DARK.search(head) and not _LIGHT.search(head):
        return True
    return None


def _is_dark_palette(palette: dict[str, str]) -> bool:
    return is_dark(palette["background"])


def _brightest(preset: dict) -> str:
    colours = [preset["palette"][r] for r in ("primary", "accent", "secondary")]
    return max(colours, key=saturation)


def _mood(text: str, fallback: str) -> str:
    words = load("styles.json")["moods"]
    found: list[tuple[int, str]] = []
    lowered = text[:4000].lower()
    for word in words:
        i = lowered.find(word)
        if i >= 0 and re.match(r"\b", lowered[i:]) and (i == 0 or not lowered[i - 1].isalpha()):
            found.append((i, word))
    found.sort()
    chosen = [w for _, w in found[:3]]
    return ", ".join(chosen) if chosen else fallback
