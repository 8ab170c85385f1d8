"""Reading an element's words: the motif they call for and the tone cues they name."""

from __future__ import annotations

import re
from collections.abc import Iterable

from webagent.core.contracts import AssetSpec

MOTIF_WORDS: dict[str, tuple[str, ...]] = {
    "portrait": (
        "person",
        "people",
        "portrait",
        "speaker",
        "team",
        "character",
        "avatar",
        "founder",
        "face",
        "headshot",
        "author",
        "member",
        "staff",
        "profile",
        "artist",
        "host",
        "guest",
        "testimonial",
        "man",
        "men",
        "woman",
        "women",
        "student",
        "teacher",
        "customer",
        "ceo",
        "child",
        "children",
    ),
    "food": (
        "food",
        "coffee",
        "cake",
        "bakery",
        "pastry",
        "bread",
        "cafe",
        "café",
        "restaurant",
        "dish",
        "meal",
        "plate",
        "tea",
        "breakfast",
        "brunch",
        "dessert",
        "cookie",
        "pizza",
        "salad",
        "menu",
        "kitchen",
        "recipe",
        "latte",
        "espresso",
        "croissant",
        "cup",
        "mug",
        "cappuccino",
        "bowl",
        "donut",
        "fruit",
    ),
    "product": (
        "product",
        "watch",
        "bottle",
        "device",
        "book",
        "cover",
        "phone",
        "smartphone",
        "headphones",
        "sneaker",
        "shoe",
        "perfume",
        "packaging",
        "box",
        "gadget",
        "laptop",
        "camera",
        "bag",
        "lamp",
        "jar",
        "cosmetic",
        "skincare",
        "serum",
        "candle",
        "vase",
        "novel",
        "magazine",
        "album",
        "tablet",
        "clock",
        "wine",
    ),
    "city": (
        "city",
        "urban",
        "architecture",
        "building",
        "skyline",
        "street",
        "downtown",
        "office",
        "tower",
        "skyscraper",
        "metropolis",
        "town",
        "cityscape",
        "rooftop",
        "apartment",
    ),
    "ocean": (
        "ocean",
        "sea",
        "water",
        "wave",
        "beach",
        "coast",
        "surf",
        "lake",
        "river",
        "shore",
        "sail",
        "sailing",
        "island",
        "harbor",
        "harbour",
        "marine",
        "seaside",
        "tide",
    ),
    "landscape": (
        "landscape",
        "mountain",
        "forest",
        "nature",
        "hill",
        "valley",
        "tree",
        "outdoor",
        "outdoors",
        "hike",
        "hiking",
        "trail",
        "field",
        "meadow",
        "desert",
        "park",
        "garden",
        "sunrise",
        "sunset",
        "camping",
        "travel",
        "adventure",
        "alpine",
        "wood",
        "woods",
        "peak",
        "summit",
        "countryside",
        "farm",
    ),
    "geometric": (
        "swiss",
        "geometric",
        "brutalist",
        "grid",
        "bauhaus",
        "modernist",
        "constructivist",
        "shapes",
        "pattern",
        "memphis",
    ),
}

TONE_WORDS: dict[str, tuple[str, ...]] = {
    "warm": ("warm", "golden", "sunset", "sunrise", "amber", "autumn", "cosy", "cozy"),
    "cool": ("cool", "cold", "icy", "blue hour", "winter", "frost"),
    "dark": ("dark", "night", "moody", "noir", "low-key", "low key", "dramatic"),
    "pastel": ("pastel", "airy", "dreamy", "washed"),
    "monochrome": ("monochrome", "black and white", "black & white", "grayscale", "greyscale"),
    "vivid": ("vivid", "vibrant", "saturated", "neon", "punchy"),
}


def attribute_text(spec: AssetSpec) -> str:
    """The element's attribute values (not its kind), space-separated."""
    return " ".join(str(v) for v in spec.attributes.model_dump(exclude={"kind"}).values())


def has_word(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` names one of ``words`` (as a whole word, plurals included)."""
    alternatives = "|".join(re.escape(w) for w in words)
    return re.search(rf"\b(?:{alternatives})(?:s|es)?\b", text) is not None


def element_words(spec: AssetSpec) -> list[str]:
    """The element's text, most telling first: what it shows, then how it is styled."""
    return [f"{spec.prompt} {spec.title}".lower(), f"{attribute_text(spec)} {spec.context.page_style}".lower()]


def choose_motif(spec: AssetSpec) -> str:
    """The motif the element's words call for; ``abstract`` when none does."""
    for text in element_words(spec):
        for motif, words in MOTIF_WORDS.items():
            if has_word(text, words):
                return motif
    return "abstract"


def tones_of(spec: AssetSpec) -> list[str]:
    """The tone cues (warm, cool, dark, pastel, monochrome, vivid) named by an element's attributes."""
    text = attribute_text(spec).lower()
    return [tone for tone, words in TONE_WORDS.items() if any(w in text for w in words)]
