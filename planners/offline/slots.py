"""The local planning layer: one section's layout and the slot, context and attributes of
each of its elements.

`plan_section` is called once per section (in parallel by the graph) and is idempotent:
planning a planned section again gives the same answer. Sizes are CSS px at a 1440 px
desktop width with a content column of about 1200 px.
"""

from __future__ import annotations

import re
from functools import cache

from webagent.core.contracts import (
    AssetContext,
    AssetSize,
    AssetSpec,
    ChartAttributes,
    Dataset,
    DesignTokens,
    ImageAttributes,
    SectionLayout,
    SectionPlan,
    VideoAttributes,
)
from webagent.planners.offline.colours import normalise_hex
from webagent.planners.offline.text import words_pattern

_COUNT_WORDS = {
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "2": 2,
    "3": 3,
    "4": 4,
    "5": 5,
    "6": 6,
    "eight": 8,
    "nine": 9,
    "twelve": 12,
    "8": 8,
    "9": 9,
    "12": 12,
}
_COLUMNS = re.compile(
    r"\b(single|one|two|three|four|five|six|[1-6])[- ]column\b|\b(two|three|four|five|six|[2-6]) (?:equal |even |narrow |wide |vertical |tall |horizontal )?columns\b"
    r"|\bgrid of (two|three|four|five|six|eight|nine|twelve|[2-9]|12)\b(?!\s+(?:equal\s+)?columns)|\b(two|three|four|five|six|[2-6]) (?:[\w-]+ ){0,2}?(?:cards|tiles|plans|tiers|steps|panels|boxes|columns|items|testimonials|stats|metrics|kpis)(?: arranged)?(?: side[- ]by[- ]side| in a row| horizontally| across)"
    r"|\b(?:row|grid) of (two|three|four|five|six|[2-6]) ",
    re.I,
)
_SPLIT = re.compile(
    r"\b(?:split (?:layout|into two)|asymmetric(?:al)? (?:two|split)|left (?:column|side|half)\b.*\bright (?:column|side|half)|on the left\b.*\bon the right\b|\d\d%.*\d\d%)",
    re.I | re.S,
)
# "60/40", "70-30", "a 40:60 split": two shares of the width that add up to 100.
_RATIO = re.compile(r"(?<![\d.,/])([1-9]\d)\s*(?:/|:|-|–)\s*([1-9]\d)(?![\d.,/%])")
_THIRDS = re.compile(r"\b(two[- ]thirds|one[- ]third)\b[^.;]{0,60}\b(?:one[- ]third|two[- ]thirds)\b", re.I)
# "a full-width photo of the harbour", "hero video spanning the full width", "foto a tutta larghezza": media edge to
# edge. "Full-bleed" and "edge-to-edge" say how a picture fills its own column ("the right side is a full-bleed video").
_FULL_WIDTH = re.compile(
    r"\b(?:full[- ]width|pleine largeur|ancho completo|volle[nr]? breite|a tutta larghezza|"
    r"largura total|volledige breedte)\s+(?:[\w-]+\s+){0,2}?(?:hero\s+)?(?:photo\w*|image|picture|video|banner|visual|"
    r"map|chart|foto|imagen|bild|vidéo|vídeo|illustration)s?\b"
    r"|\b(?:photo\w*|image|picture|video|banner|visual|map|chart|foto|imagen|bild|vidéo|vídeo|illustration)s?\s+"
    r"(?:[\w-]+\s+){0,4}?(?:spans?|spanning|fills?|filling|covers?|covering|runs?|running|stretch\w*)\s+"
    r"(?:across\s+)?(?:the\s+)?(?:full|whole|entire)\s+(?:page\s+|screen\s+|viewport\s+)?width",
    re.I,
)
_STICKY = re.compile(
    r"\b(?:sticky|fixed (?:header|nav\w*|top bar)|(?:stays?|remains?) (?:fixed |pinned |visible )?at the top|pinned)\b",
    re.I,
)
_CENTER = re.compile(
    r"\b(?:centered|centred|center-aligned|centre-aligned|center aligned|in the center|in the centre|centered text|text-align: ?center)\b",
    re.I,
)
_LEFT = re.compile(r"\b(?:left-aligned|flush left|aligned left|left aligned|ragged-right)\b", re.I)
_ASPECTS: list[tuple[str, float]] = [
    (r"\b(?:21:9|ultra[- ]?wide|panoramic|banner-like|letterbox)\b", 21 / 9),
    (r"\b(?:16:9|widescreen|wide(?:-format)?|cinematic(?: ratio| format| aspect)|landscape)\b", 16 / 9),
    (r"\b3:2\b", 3 / 2),
    (r"\b4:3\b", 4 / 3),
    (r"\b(?:square|1:1)\b", 1.0),
    (
        r"\b(?:4:5|3:4|portrait(?:-oriented| orientation| format)|vertical(?:ly oriented)? (?:image|photo|illustration|rectangle|panel|frame|poster)|tall(?:,? narrow)? (?:image|photo|illustration|rectangle|panel|frame|poster|card)|tall and narrow)\b",
        4 / 5,
    ),
    (r"\b(?:9:16|story format|phone-shaped)\b", 9 / 16),
]


