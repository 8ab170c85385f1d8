"""Whether a prompt asks for a dark page, a light page, or does not say.

Read from page-wide wording only: a theme in the opening sentences ("a dark-themed landing page", "light
mode") or what the page's own background is ("the page background is a soft off-white", "the overall
background is #0B0F1A"). A dark hero or a dark footer says nothing about the page.
"""

from __future__ import annotations

import re

from webagent.core.colour import is_dark
from webagent.webbench.evaluation.metrics import HEX, hex_colours
from webagent.webbench.evaluation.reading.contracts import Theme
from webagent.webbench.evaluation.reading.prose import Sentence

OPENING_SENTENCES = 3
DARK_WORDS = r"dark|black|near-black|charcoal|midnight|navy|ink|obsidian|onyx|graphite|jet-black|deep"
LIGHT_WORDS = r"light|white|off-white|cream|creamy|ivory|beige|pale|bright|airy|snow|paper|pastel|sand|bone"
THEME = re.compile(
    r"\b(?:(?P<dark>dark|night|black)|(?P<light>light|bright|white))[- ]"
    r"(?:themed?|mode|ui|interface|palette|aesthetic|page|website|site|background|canvas|look|design)\b",
    re.IGNORECASE,
)
PAGE_BACKGROUND = re.compile(
    r"\b(?:(?:page|site|overall|body|global|base|main|entire|whole)(?:['’]s)?\s+background"
    r"|background\s+of\s+(?:the\s+)?(?:entire\s+|whole\s+)?(?:page|site))\b(?P<rest>.{0,80})",
    re.IGNORECASE,
)
SHADE = re.compile(rf"\b(?:(?P<dark>{DARK_WORDS})|(?P<light>{LIGHT_WORDS}))\b", re.IGNORECASE)


def shade_of(text: str) -> Theme | None:
    """The first shade ``text`` states: a dark or light colour word, or a hex colour's brightness."""
    word = SHADE.search(text)
    colour = HEX.search(text)
    if colour and (word is None or colour.start() < word.start()):
        return "dark" if is_dark(hex_colours(colour.group(0))[0]) else "light"
    if word is None:
        return None
    return "dark" if word["dark"] else "light"


def stated_theme(text: str) -> Theme | None:
    """A theme named outright: "dark-themed", "light mode", "a black background"."""
    found = THEME.search(text)
    if found is None:
        return None
    return "dark" if found["dark"] else "light"


def page_theme(sentences: list[Sentence]) -> Theme | None:
    """The page's brightness: a theme the opening names, else the first page-wide background; None if unsaid."""
    for sentence in sentences[:OPENING_SENTENCES]:
        theme = stated_theme(sentence.masked)
        if theme is not None:
            return theme
    for sentence in sentences:
        background = PAGE_BACKGROUND.search(sentence.masked)
        theme = shade_of(background["rest"]) if background else None
        if theme is not None:
            return theme
    return None
