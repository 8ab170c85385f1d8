"""Colours: hex and named colours in the prompt, their palette roles, and contrast repair.

Colour math (luminance, contrast, darkness, hex <-> RGB) comes from `webagent.core.colour`; what
stays here is only what the planner adds to it: hex spelling, HLS shifts for colour words,
and the unit-interval blend its palettes are tuned with (see `mix`).
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass, field
from functools import cache

from webagent.core.colour import contrast_ratio, hex_to_rgb, is_dark, mix, readable_on, relative_luminance, rgb_to_hex
from webagent.planners.offline.vocabulary import load

ROLES = ("background", "surface", "text", "muted", "primary", "secondary", "accent")

_HEX = re.compile(r"(?<![\w&])#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-zA-Z])")

# Words near a colour and the palette role they point to. Longer phrases are tried first.
_ROLE_CUES: list[tuple[str, str, float]] = [
    (
        r"background|backdrop|canvas|page colou?r|base colou?r|paper tone|ground|fond|arrière-plan|fondo|hintergrund",
        "background",
        3.0,
    ),
    (r"cards?|panels?|surfaces?|tiles?|modules?|containers?|boxes|box|sheets?|modals?|wells?", "surface", 2.0),
    (
        r"body (text|copy)|text|type|typography|copy|headlines?|headings?|titles?|lettering|letters|font|wordmark|ink",
        "text",
        2.0,
    ),
    (
        r"muted|secondary text|gr[ae]y text|meta|captions?|borders?|rules?|dividers?|hairlines?|outlines?|strokes?|grid ?lines?|lines?|separators?",
        "muted",
        2.0,
    ),
    (
        r"buttons?|cta|calls? to action|call-to-action|primary|brand colou?r|links?|actions?|interactive|"
        r"principale?|primaire|boutons?|primario|principal|botones|primärfarbe|hauptfarbe",
        "primary",
        3.0,
    ),
    (r"secondary|bands?|second colou?r|supporting", "secondary", 3.0),
    (
        r"accents?|highlights?|badges?|glow(ing)?|emphasis|hover|active|indicators?|tags?|pills?|chips?|underlines?|icons?|dots?|alerts?|warnings?|spark|neon",
        "accent",
        2.5,
    ),
]
_ROLE_RES = [(re.compile(r"\b(?:" + pat + r")\b", re.I), role, weight) for pat, role, weight in _ROLE_CUES]

# "<component> background": which part of the page a background colour belongs to.
_OWNER = re.compile(
    r"\b(header|nav(?:igation)?(?: bar)?|top bar|footer|hero|section|band|strip|banner|sidebar|"
    r"panel|card|tile|button|badge|tag|pill|chip|input|field|modal|box|block|column|area|"
    r"overlay|frame|bar|plate)(?:'s|’s)?\s+(?:\w+\s+){0,2}(?:background|fill|backdrop)\b",
    re.I,
)
_COMPONENT = re.compile(
    r"\b(header|nav(?:igation)?(?: bar)?|top bar|footer|hero|section|band|strip|banner|sidebar|panel|card|tile|button|badge|"
    r"tag|pill|chip|input|field|modal|box|block|module|column|area|overlay|frame|plate|label)s?\b",
    re.I,
)
_SECTION_OWNERS = {
    "header",
    "nav",
    "navigation",
    "navigation bar",
    "top bar",
    "footer",
    "hero",
    "section",
    "band",
    "strip",
    "banner",
    "sidebar",
    "area",
    "column",
    "block",
}


@dataclass
class ColourMention:
    hex: str
    start: int
    end: int
    scores: dict[str, float] = field(default_factory=dict)
    owner: str = ""  # "header", "card", … when the words say whose background this is
    name: str = ""  # the colour word, for named colours


@dataclass
class PaletteChoice:
    palette: dict[str, str]
    assigned: dict[str, str]  # hex → role, for user colours that got a palette role
    displaced: list[str]  # user colours that were replaced by a readable variant
    dark: bool


# ----------------------------------------------------------------------------- colour math


def normalise_hex(value: str) -> str:
    """'#abc', ' 1a2b3c ' → '#AABBCC', '#1A2B3C': spelling only, so it never fails on odd input."""
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return "#" + value.upper()


def _unit_rgb(hex_colour: str) -> tuple[float, float, float]:
    """RGB channels in 0…1, as colorsys and `mix` want them."""
    return tuple(c / 255 for c in hex_to_rgb(normalise_hex(hex_colour)))  # type: ignore[return-value]


def _from_unit_rgb(rgb: tuple[float, float, float]) -> str:
    return rgb_to_hex(tuple(c * 255 for c in rgb))


def saturation(hex_colour: str) -> float:
    return colorsys.rgb_to_hls(*_unit_rgb(hex_colour))[2]


def adjust(hex_colour: str, hue_deg: float = 0.0, sat: float = 0.0, light: float = 0.0) -> str:
    h, lightness, s = colorsys.rgb_to_hls(*_unit_rgb(hex_colour))
    h = (h + hue_deg / 360.0) % 1.0
    s = max(0.0, min(1.0, s + sat))
    lightness = max(0.0, min(1.0, lightness + light))
    return _from_unit_rgb(colorsys.hls_to_rgb(h, lightness, s))


# ----------------------------------------------------------------------------- finding colours


def hex_values(text: str) -> list[str]:
    """Every #RGB / #RRGGBB in the text, as #RRGGBB, in order (repeats kept)."""
    return [normalise_hex(m.group(0)) for m in _HEX.finditer(text)]