def plan_section(
    section: SectionPlan, assets: list[AssetSpec], tokens: DesignTokens
) -> tuple[SectionPlan, list[AssetSpec]]:
    """Finalise a section's layout and each element's slot size, context and attributes."""
    mine = [a for a in assets if a.section_id == section.id] or list(assets)
    if section.layout != SectionLayout():
        # Already planned (by this layer or by a model): keep the decisions, fill the gaps.
        layout = section.layout
        if section.background and not layout.band:
            layout = layout.model_copy(update={"band": True})
        if not layout.description:
            fresh = section_layout(section, mine)
            layout = layout.model_copy(update={"description": fresh.description})
    else:
        layout = section_layout(section, mine)
    planned_section = section.model_copy(update={"layout": layout, "asset_ids": _ordered_ids(section, mine)})
    planned = [_plan_asset(planned_section, asset, mine, tokens) for asset in mine]
    return planned_section, planned


def plan_sections(
    sections: list[SectionPlan], assets: list[AssetSpec], tokens: DesignTokens
) -> tuple[list[SectionPlan], list[AssetSpec]]:
    """`plan_section` for every section of a page, each with the assets that name it."""
    planned_sections: list[SectionPlan] = []
    planned_assets: list[AssetSpec] = []
    for section in sections:
        mine = [a for a in assets if a.section_id == section.id]
        section.asset_ids = [a.id for a in mine]
        done, done_assets = plan_section(section, mine, tokens)
        planned_sections.append(done)
        planned_assets.extend(done_assets)
    return planned_sections, planned_assets


_EXTENSIONS = {"image": "webp", "video": "mp4", "chart": "json"}


def new_asset(
    asset_id: str,
    kind: str,
    section_id: str,
    section_name: str,
    tokens: DesignTokens,
    title: str,
    attributes,
    prompt: str,
    dataset: Dataset | None = None,
) -> AssetSpec:
    """An element as the global planner emits it: a default slot that `plan_section` then sizes."""
    return AssetSpec(
        id=asset_id,
        kind=kind,
        path=f"assets/{asset_id}.{_EXTENSIONS[kind]}",
        section_id=section_id,
        title=title,
        size=AssetSize(width=560, height=420),
        context=AssetContext(section=section_name, role="element", page_style=tokens.visual_style),
        attributes=attributes,
        prompt=prompt,
        dataset=dataset,
    )


def _ordered_ids(section: SectionPlan, assets: list[AssetSpec]) -> list[str]:
    ids = list(section.asset_ids)
    for asset in assets:
        if asset.id not in ids:
            ids.append(asset.id)
    return ids


