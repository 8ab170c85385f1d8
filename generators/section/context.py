"""What the coder model is told besides its own plan: the user's words about style and about its section.

The planner's JSON carries tokens and copy, not the user's instructions on where colours, type and
layout go ("secondary for highlights", "headings in a bold geometric sans", "cards in a staggered
column"). The design-system writer gets the prompt's sentences about style; each section writer gets
its section's part of the prompt (the plan's ``brief``, else the sentences that name the section) and
its neighbours' headings.
"""

from __future__ import annotations

import re

from webagent.core.contracts import PagePlan, SectionPlan

MAX_STYLE_CHARS = 2000
MAX_PART_CHARS = 1500
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
HEX = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?\b")
# Words that make a sentence about the page's look (English, Spanish, French, German, Portuguese, Italian).
STYLE_WORDS = re.compile(
    r"\b(?:colou?rs?|palette|paleta|couleurs?|farben?|cores?|colori|tones?|tonos?|font|fonts|fuentes?|polices?|"
    r"schrift\w*|typeface|typo\w*|tipogra\w*|serif|sans|monospace|bold|italic|heading|headings|titles?|layout|"
    r"columns?|columnas?|colonnes?|spalten?|grid|rejilla|grille|cards?|tarjetas?|cartes?|karten|spacing|"
    r"whitespace|white space|rounded|corners?|shadows?|sombras?|gradient\w*|degradado|background|fondo|fond|"
    r"hintergrund|dark|light|oscuro|claro|sombre|clair|dunkel|hell|minimal\w*|modern\w*|vintage|retro|playful|"
    r"elegant\w*|mood|feel|vibe|style|estilo|aesthetic|theme|tema|accent\w*|highlights?|primary|secondary|contrast|"
    r"borders?|offset|staggered|asymmetric\w*|cent(?:er|re)d?|full[- ]width|split|side by side|sticky|sidebar|"
    r"uppercase|spacious|airy|dense|bento|masonry|glass\w*|neon|pastel\w*|muted|vibrant|earthy|warm|cool)\b",
    re.IGNORECASE,
)
NAME_WORD = re.compile(r"\w{4,}")


def sentences(prompt: str) -> list[str]:
    """The prompt cut into sentences and lines, stripped of list marks; empty ones left out."""
    pieces = (piece.strip(" \t-*•>#") for piece in SENTENCE_END.split(prompt))
    return [piece for piece in pieces if piece]


def joined(pieces: list[str], limit: int) -> str:
    """Distinct pieces in order, as one text of at most ``limit`` characters."""
    text = " ".join(dict.fromkeys(pieces))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def style_description(prompt: str) -> str:
    """The prompt's sentences about colours, type, layout and mood, in its own words ('' when it has none)."""
    return joined([s for s in sentences(prompt) if HEX.search(s) or STYLE_WORDS.search(s)], MAX_STYLE_CHARS)


def section_part(section: SectionPlan, prompt: str) -> str:
    """What the prompt says about ``section``: the plan's brief, else the sentences naming its title."""
    if section.brief.strip():
        return section.brief.strip()[:MAX_PART_CHARS]
    names = {word.casefold() for word in NAME_WORD.findall(section.title or section.id)}
    if not names:
        return ""
    found = [s for s in sentences(prompt) if names & {word.casefold() for word in NAME_WORD.findall(s)}]
    return joined(found, MAX_PART_CHARS)


def neighbour_headings(plan: PagePlan, position: int) -> dict[str, str]:
    """The headings of the sections before and after the one at ``position`` ('' at either end)."""

    def heading(index: int) -> str:
        if not 0 <= index < len(plan.sections):
            return ""
        section = plan.sections[index]
        return f"{section.title or section.id} ({section.role})"

    return {"before": heading(position - 1), "after": heading(position + 1)}