def hex_mentions(text: str) -> list[ColourMention]:
    """Every #RGB / #RRGGBB in the text, with its role cues scored from the nearby words."""
    mentions = []
    for m in _HEX.finditer(text):
        mention = ColourMention(normalise_hex(m.group(0)), m.start(), m.end())
        _score_context(text, mention)
        mentions.append(mention)
    return mentions


@cache
def _names_pattern() -> re.Pattern:
    data = load("colour_names.json")
    names = sorted(data["names"], key=len, reverse=True)
    mods = sorted(data["modifiers"], key=len, reverse=True)
    name_alt = "|".join(re.escape(n).replace(r"\ ", r"[\s-]") for n in names)
    mod_alt = "|".join(re.escape(m).replace(r"\ ", r"\s") for m in mods)
    return re.compile(
        rf"\b(?P<mods>(?:(?:{mod_alt})[\s-]+){{0,2}})(?P<name>{name_alt})(?:-(?:ish|toned|tinted))?\b", re.I
    )


def colour_of_words(words: str) -> str | None:
    """'pastel mint' → a hex, or None when the words name no colour."""
    m = _names_pattern().search(words)
    return _resolve(m) if m else None


def _resolve(m: re.Match) -> str:
    data = load("colour_names.json")
    names = data["names"]
    name = re.sub(r"[\s-]+", " ", m.group("name").lower())
    mods = re.findall(r"very light|[a-z]+", m.group("mods").lower())
    if mods and f"{mods[-1]} {name}" in names:  # "neon yellow" is a colour, not neon + yellow
        name = f"{mods.pop()} {name}"
    base = names.get(name) or names.get(name.replace(" ", "-")) or "#808080"
    colour = base
    for mod in mods:
        shift = data["modifiers"].get(mod)
        if shift:
            colour = _shift(colour, *shift)
    return colour


def _shift(hex_colour: str, hue_deg: float, sat: float, light: float) -> str:
    """Apply a colour word's modifier relative to the colour: 'pale' never turns cream white."""
    h, lightness, s = colorsys.rgb_to_hls(*_unit_rgb(hex_colour))
    lightness = lightness + light * (1 - lightness) * 2 if light > 0 else lightness * (1 + light * 2)
    s = s + sat * (1 - s) if sat > 0 else s * (1 + sat * 2)
    h = (h + hue_deg / 360.0) % 1.0
    return _from_unit_rgb(colorsys.hls_to_rgb(h, max(0.0, min(0.97, lightness)), max(0.0, min(1.0, s))))


_PAGE_WORDS = re.compile(r"\b(?:page|entire|whole|site|canvas|body|overall|viewport|homepage|website)\b", re.I)


def named_mentions(text: str) -> list[ColourMention]:
    """Colour words ('bubblegum pink', 'pale lavender', 'charcoal') with their role cues.

    Colour words are everywhere in a detailed prompt (white text, a teal icon), so they only
    count as the page background with page words nearby, and never as a brand colour when
    they are near-white or near-black."""
    mentions = []
    for m in _names_pattern().finditer(text):
        mention = ColourMention(_resolve(m), m.start(), m.end(), name=m.group(0))
        _score_context(text, mention)
        window = text[max(0, m.start() - 90) : m.end() + 40]
        if "background" in mention.scores and not (_PAGE_WORDS.search(window) and not mention.owner):
            mention.scores.pop("background")
        if (
            saturation(mention.hex) < 0.12
            or relative_luminance(mention.hex) > 0.85
            or relative_luminance(mention.hex) < 0.02
        ):
            for role in ("primary", "secondary", "accent"):
                mention.scores.pop(role, None)
        mentions.append(mention)
    return mentions