def section_layout(section: SectionPlan, assets: list[AssetSpec]) -> SectionLayout:
    brief = section.brief
    lowered = brief.lower()
    groups = len({item.group for item in section.content if item.group})
    columns = _columns_from_words(brief)
    if columns is None:
        if groups >= 2:
            columns = min(4, groups if groups <= 4 else 3)
        elif assets and section.role in {"hero", "about", "cta", "contact", "newsletter"}:
            columns = 2
        elif _SPLIT.search(brief[:900]):
            columns = 2
        elif len([a for a in assets if a.kind == "chart"]) >= 2 or len(assets) >= 3:
            columns = 2 if len(assets) in (2, 4) else 3
        else:
            columns = 1
    columns = max(1, min(4, columns))
    head = lowered[:400]
    centre_hits = len(_CENTER.findall(head))
    align = "center" if centre_hits and centre_hits >= len(_LEFT.findall(head)) else "left"
    if section.role in {"header", "footer"}:
        align = "left"
    media_side = _media_side(brief, section.role, columns)
    band = bool(section.background) or bool(
        re.search(r"\b(?:band|full-width (?:colou?red|tinted) (?:strip|block)|stripe)\b", lowered[:500])
    )
    split = _split_widths(brief[:900])
    if split and columns == 1:
        columns = 2  # "60/40" sizes two columns, whether or not it says so
    description = _describe(section.role, columns, align, media_side, groups)
    return SectionLayout(
        columns=columns,
        align=align,
        media_side=media_side,
        band=band,
        split=split,
        sticky=section.role == "header" and bool(_STICKY.search(brief[:600])),
        full_width=section.role not in {"header", "footer"} and bool(_FULL_WIDTH.search(brief[:900])),
        description=description,
    )


def _split_widths(brief: str) -> int:
    """'two columns, 60/40' → 60: the left column's share when the prompt sizes a split, else 0."""
    for m in _RATIO.finditer(brief):
        left, right = int(m.group(1)), int(m.group(2))
        if left + right == 100 and 20 <= left <= 80:
            return left
    m = _THIRDS.search(brief)
    if m:
        return 67 if m.group(1).lower().startswith("two") else 33
    return 0


def _columns_from_words(brief: str) -> int | None:
    """The columns a section's words ask for; a grid of more than four items wraps into rows of three or four."""
    for m in _COLUMNS.finditer(brief[:1500]):
        word = next(g for g in m.groups() if g)
        value = _COUNT_WORDS.get(word.lower())
        if value:
            return value if value <= 4 else (4 if value % 4 == 0 else 3)
    return None


def _media_side(brief: str, role: str, columns: int) -> str:
    lowered = brief.lower()
    media = re.search(
        r"\b(?:illustration|image|photo\w*|picture|portrait|video|chart|graph|render|visual|mock-?up|collage|poster)\b",
        lowered,
    )
    if not media:
        return "right" if columns > 1 else "top"
    before = lowered[max(0, media.start() - 140) : media.start()]
    placed = re.match(r"[^.;]{0,50}?\b(?:on|to|in|at) the (left|right)\b", lowered[media.end() :])
    if placed and not re.search(r"\b(?:on|to|in|at) the (?:left|right)\b", before[-30:]):
        return placed.group(1)  # "text on the left and a photo of … on the right": the photo's own side
    sides = list(
        re.finditer(
            r"\b(?:on|to|in|at) the (left|right)\b|\b(left|right) (?:column|side|half|third|two-thirds)\b", before
        )
    )
    if sides:
        last = sides[-1]
        return last.group(1) or last.group(2)
    after = lowered[media.end() : media.end() + 60]
    m = re.search(r"\b(?:on|to|in|at) the (left|right)\b", after)
    if m:
        return m.group(1)
    if re.search(r"\b(?:below|beneath|under|underneath)\b", before[-80:]):
        return "bottom"
    if re.search(r"\babove\b", before[-80:]):
        return "top"
    return "right" if columns > 1 or role == "hero" else "top"


def _describe(role: str, columns: int, align: str, media_side: str, groups: int) -> str:
    parts = [f"{columns}-column" if columns > 1 else "single column", f"{align}-aligned"]
    if groups >= 2:
        parts.append(f"{groups} cards")
    if role in {"hero", "about", "cta"} and columns > 1:
        parts.append(f"media on the {media_side}")
    return ", ".join(parts)


# ----------------------------------------------------------------------------- slots


def _plan_asset(section: SectionPlan, asset: AssetSpec, siblings: list[AssetSpec], tokens: DesignTokens) -> AssetSpec:
    role = element_role(section, asset, siblings)
    size = slot_size(section, asset, role, siblings)
    context = AssetContext(
        section=section.title or section.role.replace("-", " "),
        role=role,
        page_style=", ".join(p for p in (tokens.visual_style, tokens.mood) if p) or "clean, modern",
    )
    attributes = compile_attributes(asset, tokens, role)
    return asset.model_copy(update={"size": size, "context": context, "attributes": attributes})


