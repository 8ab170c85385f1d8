"""Which quoted strings are the page title, a heading or the logo: read from the word that introduces each."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from webagent.webbench.evaluation.metrics import QUOTED
from webagent.webbench.evaluation.reading.prose import masked_quotes

Role = Literal["title", "heading", "logo", "other"]
TITLE_CUES = {"titled", "entitled", "called", "named"}
HEADING_CUES = {"heading", "headings", "headline", "headlines", "title", "titles", "section", "h1", "h2", "h3"}
LOGO_CUES = {"logo", "wordmark", "logotype", "brand"}
OTHER_CUES = {
    "button", "buttons", "link", "links", "label", "labels", "labelled", "labeled", "tag", "tags", "caption",
    "captions", "placeholder", "badge", "item", "items", "menu", "text", "quote", "tagline", "subheading",
    "subtitle", "subtext", "line", "note", "paragraph", "bio", "chip", "pill", "cta", "slogan", "message",
}  # fmt: skip
CUE_WINDOW = 12  # words looked back from a quote, within its sentence
WORDS = re.compile(r"[^\W\d_][\w-]*|\d\w*")
SENTENCE_BREAK = re.compile(r"[.!?;\n]")
LOOKBACK_CHARS = 200
HEADING_AFTER = re.compile(r"^[”\"]*\s+(?:section|heading|headline|title)\b", re.IGNORECASE)
OPENING_CHARS = 300  # the page title is named in the prompt's opening


class QuoteRole(NamedTuple):
    """A quoted string, where it starts in the prompt, and what the prompt says it is."""

    text: str
    start: int
    role: Role


def cue_before(prefix: str) -> Role:
    """The role the nearest cue word before a quote gives it: a naming verb, a heading word, a logo, other text."""
    clause = SENTENCE_BREAK.split(prefix[-LOOKBACK_CHARS:])[-1]
    for word in reversed(WORDS.findall(clause)[-CUE_WINDOW:]):
        word = word.casefold()
        if word in TITLE_CUES:
            return "title"
        if word in HEADING_CUES:
            return "heading"
        if word in LOGO_CUES:
            return "logo"
        if word in OTHER_CUES:
            return "other"
    return "other"


def quote_roles(prompt: str) -> list[QuoteRole]:
    """Every quoted string with its role; a name ("titled", "called") outside the opening is a heading."""
    masked = masked_quotes(prompt)
    roles = []
    for match in QUOTED.finditer(prompt):
        text = (match.group(1) or match.group(2)).strip()
        role = "heading" if HEADING_AFTER.match(prompt[match.end() - 1 :]) else cue_before(masked[: match.start()])
        if role == "title" and match.start() > OPENING_CHARS:
            role = "heading"
        roles.append(QuoteRole(text, match.start(), role))
    return roles


def title_of(roles: list[QuoteRole]) -> str:
    """The first quote the opening names the page with, '' when none."""
    return next((quote.text for quote in roles if quote.role == "title"), "")


def texts_with_role(roles: list[QuoteRole], role: Role) -> list[str]:
    return [quote.text for quote in roles if quote.role == role]