def _score_context(text: str, mention: ColourMention) -> None:
    """Score palette roles from the clause around a colour; nearer words weigh more."""
    left_start = max(0, mention.start - 110)
    left = text[left_start : mention.start]
    cut = max(left.rfind(". "), left.rfind(";"), left.rfind("\n"), left.rfind("#"))
    if cut >= 0:
        # After another colour, a comma closes that colour's clause: in "sage #9CAF88 as secondary, cream
        # #FFF8EE background" the word "secondary" is sage's, not cream's.
        after_colour = left[cut] == "#" and "," in left[cut:]
        left = left[left.rfind(",") + 1 :] if after_colour else left[cut + 1 :]
    # The colour's own name is not a cue: "muted gold (#D4AF37)" says nothing about the muted role.
    left = _names_pattern().sub(lambda m: " " * len(m.group(0)), left)
    right = text[mention.end : mention.end + 70]
    cut_candidates = [i for i in (right.find(". "), right.find(";"), right.find("\n"), right.find("#")) if i >= 0]
    if cut_candidates:
        right = right[: min(cut_candidates)]
    scores: dict[str, float] = {}
    for regex, role, weight in _ROLE_RES:
        for m in regex.finditer(left):
            distance = len(left) - m.end()
            scores[role] = scores.get(role, 0.0) + weight * (1.0 if distance < 40 else 0.5)
        for m in regex.finditer(right):
            distance = m.start()
            scores[role] = scores.get(role, 0.0) + weight * (0.8 if distance < 30 else 0.4)
    owner = None
    for m in _OWNER.finditer(left + " " + right[:40]):
        owner = m.group(1).lower()
    if owner is None and re.match(r"^\)?\s*(?:background|fill|backdrop|band)\b", right):
        # "a header bar … with a jarring lemon yellow (#FFE82B) background": whose background?
        components = list(_COMPONENT.finditer(left))
        if components:
            owner = components[-1].group(1).lower()
    if owner:
        mention.owner = owner
        if owner in {"card", "tile", "panel", "box", "modal", "plate", "frame", "module", "label"}:
            scores["surface"] = scores.get("surface", 0) + 3
            scores["background"] = scores.get("background", 0) - 3
        elif owner in {"button", "pill"}:
            scores["primary"] = scores.get("primary", 0) + 3
            scores["background"] = scores.get("background", 0) - 3
        elif owner in {"badge", "tag", "chip"}:
            scores["accent"] = scores.get("accent", 0) + 3
            scores["background"] = scores.get("background", 0) - 3
        elif owner in _SECTION_OWNERS or owner.startswith("nav"):
            scores["background"] = scores.get("background", 0) - 2.5
            scores["secondary"] = scores.get("secondary", 0) + 1
    whole = (left + " " + right).lower()
    if re.search(r"\b(entire|whole|overall|page|site|canvas|viewport)\b", whole) and scores.get("background", 0) > 0:
        scores["background"] += 3
        mention.owner = ""
    mention.scores = scores


def is_section_background(mention: ColourMention) -> bool:
    owner = mention.owner
    return bool(owner) and (owner in _SECTION_OWNERS or owner.startswith("nav"))


# ----------------------------------------------------------------------------- the palette


def choose_palette(
    hexes: list[ColourMention],
    named: list[ColourMention],
    defaults: dict[str, str],
    want_dark: bool | None,
) -> PaletteChoice:
    """Give each palette role a colour: prompt hexes first, then colour words, then defaults."""
    palette: dict[str, str] = {}
    assigned: dict[str, str] = {}

    totals = _total_scores(hexes)
    _assign_greedy(totals, palette, assigned, threshold=1.0, dark_hint=want_dark)
    named_totals = _best_scores(named)
    for hex_value in list(named_totals):
        if hex_value in assigned or hex_value in palette.values():
            named_totals.pop(hex_value)
    _assign_greedy(named_totals, palette, {}, threshold=2.0, dark_hint=want_dark)

    if "background" not in palette:
        palette["background"] = defaults["background"]
    dark = is_dark(palette["background"])
    if want_dark and not dark and "background" not in assigned.values():
        palette["background"] = defaults["background"] if is_dark(defaults["background"]) else "#0B0F19"
        dark = True
    _complete(palette, defaults, dark)

    _prefer_readable(palette, assigned, totals)
    displaced: list[str] = []
    text = palette["text"]
    fixed = readable_on(palette["background"], text, 4.5)
    if fixed != text:
        palette["text"] = fixed
        if text in assigned:
            displaced.append(text)
    for role, minimum in (("muted", 3.0), ("primary", 3.0)):
        colour = palette[role]
        fixed = readable_on(palette["background"], colour, minimum)
        if fixed != colour:
            palette[role] = fixed
            if colour in assigned:
                displaced.append(colour)
    for colour in displaced:
        assigned.pop(colour, None)
    return PaletteChoice(palette=palette, assigned=assigned, displaced=displaced, dark=dark)