def element_role(section: SectionPlan, asset: AssetSpec, siblings: list[AssetSpec]) -> str:
    words = (asset.prompt + " " + asset.title).lower()
    same_kind = [a for a in siblings if a.kind == asset.kind]
    if asset.kind == "video":
        if re.search(r"\b(?:background|backdrop|full-bleed|behind the|ambient)\b", words):
            return "background loop"
        return "hero video" if section.role == "hero" else "inline video"
    if asset.kind == "chart":
        if section.role in {"chart", "stats", "table", "sidebar"} or len(same_kind) >= 2:
            return "dashboard chart"
        return "inline chart"
    if re.search(
        r"\b(?:background (?:is|image|photo)|full-bleed background|behind (?:the|this) (?:text|section|content))\b",
        words,
    ):
        return "background image"
    if re.search(r"\b(?:avatar|profile (?:picture|photo|image)|user silhouette)\b", words) and section.role in {
        "header",
        "sidebar",
        "testimonials",
        "footer",
    }:
        return "avatar"
    if section.role == "hero":
        return "hero visual"
    if re.search(r"\b(?:portrait|headshot|avatar|bust)\b", words) and section.role in {
        "speakers",
        "team",
        "testimonials",
        "about",
        "header",
    }:
        return "portrait"
    if section.role == "gallery" or len(same_kind) >= 4:
        return "gallery image"
    if len(same_kind) >= 2 or section.role in {
        "features",
        "pricing",
        "articles",
        "courses",
        "steps",
        "schedule",
        "speakers",
        "team",
    }:
        return "card thumbnail"
    return "feature image"


_BASE_SIZES: dict[str, tuple[int, int]] = {
    "hero visual": (600, 450),
    "hero video": (640, 360),
    "background loop": (1200, 560),
    "background image": (1200, 560),
    "inline video": (560, 315),
    "card thumbnail": (380, 260),
    "gallery image": (560, 400),
    "portrait": (400, 500),
    "avatar": (96, 96),
    "feature image": (560, 420),
}


def slot_size(section: SectionPlan, asset: AssetSpec, role: str, siblings: list[AssetSpec]) -> AssetSize:
    if asset.kind == "chart":
        charts = [a for a in siblings if a.kind == "chart"]
        alone = section.layout.columns <= 1 and len(charts) <= 1 and len(siblings) <= 1
        return AssetSize(width=1160, height=400) if alone else AssetSize(width=560, height=340)
    width, height = _BASE_SIZES.get(role, (560, 420))
    if role in {"hero visual", "hero video"} and section.layout.columns <= 1:
        width, height = (1200, 560) if role == "hero visual" else (1200, 675)
    if role == "inline video" and section.layout.columns <= 1 and len(siblings) <= 1:
        width, height = 960, 540
    if role == "feature image" and section.layout.columns <= 1 and len(siblings) <= 1:
        width, height = 1200, 560
    aspect = _aspect_from_words(asset.prompt) if role != "avatar" else 1.0
    if asset.kind == "video" and aspect is None:
        aspect = 16 / 9
    if aspect is not None and role not in {"background loop", "background image"}:
        height = round(width / aspect)
        if height > 760:
            height = 760
            width = round(height * aspect)
    return AssetSize(width=max(16, min(4096, width)), height=max(16, min(4096, height)))


def _aspect_from_words(prompt: str) -> float | None:
    lowered = prompt.lower()[:400]
    for pattern, aspect in _ASPECTS:
        if re.search(pattern, lowered):
            return aspect
    return None


# ----------------------------------------------------------------------------- attributes

_IMAGE_STYLES = [
    "flat vector illustration",
    "flat illustration",
    "flat-design illustration",
    "isometric",
    "line art",
    "line-art",
    "watercolor",
    "watercolour",
    "photorealistic",
    "semi-photorealistic",
    "black-and-white photograph",
    "documentary photograph",
    "product photograph",
    "editorial photograph",
    "architectural photograph",
    "3d render",
    "3d",
    "clay",
    "paper cut",
    "paper-cut",
    "collage",
    "risograph",
    "halftone",
    "pixel art",
    "hand-drawn",
    "pencil sketch",
    "ink drawing",
    "ink",
    "comic",
    "cartoon",
    "anime",
    "low-poly",
    "grainy film",
    "monochrome",
    "cinematic",
    "abstract",
    "geometric",
    "screen-printed",
    "poster",
    "vector",
    "gouache",
    "linocut",
    "woodcut",
    "scrapbook",
    "concept art",
    "photograph",
    "photo",
    "illustration",
    "render",
    "mockup",
    "screenshot",
]
_TONES = [
    "warm",
    "cool",
    "muted",
    "pastel",
    "saturated",
    "vibrant",
    "monochrome",
    "black-and-white",
    "neon",
    "earthy",
    "desaturated",
    "high-contrast",
    "low-contrast",
    "moody",
    "bright",
    "soft",
    "dark",
    "sepia",
    "golden",
    "candy",
    "jewel-toned",
    "duotone",
]
_COMPOSITIONS = [
    "close-up",
    "wide shot",
    "wide-angle",
    "aerial",
    "overhead",
    "top-down",
    "bird's-eye",
    "isometric",
    "centered",
    "centred",
    "symmetrical",
    "rule of thirds",
    "flat lay",
    "bust",
    "silhouette",
    "panorama",
    "low angle",
    "from behind",
    "eye-level",
    "full-bleed",
    "negative space",
    "asymmetric",
    "layered",
    "grid",
    "diagonal",
    "foreground",
    "portrait",
    "landscape",
]
_LIGHTING = [
    "golden hour",
    "soft",
    "dramatic",
    "backlit",
    "neon",
    "studio",
    "natural",
    "flat lighting",
    "flat, even",
    "moody",
    "high contrast",
    "candlelit",
    "sunset",
    "dusk",
    "night",
    "nighttime",
    "diffused",
    "even",
    "rim light",
    "warm light",
    "cool light",
    "glow",
    "glowing",
    "overcast",
    "morning",
    "sunlit",
    "dappled",
]


_NEGATED_WORDS = re.compile(
    r"\b(?:not|no|non|without|never|nor|avoid(?:ing)?)[\s-]+(?:a |an |any )?[\w-]+(?:,? (?:or|and|nor) [\w-]+)?", re.I
)


def compile_attributes(asset: AssetSpec, tokens: DesignTokens, role: str):
    prompt = asset.prompt
    lowered = _NEGATED_WORDS.sub(" ", prompt.lower())
    if asset.kind == "image":
        return ImageAttributes(
            visual_style=_first_terms(lowered, _IMAGE_STYLES, 2) or _default_image_style(tokens),
            color_tone=_tone(lowered, tokens),
            composition=_first_terms(lowered, _COMPOSITIONS, 2)
            or ("wide, room for text" if role.startswith("background") else "centred subject"),
            lighting=_lighting(lowered),
        )
    if asset.kind == "video":
        seconds = _seconds(lowered)
        motion = "low"
        if re.search(
            r"\b(?:fast|quick cuts?|jump cuts?|energetic|rapid|jitter\w*|frenetic|high-energy|dynamic)\b", lowered
        ):
            motion = "high"
        elif not re.search(r"\b(?:slow|subtle|gentle|calm|ambient|ultra-slow|minimal|soft|drift\w*|serene)\b", lowered):
            motion = "medium"
        camera = _first_terms(
            lowered,
            [
                "slow push-in",
                "push-in",
                "tracking shot",
                "aerial",
                "drone",
                "dolly",
                "pan",
                "panning",
                "orbit",
                "zoom",
                "static camera",
                "handheld",
                "crossfade",
                "time-lapse",
                "timelapse",
                "slow-motion",
                "locked-off",
                "top-down",
            ],
            1,
        ) or ("slow drift" if role == "background loop" else "slow push-in")
        return VideoAttributes(
            style=_first_terms(
                lowered,
                [
                    "cinematic",
                    "documentary",
                    "abstract",
                    "animated",
                    "motion graphics",
                    "grainy",
                    "black-and-white",
                    "monochrome",
                    "timelapse",
                    "drone",
                    "minimal",
                    "stop-motion",
                    "flat",
                    "noir",
                ],
                2,
            )
            or "cinematic",
            motion_intensity=motion,
            camera=camera,
            loopable=not re.search(r"\b(?:plays once|does not loop|doesn't loop|no loop|non-looping)\b", lowered),
            seconds=seconds,
        )
    previous = asset.attributes if isinstance(asset.attributes, ChartAttributes) else ChartAttributes()
    emphasis = previous.emphasis
    m = re.search(
        r"\b(?:highlight(?:ing|s)?|emphasi[sz](?:ing|es|e)|draw(?:ing)? attention to)\s+([^.;,]{3,60})", prompt, re.I
    )
    if m and not emphasis:
        emphasis = m.group(1).strip()
    style = previous.chart_style
    if style == "clean":
        style = _chart_style(lowered, tokens)
    return ChartAttributes(
        chart_type=previous.chart_type,
        horizontal=previous.horizontal,
        stacked=previous.stacked,
        chart_style=style,
        palette=[normalise_hex(c) for c in previous.palette],
        emphasis=emphasis,
    )