def _total_scores(mentions: list[ColourMention]) -> dict[str, dict[str, float]]:
    totals: dict[str, dict[str, float]] = {}
    order: dict[str, int] = {}
    for i, m in enumerate(mentions):
        order.setdefault(m.hex, i)
        bucket = totals.setdefault(m.hex, {})
        for role, score in m.scores.items():
            bucket[role] = bucket.get(role, 0.0) + score
    return dict(sorted(totals.items(), key=lambda kv: order[kv[0]]))


_MINIMUM_CONTRAST = {"text": 4.5, "primary": 3.0, "muted": 3.0}


def _prefer_readable(palette: dict[str, str], assigned: dict[str, str], totals: dict[str, dict[str, float]]) -> None:
    """When a role's colour is unreadable on the background, try another prompt colour for it."""
    background = palette["background"]
    for role, minimum in _MINIMUM_CONTRAST.items():
        current = palette.get(role)
        if current is None or contrast_ratio(current, background) >= minimum:
            continue
        candidates = [
            (scores.get(role, 0.0), hex_value)
            for hex_value, scores in totals.items()
            if hex_value not in palette.values()
            and scores.get(role, 0.0) > 0
            and contrast_ratio(hex_value, background) >= minimum
        ]
        if not candidates:
            continue
        _, better = max(candidates)
        if current in assigned:
            assigned.pop(current)
        palette[role] = better
        assigned[better] = role


def _best_scores(mentions: list[ColourMention]) -> dict[str, dict[str, float]]:
    """Per colour and role, its single best mention (colour words repeat; repetition is not evidence)."""
    best: dict[str, dict[str, float]] = {}
    for m in mentions:
        bucket = best.setdefault(m.hex, {})
        for role, score in m.scores.items():
            bucket[role] = max(bucket.get(role, 0.0), score)
    return best


def _fitness(hex_value: str, role: str, dark_hint: bool | None) -> float:
    """How plausible a colour is for a role, from the colour alone."""
    lum = relative_luminance(hex_value)
    sat = saturation(hex_value)
    if role == "background":
        if dark_hint is True:
            return 1.5 if lum < 0.05 else (0.0 if lum < 0.2 else -4.0)
        return 1.5 if lum > 0.8 or lum < 0.03 else (-1.0 if lum > 0.5 else -3.0)
    if role == "surface":
        if sat > 0.5 and 0.08 < lum < 0.9:
            return -3.0  # a red module is an accent, not the card colour of the page
        return 0.5 if lum > 0.75 or lum < 0.08 else -0.5
    if role == "text":
        return 1.0 if (lum < 0.06 or lum > 0.8) and sat < 0.5 else -1.0
    if role == "muted":
        return 0.5 if sat < 0.3 else -0.5
    if role in {"primary", "secondary", "accent"}:
        return 1.0 if sat > 0.35 else -0.3
    return 0.0


def _assign_greedy(
    totals: dict[str, dict[str, float]],
    palette: dict[str, str],
    assigned: dict[str, str],
    threshold: float,
    dark_hint: bool | None,
) -> None:
    pairs = []
    for rank, (hex_value, scores) in enumerate(totals.items()):
        for role in ROLES:
            raw = scores.get(role, 0.0)
            if raw <= 0:
                continue
            pairs.append((raw + _fitness(hex_value, role, dark_hint) - rank * 0.01, hex_value, role))
    pairs.sort(reverse=True)
    used = set(palette.values())
    for score, hex_value, role in pairs:
        if score < threshold or role in palette or hex_value in used:
            continue
        palette[role] = hex_value
        assigned[hex_value] = role
        used.add(hex_value)


def _complete(palette: dict[str, str], defaults: dict[str, str], dark: bool) -> None:
    """Fill roles the prompt left open, keeping them coherent with the ones it set."""
    bg = palette["background"]
    if "text" not in palette:
        default_text = defaults["text"]
        palette["text"] = (
            default_text if contrast_ratio(default_text, bg) >= 4.5 else ("#F5F7FA" if dark else "#15171C")
        )
    if "surface" not in palette:
        default_surface = defaults["surface"]
        if is_dark(default_surface) == dark and default_surface != bg:
            palette["surface"] = default_surface
        else:
            palette["surface"] = mix(bg, "#FFFFFF", 0.06) if dark else mix(bg, "#FFFFFF", 0.6)
            if palette["surface"] == bg:
                palette["surface"] = mix(bg, "#000000", 0.03)
    if "muted" not in palette:
        palette["muted"] = mix(palette["text"], bg, 0.4)
    if "primary" not in palette:
        palette["primary"] = defaults["primary"]
    if "secondary" not in palette:
        secondary = defaults["secondary"]
        palette["secondary"] = secondary if secondary != palette["primary"] else adjust(secondary, 30)
    if "accent" not in palette:
        accent = defaults["accent"]
        palette["accent"] = accent if accent not in (palette["primary"], palette["secondary"]) else adjust(accent, -40)
    for role in ROLES:
        palette[role] = normalise_hex(palette[role])