@cache
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern:
    return words_pattern(terms, hyphen_joins=True)


def _first_terms(lowered: str, terms: list[str], limit: int) -> str:
    pattern = _terms_pattern(tuple(terms))
    found: list[tuple[int, str]] = []
    seen: set[str] = set()
    for m in pattern.finditer(lowered):
        term = m.group(1)
        if term not in seen:
            seen.add(term)
            found.append((m.start(), term))
    found.sort()
    chosen: list[str] = []
    for _, term in found:
        if any(term in c or c in term for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return ", ".join(chosen)


def _default_image_style(tokens: DesignTokens) -> str:
    style = tokens.visual_style
    return {
        "swiss": "flat geometric illustration",
        "brutalist": "high-contrast graphic illustration",
        "editorial": "editorial photograph",
        "playful": "flat vector illustration",
        "pastel": "soft flat illustration",
        "futuristic": "cinematic digital render",
        "organic": "hand-drawn illustration",
        "luxury": "editorial photograph",
        "cinematic": "cinematic photograph",
        "skeuomorphic": "soft 3d render",
        "retro": "risograph illustration",
    }.get(style, "flat illustration")


def _tone(lowered: str, tokens: DesignTokens) -> str:
    words = _first_terms(lowered, _TONES, 2)
    hexes = re.findall(r"#[0-9a-fA-F]{6}\b", lowered)
    if hexes:
        words = ", ".join(filter(None, [words, " ".join(h.upper() for h in hexes[:3])]))
    if words:
        return words + " tones" if not hexes else words
    palette = tokens.palette
    return f"page palette ({palette.primary}, {palette.secondary}, {palette.accent})"


def _lighting(lowered: str) -> str:
    m = re.search(r"\blighting (?:is|should be)\s+([^.;]{3,50})|\b(\w+(?:[ -]\w+)?) lighting\b", lowered)
    if m:
        return (m.group(1) or m.group(2) + " lighting").strip()
    return _first_terms(lowered, _LIGHTING, 2) or "soft, even"


def _seconds(lowered: str) -> float:
    m = re.search(r"(\d{1,2})\s*(?:[–-]|to)\s*(\d{1,2})[ -]seconds?|(\d{1,2})[ -](?:second|sec)s?\b", lowered)
    if not m:
        return 6.0
    value = float(m.group(2) or m.group(3) or 6)
    return max(1.0, min(20.0, value))


def _chart_style(lowered: str, tokens: DesignTokens) -> str:
    for words, style in (
        (r"\bneon|glow", "neon glow on dark"),
        (r"hand-drawn|sketch", "hand-drawn"),
        (r"brutalist|thick black", "brutalist, heavy strokes"),
        (r"print|editorial|magazine", "print-like, minimal"),
        (r"minimal|clean|swiss", "minimal, clean"),
    ):
        if re.search(words, lowered):
            return style
    if tokens.dark:
        return "dark, glowing accents"
    return {"brutalist": "brutalist, heavy strokes", "swiss": "minimal, clean", "editorial": "print-like, minimal"}.get(
        tokens.visual_style, "clean"
    )
